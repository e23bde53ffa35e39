"""Forgetting ended calls, so that a long-running simulator keeps its memory flat.

A test's simulator keeps every call, request and failure for the test to assert on. A
``twimlsim serve`` process may run for hours under steady load: ``Retention`` keeps the
``keep_calls`` most recent ended calls, and none that ended more than ``keep_seconds`` of
virtual time ago. Forgetting a call drops it from ``engine.calls`` and the REST API (it
then answers 404, as for a deleted call), with its webhook requests, its failures, its
recordings and the REST API's log of requests about it; an ended conference room goes
once none of its participants is kept; a forgotten recording's transcriptions go with it.
Live calls are never forgotten. Logged REST requests about no call (lists, fetches of
accounts...) and each account's messages are kept by the same rule: the ``keep_calls``
newest, none older than ``keep_seconds``.

Checking is cheap: the calls are scanned only when enough calls were added, or enough
virtual time passed, since the last scan.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from twimlsim.defaults import DEFAULT_KEEP_CALLS, DEFAULT_KEEP_SECONDS
from twimlsim.model.call import Location
from twimlsim.model.lookup import LineFacts

from .failure_log import FailureLog

if TYPE_CHECKING:
    from datetime import datetime

    from twimlsim.errors import CallFailure
    from twimlsim.model.api_log import ApiRequest

    from .engine import Engine

__all__ = ["DEFAULT_KEEP_CALLS", "DEFAULT_KEEP_SECONDS", "Retention"]


_MICROS = 1_000_000
#: ``keep_us`` of an infinite ``keep_seconds``: beyond any instant of the virtual clock.
_FOREVER = 2**63


class Retention:
    """Forgets ``engine``'s ended calls beyond a count and an age."""

    def __init__(
        self,
        engine: Engine,
        *,
        keep_calls: int = DEFAULT_KEEP_CALLS,
        keep_seconds: float = DEFAULT_KEEP_SECONDS,
        api_log: list[ApiRequest] | None = None,
    ) -> None:
        if keep_calls < 0 or not keep_seconds >= 0:
            raise ValueError(
                f"keep_calls and keep_seconds must be 0 or more, got {keep_calls!r} and "
                f"{keep_seconds!r}; give how many ended calls to keep and for how many "
                f"seconds, such as {DEFAULT_KEEP_CALLS} and {DEFAULT_KEEP_SECONDS:g}"
            )
        self.engine = engine
        #: The REST API's request log (``sim.api_requests``), trimmed with the calls.
        self.api_log = api_log
        self.keep_calls = keep_calls
        # an infinite age (serve --keep-seconds inf) keeps calls however old they are
        self.keep_us = round(keep_seconds * _MICROS) if keep_seconds < math.inf else _FOREVER
        self._slack = max(16, keep_calls // 10)
        self._next_size = keep_calls + self._slack
        self._next_time = self.keep_us
        #: Calls forgotten so far.
        self.forgotten = 0

    def prune(self, *, now: bool = False) -> int:
        """Forget what is due; return how many calls were forgotten.

        Skipped cheaply while too few calls were added and too little time passed since
        the last scan, unless ``now``.
        """
        engine = self.engine
        instant = engine.clock.micros
        if not now and len(engine.calls) < self._next_size and instant < self._next_time:
            return 0
        oldest = self._oldest(instant)
        gone = self._due(oldest)
        if gone:
            self._forget(gone)
        if self.api_log is not None:
            self._trim_api_log(gone, oldest)
        self._trim_messages(oldest)
        self._next_size = len(engine.calls) + self._slack
        self._next_time = instant + max(self.keep_us // 10, _MICROS)
        return len(gone)

    def _due(self, oldest: datetime | None) -> set[str]:
        engine = self.engine
        ended = [call for call in engine.calls.values() if call.ended]
        surplus = len(ended) - self.keep_calls
        gone = {call.sid for call in ended[: max(surplus, 0)]}
        if oldest is not None:
            for call in ended[max(surplus, 0) :]:
                end = call.record.end_time
                if end is not None and end < oldest:
                    gone.add(call.sid)
        return gone

    def _oldest(self, now: int) -> datetime | None:
        """The oldest instant kept, or None while the window reaches the start."""
        return self.engine.clock.at(now - self.keep_us) if now >= self.keep_us else None

    def _trim_api_log(self, gone: set[str], oldest: datetime | None) -> None:
        """Drop logged REST requests about forgotten calls, and those about no call beyond
        the newest ``keep_calls`` or older than the window."""
        log = self.api_log
        assert log is not None
        about_none = sum(1 for entry in log if entry.call_sid is None)
        surplus = about_none - self.keep_calls
        kept = []
        for entry in log:
            if entry.call_sid is None:
                if surplus > 0:
                    surplus -= 1
                    continue
                if oldest is not None and entry.at < oldest:
                    continue
            elif entry.call_sid in gone:
                continue
            kept.append(entry)
        if len(kept) != len(log):
            log[:] = kept

    def _forget(self, gone: set[str]) -> None:
        engine = self.engine
        store = engine.store
        for sid in gone:
            call = engine.calls.pop(sid)
            engine.calls.had_calls = True  # a look-up of it is not told it came from elsewhere
            store.remove_call(call.record)
        recordings = [r for r in store.recordings.values() if r.call_sid in gone]
        for recording in recordings:
            store.remove_recording(recording)
        forgotten = {recording.sid for recording in recordings}
        for account in store.accounts.values():  # the REST API's soft-deleted ones too
            deleted = account.deleted_recordings
            for sid in [sid for sid, r in deleted.items() if r.call_sid in gone]:
                del deleted[sid]
                forgotten.add(sid)
        _forget_transcriptions(engine, forgotten)
        engine.requests[:] = [r for r in engine.requests if r.call_sid not in gone]
        _keep_only(engine.failures, lambda failure: failure.call_sid not in gone)
        # far ends nobody scripted, located or gave Lookup facts are made again on demand:
        # drop them with their calls (a located one keeps its place for the next call)
        unset, no_facts = Location(), LineFacts()
        for number in [
            n
            for n, phone in engine.phones.items()
            if not phone.steps and phone.location == unset and phone.facts == no_facts
        ]:
            del engine.phones[number]
        self._forget_rooms()
        self.forgotten += len(gone)

    def _trim_messages(self, oldest: datetime | None) -> None:
        """Keep each account's ``keep_calls`` newest messages, none older than the window
        (messages belong to no call: they follow the rule of the REST log's other
        requests)."""
        for account in self.engine.store.accounts.values():
            messages = list(account.messages.values())
            surplus = max(len(messages) - self.keep_calls, 0)
            kept = [
                message
                for message in messages[surplus:]
                if oldest is None or message.created_at >= oldest
            ]
            if len(kept) != len(messages):
                account.messages = {message.sid: message for message in kept}

    def _forget_rooms(self) -> None:
        """Forget ended conference rooms none of whose participants is kept."""
        engine = self.engine
        conferences = engine.conferences
        for room in list(conferences.values()):
            if room.status == "completed" and not any(
                call.sid in engine.calls for call in room.participants
            ):
                conferences.forget(room)


def _forget_transcriptions(engine: Engine, recordings: set[str]) -> None:
    """Forget the transcriptions of forgotten recordings."""
    if not recordings:
        return
    for account in engine.store.accounts.values():
        doomed = [
            sid
            for sid, transcription in account.transcriptions.items()
            if transcription.recording_sid in recordings
        ]
        for sid in doomed:
            del account.transcriptions[sid]


def _keep_only(failures: list[CallFailure], keep: Callable[[CallFailure], bool]) -> None:
    """Forget the failures ``keep`` rejects (the engine's log refuses other changes)."""
    if isinstance(failures, FailureLog):
        failures.keep_only(keep)
    else:
        failures[:] = [failure for failure in failures if keep(failure)]
