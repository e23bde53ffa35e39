"""Apps that act on a call from inside its own webhooks: REST updates of the call being
answered, loops of redirects, and the simulator's own controls called from app code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from fixtures.twiml_app import TwimlApp
from tests.support import APP_URL, CALLEE, CALLER_ID, account_api
from twimlsim import Simulator
from twimlsim.errors import ConfigurationError, SimulationError

EVENTS = "initiated ringing answered completed"
SAY_HI = "<Response><Say>Hi</Say></Response>"


def outbound(sim: Simulator) -> str:
    created = account_api(
        sim,
        "POST",
        "/Calls.json",
        To=CALLEE,
        From=CALLER_ID,
        Url=f"{APP_URL}/voice",
        StatusCallback=f"{APP_URL}/status",
        StatusCallbackEvent=EVENTS,
    )
    assert created.status_code == 201, created.text
    sid: str = created.json()["sid"]
    return sid


def seen(sim: Simulator) -> list[tuple[str, str, str]]:
    return [(r.kind, r.url, r.params["CallStatus"]) for r in sim.requests]


@pytest.mark.parametrize("event", ["initiated", "ringing"])
@pytest.mark.parametrize("status", ["canceled", "completed"])
def test_a_call_the_app_cancels_from_its_own_progress_callback_is_never_answered(
    event: str, status: str
) -> None:
    answers: list[object] = []
    with Simulator() as sim:

        def progress(form: dict[str, str]) -> str:
            if form["CallStatus"] == event:
                update = account_api(sim, "POST", f"/Calls/{form['CallSid']}.json", Status=status)
                answers.append((update.status_code, update.json()["status"]))
            return "<Response/>"

        sim.route(APP_URL, TwimlApp({"/voice": SAY_HI, "/status": progress}))
        sim.number(CALLER_ID)
        sid = outbound(sim)
        sim.run()
        call = sim.calls[sid]
        assert answers == [(200, "canceled")]
        assert (call.status, call.duration, call.said, call.answered) == ("canceled", 0, [], False)
        rang = [("status", f"{APP_URL}/status", "ringing")] if event == "ringing" else []
        assert seen(sim) == [
            ("status", f"{APP_URL}/status", "initiated"),
            *rang,
            ("status", f"{APP_URL}/status", "canceled"),
        ]
        assert [(e.by, e.status) for e in call.transcript] == [("api", "canceled")]


def test_an_inbound_call_canceled_from_its_first_voice_request_ends_unanswered() -> None:
    answers: list[object] = []
    with Simulator() as sim:

        def voice(form: dict[str, str]) -> str:
            update = account_api(sim, "POST", f"/Calls/{form['CallSid']}.json", Status="canceled")
            answers.append((update.status_code, update.json()["status"]))
            return SAY_HI

        sim.route(APP_URL, TwimlApp({"/voice": voice}))
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice", status_callback=f"{APP_URL}/status")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
        assert answers == [(200, "canceled")]
        assert (call.status, call.said, call.answered, call.duration) == ("canceled", [], False, 0)
        assert seen(sim) == [
            ("voice", f"{APP_URL}/voice", "ringing"),
            ("status", f"{APP_URL}/status", "canceled"),
        ]


def test_a_dialed_leg_canceled_from_its_ringing_callback_is_dial_call_status_canceled() -> None:
    dial = (
        "<Response><Dial action='/after'><Number statusCallback='/leg' "
        f"statusCallbackEvent='ringing'>{CALLEE}</Number></Dial></Response>"
    )
    with Simulator() as sim:

        def leg(form: dict[str, str]) -> str:
            account_api(sim, "POST", f"/Calls/{form['CallSid']}.json", Status="canceled")
            return "<Response/>"

        sim.route(APP_URL, TwimlApp({"/voice": dial, "/leg": leg, "/after": SAY_HI}))
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        caller = sim.incoming_call(from_="+15558675399", to=CALLER_ID)
        sim.run()
        (child,) = caller.children
        assert (child.status, child.answered) == ("canceled", False)
        after = caller.requests[-1]
        assert (after.kind, after.params["DialCallStatus"]) == ("dial", "canceled")
        assert caller.said == ["Hi"]


def test_an_inbound_call_redirected_from_its_first_voice_request_runs_the_new_document() -> None:
    with Simulator() as sim:

        def voice(form: dict[str, str]) -> str:
            account_api(sim, "POST", f"/Calls/{form['CallSid']}.json", Url=f"{APP_URL}/next")
            return "<Response><Say>First</Say></Response>"

        sim.route(APP_URL, TwimlApp({"/voice": voice, "/next": SAY_HI}))
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
        assert [(r.kind, r.url) for r in call.requests] == [
            ("voice", f"{APP_URL}/voice"),
            ("update", f"{APP_URL}/next"),
        ]
        # redirected "immediately": the first request's own answer never runs
        assert call.said == ["Hi"]
        assert [text.interrupted for text in call.said] == [False]
        assert call.status == "completed"


def test_a_call_that_redirects_itself_from_every_webhook_is_stopped_as_a_loop() -> None:
    with Simulator(strict=False) as sim:

        def voice(form: dict[str, str]) -> str:
            account_api(sim, "POST", f"/Calls/{form['CallSid']}.json", Url=f"{APP_URL}/voice")
            return SAY_HI

        sim.route(APP_URL, TwimlApp({"/voice": voice}))
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
        assert (call.status, len(call.requests)) == ("completed", 100)
        (failure,) = sim.failures
        assert (failure.code, failure.url, failure.message) == (
            None,
            f"{APP_URL}/voice",
            "100 documents fetched without virtual time passing (a loop of REST updates: the "
            "app redirects the call (client.calls(sid).update(url=...)) while it answers the "
            "webhook of the document it redirects to); twimlsim ended the call",
        )


def refusal(where: str, url: str) -> str:
    return (
        f"{where} was called while the app was answering the webhook {url}: the simulator "
        "waits for that answer at one instant of virtual time, so until it returns no call "
        "can run, the clock cannot move, and the simulator cannot be reset or stopped. Do it "
        "from the test, after the code that placed or changed the calls returns; inside a "
        "webhook, change calls through the REST API (client.calls(sid).update(...)) as on "
        "Twilio"
    )


CONTROLS: dict[str, Callable[[Simulator, str], object]] = {
    "sim.run()": lambda sim, sid: sim.run(),
    "sim.advance(5)": lambda sim, sid: sim.advance(5),
    "sim.reset()": lambda sim, sid: sim.reset(),
    "sim.stop()": lambda sim, sid: sim.stop(),
    "call.run() of call {sid}": lambda sim, sid: sim.calls[sid].run(),
}


@pytest.mark.parametrize("where", CONTROLS)
def test_the_simulators_controls_refuse_to_run_inside_a_webhook(where: str) -> None:
    refused: list[str] = []
    with Simulator() as sim:

        def voice(form: dict[str, str]) -> str:
            with pytest.raises(ConfigurationError) as error:
                CONTROLS[where](sim, form["CallSid"])
            refused.append(str(error.value))
            return SAY_HI

        sim.route(APP_URL, TwimlApp({"/voice": voice}))
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
        assert refused == [refusal(where.format(sid=call.sid), f"{APP_URL}/voice")]
        assert (call.status, call.said, call.duration, sim.now.second) == (
            "completed",
            ["Hi"],
            1,
            1,
        )


@pytest.mark.parametrize("where", CONTROLS)
def test_an_asgi_apps_webhook_is_refused_as_the_apps_own_code_not_another_thread(
    where: str,
) -> None:
    """An ASGI app answers on its event loop's thread: its handler calling the controls is
    inside the webhook (do it from the test), not another thread of the test's."""
    from urllib.parse import parse_qs

    refused: list[str] = []
    with Simulator() as sim:

        async def app(scope: dict[str, object], receive: Callable[..., object], send: Any) -> None:
            assert scope["type"] == "http"
            body = b""
            while True:
                message: Any = await receive()  # type: ignore[misc]
                body += message.get("body", b"")
                if not message.get("more_body"):
                    break
            sid = parse_qs(body.decode())["CallSid"][0]
            with pytest.raises(ConfigurationError) as error:
                CONTROLS[where](sim, sid)
            refused.append(str(error.value))
            headers = [(b"content-type", b"text/xml")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": SAY_HI.encode()})

        sim.route(APP_URL, app)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
        assert refused == [refusal(where.format(sid=call.sid), f"{APP_URL}/voice")]
        assert (call.status, call.said) == ("completed", ["Hi"])


def test_an_app_that_lets_the_refusal_escape_fails_its_webhook_with_11200() -> None:
    with Simulator() as sim:

        def voice(form: dict[str, str]) -> str:
            sim.run()
            return SAY_HI

        sim.route(APP_URL, TwimlApp({"/voice": voice}))
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        with pytest.raises(SimulationError) as failed:
            sim.run()
        (failure,) = failed.value.failures
        assert (failure.code, failure.url) == (11200, f"{APP_URL}/voice")
        assert isinstance(failure.cause, ConfigurationError)
        assert str(failure.cause) == refusal("sim.run()", f"{APP_URL}/voice")


CHAIN = 60  # far beyond the depth that nested webhooks ran out of stack at (about 30)


def test_a_chain_of_calls_each_redirected_from_the_previous_ones_webhook_runs_flat() -> None:
    sids: list[str] = []
    with Simulator() as sim:

        def moved(form: dict[str, str]) -> str:
            index = sids.index(form["CallSid"])
            if index + 1 < len(sids):
                account_api(sim, "POST", f"/Calls/{sids[index + 1]}.json", Url=f"{APP_URL}/moved")
            return "<Response><Say>Moved</Say><Hangup/></Response>"

        app = TwimlApp({"/voice": "<Response><Pause length='60'/></Response>", "/moved": moved})
        sim.route(APP_URL, app)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        for index in range(CHAIN):
            sid = sim.incoming_call(from_=f"+1555867{index:04d}", to=CALLER_ID).sid
            sids.append(sid)
        sim.advance(1)
        account_api(sim, "POST", f"/Calls/{sids[0]}.json", Url=f"{APP_URL}/moved")
        sim.run()
        assert [sim.calls[sid].said for sid in sids] == [["Moved"]] * CHAIN
        assert {sim.calls[sid].end_time for sid in sids} == {sim.clock.at(2_000_000)}
        assert sim.failures == []


def test_a_chain_of_calls_each_canceled_from_the_previous_ones_callback_runs_flat() -> None:
    sids: list[str] = []
    with Simulator() as sim:

        def status(form: dict[str, str]) -> str:
            index = sids.index(form["CallSid"])
            if index + 1 < len(sids):
                account_api(sim, "POST", f"/Calls/{sids[index + 1]}.json", Status="canceled")
            return "<Response/>"

        # a first <Pause> keeps an inbound call ringing: it can be canceled
        app = TwimlApp({"/voice": "<Response><Pause length='60'/></Response>", "/status": status})
        sim.route(APP_URL, app)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice", status_callback=f"{APP_URL}/status")
        for index in range(CHAIN):
            sids.append(sim.incoming_call(from_=f"+1555867{index:04d}", to=CALLER_ID).sid)
        sim.advance(1)
        account_api(sim, "POST", f"/Calls/{sids[0]}.json", Status="canceled")
        sim.run()
        assert [sim.calls[sid].status for sid in sids] == ["canceled"] * CHAIN
        assert [r.params["CallStatus"] for r in sim.requests if r.kind == "status"] == [
            "canceled"
        ] * CHAIN
        assert sim.failures == []


def test_a_chain_of_rooms_each_ended_from_the_previous_ones_end_callback_runs_flat() -> None:
    def voice(form: dict[str, str]) -> str:
        room = int(form["From"][-4:])
        return (
            "<Response><Dial><Conference statusCallback='/room' statusCallbackEvent='end'>"
            f"room{room}</Conference></Dial></Response>"
        )

    with Simulator() as sim:

        def ended(form: dict[str, str]) -> str:
            room = int(form["FriendlyName"].removeprefix("room"))
            if room + 1 < CHAIN:
                sid = sim.conferences[f"room{room + 1}"].sid
                account_api(sim, "POST", f"/Conferences/{sid}.json", Status="completed")
            return "<Response/>"

        sim.route(APP_URL, TwimlApp({"/voice": voice, "/room": ended}))
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        for room in range(CHAIN):
            for first in ("867", "868"):
                sim.incoming_call(from_=f"+1555{first}{room:04d}", to=CALLER_ID)
        sim.advance(1)
        account_api(
            sim, "POST", f"/Conferences/{sim.conferences['room0'].sid}.json", Status="completed"
        )
        sim.run()
        rooms = [sim.conferences[f"room{room}"] for room in range(CHAIN)]
        assert [room.status for room in rooms] == ["completed"] * CHAIN
        assert [room.record.reason_conference_ended for room in rooms] == [
            "conference-ended-via-api"
        ] * CHAIN
        assert sim.now == sim.clock.at(1_000_000) and sim.failures == []


def test_an_inbound_call_held_ringing_by_a_first_pause_is_redirected_at_once() -> None:
    with Simulator() as sim:
        held = "<Response><Pause length='30'/><Say>Late</Say></Response>"
        sim.route(APP_URL, TwimlApp({"/voice": held, "/next": SAY_HI}))
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.advance(5)
        assert call.status == "ringing"
        update = account_api(sim, "POST", f"/Calls/{call.sid}.json", Url=f"{APP_URL}/next")
        assert update.status_code == 200
        sim.run()
        assert [(r.kind, r.url, r.params["CallStatus"]) for r in call.requests] == [
            ("voice", f"{APP_URL}/voice", "ringing"),
            ("update", f"{APP_URL}/next", "ringing"),
        ]
        assert (call.said, call.status, call.duration) == (["Hi"], "completed", 1)
        assert call.record.answered_at == sim.clock.at(5_000_000)


def test_nothing_of_the_document_of_a_call_canceled_while_fetching_it_runs() -> None:
    with Simulator() as sim:

        def voice(form: dict[str, str]) -> str:
            account_api(sim, "POST", f"/Calls/{form['CallSid']}.json", Status="canceled")
            return "<Response><Pause length='2'/><Say>Late</Say></Response>"

        sim.route(APP_URL, TwimlApp({"/voice": voice}))
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
        assert [(e.by, e.status) for e in call.transcript] == [("api", "canceled")]
        assert (call.status, call.said, call.end_time) == ("canceled", [], sim.clock.start)
        assert sim.now == sim.clock.start  # its <Pause> never ran


def test_a_call_transferred_from_its_dialled_legs_answered_callback_reports_completed() -> None:
    dial = (
        "<Response><Dial action='/after'><Number statusCallback='/leg' "
        f"statusCallbackEvent='answered'>{CALLEE}</Number></Dial></Response>"
    )
    with Simulator() as sim:
        parent: list[str] = []

        def voice(form: dict[str, str]) -> str:
            parent.append(form["CallSid"])
            return dial

        def leg(form: dict[str, str]) -> str:  # the agent answered: move the caller on
            account_api(sim, "POST", f"/Calls/{parent[0]}.json", Url=f"{APP_URL}/transfer")
            return "<Response/>"

        routes = {"/voice": voice, "/leg": leg, "/transfer": SAY_HI, "/after": SAY_HI}
        sim.route(APP_URL, TwimlApp(routes))
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        sim.phone(CALLEE).answers(after=2)
        caller = sim.incoming_call(from_="+15558675399", to=CALLER_ID)
        sim.run()
        (child,) = caller.children
        action = next(r for r in caller.requests if r.kind == "dial")
        assert (action.params["DialCallStatus"], action.params["DialCallSid"]) == (
            "completed",
            child.sid,
        )
        assert action.params["DialCallDuration"] == "0"
        assert [r.kind for r in caller.requests] == ["voice", "dial", "update"]
        assert (caller.said, child.status) == (["Hi"], "completed")
