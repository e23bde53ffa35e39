"""The Notifications resource: the Twilio errors and warnings of the account's calls, as
Twilio's (deprecated) Notifications page describes them, newest first."""

from __future__ import annotations

from urllib.parse import parse_qsl

import requests

from tests.engine.helpers import place, response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID

API = "https://api.twilio.com/2010-04-01/Accounts"
BROKEN = "<Response><Say>Hi</Say><Bogus/></Response"  # not well-formed XML: 12100
WARNED = response('<Pause length="0"/><Redirect>/broken</Redirect>')


def test_a_calls_notifications_are_its_coded_problems_newest_first() -> None:
    with simulator({"/voice": WARNED, "/broken": BROKEN}, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
        auth = (sim.account_sid, sim.auth_token)
        base = f"{API}/{sim.account_sid}"
        listed = requests.get(f"{base}/Calls/{call.sid}/Notifications.json", auth=auth, timeout=5)
        error, warning = listed.json()["notifications"]
        errors = requests.get(f"{base}/Notifications.json?Log=0", auth=auth, timeout=5)
        fetched = requests.get(f"{base}/Notifications/{warning['sid']}.json", auth=auth, timeout=5)
        other_day = requests.get(
            f"{base}/Notifications.json?MessageDate=2026-01-02", auth=auth, timeout=5
        )
        bad_log = requests.get(f"{base}/Notifications.json?Log=2", auth=auth, timeout=5)
        client_codes = [n.error_code for n in sim.client().calls(call.sid).notifications.list()]
    account, sid = sim.account_sid, call.sid
    assert (error["error_code"], error["log"], error["request_url"]) == (
        "12100",
        "0",
        f"{APP_URL}/broken",
    )
    assert warning == {
        "account_sid": account,
        "api_version": "2010-04-01",
        "call_sid": sid,
        "date_created": "Thu, 01 Jan 2026 09:00:00 +0000",
        "date_updated": "Thu, 01 Jan 2026 09:00:00 +0000",
        "error_code": "13910",
        "log": "1",
        "message_date": "Thu, 01 Jan 2026 09:00:00 +0000",
        "message_text": warning["message_text"],
        "more_info": "https://www.twilio.com/docs/errors/13910",
        "request_method": "POST",
        "request_url": f"{APP_URL}/voice",
        "sid": warning["sid"],
        "uri": f"/2010-04-01/Accounts/{account}/Calls/{sid}/Notifications/{warning['sid']}.json",
    }
    assert dict(parse_qsl(warning["message_text"])) == {
        "Msg": "<Pause> length='0' is invalid: expected a positive integer; using 1",
        "ErrorCode": "13910",
        "LogLevel": "WARN",
        "url": f"{APP_URL}/voice",
    }
    assert warning["sid"].startswith("NO") and len(warning["sid"]) == 34
    # the account's list, errors only
    assert [n["sid"] for n in errors.json()["notifications"]] == [error["sid"]]
    # a fetch adds the request Twilio made, and names the account-wide path
    full = fetched.json()
    assert full == {
        **{key: value for key, value in warning.items() if key != "uri"},
        "request_variables": full["request_variables"],
        "response_body": WARNED,
        "response_headers": "Content-Type=text%2Fxml",
        "uri": f"/2010-04-01/Accounts/{account}/Notifications/{warning['sid']}.json",
    }
    variables = dict(parse_qsl(full["request_variables"], keep_blank_values=True))
    assert (variables["CallSid"], variables["CallStatus"]) == (sid, "in-progress")
    assert other_day.json()["notifications"] == []
    assert (bad_log.status_code, bad_log.json()["code"]) == (400, 20422)
    assert client_codes == ["12100", "13910"]


def test_an_unknown_notification_or_call_is_20404() -> None:
    with simulator({"/voice": WARNED}) as (sim, _):
        auth = (sim.account_sid, sim.auth_token)
        base = f"{API}/{sim.account_sid}"
        unknown = requests.get(f"{base}/Notifications/NO{'0' * 32}.json", auth=auth, timeout=5)
        no_call = requests.get(
            f"{base}/Calls/CA{'0' * 32}/Notifications.json", auth=auth, timeout=5
        )
    assert (unknown.status_code, unknown.json()["code"]) == (404, 20404)
    assert (no_call.status_code, no_call.json()["code"]) == (404, 20404)


def test_a_notification_fetched_under_its_call_names_the_calls_path() -> None:
    with simulator({"/voice": WARNED, "/broken": BROKEN}, strict=False) as (sim, _):
        call = place(sim)
        other = place(sim)
        sim.run()
        auth = (sim.account_sid, sim.auth_token)
        base = f"{API}/{sim.account_sid}"
        warning = requests.get(
            f"{base}/Calls/{call.sid}/Notifications.json?Log=1", auth=auth, timeout=5
        ).json()["notifications"][0]
        under_call = f"{base}/Calls/{call.sid}/Notifications/{warning['sid']}.json"
        fetched = requests.get(under_call, auth=auth, timeout=5)
        account_wide = requests.get(
            f"{base}/Notifications/{warning['sid']}.json", auth=auth, timeout=5
        )
        elsewhere = requests.get(
            f"{base}/Calls/{other.sid}/Notifications/{warning['sid']}.json", auth=auth, timeout=5
        )
    account = sim.account_sid
    assert fetched.status_code == 200
    assert fetched.json() == {
        **account_wide.json(),
        "uri": f"/2010-04-01/Accounts/{account}/Calls/{call.sid}/Notifications/"
        f"{warning['sid']}.json",
    }
    assert (fetched.json()["error_code"], fetched.json()["call_sid"]) == ("13910", call.sid)
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (404, 20404)


def test_a_warning_of_a_call_create_names_the_create_as_its_request() -> None:
    # "generated by your use of our REST API": the request_url was "", not a URI
    with simulator({"/voice": response("<Say>Hi</Say>")}, strict=False) as (sim, _):
        call = place(sim, machine_detection="true")
        sim.run()
        auth = (sim.account_sid, sim.auth_token)
        base = f"{API}/{sim.account_sid}"
        (listed,) = requests.get(f"{base}/Notifications.json", auth=auth, timeout=5).json()[
            "notifications"
        ]
        fetched = requests.get(f"{base}/Notifications/{listed['sid']}.json", auth=auth, timeout=5)
    assert (listed["call_sid"], listed["error_code"]) == (call.sid, "21234")
    assert (listed["request_method"], listed["request_url"]) == ("POST", f"{base}/Calls.json")
    full = fetched.json()
    assert dict(parse_qsl(full["request_variables"])) == {
        "To": CALLEE,
        "From": CALLER_ID,
        "Url": f"{APP_URL}/voice",
        "MachineDetection": "true",
    }
    assert (full["response_body"], full["response_headers"]) == ("", "")
