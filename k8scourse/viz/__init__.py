"""Pictures of the learner's own cluster: diagrams drawn from the live model, and explorers.

Every diagram is `draw_*(source, ax=None) -> Axes` (matplotlib's helper signature): it reads the
cluster (or a `Snapshot` of it), draws, returns the axes and never changes the cluster.

    from k8scourse.viz import draw_cluster
    draw_cluster(cluster)                 # nodes with their pods; Pending pods apart, with the reason

Explorers (`scale_explorer`, `rollout_explorer`, `healing_explorer`, `traffic_explorer`) are
ipywidgets boxes; where widgets cannot run they show a static picture of the current state.

matplotlib and ipywidgets load only when a name below is first used, so `import k8scourse`
stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from k8scourse.viz.architecture import draw_architecture
    from k8scourse.viz.check import layout_problems
    from k8scourse.viz.cluster_map import draw_cluster
    from k8scourse.viz.containers import draw_containers_vs_vms, draw_images_vs_containers
    from k8scourse.viz.explorers import (healing_explorer, rollout_explorer, scale_explorer,
                                         traffic_explorer)
    from k8scourse.viz.model import Snapshot
    from k8scourse.viz.ownership import draw_ownership
    from k8scourse.viz.rollout import RolloutRecorder, draw_rollout
    from k8scourse.viz.service import draw_service
    from k8scourse.viz.voting import draw_voting_app
    from k8scourse.viz.yamltree import draw_yaml

_WHERE = {
    "draw_architecture": "architecture",
    "draw_cluster": "cluster_map",
    "draw_ownership": "ownership",
    "draw_rollout": "rollout",
    "RolloutRecorder": "rollout",
    "draw_service": "service",
    "draw_yaml": "yamltree",
    "draw_containers_vs_vms": "containers",
    "draw_images_vs_containers": "containers",
    "draw_voting_app": "voting",
    "scale_explorer": "explorers",
    "rollout_explorer": "explorers",
    "healing_explorer": "explorers",
    "traffic_explorer": "explorers",
    "Snapshot": "model",
    "layout_problems": "check",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'k8scourse.viz' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"k8scourse.viz.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
