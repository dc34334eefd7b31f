"""The course's visual language: one colour per app, one shape per kind, one colour per status.

* A pod, its ReplicaSet, its Deployment and the Service that selects it share the colour of
  their app (the `app` label, or a similar one, else the owner's name). Colours are assigned from
  every app in the cluster at once, so the same app has the same colour in every diagram.
* Each kind keeps its shape: nodes are square-cornered frames, pods rounded cards, ReplicaSets
  dashed rounded boxes, Deployments double-framed boxes, Services pills, components plain boxes.
* The status of a pod is the colour of its edge and its dot (green Running, amber Pending, ...).

Nothing here imports matplotlib: these are plain values the drawing modules use.
"""

from __future__ import annotations

import zlib
from typing import Iterable

#: (strong, light) pairs; no pure red, green or grey, which speak of status
APP_COLOURS: list[tuple[str, str]] = [
    ("#1f77b4", "#d4e4f4"),   # blue
    ("#e6780b", "#fde3c8"),   # orange
    ("#7a52b3", "#e4daf1"),   # purple
    ("#8c564b", "#ead9d5"),   # brown
    ("#c2409f", "#f8d9ef"),   # pink
    ("#9a9b12", "#eeeec4"),   # olive
    ("#118fa0", "#cdeef2"),   # cyan
    ("#393b9c", "#d7d8f3"),   # indigo
    ("#a9771c", "#f3e3c2"),   # gold
    ("#2f6f5e", "#d3e9e2"),   # teal
]
NEUTRAL = ("#5f6b7a", "#eef0f3")

#: status -> colour (edges, dots, bars)
STATUS_COLOURS: dict[str, str] = {
    "Running": "#2e9e44",
    "Ready": "#2e9e44",
    "Completed": "#1f5fa8",
    "Succeeded": "#1f5fa8",
    "Pending": "#e0a100",
    "ContainerCreating": "#e0a100",
    "PodInitializing": "#e0a100",
    "Terminating": "#8c8c8c",
    "NotReady": "#d62728",
    "Unknown": "#7f3fbf",
}
ERROR_COLOUR = "#d62728"
WAITING_COLOUR = "#e0a100"

#: text colours
INK = "#1d2433"
MUTED = "#5b6475"
FAINT = "#8a93a3"
HIGHLIGHT = "#d9480f"      # what acted last (architecture), the request path
HIGHLIGHT_FILL = "#fff1e6"

#: the labels that name an app, most telling first
APP_LABELS = ("app", "app.kubernetes.io/name", "k8s-app", "name", "run", "tier", "component")

#: kind -> how its box looks
KIND_STYLE: dict[str, dict] = {
    "Node": {"style": "square", "face": "#f5f6f8", "edge": "#8792a2", "lw": 1.2, "ls": "-"},
    "Pod": {"style": "round", "lw": 1.6, "ls": "-"},
    "ReplicaSet": {"style": "round", "lw": 1.3, "ls": (0, (4, 2))},
    "ReplicationController": {"style": "round", "lw": 1.3, "ls": (0, (4, 2))},
    "Deployment": {"style": "round", "lw": 1.3, "ls": "-", "double": True},
    "DaemonSet": {"style": "round", "lw": 1.3, "ls": "-", "double": True},
    "Service": {"style": "pill", "lw": 1.5, "ls": "-"},
    "Endpoints": {"style": "square", "lw": 1.0, "ls": "-"},
    "component": {"style": "square", "face": "#ffffff", "edge": "#8792a2", "lw": 1.0, "ls": "-"},
}

#: the short kind name shown in each box's badge (what kubectl accepts)
KIND_BADGE = {"Node": "node", "Pod": "pod", "ReplicaSet": "rs", "ReplicationController": "rc",
              "Deployment": "deploy", "DaemonSet": "ds", "Service": "svc", "Endpoints": "ep"}


def status_colour(status: str) -> str:
    """The colour of a `kubectl get pods` STATUS (errors red, waiting amber)."""
    if status in STATUS_COLOURS:
        return STATUS_COLOURS[status]
    if status.startswith(("Init:", "Signal:", "ExitCode:")) and status != "Init:Error":
        return WAITING_COLOUR if status.startswith("Init:") else ERROR_COLOUR
    if status in ("Error", "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "Failed",
                  "OOMKilled", "InvalidImageName", "CreateContainerConfigError", "Evicted",
                  "Init:Error", "RunContainerError", "ContainerStatusUnknown"):
        return ERROR_COLOUR
    return WAITING_COLOUR


def app_key_of_labels(labels: dict | None) -> str | None:
    """The app a set of labels names (`app=web` -> `web`), or None."""
    if not labels:
        return None
    for key in APP_LABELS:
        value = labels.get(key)
        if value:
            return str(value)
    return None


class Palette:
    """App -> (strong, light) colour, the same for an app in every diagram of one cluster.

    Each app prefers the slot its name hashes to and gets it unless an app sorted before it
    prefers the same one; the apps left over take the next free slots, so up to ten apps never
    share a colour, and an app keeps its colour when others with free slots come and go.
    """

    def __init__(self, keys: Iterable[str] = ()):
        self._colours: dict[str, tuple[str, str]] = {}
        n = len(APP_COLOURS)
        slots: dict[str, int] = {}
        taken: set[int] = set()
        ordered = sorted(set(keys))
        for key in ordered:                       # first, everyone whose slot is free
            slot = zlib.crc32(key.encode()) % n
            if slot not in taken:
                slots[key] = slot
                taken.add(slot)
        for key in ordered:                       # then the others, in the next free slots
            if key in slots:
                continue
            slot = zlib.crc32(key.encode()) % n
            if len(taken) < n:
                while slot in taken:
                    slot = (slot + 1) % n
                taken.add(slot)
            slots[key] = slot
        for key, slot in slots.items():
            self._colours[key] = APP_COLOURS[slot]

    def strong(self, key: str | None) -> str:
        return self.pair(key)[0]

    def light(self, key: str | None) -> str:
        return self.pair(key)[1]

    def pair(self, key: str | None) -> tuple[str, str]:
        if key is None:
            return NEUTRAL
        pair = self._colours.get(key)
        if pair is None:
            pair = APP_COLOURS[zlib.crc32(key.encode()) % len(APP_COLOURS)]
            self._colours[key] = pair
        return pair
