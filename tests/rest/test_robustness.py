"""No input gets a 500 page; a bug in twimlsim still answers Twilio's 20500 JSON; the body
checker itself catches what is wrong."""

from __future__ import annotations

import pytest
import requests

from tests.rest import schema
from tests.support import CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.rest import calls

MALFORMED = [
    pytest.param({"To": "\x00", "From": CALLER_ID, "Url": "https://app.test/voice"}, 400, 21211),
    pytest.param({"To": CALLEE, "From": "☎", "Url": "https://app.test/voice"}, 400, 21212),
    pytest.param({"To": CALLEE, "From": CALLER_ID, "Url": "https://[::1"}, 400, 21205),
    pytest.param({"To": CALLEE, "From": CALLER_ID, "Url": "http://"}, 400, 21205),
    pytest.param({"To": CALLEE, "From": CALLER_ID, "Twiml": "<Response><Say>unclosed"}, 201, None),
    pytest.param(
        {"To": CALLEE, "From": CALLER_ID, "Url": "https://app.test/v", "Timeout": "9" * 400},
        201,
        None,
    ),
    pytest.param(
        {"To": CALLEE, "From": CALLER_ID, "Url": "https://app.test/v", "TimeLimit": "1e9"},
        400,
        20422,
    ),
    pytest.param(
        {"To": "+" + "1" * 5000, "From": CALLER_ID, "Url": "https://app.test/v"}, 400, 21211
    ),
    pytest.param(
        {"To": CALLEE, "From": CALLER_ID, "Url": "https://app.test/v", "StatusCallbackEvent": " "},
        201,
        None,
    ),
]


@pytest.mark.parametrize(("form", "status", "code"), MALFORMED)
def test_malformed_create_is_never_a_500(
    sim: Simulator, form: dict[str, str], status: int, code: int | None
) -> None:
    response = requests.post(
        f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json",
        data=form,
        auth=(sim.account_sid, sim.auth_token),
        timeout=5,
    )
    assert (response.status_code, response.json().get("code")) == (status, code), response.text
    sim.engine.strict = False
    sim.strict = False
    sim.run()


@pytest.mark.parametrize(
    "path",
    ["/", "/2010-04-01", "/2010-04-01/Accounts/", "/2010-04-01/Accounts/%ff.json", "/%00"],
)
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE", "PATCH", "OPTIONS"])
def test_odd_paths_and_methods_get_twilio_json(sim: Simulator, path: str, method: str) -> None:
    response = requests.request(
        method, f"https://api.twilio.com{path}", auth=(sim.account_sid, sim.auth_token), timeout=5
    )
    shown = path.replace("%ff", "\ufffd").replace("%00", "\x00")  # the decoded path
    assert (response.status_code, response.json()) == (
        404,
        {
            "code": 20404,
            "message": f"The requested resource {shown} was not found",
            "more_info": "https://www.twilio.com/docs/errors/20404",
            "status": 404,
        },
    )


def test_a_bug_becomes_twilio_20500_and_is_recorded(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise ZeroDivisionError("on purpose")

    sim.client().calls.create(to=CALLEE, from_=CALLER_ID, twiml="<Response/>")
    monkeypatch.setattr(calls, "call_json", broken)
    response = requests.get(
        f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json",
        auth=(sim.account_sid, sim.auth_token),
        timeout=5,
    )
    assert (response.status_code, response.json()) == (
        500,
        {
            "code": 20500,
            "message": "Internal Server Error: twimlsim failed on GET "
            f"/2010-04-01/Accounts/{sim.account_sid}/Calls.json (ZeroDivisionError: on "
            "purpose); please report this bug",
            "more_info": "https://www.twilio.com/docs/errors/20500",
            "status": 500,
        },
    )
    assert [type(e) for e in sim.rest.internal_errors] == [ZeroDivisionError]
    sim.rest.internal_errors.clear()  # else the fixture fails the test on the recorded bug
    sim.run()


@pytest.mark.skipif(not schema.SPEC_PATH.exists(), reason="Twilio's OpenAPI spec is absent")
def test_the_body_checker_catches_wrong_bodies() -> None:
    path = "/2010-04-01/Accounts/AC" + "a" * 32 + "/Calls/CA" + "b" * 32 + ".json"
    assert schema.problems("GET", path, 200, {"sid": 5}) != []
    wrong = schema.problems("GET", path, 200, {"sid": "CA" + "b" * 32, "duration": 7})
    assert any("duration" in problem for problem in wrong)
    assert any("missing" in problem for problem in wrong)
    date = schema.problems("GET", path, 200, {"date_created": "2026-01-01T00:00:00Z"})
    assert any("date-time-rfc-2822" in problem for problem in date)
    assert schema.problems("GET", path, 404, {"code": 20404, "message": "x"}) != []
