"""Buying numbers as call-tracking and masked-number apps do: search AvailablePhoneNumbers,
buy one with IncomingPhoneNumbers create, and take calls on it."""

from __future__ import annotations

import pytest
from flask import Flask
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from tests.rest.test_edges import api, assert_error
from tests.support import CALLER_ID, SIMULATED_RESOURCES
from twimlsim import Simulator
from twimlsim.model.number_inventory import contains_pattern


def test_search_offers_fictional_lines_of_the_area_code_with_their_place(sim: Simulator) -> None:
    offered = sim.client().available_phone_numbers("US").local.list(area_code=415)
    assert len(offered) == 30
    assert [number.phone_number for number in offered[:3]] == [
        "+14155550100",
        "+14155550101",
        "+14155550102",
    ]
    first = offered[0]
    assert (
        first.friendly_name,
        first.locality,
        first.region,
        first.iso_country,
        first.postal_code,
        first.capabilities,
        first.address_requirements,
        first.beta,
    ) == (
        "(415) 555-0100",
        "San Francisco",
        "CA",
        "US",
        None,
        {"mms": True, "sms": True, "voice": True},
        "none",
        False,
    )


def test_search_answer_is_one_page_with_the_list_uri(sim: Simulator) -> None:
    response = api(sim, "GET", "/2010-04-01/Accounts/{ac}/AvailablePhoneNumbers/US/Local.json")
    body = response.json()
    assert response.status_code == 200
    assert sorted(body) == ["available_phone_numbers", "uri"]
    assert (
        body["uri"] == f"/2010-04-01/Accounts/{sim.account_sid}/AvailablePhoneNumbers/US/Local.json"
    )
    # without an area code: the area code of libphonenumber's example US number
    assert body["available_phone_numbers"][0]["phone_number"] == "+12015550100"


def test_owned_numbers_are_not_offered_and_contains_filters(sim: Simulator) -> None:
    sim.number("+14155550100")
    client = sim.client()
    offered = client.available_phone_numbers("US").local.list(area_code=415, contains="555012*")
    assert [number.phone_number for number in offered] == [f"+1415555012{d}" for d in range(10)]
    letters = client.available_phone_numbers("US").local.list(area_code=415, contains="JL0101")
    assert [number.phone_number for number in letters] == ["+14155550101"]  # J and L are 5


@pytest.mark.parametrize(
    ("country", "kind", "first"),
    [
        ("US", "toll_free", "+18005550100"),
        ("GB", "local", "+441212345600"),
        ("GB", "mobile", "+447400123400"),
    ],
)
def test_toll_free_and_other_countries(sim: Simulator, country: str, kind: str, first: str) -> None:
    listing = getattr(sim.client().available_phone_numbers(country), kind)
    assert listing.list(limit=1)[0].phone_number == first


def test_no_mobile_numbers_in_the_us_and_no_fax_anywhere(sim: Simulator) -> None:
    client = sim.client()
    assert client.available_phone_numbers("US").mobile.list() == []
    assert client.available_phone_numbers("US").local.list(fax_enabled=True) == []
    assert len(client.available_phone_numbers("US").local.list(voice_enabled=True)) == 30


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        (
            "AreaCode=41",
            21451,
            "AreaCode '41' is not valid: expected a three-digit area code of the US or Canada "
            "(its first digit 2 to 9), such as 415",
        ),
        (
            "Contains=55-01",
            20422,
            "Contains '55-01' is not valid: expected digits, letters and '*' (any one digit), "
            "such as 510555****",
        ),
    ],
)
def test_search_refuses_bad_filters(sim: Simulator, query: str, code: int, message: str) -> None:
    path = f"/2010-04-01/Accounts/{{ac}}/AvailablePhoneNumbers/US/Local.json?{query}"
    assert_error(api(sim, "GET", path), 400, code, message)


def test_page_size_limits_the_offer_and_is_checked_as_for_other_lists(sim: Simulator) -> None:
    path = "/2010-04-01/Accounts/{ac}/AvailablePhoneNumbers/US/Local.json?AreaCode=415"
    offered = api(sim, "GET", path + "&PageSize=2").json()["available_phone_numbers"]
    assert [number["phone_number"] for number in offered] == ["+14155550100", "+14155550101"]
    assert_error(
        api(sim, "GET", path + "&PageSize=0"), 400, 20422, "PageSize must be between 1 and 1000: 0"
    )
    assert_error(
        api(
            sim, "GET", "/2010-04-01/Accounts/{ac}/AvailablePhoneNumbers/US/Local.json?AreaCode=099"
        ),
        400,
        21451,
        "AreaCode '099' is not valid: expected a three-digit area code of the US or Canada (its "
        "first digit 2 to 9), such as 415",
    )


def test_search_in_an_unknown_country_is_404(sim: Simulator) -> None:
    path = f"/2010-04-01/Accounts/{sim.account_sid}/AvailablePhoneNumbers/XX/Local.json"
    assert_error(api(sim, "GET", path), 404, 20404, f"The requested resource {path} was not found")


@pytest.mark.usefixtures("asks_unsimulated")
def test_unsimulated_number_types_stay_501(sim: Simulator) -> None:
    path = f"/2010-04-01/Accounts/{sim.account_sid}/AvailablePhoneNumbers/US/Voip.json"
    assert_error(
        api(sim, "GET", path),
        501,
        20500,
        f"GET {path} is a Twilio API endpoint (AvailablePhoneNumbers) that twimlsim does not "
        "simulate; "
        + SIMULATED_RESOURCES
        + "; to go on, stub that URL in the test with the mock of the client that sent it "
        "(responses.add(...) for requests and the twilio client, respx for httpx, "
        "aioresponses for aiohttp): a test's own mock of a Twilio URL wins over twimlsim",
    )


@pytest.mark.parametrize(
    ("callback", "message"),
    [
        ("notaurl", "The StatusCallback URL notaurl is not a valid URL."),
        (
            "https://app.test/" + "x" * 3990,
            "The StatusCallback URL is 4,007 characters long; the maximum length of the "
            "StatusCallback is 4,000 characters.",
        ),
    ],
)
def test_a_numbers_bad_status_callback_is_its_own_21402(
    sim: Simulator, callback: str, message: str
) -> None:
    path = "/2010-04-01/Accounts/{ac}/IncomingPhoneNumbers.json"
    form = {"PhoneNumber": "+16175550123", "StatusCallback": callback}
    assert_error(api(sim, "POST", path, form), 400, 21402, message)


def _voice_app() -> Flask:
    app = Flask(__name__)

    @app.post("/forward")
    def forward() -> tuple[str, dict[str, str]]:
        return "<Response><Say>Tracked</Say></Response>", {"Content-Type": "text/xml"}

    return app


def test_a_bought_number_takes_calls_through_its_application(sim: Simulator) -> None:
    sim.route("https://tracking.test", _voice_app())
    application = sim.application(voice_url="https://tracking.test/forward")
    client = sim.client()
    offered = client.available_phone_numbers("US").local.list(area_code=510)
    bought = client.incoming_phone_numbers.create(
        phone_number=offered[0].phone_number,
        voice_application_sid=application.sid,
        friendly_name="Billboard",
    )
    assert (bought.phone_number, bought.friendly_name, bought.voice_application_sid) == (
        "+15105550100",
        "Billboard",
        application.sid,
    )
    assert bought.sid.startswith("PN") and bought.date_created == sim.now
    assert [n.sid for n in client.incoming_phone_numbers.list(phone_number="+15105550100")] == [
        bought.sid
    ]
    call = sim.incoming_call(from_="+15558675310", to=bought.phone_number)
    sim.run()
    assert call.said == ["Tracked"]
    assert call.requests[0].params["ApplicationSid"] == application.sid
    # sold: the next search starts one line later
    assert (
        client.available_phone_numbers("US").local.list(area_code=510, limit=1)[0].phone_number
        == "+15105550101"
    )


def test_buying_by_area_code_takes_the_first_number_for_sale(sim: Simulator) -> None:
    sim.number("+13125550100")
    bought = sim.client().incoming_phone_numbers.create(
        area_code="312", voice_url="https://tracking.test/forward", voice_method="GET"
    )
    assert (bought.phone_number, bought.voice_url, bought.voice_method) == (
        "+13125550101",
        "https://tracking.test/forward",
        "GET",
    )


@pytest.mark.parametrize(
    ("form", "code", "message"),
    [
        (
            {},
            20001,
            "PhoneNumber or AreaCode is required: give the number to buy "
            "(PhoneNumber=+14155550100) or an area code to buy one in (AreaCode=415)",
        ),
        (
            {"PhoneNumber": "+1415555"},
            21421,
            "PhoneNumber +1415555 is invalid: expected an E.164 number that can exist, such as "
            "+14155550100",
        ),
        (
            {"PhoneNumber": CALLER_ID},
            21422,
            f"PhoneNumber {CALLER_ID} is not available: it is already owned (sim.number or an "
            "earlier purchase); search for one with GET /AvailablePhoneNumbers/US/Local.json",
        ),
        (
            {"AreaCode": "4155"},
            21451,
            "AreaCode '4155' is not valid: expected a three-digit area code of the US or Canada "
            "(its first digit 2 to 9), such as 415",
        ),
        (
            {"PhoneNumber": "+14155550199", "VoiceApplicationSid": "AP" + "0" * 32},
            21218,
            f"VoiceApplicationSid AP{'0' * 32} is not an application of this account; create "
            "it first (POST /Applications.json, or sim.application(...))",
        ),
    ],
)
def test_buying_refuses(sim: Simulator, form: dict[str, str], code: int, message: str) -> None:
    path = "/2010-04-01/Accounts/{ac}/IncomingPhoneNumbers.json"
    assert_error(api(sim, "POST", path, form), 400, code, message)
    assert [n.phone_number for n in sim.client().incoming_phone_numbers.list()] == [CALLER_ID]


def test_an_area_code_with_every_line_sold_is_21452(sim: Simulator) -> None:
    for line in range(100, 200):
        sim.number(f"+16175550{line}")
    path = "/2010-04-01/Accounts/{ac}/IncomingPhoneNumbers.json"
    assert_error(
        api(sim, "POST", path, {"AreaCode": "617"}),
        400,
        21452,
        "No phone numbers found in area code 617: every number for sale there is owned "
        "already; try another AreaCode",
    )


@pytest.mark.parametrize(
    ("form", "bought"),
    [({"PhoneNumber": "+15005550006"}, "+15005550006"), ({"AreaCode": "500"}, "+15005550006")],
)
def test_test_credentials_buy_the_magic_number_and_keep_nothing(
    sim: Simulator, form: dict[str, str], bought: str
) -> None:
    path = "/2010-04-01/Accounts/{ac}/IncomingPhoneNumbers.json"
    response = api(sim, "POST", path, form, auth=(sim.account_sid, sim.test_auth_token))
    assert (response.status_code, response.json()["phone_number"]) == (201, bought)
    assert [n.phone_number for n in sim.client().incoming_phone_numbers.list()] == [CALLER_ID]


@pytest.mark.parametrize(
    ("form", "code", "message"),
    [
        ({"PhoneNumber": "+15005550001"}, 21421, "PhoneNumber +15005550001 is invalid"),
        (
            {"PhoneNumber": "+15005550000"},
            21422,
            "PhoneNumber +15005550000 is not available: with test credentials only the magic "
            "number +15005550006 can be bought",
        ),
        (
            {"AreaCode": "533"},
            21452,
            "No phone numbers found in area code 533 (Twilio's magic area code with none for "
            "test credentials); try AreaCode=500",
        ),
    ],
)
def test_test_credentials_magic_failures(
    sim: Simulator, form: dict[str, str], code: int, message: str
) -> None:
    client = Client(sim.account_sid, sim.test_auth_token)
    with pytest.raises(TwilioRestException) as raised:
        client.incoming_phone_numbers.create(**{_snake(k): v for k, v in form.items()})
    assert (raised.value.status, raised.value.code, raised.value.msg) == (
        400,
        code,
        f"Unable to create record: {message}",
    )


def _snake(wire: str) -> str:
    return {"PhoneNumber": "phone_number", "AreaCode": "area_code"}[wire]


def test_page_is_checked_as_for_other_lists(sim: Simulator) -> None:
    path = "/2010-04-01/Accounts/{ac}/AvailablePhoneNumbers/US/Local.json"
    assert_error(api(sim, "GET", f"{path}?Page=1"), 400, 20001, "PageToken is required for paging.")
    assert_error(
        api(sim, "GET", f"{path}?Page={10**25}"),
        400,
        20422,
        f"Page must be between 0 and 2147483647: {10**25}",
    )
    assert_error(api(sim, "GET", f"{path}?Page=x"), 400, 20422, "Page is not a valid integer: x")
    first = api(sim, "GET", f"{path}?Page=0&PageSize=1").json()["available_phone_numbers"]
    assert [number["phone_number"] for number in first] == ["+12015550100"]


def test_numbers_of_one_type_are_listed_and_bought_under_its_own_path(sim: Simulator) -> None:
    """IncomingPhoneNumbers/Local, /TollFree and /Mobile (Twilio's per-type resources): a
    list of the account's numbers of that type, and a purchase (``PhoneNumber`` required)
    of a number of that type; their JSON is the number's without ``type``."""
    client = sim.client()
    toll_free = client.incoming_phone_numbers.toll_free.create(phone_number="+18005550100")
    local = client.incoming_phone_numbers.local.create(
        phone_number="+14155550100", voice_url="https://app.test/voice"
    )
    uk_mobile = client.incoming_phone_numbers.mobile.create(phone_number="+447400123400")
    assert [n.phone_number for n in client.incoming_phone_numbers.local.list()] == [
        CALLER_ID,
        "+14155550100",
    ]
    assert [n.sid for n in client.incoming_phone_numbers.toll_free.list()] == [toll_free.sid]
    assert [n.sid for n in client.incoming_phone_numbers.mobile.list()] == [uk_mobile.sid]
    assert [n.sid for n in client.incoming_phone_numbers.local.list(phone_number="+1415")] == [
        local.sid
    ]
    assert local.voice_url == "https://app.test/voice"
    assert client.incoming_phone_numbers(local.sid).fetch().phone_number == "+14155550100"
    listed = api(sim, "GET", "/2010-04-01/Accounts/{ac}/IncomingPhoneNumbers/Local.json").json()
    assert "type" not in listed["incoming_phone_numbers"][0]
    assert listed["uri"].startswith(
        f"/2010-04-01/Accounts/{sim.account_sid}/IncomingPhoneNumbers/Local.json?"
    )


@pytest.mark.parametrize(
    ("path", "form", "code", "message"),
    [
        (
            "Local",
            {"AreaCode": "415"},
            20001,
            "Missing required parameter PhoneNumber in the post body",
        ),
        (
            "Local",
            {"PhoneNumber": "+18005550100"},
            21421,
            "PhoneNumber +18005550100 is not a Local number (it is TollFree): buy it with "
            "POST /IncomingPhoneNumbers/TollFree.json",
        ),
        (
            "TollFree",
            {"PhoneNumber": "+14155550100"},
            21421,
            "PhoneNumber +14155550100 is not a TollFree number (it is Local): buy it with "
            "POST /IncomingPhoneNumbers/Local.json",
        ),
    ],
)
def test_a_purchase_under_a_type_needs_a_number_of_that_type(
    sim: Simulator, path: str, form: dict[str, str], code: int, message: str
) -> None:
    bought = api(sim, "POST", f"/2010-04-01/Accounts/{{ac}}/IncomingPhoneNumbers/{path}.json", form)
    assert_error(bought, 400, code, message)
    assert [n.phone_number for n in sim.client().incoming_phone_numbers.list()] == [CALLER_ID]


@pytest.mark.parametrize(
    ("country", "kind", "filters", "first"),
    [
        ("US", "local", {"contains": "510555****"}, "+15105550100"),
        ("US", "local", {"contains": "STORM"}, "+17867650100"),
        ("GB", "local", {"contains": "4420"}, "+442012345600"),
        ("US", "toll_free", {"contains": "STORM"}, "+18007867600"),
        ("US", "toll_free", {"contains": "KYLO", "area_code": "800"}, "+18005956100"),
    ],
)
def test_twilios_search_examples_find_a_number_to_buy(
    sim: Simulator, country: str, kind: str, filters: dict[str, str], first: str
) -> None:
    """The searches of Twilio's AvailablePhoneNumbers examples, then buying the first
    number found (``numbers[0]``): a ``Contains`` pattern none of the usual made-up numbers
    holds gets numbers made to hold it."""
    client = sim.client()
    numbers = getattr(client.available_phone_numbers(country), kind).list(**filters)
    assert numbers[0].phone_number == first
    assert len(numbers) == 30
    assert all(
        contains_pattern(filters["contains"]).search(n.phone_number[1:])  # type: ignore[union-attr]
        for n in numbers
    )
    bought = client.incoming_phone_numbers.create(phone_number=numbers[0].phone_number)
    assert bought.phone_number == first
