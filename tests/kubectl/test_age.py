"""AGE texts: apimachinery duration.HumanDuration and the printers' translateTimestampSince."""

from datetime import datetime, timezone

import pytest

from k8scourse.kubectl.age import human_duration, rfc1123z, translate_timestamp_since

MIN, HOUR, DAY, YEAR = 60, 3600, 86400, 365 * 86400

# Every example of reference 4.2, with the duration that produces it.
EXAMPLES = [
    (0, "0s"), (59, "59s"), (119, "119s"), (120, "2m"), (150, "2m30s"), (9 * MIN + 59, "9m59s"),
    (10 * MIN, "10m"), (179 * MIN, "179m"), (3 * HOUR, "3h"), (3 * HOUR + MIN, "3h1m"),
    (7 * HOUR + 59 * MIN, "7h59m"), (8 * HOUR, "8h"), (47 * HOUR, "47h"), (2 * DAY, "2d"),
    (2 * DAY + 3 * HOUR, "2d3h"), (7 * DAY + 23 * HOUR, "7d23h"), (8 * DAY, "8d"),
    (365 * DAY, "365d"), (729 * DAY, "729d"), (2 * YEAR, "2y"), (2 * YEAR + 80 * DAY, "2y80d"),
    (8 * YEAR, "8y"),
]


@pytest.mark.parametrize("seconds,text", EXAMPLES)
def test_human_duration_matches_every_reference_example(seconds, text):
    """HumanDuration prints each duration of the reference list as kubectl does."""
    assert human_duration(seconds) == text


def test_fractions_of_a_second_are_dropped():
    """119.9 seconds is still 119s, 2m59.9s is 2m59s: units are truncated, never rounded."""
    assert human_duration(119.9) == "119s"
    assert human_duration(179.9) == "2m59s"


def test_small_clock_skew_is_now_and_more_is_invalid():
    """A creation time up to 2s (excluded) in the future reads 0s; further is <invalid>."""
    assert human_duration(-1.5) == "0s"
    assert human_duration(-2) == "<invalid>"
    assert human_duration(-3600) == "<invalid>"


def test_translate_timestamp_since_uses_the_given_clock():
    """The age is measured against the simulated `now`, and a missing timestamp is <unknown>."""
    now = datetime(2025, 1, 1, 0, 5, 35, tzinfo=timezone.utc)
    assert translate_timestamp_since("2025-01-01T00:00:05Z", now) == "5m30s"
    assert translate_timestamp_since("2025-01-01T00:05:35.900000Z", now) == "0s"
    assert translate_timestamp_since(None, now) == "<unknown>"
    assert translate_timestamp_since("", now) == "<unknown>"


def test_rfc1123z_is_describes_date_format():
    """describe prints dates with Go's RFC1123Z layout, e.g. `Wed, 21 May 2025 20:37:47 +0000`."""
    assert rfc1123z("2025-05-21T20:37:47Z") == "Wed, 21 May 2025 20:37:47 +0000"
    assert rfc1123z("2025-01-05T03:04:05Z") == "Sun, 05 Jan 2025 03:04:05 +0000"
