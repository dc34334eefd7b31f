"""Events, recorded and aggregated as client-go's EventRecorder does.

An event that repeats (same object, reason, message and source) bumps `count` and `lastTimestamp`
of the existing Event instead of creating another one.

Events are written as records (Store.put_record): the Event object is built the first time anything
reads Events, with the uid, names and times drawn when it happened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8scourse.sim.rand import format_uid

if TYPE_CHECKING:
    from k8scourse.apiserver.server import APIServer

#: --event-ttl: the API server forgets events after one hour.
EVENT_TTL = 3600.0


class EventRecorder:
    def __init__(self, api: "APIServer"):
        self.api = api
        self._latest: dict[tuple, str] = {}  # aggregation key -> the Event's name
        self._seq = 0
        self._sweep = None
        self._epoch_ns = int(api.clock.epoch.timestamp() * 1e9)
        self._name_at: float | None = None
        self._name_base = 0
        api.store.register_builder("Event", _event_from_record)

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
            skey = (ns, existing)
            rec = store.record_of("Event", skey)
            if rec is not None:
                store.put_record("Event", skey, rec[:_COUNT] + (rec[_COUNT] + 1, now))
                return
            ev = store.get("Event", ns, existing)
            if ev is not None:
                new = dict(ev)
                new["metadata"] = dict(ev["metadata"])
                new["count"] = ev.get("count", 1) + 1
                new["lastTimestamp"] = now
                store.put(new)
                return
        self._seq += 1
        obj_name = meta.get("name", "")
        at = api.clock.now
        if at != self._name_at:  # the nanosecond part of names, once per instant
            self._name_at = at
            self._name_base = int(at * 1e9) + self._epoch_ns
        name = f"{obj_name}.{self._name_base + self._seq:x}"
        kind = obj.get("kind", "")
        store.put_record("Event", (ns, name), (
            name, ns, api.rand.uid_bits(), now,
            obj.get("apiVersion", "v1"), kind, obj_name,
            None if kind == "Node" or kind == "Namespace" else ns,
            meta.get("resourceVersion", ""), uid, field_path,
            reason, message, component, host, type_, 1, now))
        self._latest[key] = name
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
        live = {e["metadata"]["name"] for e in api.store.iter("Event")}
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


#: where an Event record keeps its count (the last two fields: count, lastTimestamp)
_COUNT = 16


def _event_from_record(r: tuple) -> dict:
    """The Event an EventRecorder record stands for (the store builds it when first read)."""
    (name, ns, uid_bits, first, api_version, kind, obj_name, obj_ns, obj_rv, obj_uid, field_path,
     reason, message, component, host, type_, count, last) = r
    involved = {"apiVersion": api_version, "kind": kind, "name": obj_name}
    if obj_ns is not None:
        involved["namespace"] = obj_ns
    involved["resourceVersion"] = obj_rv
    involved["uid"] = obj_uid
    if field_path:
        involved["fieldPath"] = field_path
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": name, "namespace": ns, "uid": format_uid(uid_bits),
                     "creationTimestamp": first},
        "involvedObject": involved,
        "reason": reason,
        "message": message,
        "source": {"component": component, "host": host} if host else {"component": component},
        "firstTimestamp": first,
        "lastTimestamp": last,
        "count": count,
        "type": type_,
        "eventTime": None,
        "reportingComponent": component,
        "reportingInstance": host,
    }
