"""A clock read while the freezegun bridge unfreezes (from another thread, or from a
garbage-collector callback such as hypothesis's, which reads ``time.perf_counter``) gets a
time, never an IndexError from freezegun's half-emptied stacks.

The read is made at every step of the unfreeze: freezegun's four stacks are replaced by
lists that read the clock each time an entry is added or removed.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterator
from typing import Any, SupportsIndex

import freezegun
import pytest
from freezegun import api

from twimlsim.freeze import FreezeBridge

AT = datetime.datetime(2030, 5, 1, 12, 0, 0, tzinfo=datetime.UTC)
STACKS = ("freeze_factories", "tz_offsets", "ignore_lists", "tick_flags")
READERS: dict[str, Callable[[], object]] = {
    "time.time()": lambda: time.time(),
    "time.perf_counter()": lambda: time.perf_counter(),
    "datetime.datetime.now()": lambda: datetime.datetime.now(),
    "datetime.date.today()": lambda: datetime.date.today(),
    # what a module that bound the fake holds (hypothesis's gc callback binds perf_counter)
    "freezegun's fake_perf_counter()": lambda: api.fake_perf_counter(),
    "freezegun's fake_time()": lambda: api.fake_time(),
}


class ReadingStack(list[Any]):
    """A freezegun stack that reads every clock after each change, keeping any failure."""

    def __init__(self, name: str, items: list[Any], failures: list[str]) -> None:
        super().__init__(items)
        self.name = name
        self.failures = failures

    def _read(self, change: str) -> None:
        for reader_name, reader in READERS.items():
            try:
                reader()
            except Exception as error:  # noqa: BLE001 (the failure is the finding)
                self.failures.append(f"{reader_name} after {self.name}.{change}: {error!r}")

    def append(self, item: Any) -> None:
        super().append(item)
        self._read("append")

    def pop(self, index: SupportsIndex = -1) -> Any:
        item = super().pop(index)
        self._read("pop")
        return item

    def __delitem__(self, index: Any) -> None:
        super().__delitem__(index)
        self._read("del")


@pytest.fixture
def failures(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    found: list[str] = []
    for name in STACKS:
        monkeypatch.setattr(api, name, ReadingStack(name, getattr(api, name), found))
    yield found


def test_every_clock_reads_at_every_step_of_the_bridges_freeze_and_unfreeze(
    failures: list[str],
) -> None:
    bridge = FreezeBridge()
    bridge.start(AT)
    assert datetime.datetime.now(datetime.UTC) == AT
    bridge.stop()
    assert failures == []
    assert datetime.datetime is api.real_datetime and time.time is api.real_time
    assert [list(getattr(api, name)) for name in STACKS] == [[], [], [], []]


def test_inside_a_tests_own_freeze_every_clock_reads_as_the_bridge_unfreezes(
    failures: list[str],
) -> None:
    with freezegun.freeze_time("2020-02-02 10:00:00"):
        bridge = FreezeBridge()
        bridge.start(AT)
        bridge.stop()
        assert datetime.datetime.now() == datetime.datetime(2020, 2, 2, 10, 0, 0)
        # (freezegun's own stop, as the test's freeze ends, pops its time first: not ours)
        assert failures == []
