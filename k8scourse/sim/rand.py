"""Seeded randomness: every name suffix, UID, IP and tie-break comes from here."""

from __future__ import annotations

import random

#: The alphabet of generated name suffixes (apimachinery util/rand): no vowels, no 0, 1 or 3.
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


class Rand(random.Random):
    """random.Random with the few draws Kubernetes makes."""

    def suffix(self, n: int = 5) -> str:
        """A random string such as the 5 characters the API server appends to generateName."""
        a = NAME_ALPHABET
        return "".join(a[self.randrange(27)] for _ in range(n))

    def uid(self) -> str:
        """A version-4 UUID, repeatable under the seed (the same text uuid.UUID(version=4) gives)."""
        n = self.getrandbits(128)
        n = (n & ~(0xC000 << 48)) | (0x8000 << 48)   # RFC 4122 variant
        n = (n & ~(0xF000 << 64)) | (4 << 76)        # version 4
        h = "%032x" % n
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
