"""One visual language: the same app has the same colour everywhere; statuses have theirs."""

from __future__ import annotations

from matplotlib.colors import to_hex

from tests.viz.conftest import make_state
from k8scourse.viz import draw_cluster, draw_ownership, draw_service
from k8scourse.viz import style as st


def test_ten_apps_get_ten_colours():
    """Up to ten apps never share a colour, whatever their names hash to."""
    pal = st.Palette([f"app-{i}" for i in range(10)])
    assert len({pal.strong(f"app-{i}") for i in range(10)}) == 10


def test_an_app_keeps_its_colour_when_others_come_and_go():
    """Adding apps whose preferred colours are free does not move an app's colour."""
    alone = st.Palette(["web"]).strong("web")
    assert st.Palette(["web", "frontend", "db", "worker"]).strong("web") == alone
    both = st.Palette(["web", "api"])                # api sorts first and prefers web's colour
    assert both.strong("api") == alone and both.strong("web") != alone


def test_status_colours():
    """Running is green, waiting states amber, failures red, Terminating grey."""
    assert st.status_colour("Running") == "#2e9e44"
    assert st.status_colour("ContainerCreating") == st.status_colour("Pending") == "#e0a100"
    assert st.status_colour("CrashLoopBackOff") == st.status_colour("ErrImagePull") == "#d62728"
    assert st.status_colour("Init:0/1") == "#e0a100"
    assert st.status_colour("Terminating") == "#8c8c8c"


def fills(ax, gid: str) -> set[str]:
    return {to_hex(a.get_facecolor()) for a in ax.figure.findobj() if a.get_gid() == gid
            and hasattr(a, "get_facecolor")}


def test_a_pod_has_the_same_colour_in_every_diagram():
    """A web pod's card is filled with web's colour in the map, the owners and the Service."""
    c = make_state("three-nodes")
    pod = next(p["metadata"]["name"] for p in c.api.store.list("Pod", "default")
               if p["metadata"]["name"].startswith("web-"))
    gid = f"Pod/default/{pod}"
    colours = fills(draw_cluster(c), gid) | fills(draw_ownership(c), gid) | \
        fills(draw_service(c, name="web"), gid)
    assert len(colours) == 1


def test_apps_in_one_cluster_are_told_apart():
    """web, api and frontend pods are three different colours on the map."""
    c = make_state("three-nodes")
    ax = draw_cluster(c)
    by_app = {}
    for p in c.api.store.list("Pod", "default"):
        app = p["metadata"]["labels"].get("app") or p["metadata"]["labels"].get("tier")
        if app in ("web", "api", "frontend"):
            by_app.setdefault(app, set()).update(fills(ax, f"Pod/default/{p['metadata']['name']}"))
    assert all(len(v) == 1 for v in by_app.values())
    assert len(set().union(*by_app.values())) == 3
