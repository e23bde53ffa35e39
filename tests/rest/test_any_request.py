"""Property test: any request to any route of the fake API, with any of its parameters
given odd values (empty, huge, negative, unicode, NUL, the wrong kind of SID...), is
answered with a body in Twilio's shape: a Twilio error (code, message, more_info, status)
or a resource that Twilio's OpenAPI description accepts (checked by this folder's
conftest, which also fails the test on any internal error of the API). The simulation
then still runs to its end.

The world has a live call in a conference, one in a queue, one recording, so that the
requests reach the views' deeper checks, not only the 20404 of an unknown SID.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.rest.routes import _TABLE

#: Parameter names of the simulated endpoints (wire names), and a few Twilio has elsewhere.
NAMES = [
    "AmdStatusCallback",
    "AnnounceMethod",
    "AnnounceUrl",
    "ApplicationSid",
    "AreaCode",
    "AsyncAmd",
    "Beep",
    "BeepOnExit",
    "Body",
    "Byoc",
    "CallReason",
    "CallSid",
    "CallSidToCoach",
    "CallToken",
    "CallerId",
    "ChargeAmount",
    "Coaching",
    "ConferenceRecord",
    "ConferenceStatusCallback",
    "ConferenceStatusCallbackEvent",
    "Contains",
    "Currency",
    "DateCreated",
    "DateCreated>",
    "EarlyMedia",
    "EndConferenceOnExit",
    "EndTime",
    "EndTime<",
    "FallbackMethod",
    "FallbackUrl",
    "FriendlyName",
    "From",
    "Hold",
    "HoldMethod",
    "HoldUrl",
    "Input",
    "Label",
    "LanguageCode",
    "MachineDetection",
    "MachineDetectionTimeout",
    "MaxParticipants",
    "MaxSize",
    "Method",
    "Muted",
    "Name",
    "Page",
    "PageSize",
    "PageToken",
    "Parameter1.Name",
    "Parameter1.Value",
    "ParentCallSid",
    "PaymentConnector",
    "PaymentMethod",
    "PhoneNumber",
    "PostalCode",
    "Record",
    "RecordingChannels",
    "RecordingStatusCallback",
    "RecordingStatusCallbackEvent",
    "RecordingTrack",
    "SecurityCode",
    "SendDigits",
    "SipAuthUsername",
    "StartConferenceOnEnter",
    "StartTime",
    "StartTime>",
    "Status",
    "StatusCallback",
    "StatusCallbackEvent",
    "StatusCallbackMethod",
    "TimeLimit",
    "Timeout",
    "To",
    "Track",
    "Trim",
    "Twiml",
    "Url",
    "ValidCardTypes",
    "VoiceApplicationSid",
    "VoiceUrl",
    "WaitUrl",
]
VALUES = [
    "",
    "0",
    "-1",
    "5",
    "1e3",
    "9" * 400,
    "true",
    "TRUE",
    "x",
    "é",
    "\x00",
    " 5 ",
    "NaN",
    "https://app.test/x",
    "http://[::1",
    "+15558675310",
    "+15005550006",
    "client:alice",
    "sip:a@b.test",
    "<Response/>",
    "<Response><Say>",
    "CA" + "0" * 32,
    "start end join leave",
    "in-progress",
    "completed",
    "canceled",
    "paused",
    "stopped",
    "Twilio.CURRENT",
    "2026-01-01",
    "2026-13-45",
    "GET",
    "both",
    "dual",
    "payment-card-number",
    "complete",
    "\U0001f600" * 3,
    "a" * 5000,
]


def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/xml")])
    documents = {
        "/room": b"<Response><Dial><Conference>room</Conference></Dial></Response>",
        "/queue": b"<Response><Enqueue>line</Enqueue></Response>",
    }
    default = b'<Response><Record maxLength="5"/><Pause length="600"/></Response>'
    return [documents.get(environ["PATH_INFO"], default)]


@pytest.fixture
def world() -> Iterator[tuple[Simulator, dict[str, list[str]]]]:
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        client = sim.client()
        live = client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        room = client.calls.create(to="+15551112222", from_=CALLER_ID, url=f"{APP_URL}/room")
        line = client.calls.create(to="+15551113333", from_=CALLER_ID, url=f"{APP_URL}/queue")
        sim.advance(20)
        recordings = [r.sid for r in client.recordings.list()] or ["RE" + "0" * 32]
        unknown = "0" * 32
        sids = {
            "account_sid": [sim.account_sid],
            "call_sid": [live, room.sid, line.sid, "CA" + unknown],
            "conference": [sim.conferences["room"].sid, "room", "CF" + unknown],
            "participant": [room.sid, "CA" + unknown, "alice"],
            "recording_sid": recordings,
            "recording": [*recordings, "Twilio.CURRENT"],
            "queue_sid": [q.sid for q in client.queues.list()],
            "member": ["Front", line.sid, "CA" + unknown],
            "stream": ["MZ" + unknown, "x"],
            "transcription": ["GT" + unknown, "x"],
            "country": ["US", "ZZ"],
            "kind": ["Local", "TollFree", "Mobile"],
        }
        yield sim, sids
        sim.advance(30)
        sim.run()  # the simulation still ends whatever was asked of it


@st.composite
def api_requests(draw: st.DrawFn, sids: dict[str, list[str]]) -> tuple[str, str, list[Any]]:
    path, _, method = draw(st.sampled_from(_TABLE))

    def sid(found: re.Match[str]) -> str:
        # "sid('CA'):call_sid": the world's SIDs of that kind, or one of it nobody has;
        # a placeholder this test does not know (a newer route) gets odd values
        spec = found.group(1)
        choices = sids.get(spec.split(":")[-1], [])
        prefix = re.match(r"sid\('(\w+)'\)", spec)
        if prefix is not None:
            kind = prefix.group(1)
            choices = [*(c for c in choices if c.startswith(kind)), kind + "0" * 32]
        return draw(st.sampled_from(choices or ["x", "0" * 34]))

    url = "https://api.twilio.com" + re.sub(r"<([^>]+)>", sid, path)
    form = draw(st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(VALUES)), max_size=5))
    return method, url, form


@settings(
    max_examples=int(os.environ.get("TWIMLSIM_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(data=st.data())
def test_any_request_is_answered_in_twilios_shape(
    world: tuple[Simulator, dict[str, list[str]]], data: st.DataObject
) -> None:
    sim, sids = world
    method, url, form = data.draw(api_requests(sids))
    auth = (sim.account_sid, sim.auth_token)
    if method == "GET":
        answer = requests.get(url, params=form, auth=auth, timeout=5)
    else:
        answer = requests.request(method, url, data=form, auth=auth, timeout=5)
    if answer.status_code >= 400:
        body = answer.json()
        assert set(body) == {"code", "message", "more_info", "status"}, body
        assert (body["status"], body["more_info"]) == (
            answer.status_code,
            f"https://www.twilio.com/docs/errors/{body['code']}",
        )
        assert answer.status_code != 500, body
