"""The voting app picture: its parts found by image, their Services checked by name and port."""

from __future__ import annotations

from tests.viz.conftest import apply, kubeadm, make_state, pod, save, service
from k8scourse.viz import draw_voting_app, layout_problems
from k8scourse.viz.model import view_of
from k8scourse.viz.voting import find_tiers


def texts(ax) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in ax.figure.findobj(Text) if t.get_text()]


def test_parts_are_found_by_their_images():
    """Each of the five parts holds the pod running its image and the Service selecting it."""
    tiers = {t.key: t for t in find_tiers(view_of(make_state("voting")))}
    assert [p["metadata"]["name"] for p in tiers["vote"].pods] == ["voting-app-pod"]
    assert [p["metadata"]["name"] for p in tiers["db"].pods] == ["postgres-pod"]
    assert [s["metadata"]["name"] for s in tiers["redis"].services] == ["redis"]
    assert [s["metadata"]["name"] for s in tiers["result"].services] == ["result-service"]
    assert tiers["worker"].services == []


def test_the_whole_app_reads_well():
    """All Services in place: their ports are shown, the journey has six numbered steps."""
    ax = draw_voting_app(make_state("voting"))
    save(ax, "voting-app")
    words = texts(ax)
    assert "NodePort 30004 → port 80 → pod 80" in words
    assert "redis:6379 → pod 6379" in words and "db:5432 → pod 5432" in words
    assert [w for w in words if w in "123456" and len(w) == 1].count("6") == 2
    assert layout_problems(ax.figure) == []


def test_a_misnamed_redis_service_is_flagged():
    """The seed's some-redis-service on 7000: the picture says the code looks for 'redis'."""
    c = kubeadm(2)
    apply(c, pod("redis-pod", {"name": "redis-pod"}, "redis"),
          service("some-redis-service", {"name": "redis-pod"}, port=7000, target=6379))
    c.settle()
    words = texts(draw_voting_app(c))
    assert "svc some-redis-service" in words
    assert "but the code looks for 'redis'" in words


def test_redis_on_the_wrong_port_is_flagged():
    """A Service named redis on port 7000: the code still dials 6379."""
    c = kubeadm(2)
    apply(c, pod("redis-pod", {"name": "redis-pod"}, "redis"),
          service("redis", {"name": "redis-pod"}, port=7000, target=6379))
    c.settle()
    assert "port 7000, but the code uses 6379" in texts(draw_voting_app(c))


def test_nothing_deployed_shows_the_target_picture():
    """In an empty namespace the parts are drawn dashed with no pods, and the picture says so."""
    ax = draw_voting_app(kubeadm(2))
    words = " ".join(texts(ax))
    assert words.count("no pod runs this image") == 5
    assert "Not deployed in this namespace yet" in words
    assert layout_problems(ax.figure) == []
