"""Command-line flags parsed as spf13/pflag does it (the library under kubectl's cobra commands).

    --flag=value   --flag value   --bool   --bool=false   -n ns   -nns   -n=ns   -it   --

Flags may come before, between or after the positional arguments (interspersed). `--` ends the
flags: what follows is positional, and `args_len_at_dash` remembers where it started (kubectl run
and exec use it to find the container command). Errors carry pflag's own words
(`unknown flag: --replicas`, `flag needs an argument: --image`, `unknown shorthand flag: 'x' in -x`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


class FlagError(Exception):
    """A flag the command line got wrong; kubectl adds `See '<cmd> --help' for usage.`"""


class HelpRequested(Exception):
    """`-h` or `--help` was given."""


BOOL, STRING, INT, DURATION, SLICE, ARRAY = "bool", "string", "int", "duration", "stringSlice", \
    "stringArray"


@dataclass
class Flag:
    """One flag: its names, type, default and pflag's NoOptDefVal (value when given bare)."""

    name: str
    type: str = STRING
    default: Any = None
    shorthand: str = ""
    no_opt: str | None = None
    usage: str = ""

    def __post_init__(self) -> None:
        if self.type == BOOL and self.no_opt is None:
            self.no_opt = "true"
        if self.default is None:
            self.default = {BOOL: False, STRING: "", INT: 0, DURATION: 0.0, SLICE: [],
                            ARRAY: []}[self.type]


_DURATION_UNIT = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION_RE = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|ms|s|m|h)")


def parse_go_duration(text: str) -> float:
    """time.ParseDuration: `30s`, `2m`, `1h30m`, `0`; seconds as a float; ValueError otherwise."""
    s = text
    if s in ("0", "+0", "-0"):
        return 0.0
    sign = 1.0
    if s[:1] in "+-" and s:
        sign = -1.0 if s[0] == "-" else 1.0
        s = s[1:]
    if not s:
        raise ValueError(f'time: invalid duration "{text}"')
    total, pos = 0.0, 0
    while pos < len(s):
        m = _DURATION_RE.match(s, pos)
        if not m or m.group(1) in ("", "."):
            if re.fullmatch(r"[0-9.]+", s[pos:]):
                raise ValueError(f'time: missing unit in duration "{text}"')
            um = re.match(r"[0-9.]+([^0-9.]+)", s[pos:])
            if um:
                raise ValueError(f'time: unknown unit "{um.group(1)}" in duration "{text}"')
            raise ValueError(f'time: invalid duration "{text}"')
        total += float(m.group(1)) * _DURATION_UNIT[m.group(2)]
        pos = m.end()
    return sign * total


def _parse_bool(text: str) -> bool:
    """strconv.ParseBool."""
    if text in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if text in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise ValueError(f'strconv.ParseBool: parsing "{text}": invalid syntax')


def _parse_int(text: str) -> int:
    """strconv.ParseInt(s, 0, 64) as pflag's int flags use it."""
    s = text.replace("_", "") if "_" in text and re.fullmatch(r"[+-]?0[xXoObB]?[0-9a-fA-F_]+", text) \
        else text
    try:
        if re.fullmatch(r"[+-]?0[xX][0-9a-fA-F]+", s):
            return int(s, 16)
        if re.fullmatch(r"[+-]?0[oO]?[0-7]+", s) and len(s.lstrip("+-")) > 1:
            return int(s.replace("o", "").replace("O", ""), 8)
        if re.fullmatch(r"[+-]?0[bB][01]+", s):
            return int(s, 2)
        if re.fullmatch(r"[+-]?[0-9]+", s):
            value = int(s)
            if -(2 ** 63) <= value < 2 ** 63:
                return value
            raise ValueError(f'strconv.ParseInt: parsing "{text}": value out of range')
    except ValueError as e:
        if "out of range" in str(e):
            raise
    raise ValueError(f'strconv.ParseInt: parsing "{text}": invalid syntax')


def _split_csv(text: str) -> list[str]:
    """pflag's stringSlice reads its value as one CSV record."""
    if text == "":
        return []
    import csv

    try:
        return next(csv.reader([text]))
    except (csv.Error, StopIteration):
        return text.split(",")


class FlagSet:
    """The flags of one command (its own plus kubectl's global ones)."""

    def __init__(self, flags: list[Flag]):
        self.formal: dict[str, Flag] = {}
        self.shorthands: dict[str, Flag] = {}
        for f in flags:
            self.add(f)
        self.values: dict[str, Any] = {}
        self.changed: set[str] = set()
        self.args: list[str] = []
        self.args_len_at_dash = -1

    def add(self, f: Flag) -> None:
        self.formal[f.name] = f
        if f.shorthand:
            self.shorthands[f.shorthand] = f

    # reading ----------------------------------------------------------------------------------
    def get(self, name: str) -> Any:
        if name in self.values:
            return self.values[name]
        f = self.formal[name]
        return list(f.default) if isinstance(f.default, list) else f.default

    def __getitem__(self, name: str) -> Any:
        return self.get(name)

    def is_set(self, name: str) -> bool:
        return name in self.changed

    # parsing ----------------------------------------------------------------------------------
    def _set(self, f: Flag, value: str) -> None:
        try:
            if f.type == BOOL:
                v: Any = _parse_bool(value)
            elif f.type == INT:
                v = _parse_int(value)
            elif f.type == DURATION:
                v = parse_go_duration(value)
            elif f.type == SLICE:
                items = _split_csv(value)
                v = (self.values[f.name] + items) if f.name in self.changed else items
            elif f.type == ARRAY:
                v = (self.values[f.name] + [value]) if f.name in self.changed else [value]
            else:
                v = value
        except ValueError as e:
            shown = f"-{f.shorthand}, --{f.name}" if f.shorthand else f"--{f.name}"
            raise FlagError(f'invalid argument "{value}" for "{shown}" flag: {e}') from None
        self.values[f.name] = v
        self.changed.add(f.name)

    @staticmethod
    def _normalize(name: str) -> str:
        # kubectl's WordSepNormalizeFunc: `--dry_run` is `--dry-run`
        return name.replace("_", "-")

    def parse(self, arguments: list[str]) -> None:
        """Parse `arguments`; positional ones end up in `self.args`."""
        args = list(arguments)
        while args:
            s = args.pop(0)
            if len(s) == 0 or s[0] != "-" or len(s) == 1:
                self.args.append(s)
                continue
            if s[1] == "-":
                if len(s) == 2:
                    self.args_len_at_dash = len(self.args)
                    self.args.extend(args)
                    return
                args = self._parse_long(s, args)
            else:
                shorthands = s[1:]
                while shorthands:
                    shorthands, args = self._parse_short(shorthands, args)

    def _parse_long(self, s: str, args: list[str]) -> list[str]:
        name = s[2:]
        if not name or name[0] in "-=":
            raise FlagError(f"bad flag syntax: {s}")
        parts = name.split("=", 1)
        name = parts[0]
        f = self.formal.get(self._normalize(name))
        if f is None:
            if name == "help":
                raise HelpRequested()
            raise FlagError(f"unknown flag: --{name}")
        if len(parts) == 2:
            value = parts[1]
        elif f.no_opt is not None:
            value = f.no_opt
        elif args:
            value = args.pop(0)
        else:
            raise FlagError(f"flag needs an argument: {s}")
        self._set(f, value)
        return args

    def _parse_short(self, shorthands: str, args: list[str]) -> tuple[str, list[str]]:
        c = shorthands[0]
        rest = shorthands[1:]
        f = self.shorthands.get(c)
        if f is None:
            if c == "h":
                raise HelpRequested()
            raise FlagError(f"unknown shorthand flag: {_go_char(c)} in -{shorthands}")
        if len(shorthands) > 2 and shorthands[1] == "=":
            value, rest = shorthands[2:], ""
        elif f.no_opt is not None:
            value = f.no_opt
        elif len(shorthands) > 1:
            value, rest = shorthands[1:], ""
        elif args:
            value = args.pop(0)
        else:
            raise FlagError(f"flag needs an argument: {_go_char(c)} in -{shorthands}")
        self._set(f, value)
        return rest, args


def _go_char(c: str) -> str:
    """Go's %q of a byte (a rune literal): 'x'."""
    if c == "'":
        return "'\\''"
    if c == "\\":
        return "'\\\\'"
    if ord(c) < 0x20:
        return f"'\\x{ord(c):02x}'"
    return f"'{c}'"
