import re

from k8scourse.sim.rand import Rand


def test_name_suffixes_use_kubernetes_alphabet():
    """Generated suffixes have 5 characters from bcdfghjklmnpqrstvwxz2456789 (no vowels, no 0/1/3)."""
    r = Rand(1)
    for _ in range(500):
        assert re.fullmatch(r"[bcdfghjklmnpqrstvwxz2456789]{5}", r.suffix())


def test_the_same_seed_gives_the_same_draws():
    """Names and UIDs repeat exactly under a seed."""
    a, b = Rand(42), Rand(42)
    assert [a.suffix() for _ in range(5)] + [a.uid()] == [b.suffix() for _ in range(5)] + [b.uid()]
    assert Rand(1).suffix() != Rand(2).suffix() or Rand(1).uid() != Rand(2).uid()


def test_uids_are_version_4_uuids():
    """UIDs look like the API server's (RFC 4122 version 4)."""
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                        Rand(3).uid())


def test_a_uid_written_out_later_is_the_one_drawn_now():
    """uid_bits() draws what uid() would; format_uid writes it as uuid.UUID(version=4) does."""
    import uuid

    from k8scourse.sim.rand import format_uid

    a, b = Rand(7), Rand(7)
    for _ in range(50):
        bits = a.uid_bits()
        assert format_uid(bits) == b.uid() == str(uuid.UUID(int=bits, version=4))
    assert a.suffix() == b.suffix()  # and the stream goes on the same


def test_suffix_characters_are_randrange_draws():
    """Each character is NAME_ALPHABET[randrange(27)], so seeded names stay what they were."""
    import random

    from k8scourse.sim.rand import NAME_ALPHABET

    ref = random.Random(11)
    r = Rand(11)
    for n in (5, 5, 3, 10):
        assert r.suffix(n) == "".join(NAME_ALPHABET[ref.randrange(27)] for _ in range(n))
