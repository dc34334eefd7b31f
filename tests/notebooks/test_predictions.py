"""Chapters 1-5: what the learner is asked to predict is what the model then shows.

Each test does what the exercise describes, reads the outcome the way a learner would (from
kubectl's or docker's output), and checks that the exercise grades that outcome as right.
"""

from __future__ import annotations

import re

import pytest

from k8scourse import grading
from k8scourse.cluster import Cluster
from k8scourse.docker import DockerEngine

FLANNEL = "https://raw.githubusercontent.com/coreos/flannel/master/Documentation/kube-flannel.yml"


def full_marks(ex_id: str, value: str) -> bool:
    try:
        grading.grade(ex_id, value, hidden=True)
    except AssertionError:
        return False
    return True


def table(output: str) -> list[dict[str, str]]:
    """The rows of a kubectl/docker table, by column header (single-word headers only)."""
    lines = [ln for ln in output.splitlines() if ln.strip()]
    head = lines[0].split()
    return [dict(zip(head, ln.split())) for ln in lines[1:]]


def test_ch01_docker_ps_after_the_four_commands():
    """After two nginx containers, an echo and a stop, `docker ps` lists what ch01-ex3 expects."""
    engine = DockerEngine(seed=11)
    for cmd in ("run -d --name=web1 nginx", "run -d --name=web2 nginx",
                "run busybox echo hello", "stop web1"):
        assert engine.docker(cmd).exit_code == 0
    engine.advance(15)
    ps = engine.docker("ps").stdout.splitlines()[1:]
    assert full_marks("ch01-ex3", str(len(ps)))


def test_ch01_images_pulled_by_the_four_commands():
    """The same commands pull as many images as ch01-ex4 expects."""
    engine = DockerEngine(seed=12)
    pulled = 0
    for cmd in ("run -d --name=web1 nginx", "run -d --name=web2 nginx",
                "run busybox echo hello", "stop web1"):
        pulled += engine.docker(cmd).output.count("Status: Downloaded newer image")
    assert full_marks("ch01-ex4", str(pulled))


def test_ch02_the_node_without_your_pods():
    """Six pods spread over the kubeadm cluster avoid the node ch02-ex5 names."""
    cluster = Cluster.kubeadm(workers=2, seed=21)
    cluster.kubectl("create deployment web --image=nginx --replicas=6")
    cluster.settle()
    rows = table(cluster.kubectl("get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName").stdout)
    used = {r["NODE"] for r in rows}
    nodes = {r["NAME"] for r in table(cluster.kubectl("get nodes").stdout)}
    unused = nodes - used
    assert len(unused) == 1 and full_marks("ch02-ex5", unused.pop())


@pytest.fixture(scope="module")
def no_network():
    return Cluster.kubeadm(workers=2, seed=31, network=None)


def test_ch03_nodes_before_the_pod_network(no_network):
    """Right after kubeadm init and join, STATUS shows the word ch03-ex3 expects, on every node."""
    statuses = {r["STATUS"] for r in table(no_network.kubectl("get nodes").stdout)}
    assert len(statuses) == 1 and full_marks("ch03-ex3", statuses.pop())


def test_ch03_flannel_pods_and_pod_cidr():
    """After flannel, kube-flannel lists as many pods as ch03-ex4 expects; node02's podCIDR is
    what ch03-ex5 expects."""
    cluster = Cluster.kubeadm(workers=2, seed=32, network=None)
    assert cluster.kubectl(["create", "-f", FLANNEL]).exit_code == 0
    cluster.settle()
    pods = table(cluster.kubectl("get pods -n kube-flannel").stdout)
    assert full_marks("ch03-ex4", str(len(pods)))
    cidr = cluster.kubectl("get node node02 -o jsonpath={.spec.podCIDR}").stdout.strip()
    assert full_marks("ch03-ex5", cidr)


def test_ch04_payslip_type():
    """yaml.safe_load makes one payslip of the seed's Employee example the type ch04-ex4 expects."""
    from pathlib import Path

    import yaml

    data = yaml.safe_load((Path(__file__).resolve().parents[2] / "data" / "seed" / "employee.yml").read_text())
    assert full_marks("ch04-ex4", type(data["Employee"]["Payslips"][0]).__name__)


def test_ch04_spec_under_metadata():
    """kubectl names the unknown field that ch04-ex5 expects for a `spec` indented under metadata."""
    manifest = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: broken\n  labels:\n    app: web\n"
                "  spec:\n    containers:\n    - name: web\n      image: nginx\n")
    cluster = Cluster.kubeadm(workers=1, seed=41)
    err = cluster.kubectl(["create", "-f", "-"], stdin=manifest).stderr
    m = re.search(r'unknown field "([^"]+)"', err)
    assert m and full_marks("ch04-ex5", m.group(1))


def test_ch05_pod_ips_tell_the_node():
    """Every pod's IP is in its node's range, and ch05-ex1 accepts node02 for 10.244.2.7."""
    cluster = Cluster.kubeadm(workers=2, seed=51)
    cluster.kubectl("create deployment web --image=nginx --replicas=6")
    cluster.settle()
    columns = "NAME:.metadata.name,IP:.status.podIP,NODE:.spec.nodeName"
    for row in table(cluster.kubectl(f"get pods -o custom-columns={columns}").stdout):
        cidr = cluster.kubectl(f"get node {row['NODE']} -o jsonpath={{.spec.podCIDR}}").stdout
        assert row["IP"].rsplit(".", 1)[0] == cidr.rsplit(".", 1)[0]
    node = next(r["NAME"] for r in table(cluster.kubectl("get nodes").stdout)
                if cluster.kubectl(f"get node {r['NAME']} -o jsonpath={{.spec.podCIDR}}").stdout
                == "10.244.2.0/24")
    assert full_marks("ch05-ex1", node)


def test_ch05_a_misspelled_image_a_minute_later():
    """While the kubelet waits to pull `ngnix` again, STATUS shows what ch05-ex2 expects."""
    cluster = Cluster.kubeadm(workers=2, seed=52)
    cluster.kubectl("run web --image=ngnix")
    lines = cluster.kubectl("get pods web -w --request-timeout=60s").stdout.splitlines()
    waiting = [ln.split()[2] for ln in lines[1:]]
    assert full_marks("ch05-ex2", waiting[-1])
