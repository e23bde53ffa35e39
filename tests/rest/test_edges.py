"""The less travelled paths of every resource, over raw HTTP: exact status, code, message
and JSON for accounts, keys, numbers, caller IDs, call updates, paging and filters."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.rest.test_recordings import add_recording
from tests.support import APP_URL, CALLEE, CALLER_ID, twilio_error_body
from twimlsim import Simulator
from twimlsim.errors import SimulationError
from twimlsim.model.store import Account

API = "https://api.twilio.com"
ZEROS = "0" * 32


def api(
    sim: Simulator,
    method: str,
    path: str,
    data: dict[str, str] | None = None,
    *,
    auth: tuple[str, str] | None = None,
) -> requests.Response:
    """A raw request to the fake API; ``{ac}`` in ``path`` is the account SID."""
    return requests.request(
        method,
        API + path.format(ac=sim.account_sid),
        data=data,
        auth=auth or (sim.account_sid, sim.auth_token),
        timeout=5,
    )


def assert_error(response: requests.Response, status: int, code: int, message: str) -> None:
    assert (response.status_code, response.json()) == (
        status,
        twilio_error_body(status, code, message),
    )


# -- accounts and keys -----------------------------------------------------------------------


def test_a_subaccount_cannot_open_subaccounts(sim: Simulator) -> None:
    sub = sim.subaccount("Tenant")
    response = api(
        sim,
        "POST",
        "/2010-04-01/Accounts.json",
        {"FriendlyName": "x"},
        auth=(sub.sid, sub.auth_token),
    )
    message = f"Subaccount {sub.sid} cannot create subaccounts; use its parent"
    assert_error(response, 403, 20403, message)


@pytest.mark.parametrize(
    ("whose", "start", "status", "message"),
    [
        (
            "sub",
            "active",
            "open",
            "Status is not valid: open. Use one of active, suspended, closed",
        ),
        ("sub", "closed", "active", "Account {sid} is closed and cannot be reopened"),
        (
            "main",
            "active",
            "suspended",
            "Account {sid} is a main account; only subaccounts change Status here",
        ),
    ],
)
def test_account_status_changes_twilio_refuses(
    sim: Simulator, whose: str, start: str, status: str, message: str
) -> None:
    account: Account = sim.subaccount("Tenant") if whose == "sub" else sim.account
    account.status = start
    response = api(sim, "POST", f"/2010-04-01/Accounts/{account.sid}.json", {"Status": status})
    assert_error(response, 400, 20422, message.format(sid=account.sid))
    assert account.status == start


def test_renaming_an_account_stamps_date_updated(sim: Simulator) -> None:
    sim.advance(90)
    body = api(sim, "POST", "/2010-04-01/Accounts/{ac}.json", {"FriendlyName": "Renamed"}).json()
    assert (body["friendly_name"], body["date_created"], body["date_updated"]) == (
        "Renamed",
        "Thu, 01 Jan 2026 09:00:00 +0000",
        "Thu, 01 Jan 2026 09:01:30 +0000",
    )
    assert sim.account.friendly_name == "Renamed"


def test_a_suspended_subaccount_is_closed_to_its_parent_too(sim: Simulator) -> None:
    sub = sim.subaccount("Tenant")
    sub.status = "suspended"
    path = f"/2010-04-01/Accounts/{sub.sid}/Calls.json"
    assert_error(api(sim, "GET", path), 401, 20005, f"Account {sub.sid} is not active")
    fetched = api(sim, "GET", f"/2010-04-01/Accounts/{sub.sid}.json")
    assert (fetched.status_code, fetched.json()["status"]) == (200, "suspended")


def test_keys_fetch_rename_and_unknown(sim: Simulator) -> None:
    key = sim.api_key("ci")
    sim.advance(5)
    path = f"/2010-04-01/Accounts/{{ac}}/Keys/{key.sid}.json"
    renamed = api(sim, "POST", path, {"FriendlyName": "deploy"})
    assert (renamed.status_code, renamed.json()) == (
        200,
        {
            "date_created": "Thu, 01 Jan 2026 09:00:00 +0000",
            "date_updated": "Thu, 01 Jan 2026 09:00:05 +0000",
            "friendly_name": "deploy",
            "sid": key.sid,
        },
    )
    unchanged = api(sim, "POST", path, {})
    assert unchanged.json()["date_updated"] == "Thu, 01 Jan 2026 09:00:05 +0000"
    missing = f"/2010-04-01/Accounts/{sim.account_sid}/Keys/SK{ZEROS}.json"
    message = f"The requested resource {missing} was not found"
    assert_error(api(sim, "GET", missing), 404, 20404, message)


# -- routing ------------------------------------------------------------------------------------


def test_media_of_an_unknown_account_is_404_without_credentials(sim: Simulator) -> None:
    path = f"/2010-04-01/Accounts/AC{'1' * 32}/Recordings/RE{ZEROS}"
    response = requests.get(API + path, timeout=5)
    assert_error(response, 404, 20404, f"The requested resource {path} was not found")


# -- numbers and caller IDs ------------------------------------------------------------------


@pytest.mark.parametrize("resource", ["IncomingPhoneNumbers", "OutgoingCallerIds"])
def test_unknown_number_and_caller_id_are_404(sim: Simulator, resource: str) -> None:
    path = f"/2010-04-01/Accounts/{sim.account_sid}/{resource}/PN{ZEROS}.json"
    assert_error(api(sim, "GET", path), 404, 20404, f"The requested resource {path} was not found")


def test_caller_id_fetch_and_update_without_name(sim: Simulator) -> None:
    verified = sim.verified_caller_id("+442071838750", friendly_name="London")
    path = f"/2010-04-01/Accounts/{sim.account_sid}/OutgoingCallerIds/{verified.sid}.json"
    expected = {
        "account_sid": sim.account_sid,
        "date_created": "Thu, 01 Jan 2026 09:00:00 +0000",
        "date_updated": "Thu, 01 Jan 2026 09:00:00 +0000",
        "friendly_name": "London",
        "phone_number": "+442071838750",
        "sid": verified.sid,
        "uri": path,
    }
    assert api(sim, "GET", path).json() == expected
    sim.advance(1)
    assert api(sim, "POST", path, {"Other": "x"}).json() == expected


# -- calls ----------------------------------------------------------------------------------------


def test_update_sets_fallback_and_status_callback_method(sim: Simulator) -> None:
    client = sim.client()
    sid = client.calls.create(
        to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice", status_callback=f"{APP_URL}/status"
    ).sid
    sim.advance(2)
    client.calls(sid).update(
        url=f"{APP_URL}/goodbye",
        fallback_url=f"{APP_URL}/fallback",
        fallback_method="GET",
        status_callback_method="GET",
    )
    record = sim.store.accounts[sim.account_sid].calls[sid]
    assert (record.fallback_url, record.fallback_method) == (f"{APP_URL}/fallback", "GET")
    assert (record.status_callback.url, record.status_callback.method) == (
        f"{APP_URL}/status",
        "GET",
    )
    with pytest.raises(SimulationError):  # the example app takes status callbacks by POST only
        sim.run()
    [status] = [r for r in sim.requests if r.url.startswith(f"{APP_URL}/status")]
    assert (status.method, status.url.split("?")[0]) == ("GET", f"{APP_URL}/status")


CREATED = [
    pytest.param({"To": "15558675310"}, "to", "+15558675310", id="eleven-digit-nanp-to"),
    pytest.param({"Method": ""}, "status", "queued", id="empty-value-is-not-sent"),
    pytest.param({"To": "+442071838750"}, "to_formatted", "+442071838750", id="non-nanp"),
    pytest.param(
        {"From": "client:alice", "To": "client:bob"}, "from", "client:alice", id="client-from"
    ),
    pytest.param(  # the Call resource: Byoc "will otherwise be ignored" (To not a number)
        {"To": "client:bob", "Byoc": "BY123"}, "to", "client:bob", id="byoc-ignored-for-client"
    ),
    pytest.param(  # 1023 characters of headers, escapes and a header without x- are taken
        {"To": "sip:alice@example.com?x-a=%41%20b&User-to-User=1&x-n=" + "n" * 992},
        "to",
        "sip:alice@example.com?x-a=%41%20b&User-to-User=1&x-n=" + "n" * 992,
        id="sip-headers-under-the-limit",
    ),
    pytest.param(  # a SIP URI of 254 characters, headers apart
        {"To": "sip:" + "a" * 238 + "@example.com?x-h=1"},
        "to",
        "sip:" + "a" * 238 + "@example.com?x-h=1",
        id="sip-uri-under-the-limit",
    ),
    pytest.param(  # BYOC trunks are not simulated: a well-formed SID is taken
        {"Byoc": "BY" + "0123456789abcdef" * 2}, "status", "queued", id="well-formed-byoc"
    ),
]


@pytest.mark.parametrize(("change", "field", "value"), CREATED)
def test_create_accepts(sim: Simulator, change: dict[str, str], field: str, value: str) -> None:
    form = {"To": CALLEE, "From": CALLER_ID, "Url": f"{APP_URL}/voice", **change}
    response = api(sim, "POST", "/2010-04-01/Accounts/{ac}/Calls.json", form)
    assert (response.status_code, response.json()[field]) == (201, value)
    if "Method" in change:
        assert sim.store.accounts[sim.account_sid].calls[response.json()["sid"]].method == "POST"
    sim.run()


REFUSED = [
    pytest.param(
        {"RecordingStatusCallbackEvent": "absent bogus"},
        20422,
        "RecordingStatusCallbackEvent is not valid: bogus. Use one of in-progress, completed, "
        "absent; send several separated by spaces or each as its own "
        "RecordingStatusCallbackEvent parameter",
        id="recording-event",
    ),
    pytest.param(
        {"FallbackUrl": "nope"}, 21205, "FallbackUrl is not a valid URL: nope", id="fallback-url"
    ),
    pytest.param(
        {"RecordingStatusCallback": "https://bad_host.test/r"},
        21609,
        "The RecordingStatusCallback URL https://bad_host.test/r is not a valid URL.",
        id="recording-callback",
    ),
    pytest.param(
        {"CallReason": "r" * 51},
        20422,
        f"CallReason is longer than 50 characters: {'r' * 51}",
        id="long-call-reason",
    ),
    pytest.param(
        {"Url": "", "ApplicationSid": "AP" + "a" * 32},
        21218,
        f"ApplicationSid AP{'a' * 32} is not an application of this account; create it "
        "first (POST /Applications.json, or sim.application(...))",
        id="unknown-application",
    ),
    pytest.param(
        {"From": "client:alice"},
        21212,
        "From is not a valid phone number: client:alice",
        id="client-from-to-a-number",
    ),
]


@pytest.mark.parametrize(("change", "code", "message"), REFUSED)
def test_create_refuses(sim: Simulator, change: dict[str, str], code: int, message: str) -> None:
    form = {"To": CALLEE, "From": CALLER_ID, "Url": f"{APP_URL}/voice", **change}
    response = api(sim, "POST", "/2010-04-01/Accounts/{ac}/Calls.json", form)
    assert_error(response, 400, code, message)
    assert sim.calls == {}


# -- paging and filters ------------------------------------------------------------------------


def created_calls(sim: Simulator, count: int) -> list[str]:
    client = sim.client()
    return [
        client.calls.create(to=CALLEE, from_=CALLER_ID, twiml="<Response/>").sid
        for _ in range(count)
    ]


def listed(sim: Simulator, query: str) -> Any:
    response = api(sim, "GET", f"/2010-04-01/Accounts/{{ac}}/Calls.json?{query}")
    assert response.status_code == 200, response.text
    return response.json()


def test_page_token_of_a_deleted_call_falls_back_to_the_page_number(sim: Simulator) -> None:
    first, second, third = created_calls(sim, 3)
    sim.run()
    gone = sim.store.accounts[sim.account_sid].calls[second]
    sim.store.remove_call(gone)
    body = listed(sim, f"PageSize=1&Page=1&PageToken=PA{second}")
    assert ([call["sid"] for call in body["calls"]], body["start"], body["end"]) == (
        [first],
        1,
        1,
    )


def test_negative_page_is_refused(sim: Simulator) -> None:
    response = api(sim, "GET", "/2010-04-01/Accounts/{ac}/Calls.json?Page=-1")
    assert_error(response, 400, 20422, "Page must be between 0 and 2147483647: -1")


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("StartTime=2026-01-01", 2),
        ("StartTime=2026-01-02", 0),
        ("StartTime%3C=2026-01-01T09:00:01", 1),  # naive instants are UTC
        ("StartTime%3E=2026-01-01T09:00:01", 1),
        ("EndTime%3C=2026-01-01", 0),
    ],
)
def test_date_filters_take_days_and_naive_instants(sim: Simulator, query: str, count: int) -> None:
    created_calls(sim, 2)  # the second leaves the queue a second after the first
    sim.run()
    assert len(listed(sim, query)["calls"]) == count


def test_recordings_filter_on_date_created(sim: Simulator) -> None:
    sid = created_calls(sim, 1)[0]
    sim.run()
    early = add_recording(sim, sid, 3)
    sim.advance(3600)
    late = add_recording(sim, sid, 4)
    path = "/2010-04-01/Accounts/{ac}/Recordings.json"
    before = api(sim, "GET", f"{path}?DateCreated%3C=2026-01-01T09:30:00Z").json()
    after = api(sim, "GET", f"{path}?DateCreated%3E=2026-01-01T09:30:00Z").json()
    same_day = api(sim, "GET", f"{path}?DateCreated=2026-01-01").json()
    assert [r["sid"] for r in before["recordings"]] == [early.sid]
    assert [r["sid"] for r in after["recordings"]] == [late.sid]
    assert [r["sid"] for r in same_day["recordings"]] == [late.sid, early.sid]


def test_recordings_of_an_unknown_call_are_404(sim: Simulator) -> None:
    path = f"/2010-04-01/Accounts/{sim.account_sid}/Calls/CA{ZEROS}/Recordings.json"
    assert_error(api(sim, "GET", path), 404, 20404, f"The requested resource {path} was not found")
