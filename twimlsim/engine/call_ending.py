"""How the engine ends a call: its final status, what ends with it, its terminal status
callback and what that sets off (mixed into ``Engine``).

Ending is in two halves, so that what is ended by the app (a REST update, a hang-up from a
webhook) and what ends on its own share one path: ``mark_ended`` puts the call in its final
status and stops its timers, recordings, streams and links (once); ``finish`` sends the
terminal status callback (once) and then ``finished`` reports the call's recordings, tells a
dialling parent and lets the call's running parts go. An exception out of the app in either
(``KeyboardInterrupt``, ``pytest.fail``) leaves the rest for the next run
(``abandoned.finish_later``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from .abandoned import finish_later
from .dialing import DialAttempt
from .events import HungUp
from .realtime_transcriptions import stop_transcriptions
from .siprec import stop_siprecs
from .streams import stop_streams

if TYPE_CHECKING:
    from twimlsim.clock import VirtualClock
    from twimlsim.model.call import CallStatus

    from .engine import Engine
    from .live_recordings import LiveRecordings
    from .own_numbers import AppLinks
    from .recordings import ActiveRecording
    from .session import SimCall

__all__ = ["CallEnding"]


class CallEnding:
    """The engine's ending of calls (mixed into ``Engine``, which provides what is
    declared here)."""

    clock: VirtualClock
    _call_recordings: dict[str, ActiveRecording]
    _app_links: AppLinks | None

    if TYPE_CHECKING:  # provided by Engine and Delivery; declared here for the checker only

        def live_recordings_made(self) -> LiveRecordings | None: ...

        def send_progress(self, call: SimCall, event: str) -> None: ...

    def mark_ended(self, call: SimCall, status: CallStatus, *, by: str) -> None:
        """Put the call in its final status now (once); stop its timers and recording."""
        if call.ended:
            return
        self.end_record(call, status, by=by)
        self.end_the_rest(call)

    def end_record(self, call: SimCall, status: CallStatus, *, by: str) -> None:
        """``mark_ended``'s first half: the final status, in the record and the transcript,
        and no timer of the call left to fire."""
        record = call.record
        now = self.clock.now
        record.move_to(status, now)
        record.end_time = now
        call.transcript.append(HungUp(now, by=by, status=status.value))
        for timer in call.timers:
            timer.cancel()
        call.timers.clear()

    def end_the_rest(self, call: SimCall) -> None:
        """``mark_ended``'s second half: what ends with the call (its recordings, streams,
        the other side of a call to the simulation's own number)."""
        live = self.live_recordings_made()
        if live is not None:
            live.call_ended(call)
        if call.streams is not None:
            stop_streams(cast("Engine", self), call, every=True)
        if call.realtime_transcriptions is not None:
            stop_transcriptions(cast("Engine", self), call)
        if call.siprecs is not None:
            stop_siprecs(cast("Engine", self), call)
        if self._app_links is not None:
            self._app_links.ended(call)

    def finish(self, call: SimCall) -> None:
        """Send the terminal status callback (once) and tell a dialling parent."""
        if call.finished:
            return
        call.finished = True
        try:
            self.send_progress(call, "completed")
        except BaseException as escaped:  # out of the app (KeyboardInterrupt)
            finish_later(cast("Engine", self), call, escaped)
            raise
        self.finished(call)

    def finished(self, call: SimCall) -> None:
        """``finish`` once the terminal status callback was sent: the call's recording
        reported, a dialling parent told, the call's running parts let go."""
        self._call_recordings.pop(call.sid, None)
        live = self.live_recordings_made()
        if live is not None:
            try:
                live.report_ended(call)
            except BaseException as escaped:  # out of the app's recording callback
                finish_later(cast("Engine", self), call, escaped)
                raise
        if isinstance(call.leg, DialAttempt):
            call.leg.post("ended", call)
        call.let_go()
