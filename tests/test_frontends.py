"""The three ways a learner drives the cluster: IPython magics, the live session, the terminal."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from IPython.testing.globalipapp import start_ipython

from k8scourse import Cluster, session
from k8scourse import __main__ as console


@pytest.fixture(scope="module")
def ip():
    shell = start_ipython()
    shell.run_line_magic("load_ext", "k8scourse")
    return shell


@pytest.fixture
def cluster():
    c = Cluster.minikube(seed=4)
    session.use(c, live=False)
    return c


def test_kubectl_line_magic_prints_what_kubectl_prints(ip, cluster, capsys):
    """%kubectl runs on the session's cluster and prints stdout and stderr as a terminal shows them."""
    ip.run_line_magic("kubectl", "run web --image=nginx")
    ip.run_line_magic("kubectl", "get pod nope")
    out = capsys.readouterr()
    assert out.out == "pod/web created\n"
    assert out.err == 'Error from server (NotFound): pods "nope" not found\n'
    assert [p.name for p in cluster.pods()] == ["web"]


def test_kubectl_cell_magic_applies_the_yaml_in_the_cell(ip, cluster, capsys):
    """%%kubectl with no verb applies the cell; with a verb, runs that verb on the cell."""
    pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: myapp-pod\nspec:\n  containers:\n  - name: nginx\n    image: nginx\n"
    ip.run_cell_magic("kubectl", "", pod)
    ip.run_cell_magic("kubectl", "create", pod)
    out = capsys.readouterr()
    assert out.out == "pod/myapp-pod created\n"
    assert out.err == 'Error from server (AlreadyExists): error when creating "STDIN": pods "myapp-pod" already exists\n'


def test_answer_magic_stores_the_answer_and_self_checks(ip, cluster, capsys):
    """%%answer keeps the cell as the answer to its exercise and prints the self-check."""
    from k8scourse import grading

    ip.run_cell_magic("answer", "ch04-ex1", "# YOUR CODE HERE\nraise NotImplementedError()\n")
    out = capsys.readouterr().out
    assert out.startswith("Not yet: There is no answer yet")
    assert "ch04-ex1" in grading.answers
    ip.run_cell_magic("answer", "no-such-exercise", "x")
    assert "there is no exercise 'no-such-exercise'" in capsys.readouterr().err


def test_curl_magic_reaches_a_node_port_from_the_laptop(ip, cluster, capsys):
    """%curl is a request from outside the cluster, through a node IP and nodePort."""
    cluster.kubectl("create deployment web --image=nginx")
    cluster.kubectl("create service nodeport web --tcp=80:80 --node-port=30080")
    cluster.settle()
    ip.run_line_magic("curl", "http://192.168.49.2:30080/")
    assert "<title>Welcome to nginx!</title>" in capsys.readouterr().out


def test_live_session_lets_simulated_time_follow_the_wall_clock(monkeypatch):
    """Between two commands a live session lets as much simulated time pass as wall time did (the
    command's own simulated second included), at most MAX_CATCH_UP; a non-live one only the step."""
    wall = [1000.0]
    monkeypatch.setattr(session.time, "monotonic", lambda: wall[0])
    live = session.Session(Cluster.minikube(seed=1), live=True)
    live.kubectl("get pods")
    t0 = live.cluster.now
    wall[0] += 30
    live.kubectl("get pods")
    assert live.cluster.now == pytest.approx(t0 + 30)
    wall[0] += 10_000
    live.kubectl("get pods")
    assert live.cluster.now == pytest.approx(t0 + 30 + session.MAX_CATCH_UP)
    still = session.Session(Cluster.minikube(seed=1), live=False)
    still.kubectl("get pods")
    t1 = still.cluster.now
    wall[0] += 30
    still.kubectl("get pods")
    assert still.cluster.now == pytest.approx(t1 + still.cluster.step)


def test_the_grading_environment_turns_live_time_off(monkeypatch):
    """K8SCOURSE_LIVE=0 (set by graders/nbgrader_config.py) makes sessions deterministic."""
    monkeypatch.setenv("K8SCOURSE_LIVE", "0")
    assert session.Session(Cluster.minikube()).live is False


def run_console(tmp_path, *args, stdin=None):
    env = {"K8SCOURSE_STATE": str(tmp_path / "state.json"), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "k8scourse", *args], input=stdin, text=True,
                          capture_output=True, env=env, cwd=tmp_path, timeout=120)


def test_console_cluster_persists_between_calls(tmp_path):
    """`k8scourse kubectl` keeps its cluster in a state file: what one call creates, the next sees."""
    assert run_console(tmp_path, "reset", "--preset", "minikube", "--seed", "2").returncode == 0
    r = run_console(tmp_path, "kubectl", "create", "deployment", "web", "--image=nginx", "--replicas=2")
    assert (r.returncode, r.stdout) == (0, "deployment.apps/web created\n")
    run_console(tmp_path, "advance", "60")
    r = run_console(tmp_path, "kubectl", "get", "deployment", "web", "--no-headers")
    assert r.stdout.split()[:4] == ["web", "2/2", "2", "2"]
    r = run_console(tmp_path, "kubectl", "get", "pod", "nope")
    assert (r.returncode, r.stderr) == (1, 'Error from server (NotFound): pods "nope" not found\n')
    state = json.loads((tmp_path / "state.json").read_text())
    assert [c["argv"][0] for c in state["commands"]] == ["create"]


def test_console_reads_manifests_from_stdin(tmp_path):
    """`k8scourse kubectl apply -f -` takes the manifest from standard input."""
    run_console(tmp_path, "reset", "--preset", "minikube")
    pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n"
    r = run_console(tmp_path, "kubectl", "apply", "-f", "-", stdin=pod)
    assert (r.returncode, r.stdout) == (0, "pod/p created\n")
    r = run_console(tmp_path, "kubectl", "get", "pods", "-o", "name")
    assert r.stdout == "pod/p\n"


def test_console_replays_manifests_as_they_were_when_applied(tmp_path):
    """A manifest file changed or removed after `kubectl create -f` does not change the replayed cluster."""
    run_console(tmp_path, "reset", "--preset", "minikube")
    pod = tmp_path / "pod.yaml"
    pod.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: first\nspec:\n  containers:\n"
                   "  - name: c\n    image: nginx\n")
    r = run_console(tmp_path, "kubectl", "create", "-f", "pod.yaml")
    assert r.stdout == "pod/first created\n"
    pod.unlink()
    r = run_console(tmp_path, "kubectl", "get", "pods", "-o", "name")
    assert r.stdout == "pod/first\n"
