"""A call whose run something other than an ``Exception`` escaped ends there, and says so.

The app may raise what is not an ``Exception`` while it answers a webhook:
``KeyboardInterrupt`` (Ctrl-C while its code runs), ``pytest.fail()`` or ``pytest.skip()``
called from a fake the test gave it, ``pytest.exit()``. The test wants it out of
``sim.run()`` at once, so it passes on; but it passed through the call's run, which can
never go on, and left the call ringing for ever, without a word. The call now ends where
it stood, with the final status of a call cut short (``cut_short_status``), and a failure
that says why. What its end sends the app (its status callback, a waiting ``<Dial>``'s
action) is not sent while the exception passes on: it is due at the same instant, for the
next ``sim.run()`` or ``sim.advance()`` of a test that caught the exception and goes on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twimlsim.arguments import raised_text

from .dialing import cut_short_status

if TYPE_CHECKING:
    from .engine import Engine
    from .session import SimCall

__all__ = ["NEXT_RUN", "PASSED_ON", "abandon", "finish_later"]

_PASSED = "so twimlsim passed it on"
#: How the exception went on, as a failure's message says it (``twimlsim call``, which
#: stops the app's answer instead, replaces this and ``NEXT_RUN`` in its report).
PASSED_ON = f"{_PASSED} out of the run at once"
#: Why it passed on; the message goes on " out of the run at once", making ``PASSED_ON``.
_NOT_AN_EXCEPTION = f"it is not an Exception, {_PASSED}"
#: When what the call's end does is done.
NEXT_RUN = "at the next sim.run() or sim.advance()"


def abandon(engine: Engine, call: SimCall, escaped: BaseException) -> None:
    """End ``call`` now, as ``escaped`` passes out of its run (it is raised again after):
    what is not an ``Exception`` out of the app, or an ``Exception`` out of twimlsim."""
    if call.ended:
        return
    status = cut_short_status(call)
    raised = raised_text(escaped)
    ours = _webhook_escaped(engine, escaped)
    url: str | None = call.document_url
    if isinstance(escaped, Exception):  # not the app's: its exceptions are its HTTP 500
        how, why = "was raised inside twimlsim as the call ran", "twimlsim passed it on"
    elif ours is not None:
        kind, url = ours
        how, why = f"escaped the app as it answered the {kind} webhook", _NOT_AN_EXCEPTION
    else:
        how, why = "interrupted the simulation as the call ran", _NOT_AN_EXCEPTION
    engine.fail(
        call,
        None,
        f"{raised} {how}; {why} out of the run at once (Twilio would have had no answer) "
        f"and ended the call {status.value} there. What the call's end sends the app (its "
        f"status callback) is sent {NEXT_RUN}",
        url=url,
        cause=escaped,
    )
    engine.end_record(call, status, by="exception")
    micros = engine.clock.micros

    def the_rest() -> None:
        engine.end_the_rest(call)
        _leave_rooms_and_queues(engine, call)
        engine.finish(call)

    engine.scheduler.call_at(micros, the_rest)
    # No note is added to ``escaped``: pytest.raises(match=) reads notes too, and the
    # test's own pattern for its exception would no longer match


def finish_later(
    engine: Engine, call: SimCall, escaped: BaseException, *, ending: bool = False
) -> None:
    """What is not an ``Exception`` escaped the app as it answered the terminal status
    callback of ``call`` (which has ended) or a recording's callback sent after it, or an
    ``Exception`` escaped twimlsim: what
    ``finish`` does after it (telling a dialling parent, whose ``<Dial>`` waited for
    ever) is due at this instant, for the next run, as ``escaped`` passes on. ``ending``:
    it escaped a callback the call's end sends before that one (a stream's
    ``stream-stopped``): the rest of the end, the status callback too, is due then."""
    ours = _webhook_escaped(engine, escaped)
    url = ours[1] if ours is not None else None
    if ours is not None:
        webhook = f"the {ours[0]} webhook"
    else:
        webhook = "a webhook of the call's end" if ending else "the status webhook"
    if isinstance(escaped, Exception):  # not the app's: its exceptions are its HTTP 500
        how = f"was raised inside twimlsim as it sent {webhook}; twimlsim passed it on"
    else:
        how = f"escaped the app as it answered {webhook}; {_NOT_AN_EXCEPTION}"
    rest = (
        "its status callback, telling a dialling parent" if ending else "telling a dialling parent"
    )
    engine.fail(
        call,
        None,
        f"{raised_text(escaped)} {how} out of the run at once. The call had ended "
        f"{call.record.status.value}; what its end does next ({rest}) is done {NEXT_RUN}",
        url=url,
        cause=escaped,
    )

    def the_rest() -> None:
        engine.end_the_rest(call)  # what ended before ``escaped`` stays ended
        engine.finish(call)

    engine.scheduler.call_at(
        engine.clock.micros, the_rest if ending else lambda: engine.finished(call)
    )


def _webhook_escaped(engine: Engine, escaped: BaseException) -> tuple[str, str] | None:
    """The kind and URL of the webhook whose answer ``escaped`` escaped, as ``Delivery``
    noted them, or None (it escaped no webhook); the note is cleared either way."""
    where = engine.escaped
    engine.escaped = None
    if where is None or where[0] != id(escaped):
        return None
    return where[1], where[2]


def _leave_rooms_and_queues(engine: Engine, call: SimCall) -> None:
    """What the call's TwiML would have done as it was cut short: leave its conference
    room (``participant_hung_up``: the room ends if it was the last one there) and its
    queue (a Dial that had taken it hears it is gone). A call already bridged to an
    agent ended its bridge as the exception passed through its ``<Enqueue>``."""
    rooms = engine.__dict__.get("conferences")  # made on first use: none, no room
    if rooms is not None:
        for sid in rooms:
            room = rooms[sid]
            seat = room.seats.get(call.sid)
            if seat is not None:
                rooms.leave(room, seat, "participant_hung_up")
    queues = engine.__dict__.get("queues")
    if queues is not None:
        _, taken = queues.leave(call.sid)
        if taken is not None:
            taken.end_by_caller()
