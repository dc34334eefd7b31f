"""`k8scourse kubectl ...` in a terminal: a cluster that persists between calls.

The state file records the cluster's preset and seed and every command that changed something, with
the simulated time it ran at and the manifests it read (local files are kept as they were then);
each call replays them (the model is deterministic, so the replay
rebuilds exactly the same cluster) and then runs the new command. Simulated time follows the wall
clock between calls, as in a notebook.

    k8scourse kubectl get nodes
    k8scourse reset --preset minikube --seed 3
    k8scourse advance 30
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

STATE_VERSION = 1
MAX_CATCH_UP = 600.0


def state_path() -> Path:
    return Path(os.environ.get("K8SCOURSE_STATE", Path.home() / ".k8scourse" / "state.json"))


def _new_state(preset: str = "kubeadm", seed: int = 0, workers: int = 2) -> dict:
    return {"version": STATE_VERSION, "preset": preset, "seed": seed, "workers": workers,
            "commands": [], "now": 0.0, "wall": None}


def load_state() -> dict:
    p = state_path()
    try:
        state = json.loads(p.read_text())
        if state.get("version") == STATE_VERSION:
            return state
    except (OSError, ValueError):
        pass
    return _new_state()


def save_state(state: dict) -> None:
    p = state_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(".tmp")
    tmp.write_text(json.dumps(state))
    tmp.replace(p)


def build(state: dict):
    """The cluster the state describes, with every recorded command replayed."""
    from k8scourse.cluster import Cluster

    if state["preset"] == "minikube":
        cluster = Cluster.minikube(seed=state["seed"])
    else:
        cluster = Cluster.kubeadm(workers=state["workers"], seed=state["seed"])
    for entry in state["commands"]:
        cluster.run(until=entry["at"])
        cluster.kubectl(entry["argv"], stdin=entry.get("stdin"), cwd=entry.get("cwd"))
    cluster.run(until=max(state.get("now", 0.0), cluster.now))
    return cluster


def _catch_up(state: dict) -> None:
    wall = time.time()
    if state.get("wall") is not None:
        state["now"] = state.get("now", 0.0) + max(0.0, min(wall - state["wall"], MAX_CATCH_UP))
    state["wall"] = wall


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "kubectl":
        return kubectl(argv[1:])
    parser = argparse.ArgumentParser(prog="k8scourse", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd")
    sub.add_parser("kubectl", help="run a kubectl command on the persistent cluster")
    reset = sub.add_parser("reset", help="start again with a new cluster")
    reset.add_argument("--preset", choices=["kubeadm", "minikube"], default="kubeadm")
    reset.add_argument("--seed", type=int, default=0)
    reset.add_argument("--workers", type=int, default=2)
    adv = sub.add_parser("advance", help="let simulated seconds pass")
    adv.add_argument("seconds", type=float)
    args = parser.parse_args(argv)
    if args.cmd == "reset":
        save_state(_new_state(args.preset, args.seed, args.workers))
        print(f"A new {args.preset} cluster (seed {args.seed}) is ready.")
        return 0
    if args.cmd == "advance":
        state = load_state()
        state["now"] = state.get("now", 0.0) + max(0.0, args.seconds)
        save_state(state)
        return 0
    parser.print_help()
    return 0


def kubectl(args: list[str]) -> int:
    """Replay the recorded cluster, run `kubectl <args>` on it, record the command."""
    state = load_state()
    _catch_up(state)
    cluster = build(state)
    stdin = sys.stdin.read() if _reads_stdin(args) and not sys.stdin.isatty() else None
    at = cluster.now
    result = cluster.kubectl(args, stdin=stdin, cwd=os.getcwd())
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if _changes_state(args):
        replay_args, replay_stdin = _with_manifests_inlined(args, stdin, os.getcwd())
        state["commands"].append({"at": at, "argv": replay_args, "stdin": replay_stdin,
                                  "cwd": os.getcwd()})
    state["now"] = cluster.now
    save_state(state)
    return result.exit_code


_READ_ONLY = {"get", "describe", "logs", "explain", "api-resources", "version", "cluster-info",
              "config", "top", "auth", "help", "--help", "-h", "api-versions"}


def _changes_state(args: list[str]) -> bool:
    verb = next((a for a in args if not a.startswith("-")), "")
    if verb in _READ_ONLY:
        return "-w" in args or "--watch" in args or "-f" in args and verb == "logs"
    return True


def _with_manifests_inlined(args: list[str], stdin: str | None, cwd: str) -> tuple[list[str], str | None]:
    """The command with its local manifest files read now and passed as `-f -`, so that replaying
    it later rebuilds the same cluster even if the files have changed or gone since."""
    out, texts, i = [], [], 0
    while i < len(args):
        a = args[i]
        value = None
        if a in ("-f", "--filename") and i + 1 < len(args):
            value, i = args[i + 1], i + 2
        elif a.startswith("--filename="):
            value, i = a.split("=", 1)[1], i + 1
        elif a.startswith("-f") and len(a) > 2 and not a.startswith("--"):
            value, i = a[2:].lstrip("="), i + 1
        else:
            out.append(a)
            i += 1
            continue
        text = None if value == "-" or "://" in value else _read_manifests(Path(cwd, value))
        if text is None:
            out += ["-f", value]
        else:
            texts.append(text)
    if not texts or (stdin is not None and "-" in out):
        return args, stdin
    return out + ["-f", "-"], "\n---\n".join(texts)


def _read_manifests(path: Path) -> str | None:
    try:
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
            return "\n---\n".join(p.read_text() for p in files)
        return path.read_text()
    except OSError:
        return None


def _reads_stdin(args: list[str]) -> bool:
    return any(a == "-" and i > 0 and args[i - 1] in ("-f", "--filename")
               for i, a in enumerate(args)) or "--filename=-" in args or "-f=-" in args


if __name__ == "__main__":
    sys.exit(main())
