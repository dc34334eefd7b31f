"""Every cluster diagram, drawn for every cluster state, checked on its rendered PNG."""

from __future__ import annotations

import pytest

from tests.viz.conftest import STATES, make_state, save
from k8scourse.viz import (draw_architecture, draw_cluster, draw_ownership, draw_service,
                           draw_voting_app, layout_problems)

DIAGRAMS = {
    "cluster": draw_cluster,
    "ownership": draw_ownership,
    "architecture": draw_architecture,
    "service": draw_service,
    "voting": draw_voting_app,
}


def gids(fig) -> set[str]:
    return {a.get_gid() for a in fig.findobj() if a.get_gid()}


def texts(fig) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


@pytest.fixture(scope="module")
def states():
    return {name: make_state(name) for name in STATES}


@pytest.mark.parametrize("state_name", STATES)
@pytest.mark.parametrize("diagram", sorted(DIAGRAMS))
def test_diagram_is_readable(states, diagram, state_name):
    """No two labels overlap and nothing is drawn outside the figure, in every state."""
    ax = DIAGRAMS[diagram](states[state_name])
    save(ax, f"{diagram}-{state_name}")
    assert layout_problems(ax.figure) == []


@pytest.mark.parametrize("state_name", STATES)
@pytest.mark.parametrize("diagram", sorted(DIAGRAMS))
def test_diagram_fits_a_notebook(states, diagram, state_name):
    """Every diagram is 9 inches wide: about 900 pixels, the width of a notebook cell."""
    ax = DIAGRAMS[diagram](states[state_name])
    assert ax.figure.get_figwidth() == pytest.approx(9.0)


@pytest.mark.parametrize("state_name", STATES)
def test_cluster_map_shows_every_pod_and_node(states, state_name):
    """The cluster map has a card for every pod of the namespace and a frame for every node."""
    c = states[state_name]
    found = gids(draw_cluster(c).figure)
    for p in c.api.store.list("Pod", "default"):
        assert f"Pod/default/{p['metadata']['name']}" in found
    for n in c.api.store.list("Node"):
        assert f"Node/{n['metadata']['name']}" in found


def test_three_node_map_has_thirty_pods(states):
    """The 3-node state really is 30 pods, one of them Pending apart with the scheduler's reason."""
    fig = draw_cluster(states["three-nodes"]).figure
    assert sum(1 for g in gids(fig) if g.startswith("Pod/")) == 30
    assert len(states["three-nodes"].api.store.list("Node")) == 3
    assert ("Why: 0/3 nodes are available: 1 node(s) had untolerated taint "
            "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.") in " ".join(texts(fig))


@pytest.mark.parametrize("state_name", STATES)
def test_ownership_shows_every_pod(states, state_name):
    """Every pod appears in the ownership diagram, under its ReplicaSet or among the bare pods."""
    c = states[state_name]
    found = gids(draw_ownership(c).figure)
    for p in c.api.store.list("Pod", "default"):
        assert f"Pod/default/{p['metadata']['name']}" in found
    for rs in c.api.store.list("ReplicaSet", "default"):
        assert f"ReplicaSet/default/{rs['metadata']['name']}" in found


@pytest.mark.parametrize("state_name", STATES)
def test_architecture_shows_every_node(states, state_name):
    """Every worker has its frame with a kubelet; the control plane node its own kubelet."""
    c = states[state_name]
    found = gids(draw_architecture(c).figure)
    for n in c.api.store.list("Node"):
        name = n["metadata"]["name"]
        assert f"component/kubelet/{name}" in found
    for comp in ("kube-apiserver", "etcd", "kube-scheduler", "kube-controller-manager", "kubectl"):
        assert f"component/{comp}" in found


@pytest.mark.parametrize("state_name", ["one-node", "three-nodes", "long-names"])
def test_service_shows_every_endpoint_and_node(states, state_name):
    """A NodePort Service's picture has every node (its nodePort) and every endpoint pod."""
    c = states[state_name]
    found = gids(draw_service(c).figure)
    svc = next(s for s in c.api.store.list("Service", "default")
               if s["metadata"]["name"] != "kubernetes")
    for n in c.api.store.list("Node"):
        assert f"Node/{n['metadata']['name']}" in found
    for p in c.api.store.list("Pod", "default"):
        if svc["spec"]["selector"].items() <= (p["metadata"].get("labels") or {}).items():
            assert f"Pod/default/{p['metadata']['name']}" in found


def test_voting_app_shows_every_pod(states):
    """Each of the voting app's five pods is drawn in its part of the app."""
    c = states["voting"]
    found = gids(draw_voting_app(c).figure)
    for name in ("voting-app-pod", "result-app-pod", "redis-pod", "postgres-pod",
                 "worker-app-pod"):
        assert f"Pod/default/{name}" in found


@pytest.mark.parametrize("state_name", STATES)
@pytest.mark.parametrize("diagram", sorted(DIAGRAMS))
def test_drawing_never_changes_the_cluster(states, diagram, state_name):
    """Drawing reads the store only: no new resourceVersion, no API request, no clock move."""
    c = states[state_name]
    rv, requests, now = c.api.store.resource_version, len(c.api.requests), c.clock.now
    DIAGRAMS[diagram](c)
    assert (c.api.store.resource_version, len(c.api.requests), c.clock.now) == (rv, requests, now)


def test_diagram_scales_into_a_given_axes(states):
    """Drawn into a small axes of the caller's figure, the picture shrinks and stays readable."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    ax = draw_cluster(states["one-node"], ax=right)
    assert ax is right
    assert layout_problems(fig) == []


def test_long_names_are_shortened_keeping_their_end(states):
    """A long pod name is cut in the middle, so the unique suffix stays visible."""
    c = states["long-names"]
    pod = next(p["metadata"]["name"] for p in c.api.store.list("Pod", "default")
               if p["metadata"]["name"].startswith("customer-facing"))
    shown = texts(draw_cluster(c).figure)
    assert len(pod) == 63 and pod not in shown     # generateName cut to 58, then 5 random
    assert any(t.endswith(f"…{pod[-5:]}") and t.startswith("customer-fa") for t in shown)


def test_a_big_cluster_makes_a_picture_of_squares():
    """80 pods on 20 workers: 16 nodes drawn, one square per pod, the rest counted, readable."""
    from tests.viz.conftest import kubeadm, kubectl

    c = kubeadm(20)
    kubectl(c, "create deployment big --image=nginx --replicas=80")
    c.settle()
    ax = draw_cluster(c)
    save(ax, "cluster-big")
    words = texts(ax.figure)
    assert any(w.startswith("+ 5 more nodes with ") for w in words)
    assert ax.figure.get_figheight() < 20
    assert layout_problems(ax.figure) == []
