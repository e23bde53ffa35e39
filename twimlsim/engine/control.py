"""Live-call control: what a REST update (``POST /Calls/{Sid}``) does to a running call.

- **Redirect** (``Url``/``Twiml``): an answered call stops what it is doing at once and
  runs the new document, and so does an inbound call still ``ringing`` (its TwiML already
  runs: its first voice request, a first ``<Pause>``); an outbound call still ``queued``
  or ``ringing`` runs it when answered (fidelity choice: Twilio documents only the live
  case). A ``<Dial>``'s bridged leg leaves the bridge and runs it (``dialing.py``).
- **Cancel** (``Status=canceled``): a ``queued`` call ends ``canceled`` with no status
  callback (reference §1.4); a ``ringing`` call ends ``canceled`` with its completed
  callback; an answered call is not affected (reference §1.6, believed). A canceled call
  of a participant added by REST is a failed add (``participant-leave``).
- **Hang up** (``Status=completed``): an answered call ends ``completed``; a ``queued`` or
  ``ringing`` call is canceled (fidelity choice).

A call whose own webhook is running when the update arrives (the app updates the call it
is answering) takes a redirect or a hang-up as soon as that webhook returns, before any of
its answer runs: Twilio "will immediately redirect the call to the new TwiML", so the
answer is neither run nor checked (fidelity choice, unconfirmed: ``interpreter._superseded``);
a cancel of a call not yet answered ends it at once (no later callback but the completed
one, no answer).

Also here: the app's WebSocket server closing a ``<Connect><Stream>``
(``call.close_stream()``), and Twilio's warning 32019 for a create or update that sends
both ``Url`` and ``Twiml``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twimlsim.clock import to_micros
from twimlsim.errors import ConfigurationError
from twimlsim.model.call import CallStatus, Direction

from .events import HungUp
from .given_input import held_message
from .process import Interrupt, Process, Waiting
from .redirects import RedirectCall, Target, redirectable, run_target
from .streams import StreamAudio, StreamClose

if TYPE_CHECKING:
    from twimlsim.clock import Scheduler

    from .engine import Engine
    from .session import SimCall


__all__ = [
    "HANGUP",
    "RedirectCall",
    "Target",
    "cancel",
    "claim_wait",
    "close_connect_stream",
    "deliver_now",
    "give_stream_audio",
    "hang_up",
    "redirect",
    "redirectable",
    "run_target",
    "set_time_limit",
    "warn_twiml_ignored",
]


def _running(call: SimCall) -> bool:
    process = call.process
    return process is not None and process.running


def redirect(
    engine: Engine, call: SimCall, *, url: str | None, method: str = "POST", twiml: str | None
) -> None:
    """Make the call run new TwiML: at once when answered, else when it is answered."""
    record = call.record
    if record.status is CallStatus.IN_PROGRESS or _inbound_ringing(call):
        _interrupt(engine, call, RedirectCall(Target(url, method, twiml)))
        return
    record.url, record.method, record.twiml = url, method, twiml if url is None else None


def _interrupt(engine: Engine, call: SimCall, reason: Interrupt) -> None:
    """Throw ``reason`` into the call: at once, or, when the app sent the update from
    inside a webhook of another call, once the event under way is over, at this same
    instant. The call's new document (and its webhooks) then does not run nested in that
    webhook: a chain of apps updating one call from another's webhook would otherwise nest
    without end (a ``RecursionError`` after a few dozen calls)."""
    process = call.process
    if process is None:
        return
    if engine.answering and not process.running:
        engine.scheduler.call_at(engine.clock.micros, lambda: process.interrupt(reason))
    else:
        process.interrupt(reason)


def _inbound_ringing(call: SimCall) -> bool:
    """An inbound call not answered yet: its TwiML already runs (its first voice request,
    a first ``<Pause>``), so a redirect replaces it at once, as for an answered call."""
    record = call.record
    return record.status is CallStatus.RINGING and record.direction is Direction.INBOUND


def cancel(engine: Engine, call: SimCall) -> None:
    """``Status=canceled``: end a queued or ringing call; an answered call goes on."""
    record = call.record
    if record.status is CallStatus.QUEUED and record.start_time is None:
        if call.process is not None:
            call.process.stop()  # it never left the queue: its departure is void
        now = engine.clock.now
        record.move_to(CallStatus.CANCELED, now)
        record.end_time = now
        call.transcript.append(HungUp(now, by="api", status=CallStatus.CANCELED.value))
        engine.conferences.canceled(call)
        return
    if record.status not in {CallStatus.QUEUED, CallStatus.RINGING}:
        return
    if _running(call):
        # The app cancels the call from inside the call's own webhook (its initiated or
        # ringing callback, an inbound call's first voice request): the call ends now, as
        # the update's answer says, and its life stops once that webhook returns
        # (``Engine.ring`` and ``Engine.answer`` see it ended).
        engine.mark_ended(call, CallStatus.CANCELED, by="api")
        return
    if call.process is not None:
        call.process.stop()  # its ringing wait is over
    engine.mark_ended(call, CallStatus.CANCELED, by="api")

    def report() -> None:
        engine.finish(call)
        engine.conferences.canceled(call)

    if engine.answering:  # not nested in the webhook the app sent the cancel from
        engine.scheduler.call_at(engine.clock.micros, report)
    else:
        report()


def hang_up(engine: Engine, call: SimCall) -> None:
    """``Status=completed``: hang up an answered call; cancel one not yet answered."""
    record = call.record
    if record.status is CallStatus.IN_PROGRESS:
        _interrupt(engine, call, Interrupt("api"))
        return
    cancel(engine, call)


def set_time_limit(engine: Engine, call: SimCall, seconds: int) -> None:
    """Change the call's time limit; for an answered call it counts from the answer.

    The timer of the old limit is cancelled and one for the new limit armed, so an update
    can lengthen a call as well as shorten it; a limit already passed ends the call now.
    A call not answered yet keeps the new limit for its answer.
    """
    record = call.record
    record.time_limit = seconds
    if record.status is not CallStatus.IN_PROGRESS or record.answered_at is None:
        return
    if call.time_limit_timer is not None:
        call.time_limit_timer.cancel()
    answered = to_micros(record.answered_at - engine.clock.start)
    due = max(answered + to_micros(seconds), engine.clock.micros)

    def fire() -> None:
        if call.process is not None and not call.ended:
            call.process.interrupt(Interrupt("time-limit"))

    timer = engine.scheduler.call_at(due, fire)
    call.timers.append(timer)
    call.time_limit_timer = timer


def warn_twiml_ignored(engine: Engine, call: SimCall, url: str | None) -> None:
    """Record Twilio's warning 32019: a create or update sent both ``Url`` and ``Twiml``,
    and the ``Url`` is used."""
    engine.fail(
        call,
        32019,
        "Twiml and Voice URL are both set. Using Voice URL: the call requests its Url and the "
        "Twiml sent with it is ignored; send only one of them",
        url=url,
        level="warning",
    )


def close_connect_stream(engine: Engine, call: SimCall, handoff_data: str | None) -> None:
    """The app's WebSocket server ends the ``<Connect>`` ``call`` waits in, now
    (``call.close_stream()``); a ``ConfigurationError`` when it waits in none, or when
    ``handoff_data`` is given to a ``<Stream>`` (only ``<ConversationRelay>``'s ``end``
    message carries it)."""
    process = call.process
    listening = process.listening if process is not None else None
    waiting = listening.waiting if listening is not None else None
    if waiting is None or waiting.verb != "Connect":
        engine.after_running()  # a failure that ended the call is the real cause
        if call.held is not None:
            raise ConfigurationError(f"call.close_stream(): {held_message(call)}")
        doing = f"waiting at a <{waiting.verb}>" if waiting is not None else "not waiting"
        raise ConfigurationError(
            f"call.close_stream(): call {call.sid} is not connected to a stream "
            f"(status {call.status}, {doing}); run it with call.run() until "
            "call.waiting_for.verb == 'Connect'"
        )
    if handoff_data is not None and waiting.details.get("noun") != "ConversationRelay":
        raise ConfigurationError(
            f"call.close_stream(handoff_data=...): call {call.sid} is in a <Connect><Stream>, "
            "which ends without handoff data (only <ConversationRelay>'s end message has "
            "it); call close_stream() without it"
        )
    assert process is not None
    described = "call.close_stream()" if handoff_data is None else "call.close_stream(...)"
    claim_wait(call, waiting, described, closing=True)
    call.waiting_step = None
    deliver_now(engine.scheduler, process, StreamClose(handoff_data))


def give_stream_audio(engine: Engine, call: SimCall, payload: bytes) -> None:
    """The caller's audio ``payload`` goes to the app's WebSockets of ``call`` now
    (``call.stream_audio()``): to each ``<Start><Stream>`` (or REST-started stream) open
    that carries the inbound track, at once (``engine/fork_socket.py``), and to the
    ``<Connect><Stream>`` the call waits in, as the call runs; a ``ConfigurationError``
    when there is no such stream."""
    process = call.process
    listening = process.listening if process is not None else None
    waiting = listening.waiting if listening is not None else None
    connected = (
        waiting is not None
        and waiting.verb == "Connect"
        and waiting.details.get("noun") == "Stream"
        and bool(waiting.input)
    )
    forks = []
    if call.stream_sockets:
        from .fork_socket import open_forks  # imported once a socket was opened

        forks = list(open_forks(call))
    hearing = [fork for fork in forks if "inbound" in fork.tracks]
    if not connected and not hearing:
        engine.after_running()  # a failure that ended the call is the real cause
        if forks:
            sids = ", ".join(fork.stream.sid for fork in forks)
            raise ConfigurationError(
                f"call.stream_audio(...): call {call.sid}'s open streams ({sids}) carry "
                "Twilio's audio only (track=\"outbound_track\"), not the caller's, and "
                "twimlsim makes no audio of its own; stream the caller with "
                'track="inbound_track" or "both_tracks"'
            )
        doing = f"waiting at a <{waiting.verb}>" if waiting is not None else "not waiting"
        raise ConfigurationError(
            f"call.stream_audio(...): call {call.sid} has no media stream whose WebSocket "
            "twimlsim opened, neither a <Start><Stream> streaming nor a <Connect><Stream> it "
            f"waits in (status {call.status}, {doing}); only a stream to an ASGI app routed "
            "in process (sim.route) has one: run the call with call.run() until its "
            "<Start><Stream> has run or call.waiting_for.verb == 'Connect'"
        )
    pending = call.pending_audio
    extending = (
        connected
        and pending is not None
        and process is not None
        and pending[0] == process.step_number
        and call.given == (process.step_number, "call.stream_audio(...)")
    )
    if connected and not extending:
        assert process is not None and waiting is not None
        claim_wait(call, waiting, "call.stream_audio(...)")
    if hearing:
        from .fork_socket import send_fork_audio

        engine.before_running()  # the app's handler runs: its clock is the call's
        scheduler = engine.scheduler
        # what its REST requests set going at this instant (a redirect, stopping its
        # stream) is done before the test goes on, unless something else was due at this
        # instant already (input given by hand): the next run() does both then, in order
        idle = scheduler.next_due() != engine.clock.micros and not engine.answering
        send_fork_audio(engine, call, payload)
        while idle and scheduler.next_due() == engine.clock.micros and scheduler.run_next():
            pass
    if extending:  # the caller's audio is one stream: it goes on where the last ended
        assert pending is not None
        pending[1].payload.extend(payload)
    elif connected:
        assert process is not None
        call.waiting_step = None
        audio = StreamAudio(bytearray(payload))
        call.pending_audio = (process.step_number, audio)
        deliver_now(engine.scheduler, process, audio)
    if hearing:
        engine.after_running()  # what the app's handler did wrong fails the test now


def deliver_now(scheduler: Scheduler, process: Process, value: object) -> None:
    """Hand ``value`` to the step ``process`` is at, from the scheduler at this instant:
    dropped if the process has gone past that step by then."""
    number = process.step_number

    def deliver() -> None:
        process.deliver(value, step=number)

    scheduler.call_at(scheduler.clock.micros, deliver)


#: How ``call.given`` names a hang-up given by hand: no input after it reaches the call.
HANGUP = "call.hangup()"


def claim_wait(call: SimCall, waiting: Waiting, described: str, *, closing: bool = False) -> None:
    """Let the test's input ``described`` (``closing``: the app's server closing a
    ``<Connect>``) answer the wait ``call`` is in, or refuse it with a
    ``ConfigurationError``: a ``<Connect>`` takes nothing from the far end (only
    ``call.close_stream()`` or a hang-up end it), and a wait already answered since the
    last run would drop the second answer (only the first reaches the TwiML)."""
    process = call.process
    assert process is not None
    if not waiting.input and not closing:
        noun = waiting.details.get("noun", "Stream")
        raise ConfigurationError(
            f"{described}: call {call.sid} is connected to a <Connect><{noun}> "
            f"({waiting.details.get('url')}), which takes no keys, speech or recording from "
            "the far end (they go to the app's server); end it as that server would with "
            "call.close_stream(), or hang up with call.hangup()"
        )
    given = call.given
    if given is not None and given[0] == process.step_number and given[1] == HANGUP:
        raise ConfigurationError(
            f"{described}: call {call.sid} has been given {HANGUP} at this "
            f"<{waiting.verb}>, which ends the call at this instant, before any input given "
            f"after it; give the input first, then {HANGUP}"
        )
    if given is not None and given[0] == process.step_number:
        keys = (
            " (several keys at once: call.press('12'))"
            if described.startswith("call.press")
            else ""
        )
        raise ConfigurationError(
            f"{described}: call {call.sid} has already been given {given[1]} at this "
            f"<{waiting.verb}>, which has not run yet: a second answer at one wait would be "
            "lost; run the call (call.run()) and give the next input when call.waiting_for "
            f"is set again{keys}"
        )
    call.given = (process.step_number, described)
