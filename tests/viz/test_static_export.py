"""Where widgets cannot run (a static HTML export, nbgrader feedback) explorers show a picture."""

from __future__ import annotations

import nbformat
from nbconvert import HTMLExporter

from tests.viz.conftest import kubectl, kubeadm
from k8scourse.viz import scale_explorer

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def notebook_with(outputs: list, metadata: dict | None = None):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('scale_explorer(cluster, "web")')
    cell.outputs = outputs
    nb.cells.append(cell)
    nb.metadata.update(metadata or {})
    return nb


def test_export_without_widget_state_shows_the_png():
    """nbconvert's HTML of the explorer's output, with no widget state saved, is the PNG."""
    c = kubeadm(2)
    kubectl(c, "create deployment web --image=nginx --replicas=2")
    c.settle()
    bundle = scale_explorer(c, "web")._repr_mimebundle_()
    import base64

    data = {k: (base64.b64encode(v).decode() if isinstance(v, bytes) else v)
            for k, v in bundle.items()}
    nb = notebook_with([nbformat.v4.new_output("display_data", data=data)])
    body, _ = HTMLExporter().from_notebook_node(nb)
    assert f'src="data:image/png;base64,{data["image/png"][:40]}' in body


def test_explorer_in_a_real_kernel_carries_its_picture():
    """Run in a Jupyter kernel (as nbgrader does), the explorer's output holds a PNG of the map."""
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "from k8scourse import Cluster\nfrom k8scourse.viz import scale_explorer\n"
        "cluster = Cluster.minikube()\n"
        "cluster.kubectl('create deployment web --image=nginx --replicas=2')\n"
        "cluster.settle()"),
        nbformat.v4.new_code_cell('scale_explorer(cluster, "web")')]
    NotebookClient(nb, timeout=240, kernel_name="python3").execute()
    out = nb.cells[1].outputs[0]
    assert out.output_type == "execute_result"
    assert WIDGET_VIEW in out.data and out.data["image/png"]
    nb.metadata.pop("widgets", None)          # a feedback page without the widgets' state
    body, _ = HTMLExporter().from_notebook_node(nb)
    assert 'src="data:image/png;base64,' in body


def test_a_diagram_in_a_notebook_cell_is_a_picture():
    """`draw_cluster(cluster)` in a kernel with the inline backend leaves one PNG output."""
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "%matplotlib inline\nfrom k8scourse import Cluster\nfrom k8scourse.viz import draw_cluster\n"
        "cluster = Cluster.minikube()\ncluster.kubectl('run web --image=nginx')\ncluster.settle()"),
        nbformat.v4.new_code_cell("draw_cluster(cluster);")]
    NotebookClient(nb, timeout=240, kernel_name="python3").execute()
    pictures = [o for o in nb.cells[1].outputs if "image/png" in o.get("data", {})]
    assert len(pictures) == 1
