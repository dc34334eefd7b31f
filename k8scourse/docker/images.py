"""The images the docker engine knows: what a registry holds and what `docker images` shows.

An image is a stack of read-only layers plus a config (entrypoint, command, exposed ports); many
containers can run from one image. Images built on the same base share its bottom layer, so a pull
prints `Already exists` for a layer that is already on the host.

The entries are the sizes and defaults of the real images (uncompressed sizes, as `docker images`
reports them). The course's own short names `voting-app`, `worker` and `result-app` are not on
Docker Hub: the engine starts with them already built (`docker build` in the course's story).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

#: base layers shared between images (a pull of a second Debian image finds it `Already exists`)
BASES = {"debian": "bookworm-slim", "alpine": "3.20", "alpine-old": "3.10", "ubuntu": "24.04",
         "busybox": "1.37", "stretch": "stretch"}


@dataclass
class ImageSpec:
    """One repository in the registry."""

    repository: str
    tags: dict[str, str]                 # tag -> version it runs
    size: int                            # bytes, uncompressed
    cmd: list[str]
    entrypoint: list[str] = field(default_factory=list)
    exposed: list[str] = field(default_factory=list)     # "80/tcp"
    layers: int = 5
    base: str = "debian"
    created_days_ago: int = 14
    env: list[str] = field(default_factory=list)
    #: not on Docker Hub: already built on the course's machine
    local_only: bool = False
    #: registry path shown by `docker pull` (library/ for official images)
    path: str = ""
    #: sizes of tags that differ from `size` (old versions were smaller)
    tag_sizes: dict[str, int] = field(default_factory=dict)

    def size_of(self, tag: str) -> int:
        return self.tag_sizes.get(tag, self.size)


def _spec(repo, tags, size_mb, cmd, **kw) -> ImageSpec:
    return ImageSpec(repo, tags, int(size_mb * 1_000_000), cmd, **kw)


CATALOG: dict[str, ImageSpec] = {s.repository: s for s in [
    _spec("nginx", {"latest": "1.27.3", "1.27": "1.27.3", "1.27.3": "1.27.3", "stable": "1.26.2",
                    "1.26": "1.26.2", "1.25": "1.25.5", "alpine": "1.27.3", "1.21": "1.21.6",
                    "1.19": "1.19.10", "1.18": "1.18.0", "1.16": "1.16.1"},
          192, ["nginx", "-g", "daemon off;"], entrypoint=["/docker-entrypoint.sh"],
          exposed=["80/tcp"], layers=7, env=["NGINX_VERSION=1.27.3", "NJS_VERSION=0.8.7"]),
    _spec("httpd", {"latest": "2.4.62", "2.4": "2.4.62", "alpine": "2.4.62"}, 148, ["httpd-foreground"],
          exposed=["80/tcp"], layers=6, env=["HTTPD_VERSION=2.4.62"]),
    _spec("redis", {"latest": "7.4.1", "7": "7.4.1", "7.4": "7.4.1", "7.2": "7.2.6", "7.0": "7.0.15",
                    "6": "6.2.16", "6.2": "6.2.16", "5": "5.0.14", "alpine": "7.4.1"},
          117, ["redis-server"], entrypoint=["docker-entrypoint.sh"], exposed=["6379/tcp"], layers=8,
          env=["REDIS_VERSION=7.4.1"]),
    _spec("postgres", {"latest": "17.2", "17": "17.2", "16": "16.6", "15": "15.10", "14": "14.15",
                       "13": "13.18", "12": "12.22", "11": "11.22", "10": "10.23", "9.6": "9.6.24",
                       "9.5": "9.5.25", "9.4": "9.4.26", "alpine": "17.2"},
          435, ["postgres"], entrypoint=["docker-entrypoint.sh"], exposed=["5432/tcp"], layers=14,
          env=["PGDATA=/var/lib/postgresql/data"], tag_sizes={"9.4": 251_000_000, "9.6": 200_000_000}),
    _spec("busybox", {"latest": "1.37.0", "1.37": "1.37.0", "1.36": "1.36.1", "1.28": "1.28.4"},
          4.27, ["sh"], layers=1, base="busybox", created_days_ago=90),
    _spec("alpine", {"latest": "3.20.3", "3.20": "3.20.3", "3.19": "3.19.4"}, 7.8, ["/bin/sh"],
          layers=1, base="alpine", created_days_ago=120),
    _spec("ubuntu", {"latest": "24.04", "24.04": "24.04", "22.04": "22.04", "20.04": "20.04"},
          78.1, ["/bin/bash"], layers=1, base="ubuntu", created_days_ago=60),
    _spec("python", {"latest": "3.13.1", "3.13": "3.13.1", "3.12": "3.12.8", "3.11": "3.11.11"},
          1020, ["python3"], layers=8),
    _spec("node", {"latest": "23.4.0", "22": "22.12.0", "20": "20.18.1", "18": "18.20.5"},
          1120, ["node"], entrypoint=["docker-entrypoint.sh"], layers=8),
    _spec("voting-app", {"latest": "1.0"}, 84.9,
          ["gunicorn", "app:app", "-b", "0.0.0.0:80", "--log-file", "-", "--access-logfile", "-",
           "--workers", "4", "--keep-alive", "0"], exposed=["80/tcp"], layers=9, base="alpine-old",
          local_only=True, created_days_ago=30),
    _spec("worker", {"latest": "1.0"}, 1720, ["dotnet", "src/Worker/Worker.dll"], layers=10,
          base="stretch", local_only=True, created_days_ago=30),
    _spec("result-app", {"latest": "1.0"}, 228, ["node", "server.js"], exposed=["80/tcp"], layers=9,
          base="alpine-old", local_only=True, created_days_ago=30, env=["PORT=80"]),
    _spec("kodekloud/examplevotingapp_vote", {"v1": "1.0"}, 84.9,
          ["gunicorn", "app:app", "-b", "0.0.0.0:80", "--log-file", "-", "--access-logfile", "-",
           "--workers", "4", "--keep-alive", "0"], exposed=["80/tcp"], layers=9, base="alpine-old",
          created_days_ago=1800),
    _spec("kodekloud/examplevotingapp_worker", {"v1": "1.0"}, 1720, ["dotnet", "src/Worker/Worker.dll"],
          layers=10, base="stretch", created_days_ago=1800),
    _spec("kodekloud/examplevotingapp_result", {"v1": "1.0"}, 228, ["node", "server.js"],
          exposed=["80/tcp"], layers=9, base="alpine-old", created_days_ago=1800, env=["PORT=80"]),
    _spec("dockersamples/examplevotingapp_vote", {"latest": "2.0", "before": "1.0"}, 142,
          ["gunicorn", "app:app", "-b", "0.0.0.0:80", "--log-file", "-", "--access-logfile", "-",
           "--workers", "4", "--keep-alive", "0"], exposed=["80/tcp"], layers=9, created_days_ago=400),
    _spec("dockersamples/examplevotingapp_worker", {"latest": "2.0", "before": "1.0"}, 193,
          ["dotnet", "Worker.dll"], layers=10, created_days_ago=400),
    _spec("dockersamples/examplevotingapp_result", {"latest": "2.0", "before": "1.0"}, 146,
          ["node", "server.js"], exposed=["80/tcp"], layers=9, created_days_ago=400, env=["PORT=80"]),
]}


def parse_reference(ref: str) -> tuple[str, str]:
    """`nginx` -> ("nginx", "latest"); `postgres:9.4` -> ("postgres", "9.4");
    `docker.io/library/redis:7` -> ("redis", "7")."""
    name, tag = ref, "latest"
    last = ref.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = ref.rsplit(":", 1)
    for prefix in ("docker.io/library/", "docker.io/", "index.docker.io/library/", "library/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    return name, tag


def hexid(*parts: str) -> str:
    """A deterministic 64-hex identifier (image IDs, layer digests)."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def layer_ids(spec: ImageSpec, version: str) -> list[str]:
    """The image's layers, bottom first; the first one is its base image's (shared)."""
    base = hexid("base", spec.base, BASES.get(spec.base, ""))
    own = [hexid("layer", spec.repository, version, str(i)) for i in range(spec.layers - 1)]
    return [base] + own if spec.layers > 1 or spec.base else own


def human_size(size: int) -> str:
    """units.HumanSizeWithPrecision(size, 3): decimal units, 3 significant digits (`192MB`, `4.27MB`)."""
    units = ["B", "kB", "MB", "GB", "TB"]
    s = float(size)
    i = 0
    while s >= 1000 and i < len(units) - 1:
        s /= 1000
        i += 1
    text = f"{s:.3g}"
    if "e" in text:
        text = str(int(round(s)))
    return f"{text}{units[i]}"


def lookup(repository: str) -> ImageSpec | None:
    """The catalog entry; the kubelet's catalog could add more later (k8scourse.kubelet.images)."""
    return CATALOG.get(repository)
