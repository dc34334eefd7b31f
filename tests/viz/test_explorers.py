"""Explorers driven through their controls: the model changes and so does the picture."""

from __future__ import annotations

import pytest

from tests.viz.conftest import apply, deployment, kubeadm, service
from k8scourse.viz import explorers
from k8scourse.viz.explorers import (HealingExplorer, RolloutExplorer, ScaleExplorer,
                                     StaticPicture, TrafficExplorer, healing_explorer,
                                     rollout_explorer, scale_explorer, traffic_explorer)


def pods(c, prefix: str = "") -> list[str]:
    return sorted(p["metadata"]["name"] for p in c.api.store.list("Pod", "default")
                  if p["metadata"]["name"].startswith(prefix))


@pytest.fixture
def web():
    c = kubeadm(2)
    apply(c, deployment("web", 3, surge=1, unavailable=0),
          service("web", {"app": "web"}, node_port=30080))
    c.settle()
    return c


def test_scale_slider_scales_the_deployment(web):
    """Moving the slider to 5 makes 5 pods, outlines the 2 new ones, and redraws."""
    ex = ScaleExplorer(web, "web")
    ex.build()
    before = ex.png
    old = set(pods(web, "web-"))
    ex.replicas.value = 5
    assert web.api.store.get("Deployment", "default", "web")["spec"]["replicas"] == 5
    assert len(pods(web, "web-")) == 5
    assert ex._new == set(pods(web, "web-")) - old and len(ex._new) == 2
    assert ex.png != before and ex.image.value == ex.png
    assert ex.message.startswith("kubectl scale deployment web --replicas=5: 2 pod(s) created")


def test_scale_slider_down_and_the_owners_view(web):
    """Scaling to 1 leaves one pod; the owners view is another picture."""
    ex = ScaleExplorer(web, "web")
    ex.build()
    ex.replicas.value = 1
    assert len(pods(web, "web-")) == 1
    map_png = ex.png
    ex.which.value = "owners"
    assert ex.png != map_png


def test_rollout_steps_forward_and_slides_back(web):
    """Start, step three seconds, then the slider returns to the picture before the update."""
    ex = RolloutExplorer(web, "web", image="nginx:1.26")
    ex.build()
    first = ex.png
    ex.start_button.click()
    for _ in range(3):
        ex.step_button.click()
    assert ex.time.max == 4 and ex.time.value == 4
    images = {c["spec"]["template"]["spec"]["containers"][0]["image"]
              for c in web.api.store.list("ReplicaSet", "default")}
    assert images == {"nginx:1.27", "nginx:1.26"}
    later = ex.png
    now = web.clock.now
    ex.time.value = 0
    assert web.clock.now == now               # sliding back moves no simulated time
    assert ex.png != later
    assert len(ex.snapshots[0].list("ReplicaSet", "default")) == 1
    assert ex.message.startswith("step 0 of 4")
    assert first != later


def test_rollout_runs_to_the_end(web):
    """'run to the end' steps until only the new ReplicaSet has pods."""
    ex = RolloutExplorer(web, "web", image="nginx:1.26")
    ex.build()
    ex.start_button.click()
    ex.finish_button.click()
    owners = {p["metadata"]["ownerReferences"][0]["name"]
              for p in web.api.store.list("Pod", "default")}
    assert len(owners) == 1
    new_rs = next(rs for rs in web.api.store.list("ReplicaSet", "default")
                  if rs["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.26")
    assert owners == {new_rs["metadata"]["name"]}
    assert ex.time.max == len(ex.snapshots) - 1


def test_next_image_guess():
    """Without an image the explorer proposes another version the registry has, the next up."""
    assert explorers._next_image("nginx:1.25") == "nginx:1.26"
    assert explorers._next_image("nginx:1.27") == "nginx:1.26"        # 1.27 is the newest
    assert explorers._next_image("kodekloud/webapp-color:v1") == "kodekloud/webapp-color:v2"
    assert explorers._next_image("example.com/unknown:1.0") == "example.com/unknown:latest"


def test_healing_deleted_pod_is_replaced(web):
    """Deleting a pod through the explorer: after a few seconds a new pod stands in its place."""
    ex = HealingExplorer(web)
    ex.build()
    victim = pods(web, "web-")[0]
    ex.pod.value = victim
    before = ex.png
    ex.delete_button.click()
    ex.step_buttons[1].click()
    now = pods(web, "web-")
    assert victim not in now and len(now) == 3
    assert ex._new and ex._new <= set(now)
    assert victim not in ex.pod.options
    assert ex.png != before


def test_healing_failed_node_loses_its_pods(web):
    """Failing a node: after the 300 s the pods tolerate it, they are replaced on node02."""
    ex = HealingExplorer(web)
    ex.build()
    on_node01 = [p["metadata"]["name"] for p in web.api.store.pods_on_node("node01")
                 if p["metadata"]["namespace"] == "default"]
    assert on_node01
    ex.node.value = "node01"
    ex.fail_button.click()
    for _ in range(7):                       # +60 s, seven times
        ex.step_buttons[2].click()
    node = web.api.store.get("Node", "", "node01")
    ready = next(c for c in node["status"]["conditions"] if c["type"] == "Ready")
    assert ready["status"] == "Unknown"
    running = [p for p in web.api.store.list("Pod", "default")
               if p["metadata"]["name"].startswith("web-") and p["status"].get("phase") == "Running"
               and not p["metadata"].get("deletionTimestamp")]
    assert len(running) == 3 and {p["spec"]["nodeName"] for p in running} == {"node02"}
    assert not set(on_node01) & {p["metadata"]["name"] for p in running}
    ex.restore_button.click()
    ex.step_buttons[2].click()
    node = web.api.store.get("Node", "", "node01")
    ready = next(c for c in node["status"]["conditions"] if c["type"] == "Ready")
    assert ready["status"] == "True"


def test_traffic_lands_on_the_endpoints(web):
    """Ten requests through the nodePorts all reach pods of the Service; the picture counts them."""
    ex = TrafficExplorer(web, "web")
    ex.build()
    before = ex.png
    ex.count.value = 10
    ex.send_button.click()
    records = web.network.requests_to("default/web")
    assert len(records) == 10
    assert {r.pod for r in records} <= {f"default/{p}" for p in pods(web, "web-")}
    assert {r.address.split(":")[0] for r in records} == {"192.168.56.10", "192.168.56.11",
                                                           "192.168.56.12"}
    assert all(r.ok for r in records)
    assert ex.png != before and ex.message.startswith("sent 10 request(s) to web")


def test_traffic_through_one_node(web):
    """With 'via node02' every request enters at node02's nodePort."""
    ex = TrafficExplorer(web, "web")
    ex.build()
    ex.through.value = "node02"
    ex.send(6, "node02")
    assert {r.address for r in web.network.requests_to("default/web")} == {"192.168.56.12:30080"}


def test_explorer_display_carries_a_static_picture(web):
    """The widget's display bundle also holds a PNG, for exports where widgets cannot run."""
    box = scale_explorer(web, "web")
    bundle = box._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["image/png"].startswith(b"\x89PNG")


def test_without_ipywidgets_explorers_are_static_pictures(web, monkeypatch):
    """If ipywidgets cannot be imported, each explorer is a picture of the current state."""
    monkeypatch.setattr(explorers, "_widgets", lambda: None)
    for make in (lambda: scale_explorer(web, "web"), lambda: healing_explorer(web),
                 lambda: rollout_explorer(web, "web"), lambda: traffic_explorer(web, "web")):
        shown = make()
        assert isinstance(shown, StaticPicture)
        assert shown._repr_png_().startswith(b"\x89PNG")


def test_explorers_draw_offscreen(web):
    """Explorers leave no pyplot figure behind (nothing pops up in the next cell)."""
    import matplotlib.pyplot as plt

    plt.close("all")
    ex = ScaleExplorer(web, "web")
    ex.build()
    ex.replicas.value = 2
    assert plt.get_fignums() == []


def test_snapshot_is_a_copy(web):
    """A snapshot keeps the state it was taken in while the cluster moves on."""
    from k8scourse.viz import Snapshot

    snap = Snapshot(web)
    names = [p["metadata"]["name"] for p in snap.list("Pod", "default")]
    d = web.api.get("Deployment", "default", "web")
    d["spec"]["replicas"] = 6
    web.api.update(d)
    web.settle()
    assert [p["metadata"]["name"] for p in snap.list("Pod", "default")] == names
    assert snap.get("Deployment", "default", "web")["spec"]["replicas"] == 3


def test_scale_slider_scales_a_replicaset(web):
    """The slider works for a ReplicaSet too: 2 → 4 pods labelled tier=frontend."""
    from tests.viz.conftest import replicaset

    apply(web, replicaset("frontend", 2))
    web.settle()
    ex = ScaleExplorer(web, "frontend", kind="ReplicaSet")
    ex.build()
    assert ex.replicas.value == 2
    ex.replicas.value = 4
    assert len(pods(web, "frontend-")) == 4
    assert ex.message.startswith("kubectl scale replicaset frontend --replicas=4")
