"""`kubectl describe`: find the objects, then let helper B's describers write them.

    kubectl describe pod web            (a prefix: every pod whose name starts with `web`)
    kubectl describe deploy/web         kubectl describe pods -l app=web      kubectl describe nodes

(staging/src/k8s.io/kubectl/pkg/cmd/describe/describe.go)
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from k8scourse.errors import K8sError, NotFound
from k8scourse.kubectl import builder, resources
from k8scourse.kubectl.get import SUGGEST_API_RESOURCES
from k8scourse.kubectl.render import UsageError, aggregate

if TYPE_CHECKING:
    from k8scourse.kubectl.flags import FlagSet
    from k8scourse.kubectl.main import Env


class DescribeContext:
    """What a describer may fetch besides the object: events, related objects, the time."""

    def __init__(self, env: "Env", show_events: bool = True):
        self.env = env
        self.show_events = show_events

    @property
    def now(self) -> datetime:
        return self.env.now

    def events_for(self, obj: dict) -> list[dict] | None:
        if not self.show_events:
            return None
        return self.env.api.events.for_object(obj)

    def list(self, kind: str, namespace: str | None) -> list[dict]:
        t = resources.lookup(kind)
        if t is None:
            return []
        return resources.list_objects(self.env, t, namespace)


def run_describe(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.kubectl import describe

    if not args and not fl["filename"]:
        env.eprintln(f"You must specify the type of resource to describe. "
                     f"{SUGGEST_API_RESOURCES}\n")
        raise UsageError("Required resource not specified.", env.path)
    all_ns = fl["all-namespaces"]
    res = builder.build(env, args, filenames=fl["filename"], recursive=fl["recursive"],
                        label_selector=fl["selector"], all_namespaces=all_ns)
    infos = list(res.infos)
    errors: list[BaseException] = []
    for e in res.errors:
        if isinstance(e, NotFound) and len(args) == 2 and "/" not in args[0] and \
                "/" not in args[1]:
            matched = _matching(env, args[0], args[1], all_ns)
            if matched:
                infos.extend(matched)
                continue
        errors.append(e)
    ctx = DescribeContext(env, fl["show-events"])
    first = True
    seen: set[str] = set()
    for info in infos:
        try:
            text = describe.describe(info.obj, ctx)
        except K8sError as e:
            if str(e) not in seen:
                seen.add(str(e))
                errors.append(e)
            continue
        env.write(text if first else "\n\n" + text)
        first = False
    if not infos and not errors:
        if all_ns:
            env.eprintln("No resources found")
        else:
            env.eprintln(f"No resources found in {env.namespace} namespace.")
    if errors:
        raise aggregate(errors)


def _matching(env: "Env", type_word: str, prefix: str, all_ns: bool) -> list:
    """DescribeMatchingResources: objects of the type whose name starts with `prefix`."""
    t = resources.resolve(resources.expand_aliases(type_word).split(",")[0])
    ns = None if all_ns or not t.namespaced else env.namespace
    return [resources.Info(t, o["metadata"].get("namespace", ""), o["metadata"]["name"], o)
            for o in resources.list_objects(env, t, ns) if o["metadata"]["name"].startswith(prefix)]
