"""A far end may hang up at any moment of any verb: the engine never breaks, and the call
ends with the exact status Twilio gives (``completed`` once answered, ``no-answer`` for
an inbound call still ringing, as Twilio's TwiML changelog says, the TwiML's own outcome
once it has ended)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.engine.helpers import response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID

DIALLED = "+15551230000"
MOMENTS = (0.0, 0.5, 1.0, 2.0, 3.0, 4.5)


@dataclass(frozen=True)
class Scenario:
    """A document, when its call is answered and when (and how) it ends on its own."""

    name: str
    body: str
    answered_at: float | None = 0.0  # None: never answered by the TwiML itself
    ends_at: float | None = None  # None: runs until someone hangs up
    ends_as: str = "completed"

    def expected(self, moment: float) -> str:
        if self.ends_at is not None and moment >= self.ends_at:
            return self.ends_as
        if self.answered_at is not None and moment >= self.answered_at:
            return "completed"
        return "no-answer"  # an inbound call ended before in-progress (TwiML changelog)


SCENARIOS = [
    Scenario("say", "<Say>Hello there, caller</Say><Say>Bye</Say>", ends_at=3),
    Scenario("say-loop-forever", '<Say loop="0">Hold on</Say>'),
    Scenario("play", f'<Play>{APP_URL}/hold.mp3</Play><Pause length="1"/>', ends_at=6),
    Scenario("play-digits", '<Play digits="1w2"/>', ends_at=1.5),
    Scenario("pause-first", '<Pause length="2"/><Say>Hi</Say>', answered_at=2, ends_at=3),
    Scenario("pause-after-say", '<Say>Hi</Say><Pause length="3"/>', ends_at=4),
    Scenario(
        "gather",
        '<Gather numDigits="1" timeout="2" action="/next"><Say>Press one now</Say></Gather>'
        "<Say>Bye</Say>",
        ends_at=4,
    ),
    Scenario("gather-speech", '<Gather input="speech" timeout="3"/>', ends_at=3),
    Scenario("record", '<Record maxLength="3" timeout="2" action="/next"/>', ends_at=2),
    Scenario("record-no-action", '<Record timeout="0" maxLength="4"/>', ends_at=4),
    Scenario("dial", f'<Dial timeout="5">{DIALLED}</Dial>'),
    Scenario("dial-answer-on-bridge", f'<Dial answerOnBridge="true">{DIALLED}</Dial>', 2),
    Scenario(
        "dial-sequential-record",
        f'<Dial sequential="true" record="record-from-ringing" action="/next">'
        f"<Number>{DIALLED}</Number><Number>+15551230001</Number></Dial>",
    ),
    Scenario(
        "dial-whisper-hangup-on-star",
        f'<Dial hangupOnStar="true"><Number url="/whisper">{DIALLED}</Number></Dial>',
    ),
    Scenario(
        "dial-queue-answer-on-bridge",
        '<Dial answerOnBridge="true" timeout="5"><Queue>support</Queue></Dial>',
        None,
        ends_at=5,  # nobody waits: no-answer, the document ends, the call is answered and ends
    ),
    Scenario("enqueue", '<Enqueue waitUrl="/wait" action="/next">support</Enqueue>'),
    Scenario(
        "conference",
        '<Dial action="/next"><Conference waitUrl="/wait">Room</Conference></Dial>',
    ),
    Scenario(
        "start-recording",
        '<Start><Recording recordingStatusCallback="/rec"/></Start><Pause length="2"/>',
        ends_at=2,
    ),
    Scenario("echo", "<Echo/>"),
    Scenario("redirect", "<Redirect>/next</Redirect>", ends_at=1),
    Scenario("hangup", "<Hangup/>", ends_at=0),
    Scenario("reject", '<Reject reason="busy"/>', None, ends_at=0, ends_as="busy"),
    Scenario("start-stop", '<Start><Stream url="wss://a.test/s"/></Start><Say>Hi</Say>', ends_at=1),
]
ROUTES = {
    "/next": response("<Say>Next</Say>"),
    "/whisper": response("<Say>Whisper</Say>"),
    "/wait": response("<Play>https://a.test/music.mp3</Play>"),
}


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_caller_hangs_up_at_any_moment(scenario: Scenario, moment: float) -> None:
    routes = {**ROUTES, "/voice": response(scenario.body)}
    with simulator(routes, strict=False, freeze_time=False) as (sim, _):
        sim.phone(DIALLED).answers(after=2)
        sim.media(f"{APP_URL}/hold.mp3", seconds=5)
        sim.queue("support")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.advance(moment)
        if not call.ended:
            call.hangup()
        sim.run()
    assert call.status == scenario.expected(moment)
    assert [leg.sid for leg in sim.calls.values() if not leg.ended] == []


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_called_party_hangs_up_at_any_moment(scenario: Scenario, moment: float) -> None:
    """An outbound call's far end hangs up ``moment`` seconds after answering."""
    routes = {**ROUTES, "/voice": response(scenario.body)}
    with simulator(routes, strict=False, freeze_time=False) as (sim, _):
        sim.phone(DIALLED).answers(after=2)
        sim.media(f"{APP_URL}/hold.mp3", seconds=5)
        sim.queue("support")
        sim.phone(CALLEE).hangs_up(after=moment)
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        sim.run()
    call = sim.calls[sid]
    # A REST-created call is answered by its far end: it always ends completed, except
    # when its TwiML rejects it first (Twilio then hangs up an answered call).
    assert call.status == "completed"
    assert [leg.sid for leg in sim.calls.values() if not leg.ended] == []


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize(
    "scenario", [s for s in SCENARIOS if s.name.startswith("dial")], ids=lambda s: s.name
)
def test_dialled_party_hangs_up_at_any_moment(scenario: Scenario, moment: float) -> None:
    routes = {**ROUTES, "/voice": response(scenario.body)}
    with simulator(routes, strict=False, freeze_time=False) as (sim, _):
        sim.phone(DIALLED).answers(after=2).hangs_up(after=moment)
        sim.queue("support")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    assert call.status == "completed"
    assert [leg.sid for leg in sim.calls.values() if not leg.ended] == []
