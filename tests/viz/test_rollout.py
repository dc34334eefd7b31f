"""The rollout recorder (it only listens) and the rollout timeline with its bounds."""

from __future__ import annotations

import pytest

from tests.viz.conftest import apply, deployment, finish_rollout, kubeadm, save
from k8scourse.viz import RolloutRecorder, draw_rollout, layout_problems


def set_image(c, name: str, image: str) -> None:
    d = c.api.get("Deployment", "default", name)
    d["spec"]["template"]["spec"]["containers"][0]["image"] = image
    c.api.update(d)


@pytest.fixture
def rolled():
    """A 4-replica Deployment (maxSurge 1, maxUnavailable 1) rolled from nginx:1.27 to 1.26."""
    c = kubeadm(3)
    apply(c, deployment("web", 4, surge=1, unavailable=1))
    c.settle()
    c.advance(2)
    rec = RolloutRecorder(c, "web")
    set_image(c, "web", "nginx:1.26")
    finish_rollout(c, "web")
    c.advance(2)
    return c, rec


def test_first_sample_is_the_state_before_the_update(rolled):
    """The first sample shows the old ReplicaSet with all 4 pods ready and nothing else."""
    c, rec = rolled
    first = rec.samples()[0]
    assert list(first.counts.values()) == [(4, 0, 0)]


def test_last_sample_is_the_new_replicaset_alone(rolled):
    """When the rollout is over the new ReplicaSet has 4 ready pods, the old one none."""
    c, rec = rolled
    (old, _), (new, _) = rec.replica_sets()
    last = rec.samples()[-1]
    assert last.counts[new] == (4, 0, 0) and last.counts[old] == (0, 0, 0)


def test_one_sample_per_simulated_second(rolled):
    """Samples are consecutive whole seconds from the recorder's start to now."""
    c, rec = rolled
    times = [s.time for s in rec.samples()]
    assert times == list(range(times[0], int(c.clock.now) + 1))


def test_rollout_stays_within_its_bounds(rolled):
    """Every second: at most 4 + 1 pods, at least 4 - 1 ready (terminating ones not counted)."""
    c, rec = rolled
    for s in rec.samples():
        assert s.desired == 4 and s.max_surge == 1 and s.max_unavailable == 1
        assert sum(r + nr for r, nr, _ in s.counts.values()) <= 5
        assert sum(r for r, _, _ in s.counts.values()) >= 3


def test_percentages_resolve_as_the_deployment_controller_does():
    """25% of 10 replicas: maxSurge rounds up to 3, maxUnavailable down to 2."""
    c = kubeadm(3)
    apply(c, deployment("web", 10))
    c.settle()
    s = RolloutRecorder(c, "web").samples()[-1]
    assert (s.desired, s.max_surge, s.max_unavailable) == (10, 3, 2)


def test_recorder_only_listens(rolled):
    """Creating a recorder and drawing from it write nothing to the cluster."""
    c, _ = rolled
    rv, requests = c.api.store.resource_version, len(c.api.requests)
    rec = RolloutRecorder(c, "web")
    draw_rollout(rec)
    assert (c.api.store.resource_version, len(c.api.requests)) == (rv, requests)


def test_stopped_recorder_takes_no_more_samples(rolled):
    """After stop() a further rollout changes nothing in what was recorded."""
    c, rec = rolled
    rec.stop()
    changes = len(rec._changes)
    set_image(c, "web", "nginx:1.25")
    finish_rollout(c, "web")
    assert len(rec._changes) == changes


def test_timeline_is_readable(rolled):
    """The timeline has no overlapping labels, nothing outside the figure, the bounds named."""
    from matplotlib.text import Text

    c, rec = rolled
    ax = draw_rollout(rec, cursor=rec.samples()[2].time)
    save(ax, "rollout-timeline")
    assert layout_problems(ax.figure) == []
    words = [t.get_text() for t in ax.figure.findobj(Text)]
    assert "max 5" in words and "min ready 3" in words and "replicas 4" in words


def test_timeline_labels_of_equal_bounds_are_pushed_apart():
    """With maxUnavailable 0 the lower bound equals replicas; both labels stay readable."""
    c = kubeadm(3)
    apply(c, deployment("web", 3, surge=1, unavailable=0))
    c.settle()
    rec = RolloutRecorder(c, "web")
    set_image(c, "web", "nginx:1.26")
    finish_rollout(c, "web")
    ax = draw_rollout(rec)
    assert layout_problems(ax.figure) == []


def test_timeline_before_anything_happened():
    """A recorder of a Deployment that does not exist yet draws an empty, readable chart."""
    c = kubeadm(3)
    rec = RolloutRecorder(c, "later")
    ax = draw_rollout(rec)
    assert layout_problems(ax.figure) == []
