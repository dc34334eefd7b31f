"""How kubectl turns timestamps into the AGE column and describe's dates.

    >>> human_duration(150)
    '2m30s'

`human_duration` is apimachinery's duration.HumanDuration; `translate_timestamp_since` is the
printers' translateTimestampSince. "now" is always passed in (the simulated clock), never read
from the system.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

__all__ = ["human_duration", "translate_timestamp_since", "parse_time", "rfc1123z",
           "since_us", "human_duration_us"]

_S = 1_000_000          # microseconds in a second
_M = 60 * _S
_H = 60 * _M


def _trunc_div(a: int, b: int) -> int:
    """Go's integer division (truncates toward zero)."""
    q = abs(a) // b
    return q if a >= 0 else -q


def human_duration_us(us: int) -> str:
    """duration.HumanDuration for a duration of `us` microseconds."""
    seconds = _trunc_div(us, _S)
    # A deviation of up to two seconds (excluded) is tolerated as clock skew: "almost now".
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60 * 2:
        return f"{seconds}s"
    minutes = us // _M
    if minutes < 10:
        s = (us // _S) % 60
        return f"{minutes}m" if s == 0 else f"{minutes}m{s}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = us // _H
    if hours < 8:
        m = (us // _M) % 60
        return f"{hours}h" if m == 0 else f"{hours}h{m}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        h = hours % 24
        return f"{hours // 24}d" if h == 0 else f"{hours // 24}d{h}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if dy == 0 else f"{hours // 24 // 365}y{dy}d"
    return f"{hours // 24 // 365}y"


def human_duration(seconds: float) -> str:
    """A duration as kubectl shows ages: 59s, 2m30s, 3h1m, 2d3h, 2y80d; `<invalid>` below -1s."""
    return human_duration_us(round(seconds * _S))


_CACHE: dict[str, datetime] = {}


def parse_time(ts: str) -> datetime:
    """An RFC 3339 timestamp (`2025-01-01T00:00:05Z`, fractions and offsets allowed) as an aware
    datetime."""
    t = _CACHE.get(ts)
    if t is None:
        t = datetime.fromisoformat(ts.replace("Z", "+00:00") if ts.endswith("Z") else ts)
        if t.tzinfo is None:
            t = t.replace(tzinfo=timezone.utc)
        if len(_CACHE) > 50_000:
            _CACHE.clear()
        _CACHE[ts] = t
    return t


def since_us(ts: str, now: datetime) -> int:
    """Microseconds from `ts` to `now`."""
    d: timedelta = now - parse_time(ts)
    return (d.days * 86_400 + d.seconds) * _S + d.microseconds


def translate_timestamp_since(ts: str | None, now: datetime) -> str:
    """The AGE of something created at `ts`: `<unknown>` when there is no timestamp."""
    if not ts:
        return "<unknown>"
    return human_duration_us(since_us(ts, now))


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc1123z(ts: str) -> str:
    """Go's time.RFC1123Z layout, as `kubectl describe` prints dates: `Wed, 21 May 2025 20:37:47 +0000`.

    kubectl prints times in the local zone of the machine it runs on; the simulated cluster and
    its kubectl live in UTC.
    """
    t = parse_time(ts).astimezone(timezone.utc)
    return (f"{_DAYS[t.weekday()]}, {t.day:02d} {_MONTHS[t.month - 1]} {t.year:04d} "
            f"{t.hour:02d}:{t.minute:02d}:{t.second:02d} +0000")
