"""What the course's images do when they run: nginx, httpd, redis, postgres, the voting app and
an HTTP echo server (kicbase/echo-server).

Each behaviour is a small class (k8scourse.apps.base.App) usable as a kubelet Process and as a
docker container. Importing this package registers them with the kubelet
(`k8scourse.kubelet.process.register(repository, cls)`) when that module exists. The debugging
tools that `kubectl exec` / `docker exec` run (wget, nslookup, curl, redis-cli, psql, ...) are in
k8scourse.apps.tools; the network an app sees is k8scourse.apps.net.

Importing is cheap: plain Python modules, no third-party imports.
"""

from __future__ import annotations

from k8scourse.apps.base import App, AppContext, CommandProcess
from k8scourse.apps.echo import EchoServer
from k8scourse.apps.nginx import Httpd, Nginx
from k8scourse.apps.postgres import Postgres
from k8scourse.apps.redis import Redis
from k8scourse.apps.vote import ResultApp, VoteApp, Worker, rebuild

__all__ = ["APPS", "App", "AppContext", "CommandProcess", "EchoServer", "Httpd", "Nginx", "Postgres", "Redis",
           "ResultApp", "VoteApp", "Worker", "app_class", "rebuild", "register"]

#: repository (as the image catalog names it: "nginx", "kodekloud/examplevotingapp_vote") -> behaviour
APPS: dict[str, type] = {}


def register(repository: str, cls: type) -> None:
    """Make `repository`'s containers run `cls`, here and (when it exists) in the kubelet."""
    APPS[repository] = cls
    try:
        from k8scourse.kubelet import process
    except ImportError:
        return
    reg = getattr(process, "register", None)
    if reg is not None:
        reg(repository, cls)


def app_class(repository: str) -> type | None:
    """The behaviour of an image repository; `docker.io/library/nginx` and `library/nginx` too."""
    for prefix in ("docker.io/library/", "docker.io/", "library/"):
        if repository.startswith(prefix):
            repository = repository[len(prefix):]
            break
    return APPS.get(repository)


for _cls in (Nginx, Httpd, Redis, Postgres, VoteApp, Worker, ResultApp, EchoServer):
    for _repo in _cls.repositories:
        register(_repo, _cls)
del _cls, _repo
