"""A call placed to one of the simulation's own numbers reaches that number's app, as on
Twilio: the leg that rings the number (a REST create, a ``<Dial>`` leg, a conference
participant) makes a second, inbound call to the number, which requests the number's
voice URL (or its voice application's) and runs the TwiML, bridged to the first.

- The inbound call is ``From`` the ringing leg's ``From`` (a ``<Dial>``'s ``callerId``,
  else its parent's ``From``), ``To`` the number, in the account that owns the number,
  reported to the number's status callback like any call that rings in. Its far end is
  scripted by ``sim.phone(<its From>)`` (silent unless scripted): what the other app
  plays is not turned into input, but the other call's real-time transcriptions hear its
  ``<Say>``s (``realtime_transcriptions.transcribe_said``, through ``SimCall.app_peer``);
  keys the leg sends (REST ``SendDigits``, ``<Number sendDigits>``)
  reach the number's call as its far end's keys when it is listening for keys (a
  ``<Gather>``, prompts included), and are lost otherwise, as on a phone line.
- The ringing leg is answered when the number's call is answered (its first verb other
  than ``<Reject>``; a first ``<Pause>`` keeps it ringing); a ``<Reject>`` makes the leg
  ``busy`` (``reason="busy"``) or ``no-answer`` (the default ``rejected``), as the
  rejected call's own status; the leg's ring ``Timeout`` passing first makes it
  ``no-answer`` and hangs the number's call up (``no-answer`` too: an inbound call ended
  before it was answered, ``engine/dialing.cut_short_status``).
- Once both are answered, whichever ends first hangs the other up (``completed``): the
  number's TwiML ending ends the leg (a ``<Dial>`` then ends with ``DialCallStatus``
  ``completed``), the leg ending (its caller hanging up, its own TwiML ending) ends the
  number's call.
- The leg's own input still comes from ``sim.phone(<number>)``'s script; a number whose
  script says how it answers (``busy()``, ``no_answer()``, ``answers(after=)``,
  ``machine()``, ``fails()``) is the scripted far end, and its app is not called.

A conference participant created ``To`` a TwiML App (``app:AP...``, Twilio's documented
form, with custom parameters as a query: ``app:AP...?conferenceName=Room1``) reaches the
application the same way: the second, inbound call requests the application's voice URL,
``To`` the application's SID (as a ``<Dial><Application>`` leg's is), ``From`` the
participant's ``From``, with ``ApplicationSid`` and each custom parameter under its own
name, and no ``CallToken`` (it did not come in from the phone network).

Twilio documents none of this beyond "calls to a Twilio number request its voice URL"
and the ``app:`` form of a participant's ``To``: these are fidelity choices (README
"Fidelity notes").
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from twimlsim.model.application import Application
from twimlsim.model.call import CallStatus
from twimlsim.model.store import PhoneNumber

from .caller import FarEndInput
from .inbound import life_with_params, ring_inbound, with_caller_name
from .process import Listen, Step

if TYPE_CHECKING:
    from twimlsim.model.store import Account, AccountStore

    from .engine import Engine
    from .inbound import VoiceUrls
    from .session import SimCall

__all__ = [
    "AppLinks",
    "NumberApp",
    "application_destination",
    "number_app",
    "placing_number_sid",
    "split_app_address",
]

#: How a participant's ``To`` names a TwiML App: ``app:AP...``.
_APP_PREFIX = "app:"


def placing_number_sid(account: Account, number: str) -> str | None:
    """The Call resource's ``phone_number_sid`` of a call placed from ``number``: "the SID
    of the OutgoingCallerId resource from which the call was placed", the IncomingPhoneNumber's
    for a number the account owns (as captured), the verified caller ID's otherwise."""
    owned = account.numbers.get(number)
    if owned is not None:
        return owned.sid
    for caller in account.caller_ids.values():
        if caller.phone_number == number:
            return caller.sid
    return None


def split_app_address(to: str) -> tuple[str, str] | None:
    """The application SID and the custom parameters' query of a TwiML App destination
    (``app:AP...?name=value``), or None when ``to`` names none."""
    if to[: len(_APP_PREFIX)].lower() != _APP_PREFIX:
        return None
    sid, _, query = to[len(_APP_PREFIX) :].partition("?")
    return sid, query


@dataclass(frozen=True, slots=True)
class NumberApp:
    """Who answers calls to a number: its account, the number's SID, the voice URLs (the
    number's own or its voice application's) and that application's SID."""

    account_sid: str
    number_sid: str | None
    voice: VoiceUrls
    application_sid: str | None
    #: For a TwiML App destination (``app:AP...``): the reached call's ``To`` and the
    #: custom parameters of its first voice request.
    to: str | None = None
    params: tuple[tuple[str, str], ...] = ()


def application_destination(store: AccountStore, to: str) -> NumberApp | None:
    """The TwiML App an ``app:AP...?name=value`` destination names, with its custom
    parameters, when an account of the simulation has it; else None."""
    address = split_app_address(to)
    if address is None:
        return None
    sid, query = address
    for account in store.accounts.values():
        application = account.applications.get(sid)
        if application is not None and application.voice_url is not None:
            params = tuple(parse_qsl(query, keep_blank_values=True))
            return NumberApp(account.sid, None, application, sid, to=sid, params=params)
    return None


def number_app(store: AccountStore, number: str) -> NumberApp | None:
    """The app a call to ``number`` reaches, when an account of the simulation owns it
    with a voice URL (or a voice application with one), or when it names a TwiML App
    (``app:AP...``); else None."""
    if split_app_address(number) is not None:
        return application_destination(store, number)
    for account in store.accounts.values():
        owned = account.numbers.get(number)
        if owned is None:
            continue
        application = None
        if owned.voice_application_sid is not None:
            application = account.applications.get(owned.voice_application_sid)
        voice: VoiceUrls = application or owned
        if voice.voice_url is None:
            return None
        return NumberApp(
            account.sid,
            owned.sid,
            voice,
            application.sid if application is not None else None,
        )
    return None


@dataclass(slots=True)
class _Link:
    leg: SimCall  # the call that rang the number
    reached: SimCall  # the number's inbound call
    wait_step: int  # the leg's step while it rings
    answered: bool = False


class AppLinks:
    """The legs that rang one of the simulation's numbers, and the calls they reached."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._by_reached: dict[str, _Link] = {}
        self._by_leg: dict[str, _Link] = {}

    def ring_app(self, leg: SimCall, app: NumberApp) -> Generator[Step, Any, bool]:
        """Ring ``app`` from ``leg`` (already ``ringing``): whether the leg was answered.
        An unanswered leg is put in its final status.

        A trial account's number takes calls only from its verified caller IDs (Twilio's
        trial page: "You can only make or receive calls from verified numbers"), as
        ``sim.incoming_call`` checks, and from its own numbers: from another number the
        leg is ``failed`` and the app is not requested (UNCONFIRMED: the status, and the
        account's own numbers being let in, are choices; Twilio's pages do not say)."""
        engine = self._engine
        record = leg.record
        owner = engine.store.accounts[app.account_sid]
        if owner.trial and not owner.may_call_from(record.from_):
            engine.mark_ended(leg, CallStatus.FAILED, by="network")
            return False
        life: Callable[[SimCall], Generator[Step, Any, None]] = engine._inbound_life
        named = None
        if app.to is not None:  # a TwiML App destination: no CallToken, its parameters
            life = life_with_params(engine, dict(app.params))
        elif isinstance(app.voice, PhoneNumber | Application):
            # the number's caller ID lookup names the caller, as on any call it receives
            named = with_caller_name(None, engine.phone(record.from_), app.voice)
            if named:
                life = life_with_params(engine, dict(named), call_token=True)
        reached = ring_inbound(
            engine,
            account_sid=app.account_sid,
            to=app.to or record.to,
            from_=record.from_,
            voice=app.voice,
            life=life,
            phone_number_sid=app.number_sid,
            from_location=record.from_location,
            to_location=record.to_location,
            application_sid=app.application_sid,
        )
        if named:
            reached.record.caller_name = named["CallerName"]
        assert leg.process is not None
        link = _Link(leg, reached, leg.process.step_number + 1)
        self._by_reached[reached.sid] = self._by_leg[leg.sid] = link
        outcome = yield Listen(float(record.timeout))
        if outcome == "answered":
            return True
        self._forget(link)
        if outcome is None:  # rang out: the number's call is hung up
            engine.mark_ended(leg, CallStatus.NO_ANSWER, by="callee")
            self._hang_up(reached)
        else:
            status = CallStatus.BUSY if outcome == CallStatus.BUSY else CallStatus.NO_ANSWER
            engine.mark_ended(leg, status, by="callee")
        return False

    def live(self) -> int:
        """How many legs are linked to a number's call now."""
        return len(self._by_leg)

    def answered(self, call: SimCall) -> None:
        """``call`` was answered: if it is a number's call, its leg is answered too."""
        link = self._by_reached.get(call.sid)
        if link is not None and not link.answered:
            link.answered = True
            link.leg.app_peer, link.reached.app_peer = link.reached, link.leg
            self._tell_leg(link, "answered")

    def digits_sent(self, leg: SimCall, digits: str) -> None:
        """``leg`` played ``digits`` (``SendDigits``, ``<Play digits>``): the number's call
        it reached takes them as keys when it is listening for keys now (a ``<Gather>``,
        its prompts included), as a caller's keys; otherwise they are lost, as keys
        pressed while nothing listens are. Keys the number's call plays reach the leg
        that reached it the same way."""
        link = self._by_leg.get(leg.sid)
        target = None if link is None else link.reached
        if link is None:
            link = self._by_reached.get(leg.sid)
            target = None if link is None else link.leg
        if link is None or target is None or not link.answered:
            return
        process = target.process
        listening = process.listening if process is not None else None
        waiting = listening.waiting if listening is not None else None
        if process is None or waiting is None or "dtmf" not in waiting.input:
            return
        given = FarEndInput("digits", digits=digits)
        step = process.step_number
        target.waiting_step = None

        def deliver() -> None:
            process.deliver(given, step=step)

        self._engine.scheduler.call_at(self._engine.clock.micros, deliver)

    def ended(self, call: SimCall) -> None:
        """``call`` ended: the other side of its link hangs up (or hears why not)."""
        link = self._by_reached.get(call.sid)
        if link is not None:
            if link.answered:
                self._forget(link)
                self._hang_up(link.leg)
            else:  # rejected (or failed) before answering: the leg hears its status
                self._tell_leg(link, call.record.status)
            return
        link = self._by_leg.get(call.sid)
        if link is not None:
            self._forget(link)
            self._hang_up(link.reached)

    def _tell_leg(self, link: _Link, outcome: object) -> None:
        process = link.leg.process
        step = link.wait_step
        if process is not None:

            def deliver() -> None:
                process.deliver(outcome, step=step)

            self._engine.scheduler.call_at(self._engine.clock.micros, deliver)

    def _hang_up(self, call: SimCall) -> None:
        engine = self._engine
        engine.scheduler.call_at(engine.clock.micros, lambda: engine._cut(call, "caller"))

    def _forget(self, link: _Link) -> None:
        self._by_reached.pop(link.reached.sid, None)
        self._by_leg.pop(link.leg.sid, None)
        link.leg.app_peer = link.reached.app_peer = None
