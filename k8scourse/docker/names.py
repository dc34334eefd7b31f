"""Random container names in docker's `adjective_surname` form (our own short word lists)."""

from __future__ import annotations

ADJECTIVES = [
    "admiring", "bold", "brave", "busy", "calm", "clever", "cool", "dazzling", "eager", "elegant",
    "epic", "festive", "focused", "friendly", "funny", "gallant", "gifted", "happy", "hopeful",
    "jolly", "keen", "kind", "loving", "lucid", "modest", "nifty", "optimistic", "peaceful",
    "practical", "quirky", "relaxed", "serene", "sharp", "stoic", "sweet", "tender", "upbeat",
    "vibrant", "wizardly", "zealous",
]

SURNAMES = [
    "babbage", "bell", "boole", "curie", "darwin", "dijkstra", "einstein", "euler", "faraday",
    "fermi", "galileo", "gauss", "hamilton", "hopper", "hypatia", "johnson", "kepler", "knuth",
    "lamarr", "lovelace", "maxwell", "meitner", "mendel", "newton", "noether", "pascal", "ritchie",
    "shannon", "tesla", "thompson", "torvalds", "turing", "wiles", "wozniak",
]


def random_name(rand, taken: set[str]) -> str:
    """A free name such as `focused_turing` (docker never generates `boring_wozniak`)."""
    for attempt in range(1000):
        name = f"{rand.choice(ADJECTIVES)}_{rand.choice(SURNAMES)}"
        if attempt >= 10:
            name += str(rand.randrange(10))
        if name not in taken:
            return name
    raise RuntimeError("no free container name")
