"""postgres: tables and rows enough for the voting app, the image's password rules, psql's output.

`Database` runs a small SQL subset (CREATE TABLE, INSERT, UPDATE, DELETE, DROP TABLE, SELECT with
WHERE/GROUP BY/COUNT/ORDER BY/LIMIT) with PostgreSQL's error texts; `format_result` prints a result
the way psql's aligned format does. `Postgres` is the image: since the 2020 images (9.5 and later
tags), a first start with no POSTGRES_PASSWORD and no POSTGRES_HOST_AUTH_METHOD=trust stops with the
entrypoint's error; the old 9.4 image only warns and lets everyone in (trust).
"""

from __future__ import annotations

import re
from typing import Any

from k8scourse.apps.base import App
from k8scourse.apps.net import PgError, PgQuery, SqlResult

PG_VERSIONS = {"latest": "17.2", "17": "17.2", "16": "16.6", "15": "15.10", "14": "14.15",
               "13": "13.18", "12": "12.22", "11": "11.22", "10": "10.23", "9.6": "9.6.24",
               "9.5": "9.5.25", "9.4": "9.4.26", "alpine": "17.2"}

PASSWORD_ERROR = """Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
       connections without a password. This is *not* recommended.

       See PostgreSQL documentation about "trust":
       https://www.postgresql.org/docs/current/auth-trust.html"""

#: what the 9.4 image's entrypoint printed when no password was set (it then used trust)
NO_PASSWORD_WARNING = """****************************************************
WARNING: No password has been set for the database.
         This will allow anyone with access to the
         Postgres port to access your database. In
         Docker's default configuration, this is
         effectively any other container on the same
         system.

         Use "-e POSTGRES_PASSWORD=password" to set
         it in "docker run".
****************************************************"""


# SQL ------------------------------------------------------------------------------------------------
_TOKEN = re.compile(r"""\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>\d+)|(?P<qid>"[^"]+")|"""
                    r"""(?P<id>[A-Za-z_][A-Za-z0-9_$]*)|(?P<op><>|!=|>=|<=|[(),;*=<>.@$?:+-]))""")


class _Tok:
    __slots__ = ("kind", "value", "pos")

    def __init__(self, kind, value, pos):
        self.kind, self.value, self.pos = kind, value, pos


def _tokenize(sql: str) -> list[_Tok]:
    toks, pos = [], 0
    while pos < len(sql):
        if sql[pos:].strip() == "":
            break
        m = _TOKEN.match(sql, pos)
        if not m:
            raise _syntax_at(sql, len(sql) - len(sql[pos:].lstrip()), sql[pos:].strip()[:1])
        kind = m.lastgroup
        text = m.group(kind)
        start = m.start(kind)
        if kind == "str":
            toks.append(_Tok("str", text[1:-1].replace("''", "'"), start))
        elif kind == "num":
            toks.append(_Tok("num", int(text), start))
        elif kind == "qid":
            toks.append(_Tok("id", text[1:-1], start))
        elif kind == "id":
            toks.append(_Tok("id", text.lower(), start))
        else:
            toks.append(_Tok("op", text, start))
        pos = m.end()
    return toks


class SqlError(PgError):
    """An ERROR with the statement position (psql prints LINE 1 and a caret under it)."""

    def __init__(self, message: str, sql: str = "", pos: int | None = None, detail: str = "",
                 code: str = ""):
        super().__init__("ERROR", message, code)
        self.sql, self.pos, self.detail = sql, pos, detail


def _syntax_at(sql: str, pos: int, near: str) -> SqlError:
    if near:
        return SqlError(f'syntax error at or near "{near}"', sql, pos, code="42601")
    return SqlError("syntax error at end of input", sql, len(sql.rstrip().rstrip(";")), code="42601")


class Table:
    def __init__(self, name: str, columns: list[tuple[str, str, bool, bool]]):
        self.name = name
        self.columns = columns             # (name, type, not_null, unique)
        self.names = [c[0] for c in columns]
        self.rows: list[list[Any]] = []

    def unique_columns(self):
        return [(i, c[0]) for i, c in enumerate(self.columns) if c[3]]


class Database:
    """One PostgreSQL database: tables of rows, and the statements the course uses."""

    def __init__(self):
        self.tables: dict[str, Table] = {}

    def execute(self, sql: str) -> list[SqlResult]:
        """Run every statement in `sql`; raises SqlError at the first failing one."""
        results = []
        for stmt in _split(sql):
            results.append(_Statement(self, stmt).run())
        return results


def _split(sql: str) -> list[str]:
    out, cur, quote = [], [], False
    for ch in sql:
        if ch == "'":
            quote = not quote
        if ch == ";" and not quote:
            if "".join(cur).strip():
                out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if "".join(cur).strip():
        out.append("".join(cur).strip())
    return out


class _Statement:
    def __init__(self, db: Database, sql: str):
        self.db, self.sql = db, sql
        self.toks = _tokenize(sql)
        self.i = 0

    # token helpers
    def peek(self, k: int = 0):
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def next(self):
        t = self.peek()
        if t is None:
            raise _syntax_at(self.sql, len(self.sql), "")
        self.i += 1
        return t

    def is_word(self, *words) -> bool:
        t = self.peek()
        return t is not None and t.kind == "id" and t.value in words

    def expect_word(self, word):
        t = self.next()
        if t.kind != "id" or t.value != word:
            raise self.error_at(t)
        return t

    def expect_op(self, op):
        t = self.next()
        if t.kind != "op" or t.value != op:
            raise self.error_at(t)
        return t

    def error_at(self, t):
        if t is None:
            return _syntax_at(self.sql, len(self.sql), "")
        raw = self.sql[t.pos:].split()[0] if self.sql[t.pos:].split() else ""
        near = raw
        if t.kind == "op":
            near = t.value
        elif t.kind in ("id", "num"):
            near = re.match(r"[A-Za-z0-9_$\"]+", raw).group(0) if raw else str(t.value)
        return _syntax_at(self.sql, t.pos, near)

    def ident(self):
        t = self.next()
        if t.kind != "id":
            raise self.error_at(t)
        return t

    def done(self):
        t = self.peek()
        if t is not None:
            raise self.error_at(t)

    def table(self, tok) -> Table:
        tbl = self.db.tables.get(tok.value)
        if tbl is None:
            raise SqlError(f'relation "{tok.value}" does not exist', self.sql, tok.pos, code="42P01")
        return tbl

    # statements
    def run(self) -> SqlResult:
        t = self.peek()
        if t is None:
            return SqlResult("")
        word = t.value if t.kind == "id" else ""
        handler = {"create": self.create, "insert": self.insert, "select": self.select,
                   "update": self.update, "delete": self.delete, "drop": self.drop,
                   "begin": self.trivial, "commit": self.trivial}.get(word)
        if handler is None:
            raise self.error_at(t)
        return handler()

    def trivial(self):
        word = self.next().value.upper()
        return SqlResult(word)

    def create(self):
        self.expect_word("create")
        self.expect_word("table")
        if_not_exists = False
        if self.is_word("if"):
            self.next(); self.expect_word("not"); self.expect_word("exists")
            if_not_exists = True
        name_tok = self.ident()
        self.expect_op("(")
        cols = []
        while True:
            cname = self.ident().value
            ctype = self.ident().value
            if self.peek() and self.peek().kind == "op" and self.peek().value == "(":
                self.next(); n = self.next(); self.expect_op(")")
                ctype = f"{ctype}({n.value})"
            not_null = unique = False
            while self.is_word("not", "null", "unique", "primary"):
                w = self.next().value
                if w == "not":
                    self.expect_word("null"); not_null = True
                elif w == "unique":
                    unique = True
                elif w == "primary":
                    self.expect_word("key"); unique = not_null = True
            cols.append((cname, ctype, not_null, unique))
            t = self.next()
            if t.kind == "op" and t.value == ")":
                break
            if not (t.kind == "op" and t.value == ","):
                raise self.error_at(t)
        self.done()
        if name_tok.value in self.db.tables:
            if if_not_exists:
                return SqlResult("CREATE TABLE", notice=f'relation "{name_tok.value}" already exists, skipping')
            raise SqlError(f'relation "{name_tok.value}" already exists', code="42P07")
        self.db.tables[name_tok.value] = Table(name_tok.value, cols)
        return SqlResult("CREATE TABLE")

    def drop(self):
        self.expect_word("drop"); self.expect_word("table")
        if_exists = False
        if self.is_word("if"):
            self.next(); self.expect_word("exists"); if_exists = True
        tok = self.ident()
        self.done()
        if tok.value not in self.db.tables:
            if if_exists:
                return SqlResult("DROP TABLE")
            raise SqlError(f'table "{tok.value}" does not exist', code="42P01")
        del self.db.tables[tok.value]
        return SqlResult("DROP TABLE")

    def value(self):
        t = self.next()
        if t.kind in ("str", "num"):
            return t.value
        if t.kind == "id" and t.value == "null":
            return None
        if t.kind == "op" and t.value == "-" and self.peek() and self.peek().kind == "num":
            return -self.next().value
        raise self.error_at(t)

    def insert(self):
        self.expect_word("insert"); self.expect_word("into")
        tbl = self.table(self.ident())
        cols = list(tbl.names)
        if self.peek() and self.peek().kind == "op" and self.peek().value == "(":
            self.next()
            cols = []
            while True:
                c = self.ident()
                if c.value not in tbl.names:
                    raise SqlError(f'column "{c.value}" of relation "{tbl.name}" does not exist',
                                   self.sql, c.pos, code="42703")
                cols.append(c.value)
                t = self.next()
                if t.kind == "op" and t.value == ")":
                    break
                if not (t.kind == "op" and t.value == ","):
                    raise self.error_at(t)
        self.expect_word("values")
        rows = []
        while True:
            self.expect_op("(")
            vals = []
            while True:
                vals.append(self.value())
                t = self.next()
                if t.kind == "op" and t.value == ")":
                    break
                if not (t.kind == "op" and t.value == ","):
                    raise self.error_at(t)
            if len(vals) > len(cols):
                raise SqlError("INSERT has more expressions than target columns", code="42601")
            rows.append(dict(zip(cols, vals)))
            if self.peek() and self.peek().kind == "op" and self.peek().value == ",":
                self.next()
                continue
            break
        self.done()
        for r in rows:
            row = [r.get(n) for n in tbl.names]
            self._check(tbl, row, skip=None)
            tbl.rows.append(row)
        return SqlResult(f"INSERT 0 {len(rows)}")

    def _check(self, tbl: Table, row: list, skip):
        for i, (name, _, not_null, _) in enumerate(tbl.columns):
            if not_null and row[i] is None:
                raise SqlError(f'null value in column "{name}" of relation "{tbl.name}" violates '
                               "not-null constraint", code="23502")
        for i, name in tbl.unique_columns():
            for other in tbl.rows:
                if other is not skip and other[i] is not None and str(other[i]) == str(row[i]):
                    raise SqlError(f'duplicate key value violates unique constraint "{tbl.name}_{name}_key"',
                                   detail=f"Key ({name})=({row[i]}) already exists.", code="23505")

    def where(self, tbl: Table):
        conds = []
        if self.is_word("where"):
            self.next()
            while True:
                c = self.ident()
                if c.value not in tbl.names:
                    raise SqlError(f'column "{c.value}" does not exist', self.sql, c.pos, code="42703")
                op = self.next()
                if op.kind != "op" or op.value not in ("=", "<>", "!="):
                    raise self.error_at(op)
                conds.append((tbl.names.index(c.value), op.value, self.value()))
                if self.is_word("and"):
                    self.next()
                    continue
                break

        def match(row):
            for idx, op, v in conds:
                eq = row[idx] is not None and v is not None and str(row[idx]) == str(v)
                if (op == "=") != eq:
                    return False
            return True
        return match

    def update(self):
        self.expect_word("update")
        tbl = self.table(self.ident())
        self.expect_word("set")
        sets = []
        while True:
            c = self.ident()
            if c.value not in tbl.names:
                raise SqlError(f'column "{c.value}" of relation "{tbl.name}" does not exist',
                               self.sql, c.pos, code="42703")
            self.expect_op("=")
            sets.append((tbl.names.index(c.value), self.value()))
            if self.peek() and self.peek().kind == "op" and self.peek().value == ",":
                self.next()
                continue
            break
        match = self.where(tbl)
        self.done()
        n = 0
        for row in tbl.rows:
            if match(row):
                new = list(row)
                for idx, v in sets:
                    new[idx] = v
                self._check(tbl, new, skip=row)
                row[:] = new
                n += 1
        return SqlResult(f"UPDATE {n}")

    def delete(self):
        self.expect_word("delete"); self.expect_word("from")
        tbl = self.table(self.ident())
        match = self.where(tbl)
        self.done()
        keep = [r for r in tbl.rows if not match(r)]
        n = len(tbl.rows) - len(keep)
        tbl.rows = keep
        return SqlResult(f"DELETE {n}")

    def select(self):
        self.expect_word("select")
        items = []   # (kind, arg, label, tok): kind col|count|lit|star
        while True:
            t = self.next()
            if t.kind == "op" and t.value == "*":
                items.append(("star", None, None, t))
            elif t.kind == "num" or t.kind == "str":
                items.append(("lit", t.value, "?column?", t))
            elif t.kind == "id" and t.value == "count" and self.peek() and self.peek().value == "(":
                self.next()
                a = self.next()
                self.expect_op(")")
                items.append(("count", None if a.value == "*" else a.value, "count", a))
            elif t.kind == "id":
                items.append(("col", t.value, t.value, t))
            else:
                raise self.error_at(t)
            if self.is_word("as"):
                self.next()
                kind, arg, _, tok = items[-1]
                items[-1] = (kind, arg, self.ident().value, tok)
            if self.peek() and self.peek().kind == "op" and self.peek().value == ",":
                self.next()
                continue
            break
        tbl = None
        if self.is_word("from"):
            self.next()
            tbl = self.table(self.ident())
        if tbl is None:
            self.done()
            if any(k != "lit" for k, *_ in items):
                k, arg, label, tok = next(x for x in items if x[0] != "lit")
                raise SqlError(f'column "{arg}" does not exist', self.sql, tok.pos, code="42703")
            return SqlResult("SELECT 1", [it[2] for it in items], [tuple(it[1] for it in items)])
        for kind, arg, label, tok in items:
            if kind in ("col", "count") and arg is not None and arg not in tbl.names:
                raise SqlError(f'column "{arg}" does not exist', self.sql, tok.pos, code="42703")
        match = self.where(tbl)
        group = None
        if self.is_word("group"):
            self.next(); self.expect_word("by")
            g = self.ident()
            if g.value not in tbl.names:
                raise SqlError(f'column "{g.value}" does not exist', self.sql, g.pos, code="42703")
            group = g.value
        order = None
        if self.is_word("order"):
            self.next(); self.expect_word("by")
            o = self.ident().value
            desc = False
            if self.is_word("asc", "desc"):
                desc = self.next().value == "desc"
            order = (o, desc)
        limit = None
        if self.is_word("limit"):
            self.next()
            limit = self.next().value
        self.done()
        rows = [r for r in tbl.rows if match(r)]
        columns: list[str] = []
        for kind, arg, label, _ in items:
            columns.extend(tbl.names if kind == "star" else [label])
        has_count = any(k == "count" for k, *_ in items)
        if group is not None or has_count:
            for kind, arg, label, tok in items:
                if kind == "col" and arg != group:
                    raise SqlError(f'column "{tbl.name}.{arg}" must appear in the GROUP BY clause or be '
                                   "used in an aggregate function", self.sql, tok.pos, code="42803")
            groups: dict[Any, list] = {}
            gi = tbl.names.index(group) if group else None
            for r in rows:
                groups.setdefault(r[gi] if gi is not None else None, []).append(r)
            if group is None and not groups:
                groups[None] = []
            out = []
            for key, members in groups.items():
                vals = []
                for kind, arg, label, _ in items:
                    if kind == "col":
                        vals.append(key)
                    elif kind == "lit":
                        vals.append(arg)
                    else:
                        ai = tbl.names.index(arg) if arg else None
                        vals.append(sum(1 for m in members if ai is None or m[ai] is not None))
                out.append(tuple(vals))
        else:
            out = []
            for r in rows:
                vals = []
                for kind, arg, label, _ in items:
                    if kind == "star":
                        vals.extend(r)
                    elif kind == "lit":
                        vals.append(arg)
                    else:
                        vals.append(r[tbl.names.index(arg)])
                out.append(tuple(vals))
        if order is not None and order[0] in columns:
            oi = columns.index(order[0])
            out.sort(key=lambda row: (row[oi] is None, row[oi] if row[oi] is not None else 0),
                     reverse=order[1])
        if limit is not None:
            out = out[:limit]
        return SqlResult(f"SELECT {len(out)}", columns, out)


# psql output -------------------------------------------------------------------------------------------
def format_result(res: SqlResult) -> str:
    """A result as psql prints it: an aligned table with `(N rows)` for SELECT, else the tag."""
    if not res.columns:
        return (f"NOTICE:  {res.notice}\n" if res.notice else "") + res.tag + "\n"
    cols = res.columns
    cells = [["" if v is None else str(v) for v in row] for row in res.rows]
    numeric = [bool(res.rows) and all(isinstance(row[i], int) or row[i] is None for row in res.rows)
               for i in range(len(cols))]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(cols)]
    head = []
    for i, c in enumerate(cols):
        pad = widths[i] - len(c)
        left = pad // 2
        head.append(" " * left + c + " " * (pad - left))
    lines = [" " + " | ".join(head) + " ", "+".join("-" * (w + 2) for w in widths)]
    for r in cells:
        parts = []
        for i, v in enumerate(r):
            last = i == len(cols) - 1
            if numeric[i]:
                parts.append(v.rjust(widths[i]))
            else:
                parts.append(v if last else v.ljust(widths[i]))
        lines.append(" " + " | ".join(parts))
    n = len(res.rows)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines) + "\n\n"


def format_error(err: PgError) -> str:
    """An error as psql prints it, with the LINE/caret context for a positioned error."""
    out = f"{err.severity}:  {err.message}\n"
    detail = getattr(err, "detail", "")
    if detail:
        out += f"DETAIL:  {detail}\n"
    sql = getattr(err, "sql", "")
    pos = getattr(err, "pos", None)
    if sql and pos is not None:
        line = sql.splitlines()[0] if sql else ""
        prefix = "LINE 1: "
        out += prefix + line + "\n" + " " * (len(prefix) + pos) + "^\n"
    return out


# the image --------------------------------------------------------------------------------------------
class Postgres(App):
    """The postgres image: initdb on first start, password rules, then a server on 5432."""

    repositories = ("postgres",)
    default_command = ["postgres"]
    protocol = "postgres"
    ports = (5432,)
    stop_seconds = 0.5
    #: seconds initdb and the first start take before TCP connections are accepted
    init_seconds = 2.0

    def __init__(self, ctx):
        super().__init__(ctx)
        tag = getattr(ctx, "tag", "latest") or "latest"
        self.version = PG_VERSIONS.get(tag, PG_VERSIONS.get(tag.split(".")[0].split("-")[0], "17.2"))
        self.major = int(self.version.split(".")[0])
        self.legacy = self.version.startswith("9.4")
        self.user = self.env.get("POSTGRES_USER") or "postgres"
        self.password = self.env.get("POSTGRES_PASSWORD") or ""
        self.auth = self.env.get("POSTGRES_HOST_AUTH_METHOD") or ""
        if self.legacy:
            self.auth = "md5" if self.password else "trust"
        elif not self.auth:
            self.auth = "scram-sha-256" if self.major >= 14 else "md5"
        self.databases = {"postgres": Database(), "template1": Database()}
        dbname = self.env.get("POSTGRES_DB") or self.user
        self.databases.setdefault(dbname, Database())
        self.users = {"postgres", self.user}

    def _ts(self) -> str:
        dt = self.now_dt()
        return dt.strftime("%Y-%m-%d %H:%M:%S.") + f"{dt.microsecond // 1000:03d} UTC"

    def start(self):
        self.running = True
        if not self.legacy and not self.password and self.env.get("POSTGRES_HOST_AUTH_METHOD") != "trust":
            for line in PASSWORD_ERROR.splitlines():
                self.log(line)
            self.exit_code = 1
            self.running = False
            return 0.0
        for line in self._initdb_lines():
            self.log(line)
        self.later(self.init_seconds, self._ready)
        return None

    def _initdb_lines(self) -> list[str]:
        lines = ['The files belonging to this database system will be owned by user "postgres".',
                 "This user must also own the server process.", "",
                 'The database cluster will be initialized with locale "en_US.utf8".',
                 'The default database encoding has accordingly been set to "UTF8".',
                 'The default text search configuration will be set to "english".', "",
                 "Data page checksums are disabled.", "",
                 "fixing permissions on existing directory /var/lib/postgresql/data ... ok",
                 "creating subdirectories ... ok",
                 "selecting default max_connections ... 100" if self.legacy else
                 'selecting default "max_connections" ... 100',
                 "selecting default shared_buffers ... 128MB" if self.legacy else
                 'selecting default "shared_buffers" ... 128MB',
                 "creating configuration files ... ok",
                 "running bootstrap script ... ok",
                 "performing post-bootstrap initialization ... ok",
                 "syncing data to disk ... ok", "", "",
                 "Success. You can now start the database server using:", "",
                 "    pg_ctl -D /var/lib/postgresql/data -l logfile start", ""]
        if self.legacy and not self.password:
            lines += NO_PASSWORD_WARNING.splitlines()
        return lines

    def _ready(self):
        ts = self._ts()
        self.log("PostgreSQL init process complete; ready for start up.")
        self.log("")
        self.log(f"{ts} [1] LOG:  starting PostgreSQL {self.version} (Debian {self.version}-1.pgdg120+1) "
                 "on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit")
        self.log(f'{ts} [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432')
        self.log(f'{ts} [1] LOG:  listening on IPv6 address "::", port 5432')
        self.log(f'{ts} [1] LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"')
        self.log(f"{ts} [1] LOG:  database system is ready to accept connections")
        self.listening = True

    def stop(self):
        ts = self._ts()
        self.log(f"{ts} [1] LOG:  received fast shutdown request")
        self.log(f"{ts} [1] LOG:  aborting any active transactions")
        self.log(f"{ts} [1] LOG:  database system is shut down")
        return super().stop()

    def authenticate(self, q: PgQuery) -> Database:
        """Check the role, password and database as pg_hba.conf and the catalog would."""
        if q.user not in self.users:
            if self.auth in ("md5", "scram-sha-256") and q.password is not None:
                raise PgError("FATAL", f'password authentication failed for user "{q.user}"', "28P01")
            if self.auth != "trust" and q.password is None:
                raise PgError("FATAL", "fe_sendauth: no password supplied", "08004")
            raise PgError("FATAL", f'role "{q.user}" does not exist', "28000")
        if self.auth != "trust":
            if q.password is None:
                raise PgError("FATAL", "fe_sendauth: no password supplied", "08004")
            if q.password != self.password:
                raise PgError("FATAL", f'password authentication failed for user "{q.user}"', "28P01")
        db = self.databases.get(q.database)
        if db is None:
            raise PgError("FATAL", f'database "{q.database}" does not exist', "3D000")
        return db

    def serve(self, protocol: str, q: PgQuery, conn) -> list[SqlResult]:
        db = self.authenticate(q)
        try:
            return db.execute(q.sql)
        except SqlError as e:
            self.log(f"{self._ts()} [{60 + len(self.databases)}] ERROR:  {e.message}")
            self.log(f"{self._ts()} [{60 + len(self.databases)}] STATEMENT:  {q.sql.strip()}")
            raise
