"""resource.Quantity parsing and printing (k8scourse.api.quantity)."""

import pytest

from k8scourse.api.quantity import (QuantityError, canonical, cpu_millis, is_valid, memory_bytes,
                                    parse_quantity)


@pytest.mark.parametrize("text,expected", [
    ("0.5", "500m"), ("1000m", "1"), ("1024Mi", "1Gi"), ("1.5Gi", "1536Mi"), ("500m", "500m"),
    ("2000", "2k"), ("1500", "1500"), ("0.1m", "100u"), (".5", "500m"), ("0.5Gi", "512Mi"),
    ("128Mi", "128Mi"), ("0", "0"), ("0m", "0"),
])
def test_canonical_form(text, expected):
    """The API server prints quantities back in canonical form."""
    assert canonical(text) == expected


def test_cpu_millis_and_memory_bytes():
    """MilliValue and Value round up."""
    assert cpu_millis("250m") == 250 and cpu_millis("1") == 1000 and cpu_millis("0.1m") == 1
    assert memory_bytes("128Mi") == 134217728 and memory_bytes("1k") == 1000
    assert memory_bytes("1e3") == 1000


def test_parse_quantity_is_exact():
    """Values are exact fractions."""
    assert parse_quantity("1.5") * 2 == 3


@pytest.mark.parametrize("text,message", [
    ("abc", "quantities must match the regular expression "
            "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
    ("", "quantities must match the regular expression "
         "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
    ("1e", "unable to parse quantity's suffix"),
    ("1k1", "unable to parse quantity's suffix"),
])
def test_errors(text, message):
    """Bad quantities raise apimachinery's messages."""
    with pytest.raises(QuantityError) as info:
        parse_quantity(text)
    assert str(info.value) == message
    assert not is_valid(text)
