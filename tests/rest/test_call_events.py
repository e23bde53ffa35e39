"""The Events subresource of a call: the webhooks Twilio sent about it and the app's REST
requests acting on it, each with its answer (Twilio's Call Event resource page)."""

from __future__ import annotations

import json

import pytest
import requests

from tests.engine.helpers import base, place, response, simulator
from tests.support import APP_URL
from twimlsim.rest.call_events import snake_case

API = "https://api.twilio.com/2010-04-01/Accounts"
HI = response("<Say>Hi</Say>")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("CallSid", "call_sid"),
        ("AddOns", "add_ons"),  # the page's own example
        ("SipResponseCode", "sip_response_code"),
        ("msg", "msg"),
        ("StatusCallbackEvent", "status_callback_event"),
        ("StirVerstat", "stir_verstat"),
    ],
)
def test_parameter_names_are_snake_case(name: str, key: str) -> None:
    assert snake_case(name) == key


def test_a_call_lists_its_create_webhooks_and_updates_with_their_answers() -> None:
    routes = {"/voice": response('<Pause length="10"/>'), "/next": HI}
    with simulator(routes) as (sim, _):
        call = place(
            sim,
            status_callback=f"{APP_URL}/status",
            status_callback_event=["initiated", "completed"],
        )
        sim.advance(2)
        client = sim.client()
        client.calls(call.sid).fetch()  # a read: not an event
        client.calls(call.sid).update(url=f"{APP_URL}/next")
        sim.run()
        path = f"{API}/{sim.account_sid}/Calls/{call.sid}/Events.json"
        listed = requests.get(path, auth=(sim.account_sid, sim.auth_token), timeout=5).json()
        events = client.calls(call.sid).events.list()
    assert [(e["request"]["method"], e["request"]["url"]) for e in listed["events"]] == [
        ("POST", f"{API}/{sim.account_sid}/Calls.json"),
        ("POST", f"{APP_URL}/status"),
        ("POST", f"{APP_URL}/voice"),
        ("POST", f"{API}/{sim.account_sid}/Calls/{call.sid}.json"),
        ("POST", f"{APP_URL}/next"),
        ("POST", f"{APP_URL}/status"),
    ]
    create, initiated, voice, update, _, _ = listed["events"]
    assert create["request"]["parameters"] == {
        "to": call.record.to,
        "from": call.record.from_,
        "status_callback": f"{APP_URL}/status",
        "status_callback_event": ["initiated", "completed"],
        "url": f"{APP_URL}/voice",
        "account_sid": sim.account_sid,
    }
    assert {key: value for key, value in create["response"].items() if key != "response_body"} == {
        "date_created": "Thu, 01 Jan 2026 09:00:00 +0000",
        "request_duration": 0,
        "response_code": 201,
        "content_type": "application/json",
    }
    assert json.loads(create["response"]["response_body"])["sid"] == call.sid
    assert update["request"]["parameters"] == {
        "url": f"{APP_URL}/next",
        "account_sid": sim.account_sid,
    }
    assert update["response"]["response_code"] == 200
    expected = {snake_case(name): value for name, value in base(sim, call, "in-progress").items()}
    assert voice == {
        "request": {"method": "POST", "url": f"{APP_URL}/voice", "parameters": expected},
        "response": {
            "date_created": "Thu, 01 Jan 2026 09:00:00 +0000",
            "request_duration": 0,
            "response_code": 200,
            "content_type": "text/xml",
            "response_body": response('<Pause length="10"/>'),
        },
    }
    assert initiated["request"]["parameters"]["callback_source"] == "call-progress-events"
    assert [event.request["url"] for event in events] == [
        event["request"]["url"] for event in listed["events"]
    ]
    assert events[-1].response["date_created"] == "Thu, 01 Jan 2026 09:00:03 +0000"


def test_events_are_paged_and_an_unknown_call_is_20404() -> None:
    with simulator({"/voice": HI}) as (sim, _):
        call = place(sim, status_callback=f"{APP_URL}/status")
        sim.run()
        auth = (sim.account_sid, sim.auth_token)
        path = f"/2010-04-01/Accounts/{sim.account_sid}/Calls/{call.sid}/Events.json"
        first = requests.get(f"https://api.twilio.com{path}?PageSize=2", auth=auth, timeout=5)
        page = first.json()
        next_url = f"https://api.twilio.com{page['next_page_uri']}"
        second = requests.get(next_url, auth=auth, timeout=5)
        unknown_path = path.replace(call.sid, "CA" + "0" * 32)
        unknown = requests.get(f"https://api.twilio.com{unknown_path}", auth=auth, timeout=5)
    # the create, the voice request and the completed callback
    assert [e["request"]["url"] for e in page["events"]] == [
        f"{API}/{sim.account_sid}/Calls.json",
        f"{APP_URL}/voice",
    ]
    assert (page["start"], page["end"], page["page_size"]) == (0, 1, 2)
    assert page["next_page_uri"].startswith(f"{path}?PageSize=2&Page=1&PageToken=PA")
    assert [e["request"]["url"] for e in second.json()["events"]] == [f"{APP_URL}/status"]
    assert second.json()["next_page_uri"] is None
    assert (unknown.status_code, unknown.json()["code"]) == (404, 20404)
