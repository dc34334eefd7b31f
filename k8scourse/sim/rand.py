"""Seeded randomness: every name suffix, UID, IP and tie-break comes from here."""

from __future__ import annotations

import random

#: The alphabet of generated name suffixes (apimachinery util/rand): no vowels, no 0, 1 or 3.
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


#: uuid4's fixed bits: the RFC 4122 variant (10 in bits 62-63) and version 4 (bits 76-79)
_UUID_KEEP = ~(0xC000 << 48) & ~(0xF000 << 64)
_UUID_SET = (0x8000 << 48) | (4 << 76)


class Rand(random.Random):
    """random.Random with the few draws Kubernetes makes."""

    def suffix(self, n: int = 5) -> str:
        """A random string such as the 5 characters the API server appends to generateName."""
        # randrange(27), unrolled: 5 random bits, drawn again while they are 27 or more
        a = NAME_ALPHABET
        bits = self.getrandbits
        out = []
        for _ in range(n):
            r = bits(5)
            while r >= 27:
                r = bits(5)
            out.append(a[r])
        return "".join(out)

    def uid(self) -> str:
        """A version-4 UUID, repeatable under the seed (the same text uuid.UUID(version=4) gives)."""
        return format_uid(self.getrandbits(128))

    def uid_bits(self) -> int:
        """The draw behind the next uid(), for format_uid to write out later."""
        return self.getrandbits(128)


def format_uid(bits: int) -> str:
    """The version-4 UUID text of a 128-bit draw (variant and version bits set)."""
    h = "%032x" % ((bits & _UUID_KEEP) | _UUID_SET)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
