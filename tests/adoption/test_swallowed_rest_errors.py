"""A REST error the app catches and swallows is the app's to handle, as on Twilio: the
strict check passes over it (README, "Strict by default"), and the request log keeps it
for the test to assert on. A thin wrapper made at import with other credentials than the
simulator's is the usual case."""

from __future__ import annotations

import json

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from twimlsim import Simulator

PLACEHOLDER_SID = "AC" + "x" * 32


def place_call_or_log(client: Client) -> str | None:
    """An app's wrapper that logs Twilio's error and goes on."""
    try:
        call = client.calls.create(to="+15558675310", from_="+15005550006", url="https://a.test/")
    except TwilioRestException:
        return None
    return str(call.sid)


def test_a_swallowed_401_fails_no_strict_check_and_is_in_the_request_log() -> None:
    client = Client(PLACEHOLDER_SID, "your_auth_token")  # made at import, before the test
    with Simulator() as sim:
        sim.number("+15005550006")
        assert place_call_or_log(client) is None
        refused = [(r.status, r.url) for r in sim.api_requests if r.status >= 400]
        assert refused == [
            (401, f"https://api.twilio.com/2010-04-01/Accounts/{PLACEHOLDER_SID}/Calls.json")
        ]
        assert json.loads(sim.api_requests[0].body) == {
            "code": 20003,
            "message": "Authenticate",
            "more_info": "https://www.twilio.com/docs/errors/20003",
            "status": 401,
        }
        assert dict(sim.calls) == {}
    sim.check()  # passes: the error was the app's to handle
