"""Paging: Twilio's envelope, and the twilio client's own paging over 250 calls."""

from __future__ import annotations

import requests

from tests.rest.conftest import BodyLog
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
