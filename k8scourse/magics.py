"""IPython magics: `%kubectl get pods` and a `%%kubectl` cell that applies the YAML written in it.

    %load_ext k8scourse
    %kubectl get nodes

    %%kubectl
    apiVersion: v1
    kind: Pod
    ...

The cell magic runs `kubectl apply -f -` with the cell as input; its line may name another verb and
flags (`%%kubectl create`, `%%kubectl apply --dry-run=client -o yaml`).
"""

from __future__ import annotations

import os
import shlex
import sys

from k8scourse import session


def _show(result) -> None:
    if result.stdout:
        sys.stdout.write(result.stdout)
    if result.stderr:
        sys.stderr.write(result.stderr)


def kubectl_magic(line: str, cell: str | None = None):
    """Run a kubectl command on this notebook's cluster and print what kubectl prints."""
    sess = session.current()
    if cell is None:
        result = sess.kubectl(line, cwd=os.getcwd())
    else:
        try:
            argv = shlex.split(line)
        except ValueError as e:
            sys.stderr.write(f"error: {e}\n")
            return None
        if argv and argv[0] == "kubectl":
            argv = argv[1:]
        if not argv:
            argv = ["apply"]
        if "-f" not in argv and "--filename" not in argv and not any(
                a.startswith("--filename=") or a.startswith("-f=") for a in argv):
            argv += ["-f", "-"]
        result = sess.kubectl(argv, stdin=cell, cwd=os.getcwd())
    _show(result)
    return None


def answer_magic(line: str, cell: str) -> None:
    """`%%answer <exercise-id>`: keep the cell's text as the answer to that exercise and self-check it."""
    from k8scourse import grading

    exercise_id = line.strip()
    try:
        grading.get(exercise_id)
    except KeyError:
        sys.stderr.write(f"error: there is no exercise {exercise_id!r}; keep the first line of the "
                         "answer cell as it was given\n")
        return None
    grading.answers[exercise_id] = cell
    grading.check(exercise_id)
    return None


def curl_magic(line: str) -> None:
    """`%curl http://<node-ip>:<nodePort>/`: a request from the learner's laptop."""
    sess = session.current()
    sess.catch_up()
    _show(sess.cluster.curl(line))
    return None


def register(ipython) -> None:
    """Register %kubectl / %%kubectl, %curl and %%answer with an IPython shell."""
    ipython.register_magic_function(curl_magic, magic_kind="line", magic_name="curl")
    ipython.register_magic_function(kubectl_magic, magic_kind="line_cell", magic_name="kubectl")
    ipython.register_magic_function(answer_magic, magic_kind="cell", magic_name="answer")
