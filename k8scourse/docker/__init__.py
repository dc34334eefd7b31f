"""A docker engine model: images vs containers, the docker CLI, bridge and user-defined networks.

    from k8scourse.docker import DockerEngine
    engine = DockerEngine(seed=0)
    print(engine.docker("run -d --name=redis redis"))

The containers run the behaviours in k8scourse.apps; `vms_vs_containers(engine)` describes how a
VM host differs from a container host (one shared kernel).
"""

from __future__ import annotations

from k8scourse.docker.engine import DockerEngine, DockerResult, human_duration
from k8scourse.docker.vm import vms_vs_containers

__all__ = ["DockerEngine", "DockerResult", "human_duration", "vms_vs_containers"]
