"""A small POSIX shell, enough for the commands a Kubernetes course puts in containers.

    sh -c 'echo hello; sleep 5; echo bye'
    sh -c 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 2; done'
    sh -c 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'
    sleep 3600

Time is simulated, so a script does not run: it is *unrolled*. `run()` is a generator of what the
script does, in order: `("out", stream, text)` for output, `("sleep", seconds)` when it waits,
`("fs", path, content_or_None)` when it writes or removes a file, `("exit", code)` at the end. The
container runtime lays those out on the simulated timeline. Shell flavours differ only in their
error texts: BusyBox's ash (`sh: foo: not found`), Debian's dash (`sh: 1: foo: not found`) and
bash (`bash: line 1: foo: command not found`).
"""

from __future__ import annotations

import re
import shlex
from datetime import datetime, timedelta
from typing import Callable, Iterator

#: A command the interpreter does not know but that an image provides can be taught:
#: `COMMANDS["wget"] = fn(shell, argv, stdin) -> (status, stdout, stderr)`.
COMMANDS: dict[str, Callable] = {}

_OPS = ("&&", "||", ";;", ">>", "2>&1", "2>", ">", "<", ";", "&", "|", "\n", "(", ")")
_KEYWORDS = {"while", "until", "for", "if", "then", "elif", "else", "fi", "do", "done", "in",
             "{", "}", "!"}


class ShellExit(Exception):
    def __init__(self, code: int):
        self.code = code


class ShellSyntaxError(Exception):
    pass


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


# ----------------------------------------------------------------------------------------------
# lexing: words keep their quoting so expansion can follow the shell's rules

class Word:
    """A shell word: a list of (text, quote) parts; quote is "'" (literal), '"' or ""."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[tuple[str, str]]):
        self.parts = parts

    @property
    def literal(self) -> str:
        return "".join(t for t, _ in self.parts)

    def is_plain(self, text: str) -> bool:
        return len(self.parts) == 1 and self.parts[0] == (text, "")

    def __repr__(self) -> str:
        return f"Word({self.parts!r})"


def _lex(src: str) -> list:
    """Tokens: Word objects and operator strings."""
    toks: list = []
    i, n = 0, len(src)
    parts: list[tuple[str, str]] = []
    buf: list[str] = []
    started = False

    def flush_buf():
        nonlocal buf
        if buf:
            parts.append(("".join(buf), ""))
            buf = []

    def end_word():
        nonlocal parts, started
        flush_buf()
        if started:
            toks.append(Word(parts))
        parts = []
        started = False

    while i < n:
        c = src[i]
        if c == "\\" and i + 1 < n:
            if src[i + 1] == "\n":
                i += 2
                continue
            flush_buf()
            parts.append((src[i + 1], "'"))
            started = True
            i += 2
            continue
        if c == "'":
            j = src.find("'", i + 1)
            if j < 0:
                raise ShellSyntaxError("unterminated quoted string")
            flush_buf()
            parts.append((src[i + 1:j], "'"))
            started = True
            i = j + 1
            continue
        if c == '"':
            j = i + 1
            out = []
            while j < n and src[j] != '"':
                if src[j] == "\\" and j + 1 < n and src[j + 1] in '"\\$`':
                    out.append("\\" + src[j + 1]) if src[j + 1] == "$" else out.append(src[j + 1])
                    j += 2
                    continue
                if src[j] == "$" and src.startswith("$(", j):
                    k = _match_paren(src, j + 1)
                    out.append(src[j:k + 1])
                    j = k + 1
                    continue
                out.append(src[j])
                j += 1
            if j >= n:
                raise ShellSyntaxError("unterminated quoted string")
            flush_buf()
            parts.append(("".join(out), '"'))
            started = True
            i = j + 1
            continue
        if c == "$" and src.startswith("$(", i):
            k = _match_paren(src, i + 1)
            buf.append(src[i:k + 1])
            started = True
            i = k + 1
            continue
        if c == "`":
            j = src.find("`", i + 1)
            if j < 0:
                raise ShellSyntaxError("unterminated quoted string")
            buf.append("$(" + src[i + 1:j] + ")")
            started = True
            i = j + 1
            continue
        if c == "#" and not started:
            while i < n and src[i] != "\n":
                i += 1
            continue
        if c in " \t":
            end_word()
            i += 1
            continue
        op = next((o for o in _OPS if src.startswith(o, i)), None)
        if op is not None:
            if op in ("2>", "2>&1") and started:
                op = None
        if op is not None:
            end_word()
            toks.append(op)
            i += len(op)
            continue
        buf.append(c)
        started = True
        i += 1
    end_word()
    return toks


def _match_paren(src: str, i: int) -> int:
    """Index of the `)` closing the `(` at i (nesting and quotes aware)."""
    depth = 0
    j = i
    while j < len(src):
        c = src[j]
        if c == "'":
            j = src.find("'", j + 1)
            if j < 0:
                break
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    raise ShellSyntaxError("Missing ')'")


# ----------------------------------------------------------------------------------------------
# parsing into a small tree of tuples

class _Parser:
    def __init__(self, toks: list):
        self.toks = toks
        self.i = 0

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else None

    def peek_kw(self) -> str | None:
        t = self.peek()
        if isinstance(t, Word) and len(t.parts) == 1 and t.parts[0][1] == "" and \
                t.parts[0][0] in _KEYWORDS:
            return t.parts[0][0]
        return None

    def take(self):
        t = self.peek()
        self.i += 1
        return t

    def expect_kw(self, kw: str):
        if self.peek_kw() != kw:
            got = self.peek()
            text = got.literal if isinstance(got, Word) else ("end of file" if got is None else
                                                              repr(got))
            raise ShellSyntaxError(f"syntax error: unexpected {text} (expecting \"{kw}\")")
        self.take()

    def skip_newlines(self):
        while self.peek() in ("\n", ";"):
            self.take()

    def parse_list(self, stop: tuple[str, ...] = ()) -> list:
        items = []
        while True:
            while self.peek() in ("\n", ";"):
                self.take()
            t = self.peek()
            if t is None or t == ")" or (self.peek_kw() in stop):
                return items
            node = self.parse_and_or()
            background = False
            if self.peek() == "&":
                self.take()
                background = True
            items.append(("bg", node) if background else node)

    def parse_and_or(self):
        node = self.parse_pipeline()
        while self.peek() in ("&&", "||"):
            op = self.take()
            while self.peek() == "\n":
                self.take()
            node = (op, node, self.parse_pipeline())
        return node

    def parse_pipeline(self):
        negate = False
        if self.peek_kw() == "!":
            self.take()
            negate = True
        cmds = [self.parse_command()]
        while self.peek() == "|":
            self.take()
            cmds.append(self.parse_command())
        node = cmds[0] if len(cmds) == 1 else ("pipe", cmds)
        return ("not", node) if negate else node

    def parse_command(self):
        kw = self.peek_kw()
        if kw in ("while", "until"):
            self.take()
            cond = self.parse_list(("do",))
            self.expect_kw("do")
            body = self.parse_list(("done",))
            self.expect_kw("done")
            return self._redirs((kw, cond, body))
        if kw == "for":
            self.take()
            var = self.take().literal
            words: list | None = None
            self.skip_newlines() if self.peek_kw() != "in" else None
            if self.peek_kw() == "in":
                self.take()
                words = []
                while isinstance(self.peek(), Word) and self.peek_kw() != "do":
                    words.append(self.take())
            self.skip_newlines()
            self.expect_kw("do")
            body = self.parse_list(("done",))
            self.expect_kw("done")
            return self._redirs(("for", var, words, body))
        if kw == "if":
            self.take()
            branches = []
            cond = self.parse_list(("then",))
            self.expect_kw("then")
            body = self.parse_list(("elif", "else", "fi"))
            branches.append((cond, body))
            other = None
            while True:
                k = self.peek_kw()
                if k == "elif":
                    self.take()
                    c = self.parse_list(("then",))
                    self.expect_kw("then")
                    b = self.parse_list(("elif", "else", "fi"))
                    branches.append((c, b))
                elif k == "else":
                    self.take()
                    other = self.parse_list(("fi",))
                else:
                    break
            self.expect_kw("fi")
            return self._redirs(("if", branches, other))
        if kw == "{":
            self.take()
            body = self.parse_list(("}",))
            self.expect_kw("}")
            return self._redirs(("group", body))
        if self.peek() == "(":
            self.take()
            body = self.parse_list()
            if self.take() != ")":
                raise ShellSyntaxError("Missing ')'")
            return self._redirs(("group", body))
        words: list[Word] = []
        redirs: list = []
        while True:
            t = self.peek()
            if isinstance(t, Word):
                if not words and self.peek_kw() in ("do", "done", "then", "fi", "else", "elif",
                                                    "}"):
                    break
                words.append(self.take())
            elif t in (">", ">>", "<", "2>"):
                self.take()
                target = self.take()
                if not isinstance(target, Word):
                    raise ShellSyntaxError("syntax error: unexpected redirection")
                redirs.append((t, target))
            elif t == "2>&1":
                self.take()
                redirs.append(("2>&1", None))
            else:
                break
        if not words and not redirs:
            t = self.peek()
            text = "end of file" if t is None else (t.literal if isinstance(t, Word) else
                                                    ("newline" if t == "\n" else t))
            raise ShellSyntaxError(f'syntax error: unexpected "{text}"')
        return ("simple", words, redirs)

    def _redirs(self, node):
        redirs = []
        while self.peek() in (">", ">>", "<", "2>", "2>&1"):
            op = self.take()
            redirs.append((op, None if op == "2>&1" else self.take()))
        return ("redir", node, redirs) if redirs else node


def parse(script: str) -> list:
    p = _Parser(_lex(script))
    items = p.parse_list()
    if p.peek() is not None:
        t = p.peek()
        text = t.literal if isinstance(t, Word) else t
        raise ShellSyntaxError(f'syntax error: unexpected "{text}"')
    return items


# ----------------------------------------------------------------------------------------------
# running

_VAR_RE = re.compile(r"\$(?:\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*)|([0-9?$#!@*]))")
_SLEEP_RE = re.compile(r"^([0-9]*\.?[0-9]+)([smhd]?)$")


def parse_duration(text: str) -> float | None:
    """`sleep`'s argument: 10, 1.5, 5m, 2h, 1d or infinity."""
    if text in ("inf", "infinity"):
        return float("inf")
    m = _SLEEP_RE.match(text)
    if not m:
        return None
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


class Shell:
    """One shell process: variables, files, the clock it reads, and its flavour's error texts."""

    #: stop unrolling an endless loop that never waits (the real one would spin forever)
    MAX_BUSY_STEPS = 20000

    def __init__(self, flavour: str = "ash", env: dict[str, str] | None = None,
                 hostname: str = "localhost", now: Callable[[], float] | None = None,
                 epoch: datetime | None = None, files: dict[str, str] | None = None,
                 programs: frozenset[str] | None = None, name: str = "sh", ctx=None):
        #: the container this shell runs in (its network tools reach the pod network through it)
        self.ctx = ctx
        self.flavour = flavour
        self.vars: dict[str, str] = dict(env or {})
        self.env_names = set(self.vars)
        self.hostname = hostname
        self.elapsed = 0.0
        self._now = now or (lambda: 0.0)
        self.epoch = epoch or datetime(2025, 1, 1)
        self.files: dict[str, str] = dict(files or {})
        self.programs = programs
        self.name = name
        self.status = 0
        self.line = 1
        self.traps: dict[str, str] = {}
        self._busy = 0

    # clock --------------------------------------------------------------------------------
    def time(self) -> float:
        return self._now() + self.elapsed

    def date_text(self) -> str:
        dt = self.epoch + timedelta(seconds=self.time())
        return dt.strftime("%a %b ") + f"{dt.day:>2}" + dt.strftime(" %H:%M:%S UTC %Y")

    # errors -------------------------------------------------------------------------------
    def not_found(self, cmd: str) -> str:
        if self.flavour == "bash":
            return f"{self.name}: line {self.line}: {cmd}: command not found"
        if self.flavour == "dash":
            return f"{self.name}: {self.line}: {cmd}: not found"
        return f"{self.name}: {cmd}: not found"

    def syntax_error(self, msg: str) -> str:
        msg = msg.removeprefix("syntax error: ")
        if self.flavour == "bash":
            return f"{self.name}: -c: line {self.line}: syntax error: {msg}"
        if self.flavour == "dash":
            return f"{self.name}: {self.line}: Syntax error: {msg[:1].upper()}{msg[1:]}"
        return f"{self.name}: syntax error: {msg}"

    # entry points ---------------------------------------------------------------------------
    def run_script(self, script: str) -> Iterator[tuple]:
        """Unroll a `-c` script: ("out", stream, text) / ("sleep", s) / ("fs", path, data) /
        ("exit", code)."""
        try:
            tree = parse(script)
        except ShellSyntaxError as e:
            yield ("out", "stderr", self.syntax_error(str(e)) + "\n")
            yield ("exit", 2)
            return
        try:
            yield from self._list(tree, None)
            code = self.status
        except ShellExit as e:
            code = e.code
        except (_Break, _Continue):
            code = self.status
        yield ("exit", code & 0xFF)

    def run_argv(self, argv: list[str]) -> Iterator[tuple]:
        """Unroll one command given as an argv (an exec, not through a shell)."""
        try:
            yield from self._run_command(list(argv), None, [])
            code = self.status
        except ShellExit as e:
            code = e.code
        yield ("exit", code & 0xFF)

    # the tree ---------------------------------------------------------------------------------
    def _list(self, items: list, stdin):
        for node in items:
            yield from self._node(node, stdin)

    def _node(self, node, stdin):
        self._busy += 1
        if self._busy > self.MAX_BUSY_STEPS:
            yield ("busy",)
            raise ShellExit(self.status)
        kind = node[0]
        if kind == "simple":
            words = self._expand_words(node[1])
            redirs = node[2]
            if redirs:
                yield from self._with_redirs(lambda: self._simple(words, stdin), redirs)
            else:
                yield from self._simple(words, stdin)
        elif kind in ("&&", "||"):
            yield from self._node(node[1], stdin)
            if (self.status == 0) == (kind == "&&"):
                yield from self._node(node[2], stdin)
        elif kind == "not":
            yield from self._node(node[1], stdin)
            self.status = 0 if self.status else 1
        elif kind == "bg":
            # a background job: its output interleaves; model it as done in the background
            saved = self.elapsed
            for ev in self._node(node[1], stdin):
                if ev[0] == "out":
                    yield ev
            self.elapsed = saved
            self.status = 0
        elif kind == "pipe":
            data = stdin
            for i, cmd in enumerate(node[1]):
                last = i == len(node[1]) - 1
                if last:
                    yield from self._node(cmd, data)
                else:
                    out = []
                    for ev in self._node(cmd, data):
                        if ev[0] == "out" and ev[1] == "stdout":
                            out.append(ev[2])
                        else:
                            yield ev
                    data = "".join(out)
        elif kind in ("while", "until"):
            _, cond, body = node
            self.status = 0
            while True:
                yield from self._list(cond, stdin)
                if (self.status == 0) != (kind == "while"):
                    break
                try:
                    yield from self._list(body, stdin)
                except _Break:
                    break
                except _Continue:
                    continue
            self.status = 0
        elif kind == "for":
            _, var, words, body = node
            values = self._expand_words(words) if words is not None else []
            self.status = 0
            for v in values:
                self.vars[var] = v
                try:
                    yield from self._list(body, stdin)
                except _Break:
                    break
                except _Continue:
                    continue
        elif kind == "if":
            _, branches, other = node
            for cond, body in branches:
                yield from self._list(cond, stdin)
                if self.status == 0:
                    yield from self._list(body, stdin)
                    return
            self.status = 0
            if other is not None:
                yield from self._list(other, stdin)
        elif kind == "group":
            yield from self._list(node[1], stdin)
        elif kind == "redir":
            yield from self._with_redirs(lambda: self._node(node[1], stdin), node[2])

    def _with_redirs(self, make, redirs):
        """Run with `> file`, `>> file`, `2> file`, `2>&1`, `< file`."""
        target_out = target_err = None
        append = False
        merge = False
        for op, w in redirs:
            path = self._expand_word(w, split=False)[0] if w is not None else None
            if op in (">", ">>"):
                target_out, append = path, op == ">>"
            elif op == "2>":
                target_err = path
            elif op == "2>&1":
                merge = True
        written: list[str] = []
        for ev in make():
            if ev[0] == "out":
                stream = ev[1]
                if stream == "stderr" and merge:
                    stream = "stdout"
                if stream == "stdout" and target_out is not None:
                    if target_out != "/dev/null":
                        written.append(ev[2])
                    continue
                if stream == "stderr" and target_err is not None:
                    continue
                yield ("out", stream, ev[2])
            else:
                yield ev
        if target_out is not None and target_out not in ("/dev/null", "/dev/stdout"):
            data = "".join(written)
            if append:
                data = self.files.get(target_out, "") + data
            self.files[target_out] = data
            yield ("fs", target_out, data)

    # expansion ------------------------------------------------------------------------------
    def _expand_words(self, words: list[Word]) -> list[str]:
        out: list[str] = []
        for w in words:
            out.extend(self._expand_word(w))
        return out

    def _expand_word(self, w: Word, split: bool = True) -> list[str]:
        fields: list[str] = [""]
        quoted_any = False
        for text, q in w.parts:
            if q == "'":
                fields[-1] += text
                quoted_any = True
            elif q == '"':
                fields[-1] += self._substitute(text)
                quoted_any = True
            else:
                value = self._substitute(text)
                if split and value != text:
                    pieces = value.split()
                    if not pieces:
                        continue
                    if value[:1].isspace():
                        fields.append("")
                    fields[-1] += pieces[0]
                    for p in pieces[1:]:
                        fields.append(p)
                    if value[-1:].isspace():
                        fields.append("")
                else:
                    fields[-1] += value
        fields = [f for f in fields if f != ""] if not quoted_any else fields
        return fields if (fields or quoted_any) else []

    def _substitute(self, text: str) -> str:
        if "$" not in text:
            return text
        out = []
        i = 0
        while i < len(text):
            c = text[i]
            if c == "\\" and text.startswith("\\$", i):
                out.append("$")
                i += 2
                continue
            if c == "$":
                if text.startswith("$((", i):
                    k = _match_paren(text, i + 1)
                    out.append(str(self._arith(text[i + 3:k - 1])))
                    i = k + 1
                    continue
                if text.startswith("$(", i):
                    k = _match_paren(text, i + 1)
                    out.append(self._capture(text[i + 2:k]).rstrip("\n"))
                    i = k + 1
                    continue
                m = _VAR_RE.match(text, i)
                if m:
                    name = m.group(1) or m.group(2) or m.group(3)
                    out.append(self._var(name))
                    i = m.end()
                    continue
            out.append(c)
            i += 1
        return "".join(out)

    def _var(self, name: str) -> str:
        if ":-" in name:
            n, _, default = name.partition(":-")
            return self.vars.get(n) or default
        if name == "?":
            return str(self.status)
        if name == "$":
            return "1"
        if name == "#":
            return "0"
        if name == "HOSTNAME":
            return self.vars.get("HOSTNAME", self.hostname)
        if name == "RANDOM":
            return str(int(self.time() * 7919) % 32768)
        return self.vars.get(name, "")

    def _arith(self, expr: str) -> int:
        expr = re.sub(r"\$?([A-Za-z_][A-Za-z0-9_]*)",
                      lambda m: self.vars.get(m.group(1), "0") or "0", expr)
        if not re.fullmatch(r"[0-9+\-*/%() <>=!&|]*", expr):
            return 0
        expr = expr.replace("/", "//").replace("&&", " and ").replace("||", " or ")
        try:
            return int(eval(expr, {"__builtins__": {}}, {}))  # digits and operators only
        except Exception:
            return 0

    def _capture(self, script: str) -> str:
        """$(...): run a script and return what it printed (it may take time)."""
        sub = Shell(self.flavour, self.vars, self.hostname, self._now, self.epoch, self.files,
                    self.programs, self.name, ctx=self.ctx)
        sub.elapsed = self.elapsed
        out = []
        for ev in sub.run_script(script):
            if ev[0] == "out" and ev[1] == "stdout":
                out.append(ev[2])
        self.elapsed = sub.elapsed
        self.files = sub.files
        return "".join(out)

    # commands -------------------------------------------------------------------------------
    def _simple(self, argv: list[str], stdin):
        # leading assignments
        assigns = []
        while argv and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", argv[0]):
            assigns.append(argv.pop(0))
        if not argv:
            for a in assigns:
                k, _, v = a.partition("=")
                self.vars[k] = v
            self.status = 0
            return
        yield from self._run_command(argv, stdin, assigns)

    def _out(self, text: str, stream: str = "stdout"):
        return ("out", stream, text)

    def _run_command(self, argv: list[str], stdin, assigns: list[str]):
        name = argv[0]
        base = name.rsplit("/", 1)[-1]
        fn = getattr(self, "_cmd_" + base.replace("-", "_").replace("[", "test"), None)
        if base in ("[", "[["):
            fn = self._cmd_test
        elif base == ":":
            fn = self._cmd_true
        if fn is None and base in COMMANDS:
            status, out, err = COMMANDS[base](self, argv, stdin)
            if out:
                yield self._out(out)
            if err:
                yield self._out(err, "stderr")
            self.status = status
            return
        if fn is None or (self.programs is not None and base not in self.programs
                          and base not in _BUILTINS):
            if self.programs is not None and base in self.programs:
                # a program of the image the shell cannot imitate: it runs and succeeds quietly
                self.status = 0
                return
            yield self._out(self.not_found(name) + "\n", "stderr")
            self.status = 127
            return
        result = fn(argv[1:], stdin)
        if result is None:
            return
        if hasattr(result, "__next__"):
            result = yield from result
            if result is None:
                return
        status, out = result if isinstance(result, tuple) else (result, "")
        if out:
            yield self._out(out)
        self.status = status

    # builtins and applets (each returns status, or (status, stdout), or is a generator)
    def _cmd_true(self, args, stdin):
        return 0

    def _cmd_false(self, args, stdin):
        return 1

    def _cmd__(self, args, stdin):  # ":"
        return 0

    def _cmd_echo(self, args, stdin):
        newline = True
        interpret = self.flavour == "dash"
        while args and args[0] in ("-n", "-e", "-E", "-ne", "-en"):
            if "n" in args[0]:
                newline = False
            if "e" in args[0]:
                interpret = True
            args = args[1:]
        text = " ".join(args)
        if interpret:
            text = text.replace("\\n", "\n").replace("\\t", "\t")
        return 0, text + ("\n" if newline else "")

    def _cmd_printf(self, args, stdin):
        if not args:
            return 1
        fmt, rest = args[0], list(args[1:])
        fmt = fmt.replace("\\n", "\n").replace("\\t", "\t")
        out = []
        while True:
            def repl(m):
                if m.group(0) == "%%":
                    return "%"
                v = rest.pop(0) if rest else ""
                if m.group(1) == "d":
                    try:
                        return str(int(v or 0))
                    except ValueError:
                        return "0"
                return v
            out.append(re.sub(r"%%|%([sdi])", repl, fmt))
            if not rest:
                break
        return 0, "".join(out)

    def _cmd_sleep(self, args, stdin):
        total = 0.0
        if not args:
            yield self._out(f"sleep: missing operand\n" if self.flavour != "ash"
                            else "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n"
                                 "\nUsage: sleep [N]...\n", "stderr")
            self.status = 1
            return
        for a in args:
            d = parse_duration(a)
            if d is None:
                yield self._out(f"sleep: invalid number '{a}'\n", "stderr")
                self.status = 1
                return
            total += d
        self._busy = 0
        yield ("sleep", total)
        self.elapsed += total
        self.status = 0

    def _cmd_exit(self, args, stdin):
        code = self.status
        if args:
            try:
                code = int(args[0])
            except ValueError:
                code = 2
        raise ShellExit(code)

    def _cmd_break(self, args, stdin):
        raise _Break()

    def _cmd_continue(self, args, stdin):
        raise _Continue()

    def _cmd_date(self, args, stdin):
        return 0, self.date_text() + "\n"

    def _cmd_hostname(self, args, stdin):
        return 0, self.hostname + "\n"

    def _cmd_whoami(self, args, stdin):
        return 0, "root\n"

    def _cmd_id(self, args, stdin):
        return 0, "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n"

    def _cmd_uname(self, args, stdin):
        return 0, ("Linux\n" if not args else f"Linux {self.hostname}\n")

    def _cmd_pwd(self, args, stdin):
        return 0, "/\n"

    def _cmd_cd(self, args, stdin):
        return 0

    def _cmd_wait(self, args, stdin):
        return 0

    def _cmd_export(self, args, stdin):
        for a in args:
            k, eq, v = a.partition("=")
            if eq:
                self.vars[k] = v
            self.env_names.add(k)
        return 0

    def _cmd_unset(self, args, stdin):
        for a in args:
            self.vars.pop(a, None)
        return 0

    def _cmd_env(self, args, stdin):
        if args:
            return (yield from self._run_command(args, stdin, []))
        lines = "".join(f"{k}={self.vars[k]}\n" for k in self.vars if k in self.env_names)
        return 0, lines

    _cmd_printenv = _cmd_env

    def _cmd_trap(self, args, stdin):
        if len(args) >= 2:
            action = args[0]
            for sig in args[1:]:
                sig = sig.upper().removeprefix("SIG")
                if sig == "15":
                    sig = "TERM"
                self.traps[sig] = action
        return 0

    def _cmd_cat(self, args, stdin):
        if not args:
            return 0, stdin or ""
        out = []
        for path in args:
            if path in self.files:
                out.append(self.files[path])
            else:
                err = (f"cat: can't open '{path}': No such file or directory\n"
                       if self.flavour == "ash" else
                       f"cat: {path}: No such file or directory\n")
                if out:
                    yield self._out("".join(out))
                    out = []
                yield self._out(err, "stderr")
                self.status = 1
                return
        if out:
            yield self._out("".join(out))
        self.status = 0

    def _cmd_touch(self, args, stdin):
        for path in args:
            if path.startswith("-"):
                continue
            if path not in self.files:
                self.files[path] = ""
                yield ("fs", path, "")
        self.status = 0

    def _cmd_rm(self, args, stdin):
        force = any(a.startswith("-") and "f" in a for a in args)
        for path in (a for a in args if not a.startswith("-")):
            if path in self.files:
                del self.files[path]
                yield ("fs", path, None)
            elif not force:
                err = (f"rm: can't remove '{path}': No such file or directory\n"
                       if self.flavour == "ash" else
                       f"rm: cannot remove '{path}': No such file or directory\n")
                yield self._out(err, "stderr")
                self.status = 1
                return
        self.status = 0

    def _cmd_mkdir(self, args, stdin):
        return 0

    def _cmd_ls(self, args, stdin):
        paths = [a for a in args if not a.startswith("-")] or ["."]
        names = sorted({p.rsplit("/", 1)[-1] for p in self.files
                        if any(p.startswith(d.rstrip("/") + "/") for d in paths)})
        return 0, "".join(n + "\n" for n in names)

    def _cmd_seq(self, args, stdin):
        try:
            nums = [int(a) for a in args]
        except ValueError:
            return 1
        if len(nums) == 1:
            first, step, last = 1, 1, nums[0]
        elif len(nums) == 2:
            first, step, last = nums[0], 1, nums[1]
        elif len(nums) == 3:
            first, step, last = nums
        else:
            return 1
        if step == 0:
            return 1
        return 0, "".join(f"{i}\n" for i in range(first, last + (1 if step > 0 else -1), step))

    def _cmd_expr(self, args, stdin):
        v = self._arith(" ".join(args))
        return (0 if v else 1), f"{v}\n"

    def _cmd_test(self, args, stdin):
        if args and args[-1] in ("]", "]]"):
            args = args[:-1]
        return 0 if self._test(args) else 1

    def _test(self, a: list[str]) -> bool:
        if not a:
            return False
        if a[0] == "!":
            return not self._test(a[1:])
        if len(a) == 1:
            return a[0] != ""
        if len(a) == 2:
            op, x = a
            if op in ("-f", "-e", "-s", "-r"):
                return x in self.files and (op != "-s" or self.files[x] != "")
            if op == "-d":
                return x in ("/", "/tmp", "/etc", "/var", ".")
            if op == "-z":
                return x == ""
            if op == "-n":
                return x != ""
            return False
        x, op, y = a[0], a[1], a[2]
        if op in ("=", "=="):
            return x == y
        if op == "!=":
            return x != y
        try:
            xi, yi = int(x), int(y)
        except ValueError:
            return False
        return {"-eq": xi == yi, "-ne": xi != yi, "-lt": xi < yi, "-le": xi <= yi,
                "-gt": xi > yi, "-ge": xi >= yi}.get(op, False)

    def _cmd_tail(self, args, stdin):
        if "-f" in args or "-F" in args:
            self._busy = 0
            yield ("sleep", float("inf"))
            return
        n = 10
        for i, a in enumerate(args):
            if a == "-n" and i + 1 < len(args):
                n = int(args[i + 1]) if args[i + 1].lstrip("-").isdigit() else 10
        files = [a for a in args if not a.startswith("-") and not a.isdigit()]
        text = stdin or "".join(self.files.get(f, "") for f in files)
        lines = text.splitlines(keepends=True)[-n:] if n else []
        yield self._out("".join(lines))
        self.status = 0

    def _cmd_head(self, args, stdin):
        n = 10
        for i, a in enumerate(args):
            if a == "-n" and i + 1 < len(args) and args[i + 1].isdigit():
                n = int(args[i + 1])
        files = [a for a in args if not a.startswith("-") and not a.isdigit()]
        text = stdin or "".join(self.files.get(f, "") for f in files)
        return 0, "".join(text.splitlines(keepends=True)[:n])

    def _cmd_wc(self, args, stdin):
        text = stdin or ""
        if "-l" in args:
            return 0, f"{text.count(chr(10))}\n"
        return 0, f"{text.count(chr(10)):>7} {len(text.split()):>7} {len(text):>7}\n"

    def _cmd_grep(self, args, stdin):
        pats = [a for a in args if not a.startswith("-")]
        if not pats:
            return 2
        pat = pats[0]
        lines = [ln for ln in (stdin or "").splitlines(keepends=True) if pat in ln]
        return (0 if lines else 1), "".join(lines)

    def _cmd_yes(self, args, stdin):
        word = " ".join(args) or "y"
        for _ in range(self.MAX_BUSY_STEPS):
            yield self._out(word + "\n")
        yield ("busy",)
        raise ShellExit(0)

    def _cmd_nproc(self, args, stdin):
        return 0, "2\n"

    def _cmd_basename(self, args, stdin):
        return 0, (args[0].rstrip("/").rsplit("/", 1)[-1] + "\n") if args else ""

    def _cmd_dirname(self, args, stdin):
        return 0, ((args[0].rsplit("/", 1)[0] or "/") + "\n") if args else ""

    def _cmd_kill(self, args, stdin):
        return 0

    def _cmd_read(self, args, stdin):
        return 1  # no terminal: stdin is at EOF

    def _cmd_sh(self, args, stdin):
        return self._nested(args, "sh", self.flavour if self.flavour != "bash" else "dash")

    def _cmd_ash(self, args, stdin):
        return self._nested(args, "ash", "ash")

    def _cmd_bash(self, args, stdin):
        return self._nested(args, "bash", "bash")

    def _cmd_dash(self, args, stdin):
        return self._nested(args, "dash", "dash")

    def _nested(self, args, name, flavour):
        if len(args) >= 2 and args[0] == "-c":
            sub = Shell(flavour, self.vars, self.hostname, self._now, self.epoch, self.files,
                        self.programs, name, ctx=self.ctx)
            sub.env_names = set(self.env_names)
            sub.elapsed = self.elapsed
            code = 0
            for ev in sub.run_script(args[1]):
                if ev[0] == "exit":
                    code = ev[1]
                else:
                    yield ev
            self.elapsed = sub.elapsed
            self.files = sub.files
            self.status = code
            return
        self.status = 0  # no terminal: an interactive shell reads EOF and exits

    def _cmd_shift(self, args, stdin):
        return 0

    def _cmd_set(self, args, stdin):
        return 0


_BUILTINS = frozenset({"echo", "printf", "exit", "true", "false", ":", "cd", "pwd", "export",
                       "unset", "trap", "test", "[", "break", "continue", "wait", "read", "set",
                       "shift", "kill"})


def split_command(text: str) -> list[str]:
    """Split a command line the way a user means it (for `kubectl exec -- sh -c "..."` in tests)."""
    return shlex.split(text)
