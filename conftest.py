"""Test-suite wide settings: every test sees UTC, whatever the machine's zone; ``pytest -n
auto`` (what ``make test`` runs) uses two workers where the machine has two cores."""

from __future__ import annotations

import os
import time

import pytest

os.environ["TZ"] = "UTC"
time.tzset()


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Two pytest-xdist workers on a machine with two cores or more; none on one core (the
    suite then runs in one process, as without ``-n``). ``PYTEST_XDIST_AUTO_NUM_WORKERS``
    still decides when set (``0``: one process)."""
    chosen = os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS")
    if chosen:
        return int(chosen)
    if hasattr(os, "sched_getaffinity"):  # the cores this process may use (Linux)
        cores = len(os.sched_getaffinity(0))
    else:
        cores = os.cpu_count() or 1
    return 2 if cores >= 2 else 0
