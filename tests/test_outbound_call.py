"""One outbound call end to end: the real twilio client, the fake API, the queue, the
engine, signed webhooks to a Flask app, status callbacks."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
import requests
from twilio.request_validator import RequestValidator

from fixtures import flask_app
from tests.support import APP_URL, CALLEE, CALLER_ID, never_listened
from twimlsim import SimulationError, Simulator
from twimlsim.errors import ConfigurationError

ALL_EVENTS = ["initiated", "ringing", "answered", "completed"]


def base_params(sim: Simulator, call_sid: str, status: str) -> dict[str, str]:
    """What Twilio sends about an outbound-api call from CALLER_ID to CALLEE."""
    return {
        "AccountSid": sim.account_sid,
        "ApiVersion": "2010-04-01",
        "CallSid": call_sid,
        "CallStatus": status,
        "Called": CALLEE,
        "CalledCity": "",
        "CalledCountry": "US",
        "CalledState": "",
        "CalledZip": "",
        "Caller": CALLER_ID,
        "CallerCity": "",
        "CallerCountry": "US",
        "CallerState": "",
        "CallerZip": "",
        "Direction": "outbound-api",
        "From": CALLER_ID,
        "FromCity": "",
        "FromCountry": "US",
        "FromState": "",
        "FromZip": "",
        "To": CALLEE,
        "ToCity": "",
        "ToCountry": "US",
        "ToState": "",
        "ToZip": "",
    }


def progress(
    sim: Simulator, call_sid: str, status: str, seq: int, timestamp: str
) -> dict[str, str]:
    params = base_params(sim, call_sid, status)
    params.update(
        CallbackSource="call-progress-events", SequenceNumber=str(seq), Timestamp=timestamp
    )
    return params


def test_create_returns_queued_call_with_twilio_json(sim: Simulator) -> None:
    auth = (sim.account_sid, sim.auth_token)
    response = requests.post(
        f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json",
        data={"To": CALLEE, "From": CALLER_ID, "Url": f"{APP_URL}/voice"},
        auth=auth,
        timeout=5,
    )
    assert response.status_code == 201
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    sid = body["sid"]
    base = f"/2010-04-01/Accounts/{sim.account_sid}/Calls/{sid}"
    assert body == {
        "account_sid": sim.account_sid,
        "annotation": None,
        "answered_by": None,
        "api_version": "2010-04-01",
        "caller_name": None,
        "date_created": None,
        "date_updated": None,
        "direction": "outbound-api",
        "duration": None,
        "end_time": None,
        "forwarded_from": None,
        "from": CALLER_ID,
        "from_formatted": "(500) 555-0006",
        "group_sid": None,
        "parent_call_sid": None,
        "phone_number_sid": sim.store.accounts[sim.account_sid].numbers[CALLER_ID].sid,
        "price": None,
        "price_unit": "USD",
        "sid": sid,
        "start_time": None,
        "status": "queued",
        "subresource_uris": {
            "notifications": f"{base}/Notifications.json",
            "recordings": f"{base}/Recordings.json",
            "payments": f"{base}/Payments.json",
            "events": f"{base}/Events.json",
            "siprec": f"{base}/Siprec.json",
            "streams": f"{base}/Streams.json",
            "transcriptions": f"{base}/Transcriptions.json",
            "user_defined_message_subscriptions": f"{base}/UserDefinedMessageSubscriptions.json",
            "user_defined_messages": f"{base}/UserDefinedMessages.json",
        },
        "to": CALLEE,
        "to_formatted": "(555) 867-5310",
        "trunk_sid": None,
        "uri": f"{base}.json",
        "queue_time": "0",
    }
    assert sid.startswith("CA") and len(sid) == 34
    assert list(body)[-1] == "queue_time"
    sim.run()


def test_call_runs_end_to_end_with_exact_signed_webhooks(sim: Simulator) -> None:
    client = sim.client()
    created = client.calls.create(
        to=CALLEE,
        from_=CALLER_ID,
        url=f"{APP_URL}/voice",
        status_callback=f"{APP_URL}/status",
        status_callback_event=ALL_EVENTS,
    )
    assert created.status == "queued"
    sim.run()

    sid = created.sid
    t0 = "Thu, 01 Jan 2026 09:00:00 +0000"
    completed = progress(sim, sid, "completed", 3, "Thu, 01 Jan 2026 09:00:07 +0000")
    completed.update(CallDuration="7", Duration="1", SipResponseCode="200")
    expected = [
        ("status", "POST", f"{APP_URL}/status", progress(sim, sid, "initiated", 0, t0)),
        ("status", "POST", f"{APP_URL}/status", progress(sim, sid, "ringing", 1, t0)),
        ("status", "POST", f"{APP_URL}/status", progress(sim, sid, "in-progress", 2, t0)),
        ("voice", "POST", f"{APP_URL}/voice", base_params(sim, sid, "in-progress")),
        ("redirect", "POST", f"{APP_URL}/goodbye", base_params(sim, sid, "in-progress")),
        ("status", "POST", f"{APP_URL}/status", completed),
    ]
    call = sim.calls[sid]
    assert [(r.kind, r.method, r.url, r.params) for r in call.requests] == expected
    assert sim.requests == call.requests
    # The app itself received exactly those status callbacks.
    assert [params for kind, _, _, params in expected if kind == "status"] == flask_app.STATUS_LOG

    validator = RequestValidator(sim.auth_token)
    for request in call.requests:
        signature = request.headers["X-Twilio-Signature"]
        assert validator.validate(request.url, request.params, signature), request
        assert request.headers["User-Agent"] == "TwilioProxy/1.1"
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert request.call_sid == sid
        assert request.response is not None
        assert request.response.status in {200, 204}

    assert call.status == "completed"
    assert call.duration == 7
    assert call.said == ["Hello from the twimlsim example app.", "Thanks for calling. Goodbye!"]

    fetched = client.calls(sid).fetch()
    assert fetched.status == "completed"
    assert fetched.duration == "7"
    assert fetched.start_time.isoformat() == "2026-01-01T09:00:00+00:00"
    assert fetched.end_time.isoformat() == "2026-01-01T09:00:07+00:00"


def test_only_completed_callback_without_events(sim: Simulator) -> None:
    client = sim.client()
    sid = client.calls.create(
        to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice", status_callback=f"{APP_URL}/status"
    ).sid
    sim.run()
    completed = progress(sim, sid, "completed", 0, "Thu, 01 Jan 2026 09:00:07 +0000")
    completed.update(CallDuration="7", Duration="1", SipResponseCode="200")
    assert [(r.kind, r.params) for r in sim.calls[sid].requests if r.kind == "status"] == [
        ("status", completed)
    ]


def test_app_clock_follows_virtual_clock(sim: Simulator) -> None:
    sim.phone(CALLEE).answers(after=3)
    sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
    sim.run()
    voice = next(r for r in sim.calls[sid].requests if r.kind == "voice")
    assert [voice.at] == flask_app.SEEN_AT
    assert voice.at.isoformat() == "2026-01-01T09:00:03+00:00"


def test_ringing_time_is_not_part_of_duration(sim: Simulator) -> None:
    sim.phone(CALLEE).answers(after=5)
    sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
    sim.run()
    call = sim.calls[sid]
    assert call.duration == 7
    assert call.record.start_time is not None and call.record.end_time is not None
    assert (call.record.end_time - call.record.start_time).total_seconds() == 12


@pytest.mark.parametrize(
    ("script", "status", "sip", "events"),
    [
        ("busy", "busy", "486", ["initiated", "ringing", "busy"]),
        ("no_answer", "no-answer", "487", ["initiated", "ringing", "no-answer"]),
        ("fails", "failed", "404", ["initiated", "failed"]),
    ],
)
def test_unanswered_outcomes(
    sim: Simulator, script: str, status: str, sip: str, events: list[str]
) -> None:
    getattr(sim.phone(CALLEE), script)()
    sid = (
        sim.client()
        .calls.create(
            to=CALLEE,
            from_=CALLER_ID,
            url=f"{APP_URL}/voice",
            status_callback=f"{APP_URL}/status",
            status_callback_event=ALL_EVENTS,
            timeout=20,
        )
        .sid
    )
    sim.run()
    call = sim.calls[sid]
    assert call.status == status
    assert call.duration == 0
    statuses = [r.params["CallStatus"] for r in call.requests]
    assert statuses == events  # the app's voice URL is never requested
    last = call.requests[-1].params
    assert (last["CallDuration"], last["Duration"], last["SipResponseCode"]) == ("0", "0", sip)
    assert last["SequenceNumber"] == str(len(events) - 1)
    ended = "09:00:20" if status == "no-answer" else "09:00:00"
    assert last["Timestamp"] == f"Thu, 01 Jan 2026 {ended} +0000"


@pytest.mark.parametrize(("cps", "expected"), [(1, [0, 1, 2, 3, 4]), (5, [0, 0, 0, 0, 0])])
def test_pacing_releases_calls_at_cps(example_app: object, cps: int, expected: list[int]) -> None:
    with Simulator(cps=cps) as sim:
        sim.route(APP_URL, example_app)  # type: ignore[arg-type]
        sim.number(CALLER_ID)
        client = sim.client()
        sids = [
            client.calls.create(
                to=CALLEE,
                from_=CALLER_ID,
                twiml="<Response><Hangup/></Response>",
                status_callback=f"{APP_URL}/status",
                status_callback_event=["initiated"],
            ).sid
            for _ in range(5)
        ]
        queue_times = [client.calls(sid).fetch().queue_time for sid in sids]
        sim.run()
    initiated = [sim.calls[sid].requests[0] for sid in sids]
    assert [r.params["CallStatus"] for r in initiated] == ["initiated"] * 5
    seconds = [(r.at - sim.clock.start).total_seconds() for r in initiated]
    assert [int(s) for s in seconds] == expected
    step = 1 / cps
    assert seconds == pytest.approx([i * step for i in range(5)])
    assert [r.params["Timestamp"][-14:-6] for r in initiated] == [f"09:00:0{s}" for s in expected]
    assert queue_times == [str(round(i * step * 1000)) for i in range(5)]


def run_reference_call(app: object) -> list[tuple[str, str, dict[str, str], dict[str, str]]]:
    with Simulator(seed=7) as sim:
        sim.route(APP_URL, app)  # type: ignore[arg-type]
        sim.number(CALLER_ID)
        sim.client().calls.create(
            to=CALLEE,
            from_=CALLER_ID,
            url=f"{APP_URL}/voice",
            status_callback=f"{APP_URL}/status",
            status_callback_event=ALL_EVENTS,
        )
        sim.run()
        return [(r.method, r.url, r.params, r.headers) for r in sim.requests]


def test_same_test_twice_gives_same_sids_and_log(example_app: object) -> None:
    first = run_reference_call(example_app)
    second = run_reference_call(example_app)
    assert first == second
    assert len(first) == 6
    different = Simulator(seed=8)
    assert different.account_sid != first[0][2]["AccountSid"]


def test_invalid_xml_fails_with_call_sid_url_and_12100(sim: Simulator) -> None:
    sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/broken-xml").sid
    with pytest.raises(SimulationError) as raised:
        sim.run()
    message = str(raised.value)
    assert f"call {sid}: Twilio error 12100 (Document parse failure) at {APP_URL}/broken-xml" in (
        message
    )
    assert "https://www.twilio.com/docs/errors/12100" in message
    call = sim.calls[sid]
    assert call.said == ["We are sorry, an application error has occurred. Goodbye."]
    assert call.status == "completed"


def test_crashing_app_fails_with_11200_and_keeps_the_exception(sim: Simulator) -> None:
    sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/crash").sid
    with pytest.raises(SimulationError) as raised:
        sim.run()
    assert str(raised.value).splitlines()[1] == (
        f"  call {sid}: Twilio error 11200 (HTTP retrieval failure) at {APP_URL}/crash: "
        "the app answered HTTP 500 to POST; it raised RuntimeError: the app crashed on purpose; "
        "its body: '500 Internal Server Error Internal Server Error The server encountered an "
        "internal error and was unable to complete your request. Either the server is "
        "overloaded or there is an error in the application.'; twimlsim then played Twilio's "
        "application-error message and hung up, as Twilio does "
        "[https://www.twilio.com/docs/errors/11200]"
    )
    assert repr(raised.value.__cause__) == "RuntimeError('the app crashed on purpose')"
    assert [r.kind for r in sim.calls[sid].requests] == ["voice"]


def test_exception_propagating_from_app_is_chained() -> None:
    def exploding_app(environ: object, start_response: object) -> list[bytes]:
        raise KeyError("boom")

    with Simulator() as sim:
        sim.route(APP_URL, exploding_app)  # type: ignore[arg-type]
        sim.number(CALLER_ID)
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/v").sid
        with pytest.raises(SimulationError) as raised:
            sim.run()
    assert isinstance(raised.value.__cause__, KeyError)
    assert raised.value.failures[0].code == 11200
    assert raised.value.failures[0].call_sid == sid
    assert "the app raised KeyError: 'boom'" in str(raised.value)


def test_fallback_url_gets_error_code_and_url(example_app: object) -> None:
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, example_app)  # type: ignore[arg-type]
        sim.number(CALLER_ID)
        sid = (
            sim.client()
            .calls.create(
                to=CALLEE,
                from_=CALLER_ID,
                url=f"{APP_URL}/crash",
                fallback_url=f"{APP_URL}/goodbye",
            )
            .sid
        )
        sim.run()
    call = sim.calls[sid]
    fallback = call.requests[1]
    assert (fallback.kind, fallback.url) == ("fallback", f"{APP_URL}/goodbye")
    expected = base_params(sim, sid, "in-progress")
    expected.update(ErrorCode="11200", ErrorUrl=f"{APP_URL}/crash")
    assert fallback.params == expected
    assert call.said == ["Thanks for calling. Goodbye!"]
    assert [f.code for f in sim.failures] == [11200]


def test_inline_twiml_runs_without_fetching(sim: Simulator) -> None:
    twiml = '<Response><Say loop="2">Hi there</Say><Pause length="3"/></Response>'
    sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, twiml=twiml).sid
    sim.run()
    call = sim.calls[sid]
    assert call.requests == []
    assert call.said == ["Hi there"]
    assert call.duration == 5  # two loops of one second, then three seconds of pause


def test_unrouted_url_is_a_strict_failure(sim: Simulator) -> None:
    sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url="https://other.test/x").sid
    with pytest.raises(SimulationError, match=r"no app is routed for https://other.test/x"):
        sim.run()
    assert sim.calls[sid].requests[0].response is None


def test_redirect_loop_is_stopped(example_app: object) -> None:
    def loop_app(environ: dict[str, object], start_response: object) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])  # type: ignore[operator]
        return [b"<Response><Redirect>/again</Redirect></Response>"]

    with Simulator() as sim:
        sim.route(APP_URL, loop_app)  # type: ignore[arg-type]
        sim.number(CALLER_ID)
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/start").sid
        with pytest.raises(SimulationError) as raised:
            sim.run()
    assert str(raised.value).splitlines()[1] == (
        f"  call {sid} at {APP_URL}/again in <Redirect> (line 1): 100 documents fetched "
        "without virtual time "
        "passing (a <Redirect> loop?); twimlsim ended the call"
    )
    assert len(sim.calls[sid].requests) == 100
    assert sim.calls[sid].status == "completed"


def test_basic_auth_is_checked(sim: Simulator) -> None:
    url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
    token = base64.b64encode(f"{sim.account_sid}:wrong".encode()).decode()
    response = requests.post(url, headers={"Authorization": f"Basic {token}"}, timeout=5)
    assert response.status_code == 401
    assert json.loads(response.text) == {
        "code": 20003,
        "message": "Authenticate",
        "more_info": "https://www.twilio.com/docs/errors/20003",
        "status": 401,
    }


def test_client_built_before_start_is_intercepted(example_app: object) -> None:
    sim = Simulator()
    client = sim.client()
    with sim:
        sim.route(APP_URL, example_app)  # type: ignore[arg-type]
        sim.number(CALLER_ID)
        call = client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        sim.run()
    assert sim.calls[call.sid].status == "completed"


def test_far_end_hangup_cuts_the_call_short(sim: Simulator) -> None:
    sim.phone(CALLEE).hangs_up(after=4)
    sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
    sim.run()
    call = sim.calls[sid]
    assert call.status == "completed"
    assert call.duration == 4
    # The hang-up came during the two-second pause: the redirect was never requested.
    assert [r.kind for r in call.requests] == ["voice"]
    assert sim.now.isoformat() == "2026-01-01T09:00:04+00:00"


def test_finished_calls_leave_no_timers_behind(sim: Simulator) -> None:
    sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
    sim.run()
    assert sim.now.isoformat() == "2026-01-01T09:00:07+00:00"
    assert len(sim.scheduler) == 0


def test_time_limit_ends_the_call(sim: Simulator) -> None:
    twiml = '<Response><Pause length="600"/></Response>'
    sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, twiml=twiml, time_limit=90).sid
    sim.run()
    assert sim.calls[sid].duration == 90


def test_app_clock_is_frozen_from_the_first_run_until_stop() -> None:
    import datetime as dt

    real = dt.datetime
    with Simulator() as sim:
        assert dt.datetime is real  # starting a simulator freezes nothing yet
        sim.advance(5)
        assert dt.datetime is not real
        assert dt.datetime.now(dt.UTC) == sim.now == sim.clock.start + timedelta(seconds=5)
        sim.advance(1.5)
        assert dt.datetime.now(dt.UTC) == sim.now
    assert dt.datetime is real


def test_stop_checks_nothing_and_check_after_it_names_the_step_never_reached(
    example_app: object,
) -> None:
    # a runner's hooks (behave's after_scenario) stop the simulator, then check it
    sim = Simulator().start()
    sim.route(APP_URL, example_app)
    sim.number(CALLER_ID)
    sim.phone(CALLEE).presses("9")  # the example app gathers nothing
    sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
    sim.run()
    sim.stop()
    with pytest.raises(ConfigurationError) as raised:
        sim.check()
    assert str(raised.value) == (
        f"scripted far-end steps were never reached: sim.phone('{CALLEE}').presses('9'); "
        f"{never_listened(CALLEE)}. Remove them, or pass strict=False to allow unused steps."
    )
