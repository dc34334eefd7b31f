"""The architecture diagram: who acted since the last kubectl command, in order."""

from __future__ import annotations

import pytest

from tests.viz.conftest import FakeCluster, kubeadm, kubectl, save
from k8scourse.viz import draw_architecture, layout_problems
from k8scourse.viz import style as st
from k8scourse.viz.architecture import component_of, describe, last_command_steps
from k8scourse.viz.model import view_of


@pytest.mark.parametrize("actor, component", [
    ("kubectl", ("kubectl", None)),
    ("default-scheduler", ("kube-scheduler", None)),
    ("replicaset-controller", ("kube-controller-manager", None)),
    ("deployment-controller", ("kube-controller-manager", None)),
    ("garbage-collector-controller", ("kube-controller-manager", None)),
    ("kubelet/node01", ("kubelet", "node01")),
    ("kubelet", ("kubelet", None)),
    ("kube-apiserver", ("kube-apiserver", None)),
])
def test_actors_belong_to_components(actor, component):
    """Each API request's actor is placed in the component that runs it."""
    assert component_of(actor) == component


@pytest.fixture
def after_create():
    """Two workers; an older command, then `kubectl create deployment web --replicas=2`."""
    c = kubeadm(2)
    kubectl(c, "create deployment first --image=nginx")
    c.settle()
    c.advance(5)
    kubectl(c, "create deployment web --image=nginx --replicas=2")
    c.settle()
    return c


def test_steps_follow_the_last_command_in_order(after_create):
    """kubectl, then the controllers, then the scheduler, then each kubelet, numbered 1 to 5."""
    cmd, steps = last_command_steps(view_of(after_create))
    assert cmd[1:5] == ("create", "Deployment", "default", "web")
    assert [(s.number, s.component) for s in steps] == [
        (1, "kubectl"), (2, "kube-controller-manager"), (3, "kube-scheduler"),
        (4, "kubelet"), (5, "kubelet")]
    assert {s.node for s in steps if s.component == "kubelet"} == {"node01", "node02"}


def test_earlier_commands_are_not_counted(after_create):
    """Only what followed the last command is listed: one Deployment, one ReplicaSet, 2 pods."""
    _, steps = last_command_steps(view_of(after_create))
    assert describe(steps[0]) == "created Deployment web"
    cm = steps[1]
    assert len(cm.actions[("create", "ReplicaSet")]) == 1
    assert len(cm.actions[("create", "Pod")]) == 2
    assert describe(steps[2]) == "bound 2 Pods to nodes"


def test_steps_carry_the_reason_from_the_trace(after_create):
    """The scheduler's step says why, in the trace's words."""
    _, steps = last_command_steps(view_of(after_create))
    assert steps[2].why.startswith("Pod web-") and "chose node0" in steps[2].why


def test_acting_components_are_drawn_orange(after_create):
    """The components that acted have the highlight edge; kube-proxy, which did not, stays grey."""
    from matplotlib.colors import to_hex

    ax = draw_architecture(after_create)
    save(ax, "architecture-after-create")
    edges = {a.get_gid(): to_hex(a.get_edgecolor()) for a in ax.figure.findobj()
             if (a.get_gid() or "").startswith("component/") and hasattr(a, "get_edgecolor")}
    for gid in ("component/kubectl", "component/kube-apiserver", "component/etcd",
                "component/kube-scheduler", "component/kube-controller-manager",
                "component/kubelet/node01", "component/kubelet/node02"):
        assert edges[gid] == st.HIGHLIGHT, gid
    assert edges["component/kube-proxy/node01"] != st.HIGHLIGHT
    assert edges["component/kubelet/controlplane"] != st.HIGHLIGHT
    assert layout_problems(ax.figure) == []


def test_no_command_yet_highlights_nothing():
    """Before any kubectl command nothing is orange and the picture says so."""
    from matplotlib.colors import to_hex
    from matplotlib.text import Text

    c = FakeCluster()
    ax = draw_architecture(c)
    edges = [to_hex(a.get_edgecolor()) for a in ax.figure.findobj()
             if (a.get_gid() or "").startswith("component/") and hasattr(a, "get_edgecolor")]
    assert st.HIGHLIGHT not in edges
    assert any(t.get_text().startswith("No kubectl command has changed the cluster yet")
               for t in ax.figure.findobj(Text))
