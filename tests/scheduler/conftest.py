"""Fixtures for the scheduler tests (helpers live in tests/scheduler/helpers.py)."""

import pytest

from tests.scheduler.helpers import make_cluster


@pytest.fixture
def cluster():
    """An empty cluster: API server, clock, seeded randomness, trace and the scheduler."""
    return make_cluster()
