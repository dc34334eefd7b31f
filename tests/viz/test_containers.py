"""Containers vs virtual machines, and images vs containers, from the docker engine model."""

from __future__ import annotations

from tests.viz.conftest import save
from k8scourse.docker import DockerEngine
from k8scourse.viz import draw_containers_vs_vms, draw_images_vs_containers, layout_problems


def texts(ax) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in ax.figure.findobj(Text) if t.get_text()]


def gids(ax) -> set[str]:
    return {a.get_gid() for a in ax.figure.findobj() if a.get_gid()}


def engine_with(*commands: str) -> DockerEngine:
    e = DockerEngine(seed=0)
    for cmd in commands:
        e.docker(cmd)
    e.advance(5)
    return e


def test_vms_have_their_own_kernels_containers_share_one():
    """Three VMs: four kernels on their machine; two containers: one kernel, the host's."""
    e = engine_with("run -d --name=redis redis", "run -d --name=web nginx")
    ax = draw_containers_vs_vms(e)
    save(ax, "containers-vs-vms")
    words = texts(ax)
    assert "3 guests, 4 kernels on this machine" in words
    assert "2 guests, 1 kernel on this machine" in words
    assert {"container/redis", "container/web", "vm/vm1", "vm/vm2", "vm/vm3"} <= gids(ax)
    assert layout_problems(ax.figure) == []


def test_a_stopped_container_is_not_on_the_host():
    """Only running containers stand on the container host."""
    e = engine_with("run -d --name=redis redis", "run -d --name=web nginx", "stop web")
    assert "container/web" not in gids(draw_containers_vs_vms(e))


def test_many_containers_are_counted_not_crammed():
    """Seven containers: five drawn and "+ 2 more", readable."""
    e = engine_with(*[f"run -d --name=web{i} nginx" for i in range(7)])
    ax = draw_containers_vs_vms(e)
    assert "+ 2 more" in texts(ax)
    assert layout_problems(ax.figure) == []


def test_each_container_points_to_its_image():
    """Two containers from nginx and one from redis: three arrows, images with their layers."""
    e = engine_with("run -d --name=web1 nginx", "run -d --name=web2 nginx",
                    "run -d --name=cache redis")
    ax = draw_images_vs_containers(e)
    save(ax, "images-vs-containers")
    found = gids(ax)
    assert {"image/nginx:latest", "image/redis:latest", "container/web1", "container/web2",
            "container/cache"} <= found
    words = texts(ax)
    assert "192MB · 7 layers · IMAGE ID " + e.images[("nginx", "latest")].id[:12] in words
    assert layout_problems(ax.figure) == []


def test_images_sharing_a_base_layer_are_told_so():
    """nginx and redis are both built on Debian: their shared layer is named in the legend."""
    e = engine_with("pull nginx", "pull redis")
    words = " ".join(texts(draw_images_vs_containers(e)))
    assert "a layer shared by nginx, redis" in words


def test_default_pictures_use_an_example_engine():
    """Without an engine both pictures draw a small example host, readable."""
    for draw in (draw_containers_vs_vms, draw_images_vs_containers):
        assert layout_problems(draw().figure) == []


def test_images_vs_containers_subtitle_stays_inside_the_figure():
    """The subtitle is wrapped to the figure's width: no line reaches the right edge, at any dpi,
    for an empty engine, the example one and one with a hundred containers."""
    from matplotlib.text import Text

    from k8scourse.docker import DockerEngine

    busy = engine_with(*[f"run -d --name=web{i} nginx" for i in range(100)])
    for engine in (DockerEngine(course_images=False), None, busy):
        ax = draw_images_vs_containers(engine)
        fig = ax.figure
        subtitle = [t for t in fig.findobj(Text) if "read-only" in t.get_text() or
                    "thin writable layer" in t.get_text()]
        assert subtitle, "the subtitle is drawn"
        for dpi in (72, 100, 200):
            fig.set_dpi(dpi)
            renderer = fig.canvas.get_renderer()
            for t in subtitle:
                assert t.get_window_extent(renderer).x1 <= fig.bbox.x1 - 0.1 * dpi, t.get_text()
            assert layout_problems(fig) == []
        assert len(subtitle) >= 2                   # wrapped onto lines, not one long line
