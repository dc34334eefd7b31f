"""resource.Quantity: parsing, comparing and printing `500m`, `128Mi`, `1.5`, `2e3`.

The grammar and the canonical form follow apimachinery/pkg/api/resource/quantity.go:

    <quantity> ::= <signedNumber><suffix>
    <suffix>   ::= Ki | Mi | Gi | Ti | Pi | Ei | m | "" | k | M | G | T | P | E | n | u | e<int> | E<int>

A value is exact (a Fraction here), rounded up to a whole nano (1e-9), and printed back in the
form the API server returns: no fractional digits, the largest suffix of the kind it was written
with (`0.5` -> `500m`, `1000m` -> `1`, `1024Mi` -> `1Gi`, `1.5Gi` -> `1536Mi`).
"""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

from k8scourse.errors import K8sError

SPLIT_RE = r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
ERR_FORMAT = f"quantities must match the regular expression '{SPLIT_RE}'"
ERR_NUMERIC = "unable to parse numeric part of quantity"
ERR_SUFFIX = "unable to parse quantity's suffix"

DECIMAL_SI = "DecimalSI"
BINARY_SI = "BinarySI"
DECIMAL_EXPONENT = "DecimalExponent"

_SUFFIXES = {
    "": (10, 0, DECIMAL_SI), "n": (10, -9, DECIMAL_SI), "u": (10, -6, DECIMAL_SI),
    "m": (10, -3, DECIMAL_SI), "k": (10, 3, DECIMAL_SI), "M": (10, 6, DECIMAL_SI),
    "G": (10, 9, DECIMAL_SI), "T": (10, 12, DECIMAL_SI), "P": (10, 15, DECIMAL_SI),
    "E": (10, 18, DECIMAL_SI),
    "Ki": (2, 10, BINARY_SI), "Mi": (2, 20, BINARY_SI), "Gi": (2, 30, BINARY_SI),
    "Ti": (2, 40, BINARY_SI), "Pi": (2, 50, BINARY_SI), "Ei": (2, 60, BINARY_SI),
}
_DEC_SUFFIX = {-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P",
               18: "E"}
_BIN_SUFFIX = {0: "", 1: "Ki", 2: "Mi", 3: "Gi", 4: "Ti", 5: "Pi", 6: "Ei"}
_MAX_INT64 = (1 << 63) - 1
_NANO = Fraction(1, 10**9)


class QuantityError(K8sError, ValueError):
    """A string that is not a quantity; str() is apimachinery's error text."""


class Quantity(NamedTuple):
    """A parsed quantity: its exact value, its format, and the text the server would print."""

    value: Fraction
    format: str
    text: str

    def __str__(self) -> str:
        return self.text


def _scan(s: str) -> tuple[bool, str, str, str, str]:
    """parseQuantityString: (positive, value, num, denom, suffix), or raise ERR_FORMAT."""
    positive = True
    pos, end = 0, len(s)
    if pos < end and s[0] in "+-":
        positive = s[0] == "+"
        pos += 1
    while pos < end and s[pos] == "0":
        pos += 1
    if pos >= end:
        return positive, "0", "0", "", ""
    i = pos
    while i < end and s[i].isdigit() and s[i].isascii():
        i += 1
    if i >= end:
        return positive, s, s[pos:], "", ""
    num = s[pos:i] or "0"
    pos = i
    denom = ""
    if s[pos] == ".":
        pos += 1
        i = pos
        while i < end and s[i].isdigit() and s[i].isascii():
            i += 1
        denom = s[pos:i]
        if i >= end:
            return positive, s, num, denom, ""
        pos = i
    value = s[:pos]
    suffix_start = pos
    i = pos
    while i < end and s[i] in "eEinumkKMGTP":
        i += 1
    if i >= end:
        return positive, value, num, denom, s[suffix_start:]
    pos = i
    if s[pos] in "+-":
        pos += 1
    i = pos
    while i < end and s[i] in "0123456789":
        i += 1
    if i >= end:
        return positive, value, num, denom, s[suffix_start:]
    raise QuantityError(ERR_FORMAT)


def _interpret(suffix: str) -> tuple[int, int, str]:
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if len(suffix) > 1 and suffix[0] in "eE":
        rest = suffix[1:]
        body = rest[1:] if rest[0] in "+-" else rest
        if body.isdigit() and body.isascii() and abs(int(rest)) < 2**31:
            return 10, int(rest), DECIMAL_EXPONENT
    raise QuantityError(ERR_SUFFIX)


def _round_up_nano(v: Fraction) -> Fraction:
    """inf.RoundUp to 9 decimal places: away from zero."""
    scaled = v * 10**9
    if scaled.denominator == 1:
        return v
    n = -((-abs(scaled)) // 1)  # ceil of the magnitude
    return Fraction(n if v > 0 else -n, 10**9)


def parse(s: str) -> Quantity:
    """ParseQuantity: the exact value and canonical text of `s`, or raise QuantityError."""
    if not isinstance(s, str) or not s:
        raise QuantityError(ERR_FORMAT)
    if s == "0":
        return Quantity(Fraction(0), DECIMAL_SI, "0")
    positive, value, num, denom, suffix = _scan(s)
    base, exponent, fmt = _interpret(suffix)
    text = None
    amount = None
    # the int64 fast path; it also keeps the written text when that is already canonical
    if fmt in (DECIMAL_SI, DECIMAL_EXPONENT):
        precision = 18 - (len(num) + len(denom))
        scale = exponent - len(denom)
        if precision >= 0 and scale >= -9:
            shifted = num + denom
            amount = Fraction(int(shifted)) * Fraction(10) ** scale
            if scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0":
                text = s
    elif exponent >= 0 and not denom:
        precision = 15 - len(num) - int(exponent * 3 / 10) - 1
        if precision >= 0 and (int(num) << exponent) <= _MAX_INT64:
            amount = Fraction(int(num) << exponent)
            if int(num) & 7 != 0:
                text = s
    if amount is not None:
        if not positive:
            amount = -amount
    else:
        try:
            amount = Fraction(value.lstrip("+-")) if value.lstrip("+-") not in ("", ".") else None
        except ValueError:
            amount = None
        if amount is None:
            raise QuantityError(ERR_NUMERIC)
        if not positive:
            amount = -amount
        amount *= Fraction(base) ** exponent
        if amount != 0:
            amount = _round_up_nano(amount)
    if fmt == BINARY_SI:
        if abs(amount) > _MAX_INT64:
            amount = Fraction(_MAX_INT64 if amount > 0 else -_MAX_INT64)
        if 0 < abs(amount) < 1:
            fmt = DECIMAL_SI
    if text is None:
        text = _canonical_text(amount, fmt)
    return Quantity(amount, fmt, text)


def _canonical_text(v: Fraction, fmt: str) -> str:
    if v == 0:
        return "0"
    if fmt == BINARY_SI:
        if -1024 < v < 1024 or v.denominator != 1:
            fmt = DECIMAL_SI
        else:
            n, k = v.numerator, 0
            while n % 1024 == 0 and k < 6:
                n //= 1024
                k += 1
            return f"{n}{_BIN_SUFFIX[k]}"
    # decimal: mantissa * 10**exp, exp a multiple of 3, mantissa an integer as small as possible
    num, den = v.numerator, v.denominator
    exp = 0
    while den != 1:  # after rounding to nano the denominator divides 10**9
        num *= 10
        exp -= 1
        if num % den == 0:
            num //= den
            den = 1
    while num % 10 == 0 and num != 0:
        num //= 10
        exp += 1
    while exp % 3:
        num *= 10
        exp -= 1
    if fmt == DECIMAL_EXPONENT:
        return f"{num}e{exp}" if exp else str(num)
    if exp in _DEC_SUFFIX:
        return f"{num}{_DEC_SUFFIX[exp]}"
    return f"{num}e{exp}"


def parse_quantity(s: str) -> Fraction:
    """The exact value of a quantity string (raises QuantityError with apimachinery's text)."""
    return parse(s).value


def is_valid(s: object) -> bool:
    """Whether the API server would accept `s` as a quantity."""
    if isinstance(s, bool):
        return False
    if isinstance(s, (int, float)):
        s = str(s)
    try:
        parse(s)  # type: ignore[arg-type]
        return True
    except QuantityError:
        return False


def canonical(s: str) -> str:
    """How the API server prints `s` back: `0.5` -> `500m`, `1024Mi` -> `1Gi`."""
    return parse(s).text


def _ceil(v: Fraction) -> int:
    return -((-v.numerator) // v.denominator)


def cpu_millis(q: str | Fraction | int) -> int:
    """MilliValue(): the quantity in thousandths, rounded up (`250m` -> 250, `1` -> 1000)."""
    v = q if isinstance(q, Fraction) else Fraction(q) if isinstance(q, int) else parse(q).value
    return _ceil(v * 1000)


def memory_bytes(q: str | Fraction | int) -> int:
    """Value(): the quantity as a whole number, rounded up (`128Mi` -> 134217728)."""
    v = q if isinstance(q, Fraction) else Fraction(q) if isinstance(q, int) else parse(q).value
    return _ceil(v)


def to_text(raw: object) -> str:
    """The string a JSON value becomes before Quantity parses it (numbers keep their JSON text)."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        from k8scourse.api.decode import go_float

        return go_float(raw)
    if raw is None:
        return "null"
    import json

    return json.dumps(raw, separators=(",", ":"), sort_keys=True)
