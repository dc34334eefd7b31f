"""Seeded randomness: every name suffix, UID, IP and tie-break comes from here."""

from __future__ import annotations

import random
import uuid

#: The alphabet of generated name suffixes (apimachinery util/rand): no vowels, no 0, 1 or 3.
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


class Rand(random.Random):
    """random.Random with the few draws Kubernetes makes."""

    def suffix(self, n: int = 5) -> str:
        """A random string such as the 5 characters the API server appends to generateName."""
        a = NAME_ALPHABET
        return "".join(a[self.randrange(27)] for _ in range(n))

    def uid(self) -> str:
        """A version-4 UUID, repeatable under the seed."""
        return str(uuid.UUID(int=self.getrandbits(128), version=4))
