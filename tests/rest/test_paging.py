"""Paging: Twilio's envelope, and the twilio client's own paging over 250 calls."""

from __future__ import annotations

import json

import pytest
import requests
from twilio.base.exceptions import TwilioException

from tests.rest.conftest import BodyLog
from tests.rest.test_edges import api, assert_error
from tests.support import CALLEE, CALLER_ID
from twimlsim import Simulator

API = "https://api.twilio.com"


def create_calls(sim: Simulator, count: int) -> list[str]:
    client = sim.client()
    return [
        client.calls.create(to=CALLEE, from_=CALLER_ID, twiml="<Response/>").sid
        for _ in range(count)
    ]


def test_client_list_and_stream_walk_250_calls_50_a_page(
    sim: Simulator, checked_bodies: BodyLog
) -> None:
    created = create_calls(sim, 250)
    newest_first = created[::-1]
    client = sim.client()
    checked_bodies.checked.clear()
    assert [call.sid for call in client.calls.list(limit=250, page_size=50)] == newest_first
    pages = [path for method, path, _ in checked_bodies.checked if method == "GET"]
    assert len(pages) == 5
    assert [call.sid for call in client.calls.stream(page_size=50)] == newest_first
    assert [call.sid for call in client.calls.list(limit=120, page_size=50)] == newest_first[:120]
    page = client.calls.page(page_size=50)
    page_sids = []
    while page is not None:
        page_sids.append([call.sid for call in page])
        page = page.next_page()
    assert page_sids == [newest_first[i : i + 50] for i in range(0, 250, 50)]


def test_envelope_next_and_previous_pages(sim: Simulator) -> None:
    first, second, third = create_calls(sim, 3)
    auth = (sim.account_sid, sim.auth_token)
    path = f"/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
    body = requests.get(f"{API}{path}?To=%2B15558675310&PageSize=2", auth=auth, timeout=5).json()
    assert [call["sid"] for call in body.pop("calls")] == [third, second]
    to = "To=%2B15558675310"
    assert body == {
        "end": 1,
        "first_page_uri": f"{path}?{to}&PageSize=2&Page=0",
        "next_page_uri": f"{path}?{to}&PageSize=2&Page=1&PageToken=PA{second}",
        "page": 0,
        "page_size": 2,
        "previous_page_uri": None,
        "start": 0,
        "uri": f"{path}?{to}&PageSize=2&Page=0",
    }
    following = requests.get(API + body["next_page_uri"], auth=auth, timeout=5).json()
    assert [call["sid"] for call in following.pop("calls")] == [first]
    assert following == {
        "end": 2,
        "first_page_uri": f"{path}?{to}&PageSize=2&Page=0",
        "next_page_uri": None,
        "page": 1,
        "page_size": 2,
        "previous_page_uri": f"{path}?{to}&PageSize=2&Page=0&PageToken=PB{first}",
        "start": 2,
        "uri": f"{path}?{to}&PageSize=2&Page=1&PageToken=PA{second}",
    }
    back = requests.get(API + following["previous_page_uri"], auth=auth, timeout=5).json()
    assert [call["sid"] for call in back["calls"]] == [third, second]


def test_empty_list(sim: Simulator) -> None:
    path = f"/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
    body = requests.get(API + path, auth=(sim.account_sid, sim.auth_token), timeout=5).json()
    assert body == {
        "calls": [],
        "end": 0,
        "first_page_uri": f"{path}?PageSize=50&Page=0",
        "next_page_uri": None,
        "page": 0,
        "page_size": 50,
        "previous_page_uri": None,
        "start": 0,
        "uri": f"{path}?PageSize=50&Page=0",
    }


LISTS = ["Calls", "Recordings", "Applications", "Messages", "Queues", "Conferences"]


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        ("Page=1", 20001, "PageToken is required for paging."),
        ("Page=3&PageSize=1000", 20001, "PageToken is required for paging."),
        (f"Page={10**25}", 20422, f"Page must be between 0 and 2147483647: {10**25}"),
        ("Page=2147483648", 20422, "Page must be between 0 and 2147483647: 2147483648"),
        ("Page=-1", 20422, "Page must be between 0 and 2147483647: -1"),
        (f"Page=-{10**25}", 20422, f"Page must be between 0 and 2147483647: -{10**25}"),
        (f"PageSize=-{10**25}", 20422, f"PageSize must be between 1 and 1000: -{10**25}"),
        ("PageSize=-5", 20422, "PageSize must be between 1 and 1000: -5"),
        (
            f"PageSize={10**25}",
            20007,
            f"Page size too large: PageSize {10**25} is more than the maximum of 1000",
        ),
        ("PageToken=PA" + "f" * 40, 21481, "PageToken is not valid: PA" + "f" * 40),
        ("PageToken=-1", 21481, "PageToken is not valid: -1"),
    ],
)
def test_absurd_paging_values_are_twilio_s_400(
    sim: Simulator, query: str, code: int, message: str
) -> None:
    response = api(sim, "GET", f"/2010-04-01/Accounts/{{ac}}/Calls.json?{query}")
    assert_error(response, 400, code, message)


@pytest.mark.parametrize("resource", LISTS)
def test_every_list_refuses_absurd_pages(sim: Simulator, resource: str) -> None:
    path = f"/2010-04-01/Accounts/{{ac}}/{resource}.json"
    assert_error(api(sim, "GET", f"{path}?Page=2"), 400, 20001, "PageToken is required for paging.")
    assert_error(
        api(sim, "GET", f"{path}?Page={10**25}"),
        400,
        20422,
        f"Page must be between 0 and 2147483647: {10**25}",
    )


def test_a_page_number_with_its_token_is_only_client_state(sim: Simulator) -> None:
    first, second, third = create_calls(sim, 3)
    path = f"/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
    # the token places the page; Page (any 32-bit value) is echoed back, as Twilio does
    response = api(sim, "GET", f"{path}?PageSize=1&Page=2147483647&PageToken=PA{third}")
    body = response.json()
    assert (response.status_code, [call["sid"] for call in body["calls"]]) == (200, [second])
    assert (body["page"], body["start"], body["end"]) == (2147483647, 1, 1)
    assert body["next_page_uri"] == f"{path}?PageSize=1&Page=2147483648&PageToken=PA{second}"


def test_the_client_s_page_number_without_a_token_fails_as_on_twilio(sim: Simulator) -> None:
    create_calls(sim, 3)
    client = sim.client()
    assert len(list(client.calls.page(page_size=1, page_number=0))) == 1
    with pytest.raises(TwilioException) as raised:
        client.calls.page(page_size=1, page_number=1)
    message, answer = raised.value.args
    assert (message, answer.status_code, json.loads(answer.text)) == (
        "Unable to fetch page",
        400,
        {
            "code": 20001,
            "message": "PageToken is required for paging.",
            "more_info": "https://www.twilio.com/docs/errors/20001",
            "status": 400,
        },
    )
