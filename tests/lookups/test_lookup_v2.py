"""Lookup v2 (``GET /v2/PhoneNumbers/{PhoneNumber}``) through the unmodified twilio client.

Exact bodies: the keys and order of Twilio's OpenAPI examples, validation from
libphonenumber, data packages from ``sim.phone(number).line_type(...)``/``.caller_name()``.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from twimlsim import Simulator

URL = "https://lookups.twilio.com/v2/PhoneNumbers"
NO_PACKAGES = dict.fromkeys(
    (
        "caller_name",
        "sim_swap",
        "call_forwarding",
        "line_status",
        "line_type_intelligence",
        "identity_match",
        "reassigned_number",
        "sms_pumping_risk",
        "phone_number_quality_score",
        "pre_fill",
    )
)


def body(number: str, country: str, calling: str, national: str, **packages: Any) -> dict[str, Any]:
    return {
        "calling_country_code": calling,
        "country_code": country,
        "phone_number": number,
        "national_format": national,
        "valid": True,
        "validation_errors": [],
        **NO_PACKAGES,
        **packages,
        "url": f"{URL}/{number}",
    }


def invalid(given: str, *errors: str) -> dict[str, Any]:
    return {
        "calling_country_code": None,
        "country_code": None,
        "phone_number": given,
        "national_format": None,
        "valid": False,
        "validation_errors": list(errors),
        **NO_PACKAGES,
        "url": f"{URL}/{given}",
    }


def lookup(sim: Simulator, number: str, **params: str) -> requests.Response:
    return requests.get(f"{URL}/{number}", params=params, auth=(sim.account_sid, sim.auth_token))


def test_a_valid_number_is_formatted_with_every_package_null(sim: Simulator) -> None:
    found = sim.client().lookups.v2.phone_numbers("+14155550100").fetch()
    assert (found.valid, found.validation_errors, found.national_format) == (
        True,
        [],
        "(415) 555-0100",
    )
    assert lookup(sim, "+14155550100").json() == body("+14155550100", "US", "1", "(415) 555-0100")


def test_a_national_number_is_read_in_its_country_code_and_in_the_us_by_default(
    sim: Simulator,
) -> None:
    assert lookup(sim, "020 7946 0123", CountryCode="GB").json() == body(
        "+442079460123", "GB", "44", "020 7946 0123"
    )
    assert lookup(sim, "(415) 555-0100").json() == body("+14155550100", "US", "1", "(415) 555-0100")
    found = sim.client().lookups.v2.phone_numbers("07772 000001").fetch(country_code="GB")
    assert (found.phone_number, found.country_code) == ("+447772000001", "GB")


@pytest.mark.parametrize(
    ("given", "error"),
    [
        ("+15558675310", "INVALID_BUT_POSSIBLE"),  # the 555 area code is unassigned
        ("+1415", "TOO_SHORT"),
        ("+141599299600", "TOO_LONG"),
        ("+999123456", "INVALID_COUNTRY_CODE"),
        ("hello", "NOT_A_NUMBER"),
    ],
)
def test_an_invalid_number_is_answered_200_with_its_validation_error(
    sim: Simulator, given: str, error: str
) -> None:
    response = lookup(sim, given, Fields="line_type_intelligence,caller_name")
    assert (response.status_code, response.json()) == (200, invalid(given, error))


def test_a_country_code_libphonenumber_does_not_know_is_an_invalid_country_code(
    sim: Simulator,
) -> None:
    assert lookup(sim, "4155550100", CountryCode="XX").json() == invalid(
        "4155550100", "INVALID_COUNTRY_CODE"
    )
    # an E.164 number names its own country: CountryCode is not read
    assert lookup(sim, "+14155550100", CountryCode="XX").json()["valid"] is True


def test_line_type_intelligence_reports_what_the_test_set(sim: Simulator) -> None:
    sim.phone("+14155550100").line_type(
        "mobile",
        carrier_name="Verizon Wireless",
        mobile_country_code="310",
        mobile_network_code="012",
    )
    found = (
        sim.client().lookups.v2.phone_numbers("+14155550100").fetch(fields="line_type_intelligence")
    )
    assert found.line_type_intelligence == {
        "error_code": None,
        "mobile_country_code": "310",
        "mobile_network_code": "012",
        "carrier_name": "Verizon Wireless",
        "type": "mobile",
    }
    assert found.caller_name is None


def test_an_unset_number_reports_its_ranges_type_and_no_carrier(sim: Simulator) -> None:
    def line(number: str) -> Any:
        return lookup(sim, number, Fields="line_type_intelligence").json()["line_type_intelligence"]

    assert line("+447772000001") == {
        "error_code": None,
        "mobile_country_code": None,
        "mobile_network_code": None,
        "carrier_name": None,
        "type": "mobile",
    }
    assert line("+18005550100")["type"] == "tollFree"
    assert line("+14155550100")["type"] == "unknown"  # a US range says neither


def test_caller_name_reports_the_cnam_the_test_set(sim: Simulator) -> None:
    sim.phone("+14155550100").caller_name("Jane Doe", caller_type="CONSUMER")
    assert lookup(sim, "+14155550100", Fields="caller_name").json() == body(
        "+14155550100",
        "US",
        "1",
        "(415) 555-0100",
        caller_name={"caller_name": "Jane Doe", "caller_type": "CONSUMER", "error_code": None},
    )
    nobody = lookup(sim, "+14155550101", Fields="caller_name").json()["caller_name"]
    assert nobody == {"caller_name": None, "caller_type": None, "error_code": None}
    abroad = lookup(sim, "+447772000001", Fields="caller_name").json()["caller_name"]
    assert abroad == {"caller_name": None, "caller_type": None, "error_code": 60600}


def test_both_packages_at_once_and_validation_which_is_the_free_lookup(sim: Simulator) -> None:
    sim.phone("+14155550100").line_type("landline", carrier_name="AT&T").caller_name("ACME")
    answer = lookup(sim, "+14155550100", Fields="validation, caller_name,line_type_intelligence")
    assert (answer.json()["caller_name"], answer.json()["line_type_intelligence"]) == (
        {"caller_name": "ACME", "caller_type": None, "error_code": None},
        {
            "error_code": None,
            "mobile_country_code": None,
            "mobile_network_code": None,
            "carrier_name": "AT&T",
            "type": "landline",
        },
    )
    repeated = requests.get(
        f"{URL}/+14155550100?Fields=caller_name&Fields=line_type_intelligence",
        auth=(sim.account_sid, sim.auth_token),
    )
    assert repeated.json()["caller_name"]["caller_name"] == "ACME"
    assert repeated.json()["line_type_intelligence"]["type"] == "landline"
    assert lookup(sim, "+14155550100", Fields="validation").json() == body(
        "+14155550100", "US", "1", "(415) 555-0100"
    )


@pytest.mark.usefixtures("asks_unsimulated")
def test_a_package_twimlsim_does_not_simulate_is_a_501_naming_it(sim: Simulator) -> None:
    with pytest.raises(TwilioRestException) as refused:
        sim.client().lookups.v2.phone_numbers("+14155550100").fetch(
            fields="line_type_intelligence,sim_swap"
        )
    assert (refused.value.status, refused.value.code, refused.value.msg) == (
        501,
        20500,
        "Unable to fetch record: Fields=line_type_intelligence,sim_swap asks Lookup for "
        "sim_swap (SIM Swap), which twimlsim does not simulate; it simulates validation, "
        "line_type_intelligence and caller_name",
    )


def test_a_package_lookup_does_not_have_is_a_400(sim: Simulator) -> None:
    answer = lookup(sim, "+14155550100", Fields="carrier")
    assert (answer.status_code, answer.json()) == (
        400,
        {
            "code": 60618,
            "message": "Fields carrier is not a Lookup data package; give a comma-separated "
            "list of validation, caller_name, sim_swap, call_forwarding, line_status, "
            "line_type_intelligence, identity_match, reassigned_number, sms_pumping_risk, "
            "phone_number_quality_score, pre_fill",
            "more_info": "https://www.twilio.com/docs/errors/60618",
            "status": 400,
        },
    )


def test_wrong_credentials_are_refused_as_by_the_calls_api(sim: Simulator) -> None:
    answer = requests.get(f"{URL}/+14155550100", auth=(sim.account_sid, "wrong"))
    assert (answer.status_code, answer.json()) == (
        401,
        {
            "code": 20003,
            "message": "Authenticate",
            "more_info": "https://www.twilio.com/docs/errors/20003",
            "status": 401,
        },
    )
    assert requests.get(f"{URL}/+14155550100").status_code == 401


def test_an_api_key_may_look_up_and_test_credentials_only_the_free_lookup(
    sim: Simulator,
) -> None:
    key = sim.api_key()
    assert requests.get(f"{URL}/+14155550100", auth=(key.sid, key.secret)).status_code == 200
    test_auth = (sim.account_sid, sim.test_auth_token)
    assert requests.get(f"{URL}/+14155550100", auth=test_auth).json()["valid"] is True
    refused = requests.get(f"{URL}/+14155550100", params={"Fields": "caller_name"}, auth=test_auth)
    assert (refused.status_code, refused.json()["code"], refused.json()["message"]) == (
        403,
        20008,
        "Resource not accessible with Test Account Credentials",
    )


@pytest.mark.usefixtures("asks_unsimulated")
def test_other_methods_paths_and_lookup_resources(sim: Simulator) -> None:
    auth = (sim.account_sid, sim.auth_token)
    posted = requests.post(f"{URL}/+14155550100", auth=auth)
    assert (posted.status_code, posted.json()["code"], posted.json()["message"]) == (
        405,
        20004,
        "Method POST not allowed on /v2/PhoneNumbers/+14155550100",
    )
    missing = requests.get("https://lookups.twilio.com/v3/PhoneNumbers/+1415", auth=auth)
    assert (missing.status_code, missing.json()["message"]) == (
        404,
        "The requested resource /v3/PhoneNumbers/+1415 was not found",
    )
    jobs = requests.get("https://lookups.twilio.com/v2/Jobs/JB123", auth=auth)
    assert (jobs.status_code, jobs.json()["message"]) == (
        501,
        "GET /v2/Jobs/JB123 is a Twilio Lookup API endpoint (Jobs) that twimlsim does not "
        "simulate; twimlsim simulates GET /v2/PhoneNumbers/{PhoneNumber} and GET "
        "/v1/PhoneNumbers/{PhoneNumber}; to go on, stub that URL in the test with the mock of "
        "the client that sent it (responses.add(...) for requests and the twilio client, respx "
        "for httpx, aioresponses for aiohttp): a test's own mock of a Twilio URL wins over "
        "twimlsim",
    )
    # Lookup on API 2010's host does not exist, as on Twilio
    api = requests.get("https://api.twilio.com/v2/PhoneNumbers/+14155550100", auth=auth)
    assert (api.status_code, api.json()["code"]) == (404, 20404)


def test_an_edge_host_is_answered_and_every_lookup_is_logged(sim: Simulator) -> None:
    edge = "https://lookups.dublin.ie1.twilio.com/v2/PhoneNumbers/+14155550100"
    answer = requests.get(edge, auth=(sim.account_sid, sim.auth_token))
    assert answer.json()["url"] == f"{URL}/+14155550100"
    lookup(sim, "+15558675310", Fields="caller_name")
    assert [(r.kind, r.status, r.url) for r in sim.api_requests] == [
        ("lookups.v2.fetch", 200, edge),
        ("lookups.v2.fetch", 200, f"{URL}/+15558675310?Fields=caller_name"),
    ]
    assert sim.api_requests[-1].params == {"Fields": "caller_name"}


def test_a_suites_own_placeholder_key_may_look_up_before_its_account_is_named() -> None:
    """``pytest --twimlsim``: a suite's ``Client(key, secret, account_sid)`` looks a number up
    (no account in Lookup's path) before any request names its account; the key is then
    adopted for the account its first API request names, not for another."""
    account = "AC" + "x" * 32
    with Simulator(accept_any_credentials=True) as sim:
        client = Client("SK" + "x" * 32, "secret", account)
        assert client.lookups.v2.phone_numbers("+14155550100").fetch().valid is True
        assert client.calls.list() == []
        assert sim.rest.store.api_keys["SK" + "x" * 32].account_sid == account
        assert client.lookups.v2.phone_numbers("+14155550100").fetch().valid is True


def test_the_async_client_looks_up_too() -> None:
    async def line_type(sim: Simulator) -> Any:
        client = Client(sim.account_sid, sim.auth_token, http_client=AsyncTwilioHttpClient())
        found = await client.lookups.v2.phone_numbers("+14155550100").fetch_async(
            fields="line_type_intelligence"
        )
        await client.http_client.close()  # type: ignore[attr-defined]
        return found.line_type_intelligence

    with Simulator() as sim:
        sim.phone("+14155550100").line_type("fixedVoip", carrier_name="Bandwidth")
        assert asyncio.run(line_type(sim)) == {
            "error_code": None,
            "mobile_country_code": None,
            "mobile_network_code": None,
            "carrier_name": "Bandwidth",
            "type": "fixedVoip",
        }
