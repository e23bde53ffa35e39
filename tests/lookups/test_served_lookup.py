"""Lookup under ``twimlsim serve``: the helper library's requests reach the server's own
URL, and ``POST /twimlsim/lookups`` sets what Lookup reports about a number."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from twimlsim import serve

TIMEOUT = 10


@pytest.fixture
def served() -> Iterator[serve.Served]:
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    running = serve.start(parser.parse_args(["--clock", "manual", "--seed", "lookups"]))
    yield running
    running.stop()


def client_of(served: serve.Served) -> Client:
    class ServedHttpClient(TwilioHttpClient):
        def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            url = url.replace("https://lookups.twilio.com", served.url)
            return super().request(method, url, *args, **kwargs)

    sim = served.sim
    return Client(sim.account_sid, sim.auth_token, http_client=ServedHttpClient())


def test_facts_set_through_the_control_api_reach_a_served_lookup(served: serve.Served) -> None:
    control = f"{served.url}/twimlsim/lookups"
    body = {"number": "(415) 555-0100", "line_type": "mobile", "carrier_name": "Verizon Wireless"}
    answer = requests.post(control, json=body, timeout=TIMEOUT)
    assert (answer.status_code, answer.json()) == (
        200,
        {
            "number": "+14155550100",
            "line_type": "mobile",
            "carrier_name": "Verizon Wireless",
            "mobile_country_code": None,
            "mobile_network_code": None,
            "caller_name": None,
            "caller_type": None,
        },
    )
    named = requests.post(
        control, data={"number": "+14155550100", "caller_name": "Jane Doe"}, timeout=TIMEOUT
    )
    assert named.json()["caller_name"] == "Jane Doe"
    client = client_of(served)
    found = client.lookups.v2.phone_numbers("+14155550100").fetch(
        fields="line_type_intelligence,caller_name"
    )
    assert (found.line_type_intelligence["carrier_name"], found.caller_name["caller_name"]) == (
        "Verizon Wireless",
        "Jane Doe",
    )
    assert found.url == "https://lookups.twilio.com/v2/PhoneNumbers/+14155550100"
    v1 = client.lookups.v1.phone_numbers("+14155550100").fetch(type=["carrier"])
    assert v1.carrier["type"] == "mobile"


def test_a_refused_body_changes_nothing(served: serve.Served) -> None:
    control = f"{served.url}/twimlsim/lookups"
    requests.post(control, json={"number": "+14155550100", "line_type": "landline"}, timeout=10)
    refused = requests.post(
        control,
        json={
            "number": "+14155550100",
            "line_type": "mobile",
            "caller_type": "PERSON",
            "caller_name": "Jane",
        },
        timeout=TIMEOUT,
    )
    assert (refused.status_code, refused.json()["message"]) == (
        400,
        "sim.phone('+14155550100').caller_name(): caller_type must be 'BUSINESS', 'CONSUMER' "
        "or None; got 'PERSON'",
    )
    assert served.sim.phone("+14155550100").facts.line_type == "landline"
    lonely = requests.post(
        control, json={"number": "+14155550100", "carrier_name": "AT&T"}, timeout=TIMEOUT
    )
    assert (lonely.status_code, lonely.json()["message"]) == (
        400,
        'lookups: carrier_name needs a line_type; add one, such as "line_type": "mobile"',
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"number": "+14155550100", "caller_type": "BUSINESS"},
            'lookups: caller_type needs a caller_name; add one, such as "caller_name": "Jane Doe"',
        ),
        (
            {"number": "+14155550100"},
            "lookups: the facts of +14155550100 give no line_type and no caller_name; give "
            'either or both, such as "line_type": "mobile"',
        ),
    ],
)
def test_a_body_without_facts_is_refused(
    served: serve.Served, body: dict[str, str], message: str
) -> None:
    refused = requests.post(f"{served.url}/twimlsim/lookups", json=body, timeout=TIMEOUT)
    assert (refused.status_code, refused.json()["message"]) == (400, message)
    assert served.sim.phone("+14155550100").facts.line_type is None
