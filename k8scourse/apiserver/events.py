"""Events, recorded and aggregated as client-go's EventRecorder does.

An event that repeats (same object, reason, message and source) bumps `count` and `lastTimestamp`
of the existing Event instead of creating another one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from k8scourse.apiserver.server import APIServer

#: --event-ttl: the API server forgets events after one hour.
EVENT_TTL = 3600.0


class EventRecorder:
    def __init__(self, api: "APIServer"):
        self.api = api
        self._latest: dict[tuple, tuple[str, str]] = {}  # aggregation key -> (namespace, name)
        self._seq = 0
        self._sweep = None
        self._epoch_ns = int(api.clock.epoch.timestamp() * 1e9)

    def record(self, obj: dict, type_: str, reason: str, message: str, component: str,
               host: str = "", field_path: str = "") -> None:
        """Record that `reason`/`message` happened to `obj`, as `component` (on `host`) saw it."""
        api = self.api
        store = api.store
        meta = obj.get("metadata") or {}
        ns = meta.get("namespace") or "default"
        ns_obj = store.get("Namespace", "", ns)
        if ns_obj is None or (ns_obj.get("status") or {}).get("phase") == "Terminating":
            return  # the API server refuses new events in a namespace that is gone or going
        uid = meta.get("uid", "")
        key = (uid, type_, reason, message, component, host, field_path)
        now = api.clock.timestamp()
        existing = self._latest.get(key)
        if existing is not None:
            ev = store.get("Event", *existing)
            if ev is not None:
                new = dict(ev)
                new["metadata"] = dict(ev["metadata"])
                new["count"] = ev.get("count", 1) + 1
                new["lastTimestamp"] = now
                store.put(new)
                return
        self._seq += 1
        obj_name = meta.get("name", "")
        name = f"{obj_name}.{int(api.clock.now * 1e9) + self._epoch_ns + self._seq:x}"
        kind = obj.get("kind", "")
        involved = {"apiVersion": obj.get("apiVersion", "v1"), "kind": kind, "name": obj_name}
        if kind != "Node" and kind != "Namespace":
            involved["namespace"] = ns
        involved["resourceVersion"] = meta.get("resourceVersion", "")
        involved["uid"] = uid
        if field_path:
            involved["fieldPath"] = field_path
        store.put({
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name, "namespace": ns, "uid": api.rand.uid(),
                         "creationTimestamp": now},
            "involvedObject": involved,
            "reason": reason,
            "message": message,
            "source": {"component": component, "host": host} if host else {"component": component},
            "firstTimestamp": now,
            "lastTimestamp": now,
            "count": 1,
            "type": type_,
            "eventTime": None,
            "reportingComponent": component,
            "reportingInstance": host,
        })
        self._latest[key] = (ns, name)
        if self._sweep is None:
            self._sweep = api.clock.call_later(EVENT_TTL, self._expire, periodic=True)

    def _expire(self) -> None:
        """Forget events not seen for EVENT_TTL; come back when the next one is due."""
        api = self.api
        clock = api.clock
        horizon = clock.timestamp(clock.now - EVENT_TTL)
        oldest = None
        for ev in list(api.store.iter("Event")):
            last = ev.get("lastTimestamp") or ""
            if last <= horizon:
                api.store.remove("Event", ev["metadata"]["namespace"], ev["metadata"]["name"])
            elif oldest is None or last < oldest:
                oldest = last
        live = {(e["metadata"]["namespace"], e["metadata"]["name"]) for e in api.store.iter("Event")}
        self._latest = {k: v for k, v in self._latest.items() if v in live}
        self._sweep = None
        if oldest is not None:
            self._sweep = clock.call_at(clock.parse(oldest) + EVENT_TTL + 1, self._expire,
                                        periodic=True)

    def for_object(self, obj: dict) -> list[dict]:
        """The events about `obj` (by uid), oldest first, as describe lists them."""
        uid = (obj.get("metadata") or {}).get("uid")
        evs = [e for e in self.api.store.iter("Event") if e["involvedObject"].get("uid") == uid]
        return sorted(evs, key=lambda e: (e.get("lastTimestamp") or "", e["metadata"]["name"]))
