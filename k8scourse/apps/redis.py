"""redis: a real in-memory key-value store with the commands the course and the voting app use.

`RedisStore` is the data structure server (strings, lists, expiry on simulated time);
`Redis` is the image's process (start-up log, port 6379); `format_reply` renders a reply the way
redis-cli prints it on a terminal (`"value"`, `(integer) 1`, `(nil)`, `1) "a"`) or piped (raw).
"""

from __future__ import annotations

import fnmatch
from typing import Any, Callable

from k8scourse.apps.base import App
from k8scourse.apps.net import RedisError

REDIS_VERSIONS = {"latest": "7.4.1", "7": "7.4.1", "7.4": "7.4.1", "alpine": "7.4.1",
                  "7.2": "7.2.6", "7.0": "7.0.15", "6": "6.2.16", "6.2": "6.2.16", "6.0": "6.0.20",
                  "5": "5.0.14", "5.0": "5.0.14", "4": "4.0.14"}

class Status(str):
    """A simple-string (status) reply such as OK or PONG: redis-cli prints it unquoted."""


WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
NOT_INTEGER = "ERR value is not an integer or out of range"

#: command -> (min args, max args or -1) after the command name
ARITY = {"PING": (0, 1), "ECHO": (1, 1), "GET": (1, 1), "SET": (2, -1), "DEL": (1, -1),
         "EXISTS": (1, -1), "INCR": (1, 1), "DECR": (1, 1), "INCRBY": (2, 2), "RPUSH": (2, -1),
         "LPUSH": (2, -1), "LPOP": (1, 2), "RPOP": (1, 2), "LRANGE": (3, 3), "LLEN": (1, 1),
         "KEYS": (1, 1), "EXPIRE": (2, 2), "TTL": (1, 1), "TYPE": (1, 1), "DBSIZE": (0, 0),
         "FLUSHALL": (0, 1), "FLUSHDB": (0, 1), "SELECT": (1, 1), "INFO": (0, -1), "QUIT": (0, 0),
         "AUTH": (1, 2), "CLIENT": (1, -1), "COMMAND": (0, -1), "HELLO": (0, -1),
         "MGET": (1, -1), "APPEND": (2, 2), "STRLEN": (1, 1), "PERSIST": (1, 1)}


class RedisStore:
    """The keyspace of one redis server (database 0), on simulated time."""

    def __init__(self, clock: Any = None):
        self.clock = clock
        self.data: dict[str, Any] = {}      # str | list[str]
        self.expires: dict[str, float] = {}
        #: key -> callbacks run after a push to that list (the voting app's worker waits on `votes`)
        self.watchers: dict[str, list[Callable[[], None]]] = {}

    def _now(self) -> float:
        return self.clock.now if self.clock is not None else 0.0

    def _get(self, key: str) -> Any:
        exp = self.expires.get(key)
        if exp is not None and exp <= self._now():
            self.data.pop(key, None)
            self.expires.pop(key, None)
        return self.data.get(key)

    def _list(self, key: str, create: bool = False) -> list[str] | None:
        v = self._get(key)
        if v is None:
            if not create:
                return None
            v = self.data[key] = []
        if not isinstance(v, list):
            raise RedisError(WRONGTYPE)
        return v

    def _int(self, s: str) -> int:
        try:
            if s.strip() != s or not s:
                raise ValueError
            return int(s)
        except ValueError:
            raise RedisError(NOT_INTEGER) from None

    def execute(self, argv: list[str]) -> Any:
        """Run one command; returns the reply (a RedisError instance for an error reply)."""
        if not argv:
            return RedisError("ERR empty command")
        name, args = argv[0].upper(), argv[1:]
        arity = ARITY.get(name)
        if arity is None:
            shown = " ".join(f"'{a}'" for a in args)
            return RedisError(f"ERR unknown command '{argv[0]}', with args beginning with: {shown}"
                              + (" " if args else ""))
        lo, hi = arity
        if len(args) < lo or (hi >= 0 and len(args) > hi):
            return RedisError(f"ERR wrong number of arguments for '{argv[0].lower()}' command")
        try:
            return getattr(self, "cmd_" + name.lower())(*args)
        except RedisError as e:
            return e

    # commands ----------------------------------------------------------------------------------
    def cmd_ping(self, msg: str | None = None):
        return (Status("PONG") if msg is None else msg)

    def cmd_echo(self, msg):
        return msg

    def cmd_get(self, key):
        v = self._get(key)
        if isinstance(v, list):
            raise RedisError(WRONGTYPE)
        return v

    def cmd_mget(self, *keys):
        return [v if isinstance(v := self._get(k), str) else None for k in keys]

    def cmd_set(self, key, value, *opts):
        ex = None
        nx = xx = False
        i = 0
        while i < len(opts):
            o = opts[i].upper()
            if o in ("EX", "PX") and i + 1 < len(opts):
                n = self._int(opts[i + 1])
                if n <= 0:
                    raise RedisError("ERR invalid expire time in 'set' command")
                ex = n if o == "EX" else n / 1000
                i += 2
            elif o == "NX":
                nx, i = True, i + 1
            elif o == "XX":
                xx, i = True, i + 1
            else:
                raise RedisError("ERR syntax error")
        exists = self._get(key) is not None
        if (nx and exists) or (xx and not exists):
            return None
        self.data[key] = value
        self.expires.pop(key, None)
        if ex is not None:
            self.expires[key] = self._now() + ex
        return Status("OK")

    def cmd_append(self, key, value):
        v = self.cmd_get(key) or ""
        self.data[key] = v + value
        return len(self.data[key])

    def cmd_strlen(self, key):
        return len(self.cmd_get(key) or "")

    def cmd_del(self, *keys):
        n = 0
        for k in keys:
            if self._get(k) is not None:
                del self.data[k]
                self.expires.pop(k, None)
                n += 1
        return n

    def cmd_exists(self, *keys):
        return sum(1 for k in keys if self._get(k) is not None)

    def cmd_incrby(self, key, by):
        step = self._int(by)
        v = self._get(key)
        if isinstance(v, list):
            raise RedisError(WRONGTYPE)
        n = self._int(v) if v is not None else 0
        self.data[key] = str(n + step)
        return n + step

    def cmd_incr(self, key):
        return self.cmd_incrby(key, "1")

    def cmd_decr(self, key):
        return self.cmd_incrby(key, "-1")

    def _push(self, key, values, left):
        lst = self._list(key, create=True)
        for v in values:
            if left:
                lst.insert(0, v)
            else:
                lst.append(v)
        n = len(lst)
        for cb in list(self.watchers.get(key, ())):
            cb()
        return n

    def cmd_rpush(self, key, *values):
        return self._push(key, values, left=False)

    def cmd_lpush(self, key, *values):
        return self._push(key, values, left=True)

    def _pop(self, key, count, left):
        lst = self._list(key)
        if count is not None:
            n = self._int(count)
            if n < 0:
                raise RedisError("ERR value is out of range, must be positive")
        if lst is None:
            return None
        if count is None:
            v = lst.pop(0) if left else lst.pop()
            out: Any = v
        else:
            out = []
            for _ in range(min(n, len(lst))):
                out.append(lst.pop(0) if left else lst.pop())
        if not lst:
            del self.data[key]
            self.expires.pop(key, None)
        return out

    def cmd_lpop(self, key, count=None):
        return self._pop(key, count, left=True)

    def cmd_rpop(self, key, count=None):
        return self._pop(key, count, left=False)

    def cmd_lrange(self, key, start, stop):
        lst = self._list(key) or []
        a, b = self._int(start), self._int(stop)
        n = len(lst)
        if a < 0:
            a = max(n + a, 0)
        if b < 0:
            b = n + b
        return list(lst[a:b + 1]) if a <= b else []

    def cmd_llen(self, key):
        lst = self._list(key)
        return len(lst) if lst else 0

    def cmd_keys(self, pattern):
        return sorted(k for k in list(self.data) if self._get(k) is not None
                      and fnmatch.fnmatchcase(k, pattern))

    def cmd_expire(self, key, seconds):
        s = self._int(seconds)
        if self._get(key) is None:
            return 0
        if s <= 0:
            self.cmd_del(key)
        else:
            self.expires[key] = self._now() + s
        return 1

    def cmd_persist(self, key):
        return 1 if self._get(key) is not None and self.expires.pop(key, None) is not None else 0

    def cmd_ttl(self, key):
        if self._get(key) is None:
            return -2
        exp = self.expires.get(key)
        if exp is None:
            return -1
        return int(round(exp - self._now()))

    def cmd_type(self, key):
        v = self._get(key)
        return Status("none") if v is None else Status("list") if isinstance(v, list) else Status("string")

    def cmd_dbsize(self):
        return sum(1 for k in list(self.data) if self._get(k) is not None)

    def cmd_flushall(self, *_):
        self.data.clear()
        self.expires.clear()
        return Status("OK")

    cmd_flushdb = cmd_flushall

    def cmd_select(self, db):
        n = self._int(db)
        if n != 0:
            if 0 < n < 16:
                raise RedisError("ERR this model of redis keeps only database 0")
            raise RedisError("ERR DB index is out of range")
        return Status("OK")

    def cmd_info(self, *_):
        return "# Server\r\nredis_version:7.4.1\r\nredis_mode:standalone\r\ntcp_port:6379\r\n"

    def cmd_quit(self):
        return Status("OK")

    def cmd_auth(self, *_):
        return RedisError("ERR AUTH <password> called without any password configured for the "
                          "default user. Are you sure your configuration is correct?")

    def cmd_client(self, *args):
        return Status("OK")

    def cmd_command(self, *args):
        return []

    def cmd_hello(self, *args):
        return RedisError("NOPROTO unsupported protocol version")


class Redis(App):
    """The redis image: redis-server on 6379 with the real start-up log lines."""

    repositories = ("redis",)
    default_command = ["redis-server"]
    protocol = "redis"
    ports = (6379,)
    stop_seconds = 0.2

    def __init__(self, ctx):
        super().__init__(ctx)
        tag = getattr(ctx, "tag", "latest") or "latest"
        self.version = REDIS_VERSIONS.get(tag, REDIS_VERSIONS.get(tag.split("-")[0], "7.4.1"))
        self.store = RedisStore(self.clock)
        args = list(getattr(ctx, "args", None) or [])
        if "--port" in args and args.index("--port") + 1 < len(args):
            self.ports = (int(args[args.index("--port") + 1]),)

    def _stamp(self, role: str) -> str:
        dt = self.now_dt()
        return f"1:{role} {dt.strftime('%d %b %Y %H:%M:%S')}.{dt.microsecond // 1000:03d}"

    def start(self):
        super().start()
        c, m = self._stamp("C"), self._stamp("M")
        self.log(f"{c} # WARNING Memory overcommit must be enabled! Without it, a background save or "
                 "replication may fail under low memory condition. Being disabled, it can also cause "
                 "failures without low memory condition, see https://github.com/jemalloc/jemalloc/issues/1328. "
                 "To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or "
                 "run the command 'sysctl vm.overcommit_memory=1' for this to take effect.")
        self.log(f"{c} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo")
        self.log(f"{c} * Redis version={self.version}, bits=64, commit=00000000, modified=0, pid=1, "
                 "just started")
        self.log(f"{c} # Warning: no config file specified, using the default config. In order to "
                 "specify a config file use redis-server /path/to/redis.conf")
        self.log(f"{m} * monotonic clock: POSIX clock_gettime")
        self.log(f"{m} * Running mode=standalone, port={self.ports[0]}.")
        self.log(f"{m} * Server initialized")
        self.log(f"{m} * Ready to accept connections tcp")
        return None

    def stop(self):
        m = self._stamp("M")
        self.log(f"{m} # Received SIGTERM scheduling shutdown...")
        self.log(f"{m} * User requested shutdown...")
        self.log(f"{m} * Saving the final RDB snapshot before exiting.")
        self.log(f"{m} * DB saved on disk")
        self.log(f"{m} # Redis is now ready to exit, bye bye...")
        return super().stop()

    def serve(self, protocol: str, argv: list[str], conn) -> Any:
        return self.store.execute(argv)


# redis-cli output ---------------------------------------------------------------------------------------
def _repr(s: str) -> str:
    """sdscatrepr: a double-quoted string with C escapes."""
    out = ['"']
    for ch in s:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def format_reply(reply: Any, tty: bool = True) -> str:
    """A reply as redis-cli prints it: on a terminal (tty) or piped (raw), newline included."""
    return (_fmt_tty(reply, "") if tty else _fmt_raw(reply) + "\n")


def _fmt_tty(r: Any, prefix: str) -> str:
    if isinstance(r, RedisError):
        return f"(error) {r}\n"
    if r is None:
        return "(nil)\n"
    if isinstance(r, bool):
        r = int(r)
    if isinstance(r, int):
        return f"(integer) {r}\n"
    if isinstance(r, str):
        return r + "\n" if isinstance(r, Status) else _repr(r) + "\n"
    if isinstance(r, list):
        if not r:
            return "(empty array)\n"
        width = len(str(len(r)))
        out = []
        for i, item in enumerate(r):
            head = f"{i + 1:>{width}}) "
            out.append(("" if i == 0 else prefix) + head + _fmt_tty(item, prefix + " " * len(head)))
        return "".join(out)
    return str(r) + "\n"


def _fmt_raw(r: Any) -> str:
    if isinstance(r, RedisError):
        return str(r)
    if r is None:
        return ""
    if isinstance(r, int):
        return str(r)
    if isinstance(r, str):
        return str(r)
    if isinstance(r, list):
        return "\n".join(_fmt_raw(x) for x in r)
    return str(r)
