"""Lookup v1 (``GET /v1/PhoneNumbers/{PhoneNumber}``, ``Type=carrier``/``caller-name``)
through the unmodified twilio client, as older apps call it."""

from __future__ import annotations

import pytest
import requests
from twilio.base.exceptions import TwilioRestException

from twimlsim import Simulator

URL = "https://lookups.twilio.com/v1/PhoneNumbers"


def test_a_number_is_formatted_with_no_carrier_or_caller_name_unless_asked(
    sim: Simulator,
) -> None:
    answer = requests.get(f"{URL}/4155550100", auth=(sim.account_sid, sim.auth_token))
    assert answer.json() == {
        "caller_name": None,
        "carrier": None,
        "country_code": "US",
        "national_format": "(415) 555-0100",
        "phone_number": "+14155550100",
        "add_ons": None,
        "url": f"{URL}/+14155550100",
    }


def test_carrier_and_caller_name_report_what_the_test_set(sim: Simulator) -> None:
    sim.phone("+14155550100").line_type(
        "nonFixedVoip", carrier_name="Twilio", mobile_country_code="311"
    ).caller_name("ACME Plumbing", caller_type="BUSINESS")
    found = (
        sim.client().lookups.v1.phone_numbers("+14155550100").fetch(type=["carrier", "caller-name"])
    )
    assert found.carrier == {
        "mobile_country_code": "311",
        "mobile_network_code": None,
        "name": "Twilio",
        "type": "voip",
        "error_code": None,
    }
    assert found.caller_name == {
        "caller_name": "ACME Plumbing",
        "caller_type": "BUSINESS",
        "error_code": None,
    }


def test_v1_has_three_carrier_types(sim: Simulator) -> None:
    sim.phone("+442079460123").line_type("landline", carrier_name="BT")
    client = sim.client()
    landline = client.lookups.v1.phone_numbers("020 7946 0123").fetch(
        country_code="GB", type=["carrier"]
    )
    assert (landline.phone_number, landline.carrier["type"], landline.carrier["name"]) == (
        "+442079460123",
        "landline",
        "BT",
    )
    toll_free = client.lookups.v1.phone_numbers("+18005550100").fetch(type=["carrier"])
    assert toll_free.carrier == {
        "mobile_country_code": None,
        "mobile_network_code": None,
        "name": None,
        "type": None,
        "error_code": None,
    }


@pytest.mark.parametrize("given", ["+15558675310", "hello", "+1415"])
def test_a_number_that_is_not_valid_is_twilios_404(sim: Simulator, given: str) -> None:
    with pytest.raises(TwilioRestException) as refused:
        sim.client().lookups.v1.phone_numbers(given).fetch(type=["carrier"])
    assert (refused.value.status, refused.value.code, refused.value.msg) == (
        404,
        20404,
        f"Unable to fetch record: The requested resource /PhoneNumbers/{given} was not found",
    )


@pytest.mark.usefixtures("asks_unsimulated")
def test_unknown_types_add_ons_and_test_credentials_are_refused(sim: Simulator) -> None:
    auth = (sim.account_sid, sim.auth_token)
    unknown = requests.get(f"{URL}/+14155550100", params={"Type": "cnam"}, auth=auth)
    assert (unknown.status_code, unknown.json()["code"], unknown.json()["message"]) == (
        400,
        60618,
        "Type cnam is not a type of information Lookup v1 returns; give carrier or caller-name",
    )
    add_on = requests.get(f"{URL}/+14155550100", params={"AddOns": "nomorobo"}, auth=auth)
    assert (add_on.status_code, add_on.json()["message"]) == (
        501,
        "GET /v1/PhoneNumbers/+14155550100 asks for Marketplace Add-ons (nomorobo), which "
        "twimlsim does not simulate; leave out AddOns",
    )
    test_auth = (sim.account_sid, sim.test_auth_token)
    refused = requests.get(f"{URL}/+14155550100", auth=test_auth)
    assert (refused.status_code, refused.json()["code"]) == (403, 20008)
    wrong = requests.get(f"{URL}/+14155550100", auth=(sim.account_sid, "nope"))
    assert (wrong.status_code, wrong.json()["code"], wrong.json()["message"]) == (
        401,
        20003,
        "Authenticate",
    )
