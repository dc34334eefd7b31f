"""Importing the package stays light; the diagrams load when first used."""

from __future__ import annotations

import subprocess
import sys


def imported_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True, cwd=".")
    return set(out.stdout.split())


def test_import_k8scourse_loads_no_plotting():
    """`import k8scourse` imports neither matplotlib nor ipywidgets."""
    mods = imported_after("import k8scourse")
    assert "matplotlib" not in mods and "ipywidgets" not in mods


def test_import_viz_is_lazy_too():
    """`import k8scourse.viz` loads nothing heavy until a diagram is asked for."""
    mods = imported_after("import k8scourse.viz")
    assert "matplotlib" not in mods and "ipywidgets" not in mods


def test_names_resolve_on_first_use():
    """Each public name of k8scourse.viz resolves to its function or class."""
    import k8scourse.viz as viz

    for name in viz.__all__:
        assert callable(getattr(viz, name)), name
