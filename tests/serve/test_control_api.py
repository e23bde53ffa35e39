"""``twimlsim serve`` driven through its control API only: plain HTTP to a subprocess, as a
test in any language would (nothing here imports twimlsim). One server for the package,
reset before each test (``conftest.py``); the clock is manual, so every time and duration
is exact."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
import requests
from openapi_spec_validator import validate
from twilio.jwt.access_token import AccessToken
from twilio.jwt.access_token.grants import VoiceGrant

from tests.serve.client import ROOT, TIMEOUT, ServeProcess, WebhookApp
from tests.serve.ivr import CALLEE, CALLER_ID, IVR_NUMBER, MENU
from tests.support import BLANK_VALUES_SIGNED, twilio_error_body


def test_the_openapi_document_is_served_valid_and_complete(serve: ServeProcess) -> None:
    spec = serve.openapi
    validate(spec)  # raises on an invalid OpenAPI 3.1 document
    on_disk = json.loads((ROOT / "twimlsim" / "rest" / "control_openapi.json").read_text())
    assert spec == on_disk
    operations = sorted(
        f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item
    )
    assert operations == [
        "GET /twimlsim/api-requests",
        "GET /twimlsim/calls",
        "GET /twimlsim/calls/{sid}",
        "GET /twimlsim/calls/{sid}/api-requests",
        "GET /twimlsim/calls/{sid}/requests",
        "GET /twimlsim/calls/{sid}/transcript",
        "GET /twimlsim/failures",
        "GET /twimlsim/openapi.json",
        "GET /twimlsim/phones",
        "GET /twimlsim/requests",
        "GET /twimlsim/status",
        "POST /twimlsim/advance",
        "POST /twimlsim/calls",
        "POST /twimlsim/calls/{sid}/close-stream",
        "POST /twimlsim/calls/{sid}/hangup",
        "POST /twimlsim/calls/{sid}/press",
        "POST /twimlsim/calls/{sid}/records",
        "POST /twimlsim/calls/{sid}/run",
        "POST /twimlsim/calls/{sid}/say",
        "POST /twimlsim/calls/{sid}/silence",
        "POST /twimlsim/locations",
        "POST /twimlsim/lookups",
        "POST /twimlsim/media",
        "POST /twimlsim/numbers",
        "POST /twimlsim/phones",
        "POST /twimlsim/reset",
        "POST /twimlsim/run",
        "POST /twimlsim/sdk-calls",
        "POST /twimlsim/sip-domains",
        "POST /twimlsim/verified-caller-ids",
    ]


def test_a_scripted_ivr_call_with_key_presses(serve: ServeProcess, app: WebhookApp) -> None:
    script = serve.post(
        "phones",
        {
            "number": CALLEE,
            "steps": [{"action": "answers", "after": 2}, {"action": "presses", "digits": "1"}],
        },
    )
    assert script == {
        "number": CALLEE,
        "steps": [
            {"action": "answers", "step": "answers(after=2)", "used": False},
            {"action": "presses", "step": "presses('1')", "used": False},
        ],
    }
    sid = serve.create_call(To=CALLEE, From=CALLER_ID, Url=f"{app.url}/voice")
    status = serve.post("run")
    assert (status["calls"], status["failures"], status["pending_events"]) == (
        {sid: "completed"},
        [],
        0,
    )
    call = serve.get(f"calls/{sid}")
    serve.check("Call", call)
    assert {key: call[key] for key in ("status", "direction", "from", "to", "duration")} == {
        "status": "completed",
        "direction": "outbound-api",
        "from": CALLER_ID,
        "to": CALLEE,
        "duration": 5,
    }
    assert call["said"] == [MENU, "Connecting you to sales."]
    assert call["transcript"] == [
        {"type": "Answered", "at": "2026-01-01T09:00:02+00:00", "answered_by": None},
        {
            "type": "Said",
            "at": "2026-01-01T09:00:02+00:00",
            "text": MENU,
            "voice": "man",
            "language": "en-US",
            "loop": 1,
            "interrupted": False,
        },
        {
            "type": "Gathered",
            "at": "2026-01-01T09:00:05+00:00",
            "digits": "1",
            "speech": None,
            "confidence": None,
            "finished_on_key": "",
            "timed_out": False,
            "ignored_digits": "",
            "ignored_speech": None,
        },
        {
            "type": "Said",
            "at": "2026-01-01T09:00:05+00:00",
            "text": "Connecting you to sales.",
            "voice": "man",
            "language": "en-US",
            "loop": 1,
            "interrupted": False,
        },
        {"type": "HungUp", "at": "2026-01-01T09:00:07+00:00", "by": "twiml", "status": "completed"},
    ]
    assert [(sent["kind"], sent["method"], sent["url"]) for sent in call["requests"]] == [
        ("voice", "POST", f"{app.url}/voice"),
        ("gather", "POST", f"{app.url}/menu"),
    ]
    gathered = call["requests"][1]
    assert (gathered["params"]["Digits"], gathered["params"]["CallSid"]) == ("1", sid)
    assert gathered["response"]["status"] == 200
    assert (
        gathered["response"]["body"] == "<Response><Say>Connecting you to sales.</Say></Response>"
    )
    assert [(method, path, form.get("Digits")) for method, path, form in app.app.seen] == [
        ("POST", "/voice", None),
        ("POST", "/menu", "1"),
    ]
    assert serve.get(f"calls/{sid}/transcript") == {"transcript": call["transcript"]}
    assert serve.get(f"calls/{sid}/requests") == {"requests": call["requests"]}
    assert serve.get("requests") == {"requests": call["requests"]}
    [created] = call["api_requests"]  # the app's REST requests about the call
    assert {key: created[key] for key in ("method", "kind", "call_sid", "status", "at")} == {
        "method": "POST",
        "kind": "calls.create",
        "call_sid": sid,
        "status": 201,
        "at": "2026-01-01T09:00:00+00:00",
    }
    assert (created["url"], created["params"]["To"]) == (serve.calls_url, CALLEE)
    assert json.loads(created["body"])["sid"] == sid
    assert serve.get(f"calls/{sid}/api-requests") == {"api_requests": [created]}
    assert serve.get("api-requests") == {"api_requests": [created]}
    phones = serve.get("phones")
    serve.check("Phones", phones)
    assert [step["used"] for step in phones["phones"][0]["steps"]] == [True, True]
    assert serve.get("failures") == {"failures": [], "unused_steps": []}


def ivr_number(serve: ServeProcess, app: WebhookApp) -> None:
    number = serve.post(
        "numbers", {"number": IVR_NUMBER, "voice_url": f"{app.url}/voice"}, status=201
    )
    serve.check("Number", number)
    assert (number["number"], number["voice_url"], number["voice_method"]) == (
        IVR_NUMBER,
        f"{app.url}/voice",
        "POST",
    )


def without_dates(call: dict[str, Any]) -> dict[str, Any]:
    """``call`` without the app's wall-clock ``Date`` response headers."""
    for sent in call["requests"]:
        headers = sent["response"]["headers"]
        sent["response"]["headers"] = [pair for pair in headers if pair[0] != "Date"]
    return call


def test_a_call_driven_by_hand_matches_the_scripted_one(
    serve: ServeProcess, app: WebhookApp
) -> None:
    ivr_number(serve, app)
    ringing = serve.post("calls", {"from": CALLEE, "to": IVR_NUMBER}, status=201)
    serve.check("CallSummary", ringing)
    sid = ringing["sid"]
    assert (ringing["status"], ringing["direction"], ringing["waiting_for"]) == (
        "ringing",
        "inbound",
        None,
    )
    waiting = serve.post(f"calls/{sid}/run")
    assert (waiting["status"], waiting["said"]) == ("in-progress", [MENU])
    assert waiting["waiting_for"] == {
        "verb": "Gather",
        "input": ["dtmf"],
        "timeout": 5.0,
        "prompting": False,
    }
    pressed = serve.post(f"calls/{sid}/press", {"digits": "2"})
    assert pressed["waiting_for"] is None
    ended = serve.post(f"calls/{sid}/run")
    assert (ended["status"], ended["said"][-1], ended["duration"]) == (
        "completed",
        "Connecting you to support.",
        5,
    )
    by_hand = serve.get(f"calls/{sid}")

    # The same call scripted, after a reset: the same SIDs, times and requests.
    serve.post("reset")
    ivr_number(serve, app)
    serve.post("phones", {"number": CALLEE, "steps": [{"action": "presses", "digits": "2"}]})
    assert serve.post("calls", {"from": CALLEE, "to": IVR_NUMBER}, status=201)["sid"] == sid
    serve.post("run")
    assert without_dates(serve.get(f"calls/{sid}")) == without_dates(by_hand)
    menu_request = by_hand["requests"][-1]
    assert (menu_request["url"], menu_request["params"]["Digits"]) == (f"{app.url}/menu", "2")


def test_hanging_up_and_staying_silent_by_hand(serve: ServeProcess, app: WebhookApp) -> None:
    ivr_number(serve, app)
    sid = serve.post("calls", {"from": CALLEE, "to": IVR_NUMBER}, status=201)["sid"]
    serve.post(f"calls/{sid}/run")
    serve.post(f"calls/{sid}/silence")
    timed_out = serve.post(f"calls/{sid}/run")
    assert timed_out["said"] == [MENU, "We did not get that."]
    assert timed_out["status"] == "completed"

    second = serve.post("calls", {"from": CALLEE, "to": IVR_NUMBER}, status=201)["sid"]
    serve.post(f"calls/{second}/run")
    hung_up = serve.post(f"calls/{second}/hangup")
    assert hung_up["status"] == "in-progress"  # the hang-up happens when the call runs
    ended = serve.post(f"calls/{second}/run")
    assert ended["status"] == "completed"
    assert serve.get(f"calls/{second}/transcript")["transcript"][-1] == {
        "type": "HungUp",
        "at": "2026-01-01T09:00:13+00:00",  # the first call ended at 09:00:10
        "by": "caller",
        "status": "completed",
    }


def test_an_incoming_call_with_extra_params(serve: ServeProcess, app: WebhookApp) -> None:
    ivr_number(serve, app)
    body = {"from": CALLEE, "to": IVR_NUMBER, "params": {"StirVerstat": "TN-Validation-Passed-A"}}
    sid = serve.post("calls", body, status=201)["sid"]
    serve.post(f"calls/{sid}/run")
    (voice,) = serve.get(f"calls/{sid}/requests")["requests"]
    assert voice["params"]["StirVerstat"] == "TN-Validation-Passed-A"
    refused = serve.post("calls", {**body, "params": {"From": "+1"}}, status=400)
    assert refused["message"] == (
        f"sim.incoming_call(from_={CALLEE!r}, to={IVR_NUMBER!r}): params From is a parameter "
        "Twilio sets on every request of the call; give only the extra ones (AddOns, "
        "StirVerstat, ...)"
    )


def test_a_call_sent_to_a_sip_domain(serve: ServeProcess, app: WebhookApp) -> None:
    body = {"domain_name": "office.sip.twilio.com", "voice_url": f"{app.url}/voice"}
    domain = serve.post("sip-domains", body, status=201)
    assert domain == {
        "sid": domain["sid"],
        "domain_name": "office.sip.twilio.com",
        "voice_url": f"{app.url}/voice",
        "voice_method": "POST",
        "voice_fallback_url": None,
        "voice_fallback_method": "POST",
        "voice_status_callback_url": None,
        "voice_status_callback_method": "POST",
    }
    softphone, dialled = "sip:alice@office.sip.twilio.com", "sip:+15551234567@office.sip.twilio.com"
    call = {"from": softphone, "to": dialled, "params": {"SipHeader_X-Desk": "7"}}
    sid = serve.post("calls", call, status=201)["sid"]
    serve.post(f"calls/{sid}/run")
    (voice,) = serve.get(f"calls/{sid}/requests")["requests"]
    sip = {name: value for name, value in voice["params"].items() if name.startswith("Sip")}
    assert sip == {
        "SipDomain": "office.sip.twilio.com",
        "SipDomainSid": domain["sid"],
        "SipCallId": sip["SipCallId"],
        "SipSourceIp": "203.0.113.10",
        "SipHeader_X-Desk": "7",
    }
    assert (voice["params"]["From"], voice["params"]["To"]) == (softphone, dialled)
    refused = serve.post("sip-domains", {"domain_name": "office.example.com"}, status=400)
    assert refused["message"].startswith(
        "sim.sip_domain('office.example.com'): a SIP Domain's name is letters, digits and '-'"
    )


def test_a_voice_sdk_call_with_the_token_a_browser_calls_app_made(
    serve: ServeProcess, app: WebhookApp
) -> None:
    """A browser-calls app in any language: it made its API key and TwiML App through the
    REST API, signed a token with them; the device connects with it."""
    account, _ = serve.auth
    base = f"{serve.url}/2010-04-01/Accounts/{account}"
    key = serve.session.post(f"{base}/Keys.json", auth=serve.auth, timeout=TIMEOUT).json()
    voice = {"VoiceUrl": f"{app.url}/voice", "FriendlyName": "Browser calls"}
    made = serve.session.post(
        f"{base}/Applications.json", data=voice, auth=serve.auth, timeout=TIMEOUT
    )
    application = made.json()["sid"]
    token = AccessToken(account, key["sid"], key["secret"], identity="alice", ttl=3600)
    token.add_grant(VoiceGrant(outgoing_application_sid=application))
    body = {"token": token.to_jwt(), "params": {"To": CALLEE}}
    sid = serve.post("sdk-calls", body, status=201)["sid"]
    serve.post(f"calls/{sid}/run")
    voice_request = serve.get(f"calls/{sid}/requests")["requests"][0]
    names = ("From", "To", "Direction", "ApplicationSid")
    assert {name: voice_request["params"][name] for name in names} == {
        "From": "client:alice",
        "To": CALLEE,
        "Direction": "inbound",
        "ApplicationSid": application,
    }
    unsigned = serve.post("sdk-calls", {"token": "not.a.jwt"}, status=400)
    assert unsigned["code"] == 20422
    assert unsigned["message"].startswith(
        "Twilio would refuse this Access Token: 20101 Invalid Access Token: its parts are not "
        "base64url JSON"
    )


def test_a_number_configured_with_a_twiml_app_through_the_control_api(
    serve: ServeProcess, app: WebhookApp
) -> None:
    """A Voice SDK quickstart's README points the number at its TwiML App: the app's voice
    URL answers the number's calls, and an empty SID gives the number its own URL back."""
    account, _ = serve.auth
    base = f"{serve.url}/2010-04-01/Accounts/{account}"
    voice = {"VoiceUrl": f"{app.url}/voice", "FriendlyName": "Quickstart"}
    made = serve.session.post(
        f"{base}/Applications.json", data=voice, auth=serve.auth, timeout=TIMEOUT
    )
    application = made.json()["sid"]
    number = serve.post(
        "numbers",
        {
            "number": IVR_NUMBER,
            "voice_url": f"{app.url}/agent",
            "voice_application_sid": application,
        },
        status=201,
    )
    serve.check("Number", number)
    assert (number["voice_url"], number["voice_application_sid"]) == (
        f"{app.url}/agent",
        application,
    )
    sid = serve.post("calls", {"from": CALLEE, "to": IVR_NUMBER}, status=201)["sid"]
    serve.post(f"calls/{sid}/run")
    [asked] = serve.get(f"calls/{sid}/requests")["requests"][:1]
    assert (asked["url"], asked["params"]["ApplicationSid"]) == (f"{app.url}/voice", application)
    own = serve.post("numbers", {"number": IVR_NUMBER, "voice_application_sid": ""})
    assert (own["voice_url"], own["voice_application_sid"]) == (f"{app.url}/agent", None)
    unknown = serve.post(
        "numbers",
        {"number": IVR_NUMBER, "voice_application_sid": "AP" + "0" * 32},
        status=400,
    )
    assert unknown["message"] == (
        f"sim.number('{IVR_NUMBER}'): voice_application_sid 'AP{'0' * 32}' is not an "
        "application of the account; create it with "
        "POST /2010-04-01/Accounts/{AccountSid}/Applications.json first"
    )


def test_failures_give_their_advice_in_the_servers_terms(
    serve: ServeProcess, app: WebhookApp
) -> None:
    """A client of the control API has no ``sim``: the 403's advice names the banner's
    auth token, as the server's log does."""
    serve.post("numbers", {"number": IVR_NUMBER, "voice_url": f"{app.url}/forbidden"}, status=201)
    sid = serve.post("calls", {"from": CALLEE, "to": IVR_NUMBER}, status=201)["sid"]
    serve.post(f"calls/{sid}/run")
    message = (
        "the app answered HTTP 403 to POST; its body: 'Twilio Request Validation Failed.'; "
        "hint: a 403 is most often the app's own X-Twilio-Signature check failing: give the "
        "app the auth token of twimlsim serve's banner (auth_token) and validate the URL as "
        "requested (this one, scheme and all); twimlsim signs every webhook as Twilio does"
        f"{BLANK_VALUES_SIGNED}; twimlsim then played Twilio's application-error message and "
        "hung up, as Twilio does"
    )
    [listed] = serve.get("failures")["failures"]
    [in_status] = serve.get("status")["failures"]
    assert listed["message"] == message
    assert (
        in_status
        == listed["text"]
        == (
            f"call {sid}: Twilio error 11200 (HTTP retrieval failure) at {app.url}/forbidden: "
            f"{message} [https://www.twilio.com/docs/errors/11200]"
        )
    )


def test_a_refused_webhook_with_a_query_string_names_a_rebuilt_query(
    serve: ServeProcess, app: WebhookApp
) -> None:
    """Over HTTP, a 403 to a URL with a query string adds that a framework's rebuilt URL
    (Laravel's fullUrl(), which sorts the query) fails on Twilio too."""
    url = f"{app.url}/forbidden?tenant=acme&lang=en"
    serve.post("numbers", {"number": IVR_NUMBER, "voice_url": url}, status=201)
    sid = serve.post("calls", {"from": CALLEE, "to": IVR_NUMBER}, status=201)["sid"]
    serve.post(f"calls/{sid}/run")
    [listed] = serve.get("failures")["failures"]
    assert listed["message"] == (
        "the app answered HTTP 403 to POST; its body: 'Twilio Request Validation Failed.'; "
        "hint: a 403 is most often the app's own X-Twilio-Signature check failing: give the "
        "app the auth token of twimlsim serve's banner (auth_token) and validate the URL as "
        "requested (this one, scheme and all); twimlsim signs every webhook as Twilio does. "
        "The URL has a query string: a check over a URL the framework rebuilt with the query "
        "sorted or re-encoded (Laravel's and Symfony's $request->fullUrl()) fails on Twilio "
        "too; validate the URL as the request line has it (Laravel: "
        "$request->getSchemeAndHttpHost() . $request->getRequestUri())"
        f"{BLANK_VALUES_SIGNED}; twimlsim then played Twilio's application-error message and "
        "hung up, as Twilio does"
    )


def test_closing_a_stream_by_hand(serve: ServeProcess, app: WebhookApp) -> None:
    serve.post("numbers", {"number": IVR_NUMBER, "voice_url": f"{app.url}/agent"}, status=201)
    sid = serve.post("calls", {"from": CALLEE, "to": IVR_NUMBER}, status=201)["sid"]
    connected = serve.post(f"calls/{sid}/run")
    assert (connected["status"], connected["waiting_for"]["verb"]) == ("in-progress", "Connect")
    serve.post("advance", {"seconds": 40})
    serve.post(f"calls/{sid}/close-stream")
    ended = serve.post(f"calls/{sid}/run")
    assert (ended["status"], ended["said"]) == ("completed", ["Connecting you to the operator."])
    transcript = serve.get(f"calls/{sid}/transcript")["transcript"]
    assert transcript[2] == {
        "type": "StreamClosed",
        "at": "2026-01-01T09:00:40+00:00",
        "seconds": 40,
    }


def test_a_forked_stream_is_in_the_transcript(serve: ServeProcess, app: WebhookApp) -> None:
    serve.post("numbers", {"number": IVR_NUMBER, "voice_url": f"{app.url}/fork"}, status=201)
    sid = serve.post("calls", {"from": CALLEE, "to": IVR_NUMBER}, status=201)["sid"]
    serve.post(f"calls/{sid}/run")
    transcript = serve.get(f"calls/{sid}/transcript")["transcript"]
    assert transcript[1:4] == [
        {
            "type": "StreamStarted",
            "at": "2026-01-01T09:00:00+00:00",
            "url": "wss://notes.test/fork",
            "name": "notes",
            "track": "inbound_track",
            "parameters": [],
        },
        {"type": "Paused", "at": "2026-01-01T09:00:00+00:00", "seconds": 2, "interrupted": False},
        {
            "type": "StreamStopped",
            "at": "2026-01-01T09:00:02+00:00",
            "url": "wss://notes.test/fork",
            "name": "notes",
            "seconds": 2,
        },
    ]


def test_ending_a_relay_session_with_handoff_data(serve: ServeProcess, app: WebhookApp) -> None:
    serve.post("numbers", {"number": IVR_NUMBER, "voice_url": f"{app.url}/relay"}, status=201)
    sid = serve.post("calls", {"from": CALLEE, "to": IVR_NUMBER}, status=201)["sid"]
    serve.post(f"calls/{sid}/run")
    serve.post(f"calls/{sid}/close-stream", {"handoff_data": '{"to": "sales"}'})
    serve.post(f"calls/{sid}/run")
    action = serve.get(f"calls/{sid}/requests")["requests"][-1]
    assert (action["kind"], action["params"]["HandoffData"]) == ("connect", '{"to": "sales"}')


def test_reset_forgets_everything_but_the_server_options(
    serve: ServeProcess, app: WebhookApp
) -> None:
    ivr_number(serve, app)
    serve.post("phones", {"number": CALLEE, "steps": [{"action": "busy"}]})
    serve.post("media", {"url": f"{app.url}/hold.mp3", "seconds": 30})
    sid = serve.create_call(To=CALLEE, From=CALLER_ID, Url=f"{app.url}/voice")
    assert serve.post("advance", {"seconds": 10})["calls"] == {sid: "busy"}

    fresh = serve.post("reset")
    assert fresh == {
        "now": "Thu, 01 Jan 2026 09:00:00 +0000",
        "seconds": 0.0,
        "pending_events": 0,
        "calls": {},
        "failures": [],
    }
    assert serve.get("calls") == {"calls": []}
    assert serve.get("phones") == {"phones": []}
    assert serve.get("requests") == {"requests": []}
    # The credentials stay; the command line's number is owned again, the added one is gone.
    owned = requests.get(
        serve.calls_url.replace("Calls.json", "IncomingPhoneNumbers.json"),
        auth=serve.auth,
        timeout=TIMEOUT,
    )
    assert [number["phone_number"] for number in owned.json()["incoming_phone_numbers"]] == [
        CALLER_ID
    ]
    assert serve.create_call(To=CALLEE, From=CALLER_ID, Url=f"{app.url}/voice") == sid


def test_failures_and_unreached_steps_are_listed(serve: ServeProcess, app: WebhookApp) -> None:
    serve.post(
        "phones",
        {"number": CALLEE, "steps": [{"action": "says", "text": "sales", "confidence": 0.8}]},
    )
    sid = serve.create_call(To=CALLEE, From=CALLER_ID, Url=f"{app.url}/broken")
    serve.post("run")
    failures = serve.get("failures")
    serve.check("Failures", failures)
    message = (
        "Document parse failure: Opening and ending tag mismatch: Say line 1 and Response, "
        "line 1, column 29; twimlsim then played Twilio's application-error message and hung "
        "up, as Twilio does"
    )
    assert failures == {
        "failures": [
            {
                "call_sid": sid,
                "code": 12100,
                "message": message,
                "url": f"{app.url}/broken",
                "element": None,
                "line": 1,
                "text": f"call {sid}: Twilio error 12100 (Document parse failure) at "
                f"{app.url}/broken: {message.removeprefix('Document parse failure: ')} "
                "[https://www.twilio.com/docs/errors/12100]",
            }
        ],
        "unused_steps": [f"sim.phone('{CALLEE}').says('sales', confidence=0.8)"],
    }
    assert serve.get("status")["failures"] == [failures["failures"][0]["text"]]


@pytest.mark.parametrize(
    ("path", "body", "status", "code", "message"),
    [
        (
            "phones",
            {"number": CALLEE, "steps": [{"action": "answers"}, {"action": "dances"}]},
            400,
            20422,
            "steps[1]: unknown action 'dances'; one of answers, busy, no_answer, fails, "
            "machine, presses, says, silence, records, hangs_up, hangs_up_at_wait",
        ),
        (
            "phones",
            {"number": CALLEE, "steps": [{"action": "press", "digits": "1"}]},
            400,
            20422,
            "steps[0]: unknown action 'press' (did you mean 'presses'?); one of answers, busy, "
            "no_answer, fails, machine, presses, says, silence, records, hangs_up, "
            "hangs_up_at_wait",
        ),
        (
            "phones",
            {"number": CALLEE, "steps": [{"action": "presses"}]},
            400,
            20422,
            "steps[0] (presses): missing required field(s) digits",
        ),
        (
            "phones",
            {"number": CALLEE, "steps": [{"action": "answers", "after": "soon"}]},
            400,
            20422,
            "after must be a number, got 'soon'",
        ),
        (
            "phones",
            {"number": CALLEE, "steps": [{"action": "says", "text": "hi", "loud": True}]},
            400,
            20422,
            "steps[0] (says): unknown field(s) loud; allowed: text, confidence, barge_in",
        ),
        (
            "numbers",
            {"voice_url": "http://app/voice"},
            400,
            20422,
            "numbers: missing required field(s) number",
        ),
        (
            "calls",
            {"from": " 15558675310", "to": IVR_NUMBER},
            400,
            20422,
            "from ' 15558675310' starts or ends with a space: a '+' sent form-encoded must be "
            "written %2B (curl --data-urlencode), or send JSON",
        ),
        (
            "calls",
            {"from": CALLEE, "to": "+15005550099"},
            400,
            20422,
            "incoming call to +15005550099: the account has no number +15005550099 with a voice "
            f"URL (numbers: {CALLER_ID}); "
            'POST /twimlsim/numbers {"number": "+15005550099", "voice_url": ...} first',
        ),
        (
            "calls/CA00000000000000000000000000000000/press",
            {"digits": "1"},
            404,
            20404,
            "no call CA00000000000000000000000000000000 in this simulation (calls: none yet)",
        ),
        (
            "advance",
            {"seconds": 1e308},
            400,
            20422,
            "virtual time cannot reach about 1e308 s after the start "
            "(2026-01-01T09:00:00+00:00): the clock runs at most 366,000 days from its start "
            "and up to year 9999; advance by a smaller number of seconds",
        ),
        (
            "advance",
            {"seconds": -1},
            400,
            20422,
            "advance: seconds is not a number of seconds (0 or more): -1; send one such as "
            '{"seconds": 30}',
        ),
        (
            "advance",
            {"seconds": 1e12},
            400,
            20422,
            "virtual time cannot reach 1,000,000,000,000 s after the start "
            "(2026-01-01T09:00:00+00:00): the clock runs at most 366,000 days from its start "
            "and up to year 9999; advance by a smaller number of seconds",
        ),
    ],
)
def test_bad_control_requests_say_what_to_send(
    serve: ServeProcess, path: str, body: Any, status: int, code: int, message: str
) -> None:
    response = requests.post(f"{serve.control}/{path}", json=body, timeout=TIMEOUT)
    assert (response.status_code, response.json()) == (
        status,
        twilio_error_body(status, code, message),
    )
    assert serve.get("phones") == {"phones": []}  # a bad script adds no step at all


def test_bad_bodies_and_inputs_at_the_wrong_moment(serve: ServeProcess, app: WebhookApp) -> None:
    not_json = requests.post(
        f"{serve.control}/phones",
        data="{steps",
        headers={"Content-Type": "application/json"},
        timeout=TIMEOUT,
    )
    assert not_json.status_code == 400
    assert not_json.json()["message"].startswith("the body is not valid JSON (")
    ivr_number(serve, app)
    sid = serve.post("calls", {"from": CALLEE, "to": IVR_NUMBER}, status=201)["sid"]
    early = requests.post(
        f"{serve.control}/calls/{sid}/press", json={"digits": "1"}, timeout=TIMEOUT
    )
    assert (early.status_code, early.json()["message"]) == (
        400,
        f"call {sid} is not waiting for input (status ringing); "
        f"POST /twimlsim/calls/{sid}/run until its waiting_for is set",
    )
    form = requests.post(
        f"{serve.control}/calls/{sid}/say",
        data={"text": "sales", "confidence": "x"},
        timeout=TIMEOUT,
    )
    assert form.json()["message"] == "confidence must be a number, got 'x'"


def test_a_location_reaches_the_geo_parameters_of_the_webhooks(
    serve: ServeProcess, app: WebhookApp
) -> None:
    located = serve.post(
        "locations", {"number": CALLEE, "city": "CHICAGO", "state": "IL", "zip": "60601"}
    )
    assert located == {
        "number": CALLEE,
        "city": "CHICAGO",
        "state": "IL",
        "zip": "60601",
        "country": None,
    }
    ivr_number(serve, app)
    sid = serve.post("calls", {"from": CALLEE, "to": IVR_NUMBER}, status=201)["sid"]
    serve.post(f"calls/{sid}/run")
    params = serve.get(f"calls/{sid}/requests")["requests"][0]["params"]
    geo = {name: params[name] for name in params if name.startswith(("From", "Caller"))}
    assert geo == {
        "CallerCity": "CHICAGO",
        "CallerCountry": "US",
        "CallerState": "IL",
        "CallerZip": "60601",
        "From": CALLEE,
        "FromCity": "CHICAGO",
        "FromCountry": "US",
        "FromState": "IL",
        "FromZip": "60601",
        "Caller": CALLEE,
    }


def test_flat_bodies_may_be_form_encoded(serve: ServeProcess, app: WebhookApp) -> None:
    voice = f"{app.url}/voice"
    form = {"number": IVR_NUMBER, "voice_url": voice, "voice_method": "get"}
    added = requests.post(f"{serve.control}/numbers", data=form, timeout=TIMEOUT)
    assert (added.status_code, added.json()["number"], added.json()["voice_method"]) == (
        201,
        IVR_NUMBER,
        "GET",
    )
    again = requests.post(f"{serve.control}/numbers", data=form, timeout=TIMEOUT)
    # the same number again: updated, not bought anew
    assert (again.status_code, again.json()["sid"]) == (200, added.json()["sid"])
    called = requests.post(
        f"{serve.control}/calls", data={"from": CALLEE, "to": IVR_NUMBER}, timeout=TIMEOUT
    )
    assert called.status_code == 201
    waiting = serve.post(f"calls/{called.json()['sid']}/run")
    assert waiting["waiting_for"]["verb"] == "Gather"
    [(method, path, _)] = app.app.seen
    assert (method, path) == ("GET", "/voice")


def test_the_client_code_imports_nothing_of_twimlsim() -> None:
    here = Path(__file__).resolve().parent
    for module in sorted(here.glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert "twimlsim" not in imported, module.name


def test_a_far_end_that_hangs_up_at_the_menu(serve: ServeProcess, app: WebhookApp) -> None:
    serve.post("phones", {"number": CALLEE, "steps": [{"action": "hangs_up_at_wait", "after": 2}]})
    sid = serve.create_call(To=CALLEE, From=CALLER_ID, Url=f"{app.url}/voice")
    serve.post("run")
    call = serve.get(f"calls/{sid}")
    assert (call["status"], call["duration"], call["said"]) == ("completed", 5, [MENU])
    assert call["transcript"][-1]["type"] == "HungUp"
    assert call["transcript"][-1]["at"] == "2026-01-01T09:00:05+00:00"  # 3 s menu, then 2 s
    assert serve.get("phones")["phones"][0]["steps"] == [
        {"action": "hangs_up_at_wait", "step": "hangs_up_at_wait(after=2)", "used": True}
    ]


def test_a_numbers_caller_id_lookup_through_the_control_api(
    serve: ServeProcess, app: WebhookApp
) -> None:
    """``voice_caller_id_lookup`` on ``POST /twimlsim/numbers`` is the number's
    ``VoiceCallerIdLookup``: a call from a caller whose name Lookup knows carries it."""
    serve.post(
        "numbers",
        {"number": IVR_NUMBER, "voice_url": f"{app.url}/voice", "voice_caller_id_lookup": True},
        status=201,
    )
    serve.post("lookups", {"number": "+14155550100", "caller_name": "JANE DOE"})
    sid = serve.post("calls", {"from": "+14155550100", "to": IVR_NUMBER}, status=201)["sid"]
    serve.post(f"calls/{sid}/run")
    [asked] = serve.get(f"calls/{sid}/requests")["requests"][:1]
    assert asked["params"]["CallerName"] == "JANE DOE"
    refused = serve.post(
        "numbers", {"number": IVR_NUMBER, "voice_caller_id_lookup": "yes"}, status=400
    )
    assert refused["message"] == "voice_caller_id_lookup must be true or false, got 'yes'"


def test_a_manual_clock_keeps_calls_that_ended_hours_before_a_run_ends(
    serve: ServeProcess,
) -> None:
    """Under ``--clock manual`` (no ``--keep-seconds``), a ``/run`` that a long call carries
    hours on forgets none of the test's calls: the short call is still read back, by the
    control API and the REST API, after the long one reached its end two hours later."""
    short = serve.create_call(To=CALLEE, From=CALLER_ID, Twiml="<Response><Say>Hi</Say></Response>")
    long = serve.create_call(
        To="+15558675311", From=CALLER_ID, Twiml='<Response><Pause length="7200"/></Response>'
    )
    assert serve.post("run")["calls"] == {short: "completed", long: "completed"}
    assert [(call["sid"], call["end_time"]) for call in serve.get("calls")["calls"]] == [
        (short, "2026-01-01T09:00:01+00:00"),
        (long, "2026-01-01T11:00:01+00:00"),
    ]
    fetched = serve.session.get(
        serve.calls_url.replace(".json", f"/{short}.json"), auth=serve.auth, timeout=TIMEOUT
    )
    assert (fetched.status_code, fetched.json()["status"]) == (200, "completed")
