"""What the chapters' exercise checks share: cached runs of an answer, a manifest applied to a
fresh cluster, kubectl's dry-run verdict on a manifest, and the words for a refused manifest or a
failed docker command."""

from __future__ import annotations

from typing import Callable

from k8scourse.grading import Answer, AnswerError

#: the start of the problem shown when kubectl refuses the learner's manifest
REFUSED = "A real cluster would refuse this manifest. kubectl says:\n"


def cached(cache: dict, key, build: Callable[[], object], limit: int = 32):
    """`build()` once per key (the cache emptied when it holds more than `limit`); an AnswerError
    that `build` returned is raised on every call."""
    if key not in cache:
        value = build()
        if len(cache) > limit:
            cache.clear()
        cache[key] = value
    value = cache[key]
    if isinstance(value, AnswerError):
        raise value
    return value


def apply_answer(cluster, answer: Answer, *, seconds: float, verb: str = "apply",
                 cwd: str | None = None):
    """`cluster` after `kubectl <verb> -f -` of the answer, settled and `seconds` later; the
    AnswerError (returned, not raised) with kubectl's words when it refuses the manifest."""
    result = cluster.kubectl([verb, "-f", "-"], stdin=answer.text, cwd=cwd)
    if result.exit_code != 0:
        return AnswerError(REFUSED + result.stderr.rstrip())
    cluster.settle()
    cluster.advance(seconds)
    return cluster


def docker_failed(line: str, result) -> AnswerError:
    """The problem for a docker command of the answer that failed."""
    return AnswerError(f"This command failed: `docker {line}`. docker says:\n"
                       + (result.stderr or result.output).rstrip())


_ACCEPTED: dict[str, str | None] = {}


def accepted(answer: Answer) -> str | None:
    """kubectl's error when `kubectl create --dry-run=server -f` refuses the answer, else None."""
    def build() -> str | None:
        from k8scourse.cluster import Cluster

        cluster = Cluster.kubeadm(workers=1, seed=4, step=0)
        result = cluster.kubectl(["create", "--dry-run=server", "-f", "-"], stdin=answer.text)
        return None if result.exit_code == 0 else result.stderr.rstrip()
    return cached(_ACCEPTED, answer.text, build, limit=64)


def refused(answer: Answer) -> str | None:
    """kubectl's error (as a problem) when a cluster refuses the manifest, else None."""
    err = accepted(answer)
    return REFUSED + err if err else None
