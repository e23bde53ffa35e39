"""Numbers, verified caller IDs, subaccounts, API keys, and the hosts the client uses."""

from __future__ import annotations

import pytest
import requests
import responses
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from tests.support import (
    APP_URL,
    CALLEE,
    CALLER_ID,
    SIMULATED_RESOURCES,
    account_api,
    twilio_error_body,
)
from twimlsim import Simulator
from twimlsim.errors import ConfigurationError
from twimlsim.rest.app import STUB_HINT

API = "https://api.twilio.com/2010-04-01"


def test_owned_numbers_are_incoming_phone_numbers(sim: Simulator) -> None:
    owned = sim.number("+15005550007", voice_url=f"{APP_URL}/voice", status_callback=f"{APP_URL}/s")
    client = sim.client()
    numbers = client.incoming_phone_numbers.list()
    assert [n.phone_number for n in numbers] == [CALLER_ID, "+15005550007"]
    fetched = client.incoming_phone_numbers(owned.sid).fetch()
    assert (fetched.voice_url, fetched.voice_method, fetched.friendly_name) == (
        f"{APP_URL}/voice",
        "POST",
        "(500) 555-0007",
    )
    assert fetched.capabilities == {"fax": False, "mms": True, "sms": True, "voice": True}
    assert [n.sid for n in client.incoming_phone_numbers.list(phone_number="+15005550007")] == [
        owned.sid
    ]
    updated = client.incoming_phone_numbers(owned.sid).update(
        voice_url=f"{APP_URL}/other", voice_method="GET", friendly_name="Sales"
    )
    assert (updated.voice_url, updated.voice_method, updated.friendly_name) == (
        f"{APP_URL}/other",
        "GET",
        "Sales",
    )
    assert owned.voice_url == f"{APP_URL}/other"
    assert client.incoming_phone_numbers(owned.sid).delete() is True
    with pytest.raises(TwilioRestException) as raised:
        client.calls.create(to=CALLEE, from_="+15005550007", url=f"{APP_URL}/voice")
    assert raised.value.code == 21210


@pytest.mark.parametrize(
    ("filters", "listed"),
    [
        ({"phone_number": "+15005550007"}, ["+15005550007"]),
        ({"phone_number": "5005550007"}, ["+15005550007"]),
        ({"phone_number": "(500) 555-0007"}, ["+15005550007"]),
        # partial numbers and '*' for any digit, as Twilio's list documents
        ({"phone_number": "555000"}, ["+15005550006", "+15005550007"]),
        ({"phone_number": "+1500555000*"}, ["+15005550006", "+15005550007"]),
        ({"phone_number": "*007"}, ["+15005550007"]),
        ({"phone_number": "+1500"}, ["+15005550006", "+15005550007"]),
        ({"phone_number": "+500"}, []),  # '+': from the country code on
        ({"phone_number": "client:alice"}, []),
        ({"origin": "twilio"}, ["+15005550006", "+15005550007"]),
        ({"origin": "hosted"}, []),
        ({"beta": False}, ["+15005550006", "+15005550007"]),
    ],
)
def test_incoming_numbers_list_filters(
    sim: Simulator, filters: dict[str, object], listed: list[str]
) -> None:
    sim.number("+15005550007", voice_url=f"{APP_URL}/voice")
    numbers = sim.client().incoming_phone_numbers.list(**filters)
    assert [number.phone_number for number in numbers] == listed


def test_verified_caller_id_may_place_calls(sim: Simulator) -> None:
    verified = sim.verified_caller_id("+15551230000", friendly_name="Front desk")
    client = sim.client()
    call = client.calls.create(to=CALLEE, from_="+1 (555) 123-0000", url=f"{APP_URL}/voice")
    assert (call._from, call.from_formatted) == ("+15551230000", "(555) 123-0000")
    [listed] = client.outgoing_caller_ids.list()
    assert (listed.sid, listed.phone_number, listed.friendly_name) == (
        verified.sid,
        "+15551230000",
        "Front desk",
    )
    assert (
        client.outgoing_caller_ids(verified.sid).update(friendly_name="Desk").friendly_name
        == "Desk"
    )
    assert client.outgoing_caller_ids(verified.sid).delete() is True
    with pytest.raises(TwilioRestException) as raised:
        client.calls.create(to=CALLEE, from_="+15551230000", url=f"{APP_URL}/voice")
    assert raised.value.code == 21210
    sim.run()


def test_subaccounts_over_rest_and_by_hand(sim: Simulator) -> None:
    client = sim.client()
    made = client.api.v2010.accounts.create(friendly_name="Tenant A")
    assert (made.friendly_name, made.owner_account_sid, made.status, made.type) == (
        "Tenant A",
        sim.account_sid,
        "active",
        "Full",
    )
    by_hand = sim.subaccount("Tenant B", cps=3)
    assert by_hand.cps == 3 and by_hand.auth_token != sim.auth_token
    listed = [a.friendly_name for a in client.api.v2010.accounts.list()]
    assert listed == ["My first Twilio account", "Tenant A", "Tenant B"]
    # the parent reaches the subaccount's resources; the subaccount's own token works too
    assert client.api.v2010.accounts(made.sid).calls.list() == []
    tenant = Client(made.sid, made.auth_token)
    assert tenant.api.v2010.account.fetch().sid == made.sid
    with pytest.raises(TwilioRestException) as raised:
        tenant.api.v2010.accounts(sim.account_sid).fetch()
    assert (raised.value.status, raised.value.code) == (404, 20404)
    suspended = client.api.v2010.accounts(made.sid).update(status="suspended")
    assert suspended.status == "suspended"
    with pytest.raises(TwilioRestException) as inactive:
        tenant.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
    assert (inactive.value.status, inactive.value.code) == (401, 20005)


def test_api_keys_authenticate_like_twilio(sim: Simulator) -> None:
    key = sim.api_key("ci")
    keyed = Client(key.sid, key.secret, sim.account_sid)
    call = keyed.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
    assert call.account_sid == sim.account_sid
    client = sim.client()
    created = client.api.v2010.account.new_keys.create(friendly_name="deploy")
    assert created.sid in sim.account.api_keys
    assert created.secret == sim.account.api_keys[created.sid].secret
    assert [c.sid for c in Client(created.sid, created.secret, sim.account_sid).calls.list()] == [
        call.sid
    ]
    assert [k.friendly_name for k in client.api.v2010.account.keys.list()] == ["ci", "deploy"]
    assert not hasattr(client.api.v2010.account.keys(created.sid).fetch(), "secret")
    with pytest.raises(TwilioRestException) as raised:  # Standard keys cannot manage keys
        keyed.api.v2010.account.keys(key.sid).fetch()
    assert (raised.value.status, raised.value.code) == (401, 20003)
    assert client.api.v2010.account.keys(key.sid).delete() is True
    with pytest.raises(TwilioRestException) as revoked:
        keyed.calls(call.sid).fetch()
    assert (revoked.value.status, revoked.value.code) == (401, 20003)
    sim.run()


def test_edge_and_region_hosts_are_answered(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWILIO_EDGE", "dublin")
    monkeypatch.setenv("TWILIO_REGION", "ie1")
    client = Client(sim.account_sid, sim.auth_token)
    call = client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
    assert client.calls(call.sid).fetch().sid == call.sid
    response = requests.get(
        f"https://api.dublin.us1.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json",
        auth=(sim.account_sid, sim.auth_token),
        timeout=5,
    )
    assert [c["sid"] for c in response.json()["calls"]] == [call.sid]
    sim.run()


@pytest.mark.usefixtures("asks_unsimulated")
def test_other_twilio_products_and_subresources_are_named(sim: Simulator) -> None:
    auth = (sim.account_sid, sim.auth_token)
    studio = requests.get("https://studio.twilio.com/v2/Flows", auth=auth, timeout=5).json()
    assert studio == {
        "code": 20500,
        "message": "https://studio.twilio.com/v2/Flows belongs to a Twilio API that twimlsim "
        "does not simulate; twimlsim answers only api.twilio.com and lookups.twilio.com (and "
        "their edge and region hosts)" + STUB_HINT,
        "more_info": "https://www.twilio.com/docs/errors/20500",
        "status": 501,
    }
    path = f"/2010-04-01/Accounts/{sim.account_sid}/Calls/CA{'0' * 32}/Feedback.json"
    events = requests.post(f"https://api.twilio.com{path}", auth=auth, timeout=5).json()
    assert (events["status"], events["code"]) == (501, 20500)
    assert events["message"] == (
        f"POST {path} is a Twilio API endpoint (Calls/Feedback) that twimlsim does not "
        "simulate; " + SIMULATED_RESOURCES + STUB_HINT
    )


@pytest.mark.usefixtures("asks_unsimulated")
def test_short_codes_are_named_as_unsimulated_like_every_other_resource(sim: Simulator) -> None:
    """``SMS/ShortCodes`` is in Twilio's 2010 API (its OpenAPI lists it): a 501 naming it,
    not a 404 that says the path does not exist."""
    path = f"/2010-04-01/Accounts/{sim.account_sid}/SMS/ShortCodes.json"
    auth = (sim.account_sid, sim.auth_token)
    refused = requests.get(f"https://api.twilio.com{path}", auth=auth, timeout=5)
    assert refused.status_code == 501
    assert refused.json()["message"].startswith(
        f"GET {path} is a Twilio API endpoint (SMS/ShortCodes) that twimlsim does not "
        "simulate; twimlsim simulates Calls"
    )


@pytest.mark.usefixtures("asks_unsimulated")
def test_an_unsimulated_twilio_api_can_be_stubbed_as_its_501_says(sim: Simulator) -> None:
    url = "https://verify.twilio.com/v2/Services"
    refused = requests.get(url, auth=(sim.account_sid, sim.auth_token), timeout=5).json()
    assert refused["message"] == (
        f"{url} belongs to a Twilio API that twimlsim does not simulate; twimlsim answers only "
        "api.twilio.com and lookups.twilio.com (and their edge and region hosts); to go on, "
        "stub that URL in the test with the mock of the client that sent it "
        "(responses.add(...) for requests and the twilio client, respx for httpx, aioresponses "
        "for aiohttp): a test's own mock of a Twilio URL wins over twimlsim"
    )
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, url, json={"services": []})
        stubbed = requests.get(url, auth=(sim.account_sid, sim.auth_token), timeout=5)
    assert stubbed.json() == {"services": []}


UNSIMULATED = (
    "the app's request POST https://verify.twilio.com/v2/Services got twimlsim's 501{count}: "
    "twimlsim does not simulate it, so the app got an answer Twilio would not give and the "
    "test cannot show what it does on Twilio (sim.api_requests has the answer); stub that URL "
    "in the test with the mock of the client that sent it (responses.add(...) for requests "
    "and the twilio client, respx for httpx, aioresponses for aiohttp): a test's own mock of "
    "a Twilio URL wins over twimlsim, or allow it with allow_codes=[20500]"
)


def verify_swallowed(sim: Simulator, times: int = 1) -> None:
    """An app that calls Verify and swallows the error, as apps that log and go on do."""
    for _ in range(times):
        with pytest.raises(TwilioRestException):
            sim.client().verify.v2.services.create(friendly_name="login codes")


@pytest.mark.parametrize(("times", "count"), [(1, ""), (2, " (2 such requests)")])
def test_a_strict_test_fails_on_a_501_the_app_swallowed(times: int, count: str) -> None:
    # it passed: the app had got an answer real Twilio would not give
    with pytest.raises(ConfigurationError) as failed, Simulator() as sim:
        verify_swallowed(sim, times)
    assert str(failed.value) == UNSIMULATED.format(count=count)
    with Simulator(allow_codes=[20500]) as sim:  # a 501 the test asks for on purpose
        verify_swallowed(sim)
    with Simulator(strict=False) as sim:
        verify_swallowed(sim)
    assert [(request.url, request.status) for request in sim.api_requests] == [
        ("https://verify.twilio.com/v2/Services", 501)
    ]


def test_a_numbers_sms_and_other_settings_are_kept_and_shown(sim: Simulator) -> None:
    """Settings twimlsim does not act on (SMS URLs, caller ID lookup, receive mode, the
    SIDs of trunks and bundles) are kept as given and answered back, as on Twilio."""
    client = sim.client()
    bought = client.incoming_phone_numbers.create(
        phone_number="+15005550010", sms_url=f"{APP_URL}/sms", voice_receive_mode="fax"
    )
    updated = client.incoming_phone_numbers(bought.sid).update(
        sms_method="GET",
        sms_fallback_url=f"{APP_URL}/sms-fallback",
        sms_fallback_method="GET",
        voice_caller_id_lookup=True,
        emergency_status="Active",
        trunk_sid="TK" + "1" * 32,
        bundle_sid="BU" + "2" * 32,
    )
    fetched = client.incoming_phone_numbers(bought.sid).fetch()
    assert (bought.sms_url, bought.sms_method, bought.voice_receive_mode) == (
        f"{APP_URL}/sms",
        "POST",
        "fax",
    )
    for number in (updated, fetched):
        assert (
            number.sms_url,
            number.sms_method,
            number.sms_fallback_url,
            number.sms_fallback_method,
            number.voice_caller_id_lookup,
            number.voice_receive_mode,
            number.emergency_status,
            number.trunk_sid,
            number.bundle_sid,
        ) == (
            f"{APP_URL}/sms",
            "GET",
            f"{APP_URL}/sms-fallback",
            "GET",
            True,
            "fax",
            "Active",
            "TK" + "1" * 32,
            "BU" + "2" * 32,
        )
    with pytest.raises(TwilioRestException) as refused:
        client.incoming_phone_numbers(bought.sid).update(
            voice_url=f"{APP_URL}/other", sms_url="not a url"
        )
    assert refused.value.code == 21402
    assert client.incoming_phone_numbers(bought.sid).fetch().voice_url is None  # unchanged


def test_a_trunk_and_a_voice_application_replace_each_other_on_a_number(sim: Simulator) -> None:
    """Twilio's spec: "Setting a `trunk_sid` will automatically delete your
    `voice_application_sid` and vice versa"; both in one request keep the trunk (a choice)."""
    client = sim.client()
    application = client.applications.create(voice_url=f"{APP_URL}/voice").sid
    trunk = "TK" + "a" * 32
    number = client.incoming_phone_numbers.create(
        phone_number="+15005550010", voice_application_sid=application
    )
    assert (number.voice_application_sid, number.trunk_sid) == (application, None)
    on_trunk = client.incoming_phone_numbers(number.sid).update(trunk_sid=trunk)
    assert (on_trunk.voice_application_sid, on_trunk.trunk_sid) == ("", trunk)
    on_application = client.incoming_phone_numbers(number.sid).update(
        voice_application_sid=application
    )
    assert (on_application.voice_application_sid, on_application.trunk_sid) == (application, None)
    both = client.incoming_phone_numbers(number.sid).update(
        voice_application_sid=application, trunk_sid=trunk
    )
    fetched = client.incoming_phone_numbers(number.sid).fetch()
    for shown in (both, fetched):
        assert (shown.voice_application_sid, shown.trunk_sid) == ("", trunk)
    bought = client.incoming_phone_numbers.create(
        phone_number="+15005550011", voice_application_sid=application, trunk_sid=trunk
    )
    assert (bought.voice_application_sid, bought.trunk_sid) == ("", trunk)


def test_a_sid_setting_sent_empty_takes_it_off_the_number(sim: Simulator) -> None:
    """``TrunkSid=`` takes the number off its trunk, as ``VoiceApplicationSid=`` takes its
    application off: shown as never set (a choice, README Fidelity notes)."""
    client = sim.client()
    sms_application = client.applications.create(sms_url=f"{APP_URL}/sms").sid
    number = client.incoming_phone_numbers.create(
        phone_number="+15005550010",
        trunk_sid="TK" + "a" * 32,
        sms_application_sid=sms_application,
    )
    cleared = client.incoming_phone_numbers(number.sid).update(trunk_sid="", sms_application_sid="")
    fetched = client.incoming_phone_numbers(number.sid).fetch()
    for shown in (cleared, fetched):
        assert (shown.trunk_sid, shown.sms_application_sid) == (None, "")


@pytest.mark.parametrize(
    ("wire", "prefix"),
    [
        ("TrunkSid", "TK"),
        ("IdentitySid", "RI"),
        ("AddressSid", "AD"),
        ("EmergencyAddressSid", "AD"),
        ("BundleSid", "BU"),
        ("SmsApplicationSid", "AP"),
    ],
)
def test_a_numbers_sid_settings_must_be_sids_of_their_kind(
    sim: Simulator, wire: str, prefix: str
) -> None:
    """A SID-valued setting that is not its prefix and 32 hex digits (the spec's pattern)
    is 400/20422 (the code a choice), on a purchase and an update alike, and changes
    nothing; the JSON never shows a SID of another shape."""
    client = sim.client()
    number = client.incoming_phone_numbers.create(phone_number="+15005550010")
    wrong = "XX" + "1" * 32
    message = (
        f"{wire} is not a valid SID: {wrong}. Expected {prefix} followed by 32 hexadecimal "
        "digits (34 characters)"
    )
    for path, form in (
        (f"/IncomingPhoneNumbers/{number.sid}.json", {wire: wrong, "FriendlyName": "new"}),
        ("/IncomingPhoneNumbers.json", {wire: wrong, "PhoneNumber": "+15005550011"}),
    ):
        refused = account_api(sim, "POST", path, **form)
        assert (refused.status_code, refused.json()) == (
            400,
            twilio_error_body(400, 20422, message),
        )
    assert [n.friendly_name for n in client.incoming_phone_numbers.list()] == [
        "(500) 555-0006",
        "(500) 555-0010",
    ]
    good = prefix + "0123456789abcdef" * 2
    kept = account_api(sim, "POST", f"/IncomingPhoneNumbers/{number.sid}.json", **{wire: good})
    assert kept.status_code == 200
    assert kept.json()[_json_key(wire)] == good


def _json_key(wire: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in wire).lstrip("_")


def test_a_numbers_unset_fields_are_empty_or_null_as_twilio_shows_them(sim: Simulator) -> None:
    """Every published example of the resource: the SMS URLs, the application SIDs and the
    status callback unset are "", the voice URLs and the trunk null."""
    bought = account_api(sim, "POST", "/IncomingPhoneNumbers.json", PhoneNumber="+15005550010")
    keys = (
        "sms_url",
        "sms_fallback_url",
        "sms_application_sid",
        "status_callback",
        "voice_application_sid",
        "voice_url",
        "voice_fallback_url",
        "trunk_sid",
    )
    expected = dict.fromkeys(keys[:5], "") | dict.fromkeys(keys[5:])
    sid = bought.json()["sid"]
    fetched = account_api(sim, "GET", f"/IncomingPhoneNumbers/{sid}.json").json()
    listed = account_api(sim, "GET", "/IncomingPhoneNumbers/Local.json?PhoneNumber=5550010").json()
    for body in (bought.json(), fetched, listed["incoming_phone_numbers"][0]):
        assert {key: body[key] for key in keys} == expected


def test_a_url_sent_empty_takes_it_off_the_number_or_application(sim: Simulator) -> None:
    """``VoiceUrl=`` (the twilio client's voice_url="") clears the URL: shown as never set
    (null for the voice URLs and applications, "" for the number's SMS URL and status
    callback); an update that leaves a URL out keeps it."""
    number = account_api(
        sim,
        "POST",
        "/IncomingPhoneNumbers.json",
        PhoneNumber="+15005550010",
        VoiceUrl=f"{APP_URL}/voice",
        VoiceFallbackUrl=f"{APP_URL}/fallback",
        StatusCallback=f"{APP_URL}/status",
        SmsUrl=f"{APP_URL}/sms",
    ).json()
    path = f"/IncomingPhoneNumbers/{number['sid']}.json"
    kept = account_api(sim, "POST", path, FriendlyName="Line").json()
    assert (kept["voice_url"], kept["sms_url"]) == (f"{APP_URL}/voice", f"{APP_URL}/sms")
    cleared = account_api(
        sim, "POST", path, VoiceUrl="", VoiceFallbackUrl="", StatusCallback="", SmsUrl=""
    ).json()
    keys = ("voice_url", "voice_fallback_url", "status_callback", "sms_url", "friendly_name")
    expected = {
        "voice_url": None,
        "voice_fallback_url": None,
        "status_callback": "",
        "sms_url": "",
        "friendly_name": "Line",
    }
    for body in (cleared, account_api(sim, "GET", path).json()):
        assert {key: body[key] for key in keys} == expected
    client = sim.client()
    application = client.applications.create(
        voice_url=f"{APP_URL}/voice", status_callback=f"{APP_URL}/status"
    )
    updated = client.applications(application.sid).update(voice_url="")
    assert (updated.voice_url, updated.status_callback) == (None, f"{APP_URL}/status")


def test_a_number_moves_between_the_main_account_and_its_subaccounts(sim: Simulator) -> None:
    """Twilio's Exchanging Numbers Between Subaccounts: an update's AccountSid moves the
    number, with the main account's credentials only (21474) and only within its family
    (21473); the number keeps its voice URL, and its calls go to the account that owns it."""
    main = sim.client()
    tenant = sim.subaccount("Tenant")
    other = sim.subaccount("Other")
    bought = main.incoming_phone_numbers.create(
        phone_number="+15005550010", voice_url=f"{APP_URL}/voice"
    )
    moved = main.incoming_phone_numbers(bought.sid).update(account_sid=tenant.sid)
    assert (moved.account_sid, moved.voice_url, moved.uri) == (
        tenant.sid,
        f"{APP_URL}/voice",
        f"/2010-04-01/Accounts/{tenant.sid}/IncomingPhoneNumbers/{bought.sid}.json",
    )
    assert bought.sid not in [n.sid for n in main.incoming_phone_numbers.list()]
    in_tenant_call = sim.incoming_call(from_=CALLEE, to="+15005550010")  # the owner's line
    tenant_calls = main.api.v2010.accounts(tenant.sid).calls
    assert tenant_calls(in_tenant_call.sid).fetch().account_sid == tenant.sid
    in_tenant = main.api.v2010.accounts(tenant.sid).incoming_phone_numbers.list()
    assert [n.sid for n in in_tenant] == [bought.sid]
    path = f"/2010-04-01/Accounts/{tenant.sid}/IncomingPhoneNumbers/{bought.sid}.json"
    as_tenant = requests.post(
        f"https://api.twilio.com{path}",
        data={"AccountSid": other.sid},
        auth=(tenant.sid, tenant.auth_token),
        timeout=5,
    )
    assert (as_tenant.status_code, as_tenant.json()) == (
        400,
        twilio_error_body(
            400,
            21474,
            "API User must be the parent account to transfer phone numbers: "
            f"{tenant.sid} is a subaccount; send the update with the main account's "
            "credentials",
        ),
    )
    stranger = "AC" + "e" * 32
    unrelated = requests.post(
        f"https://api.twilio.com{path}",
        data={"AccountSid": stranger},
        auth=(sim.account_sid, sim.auth_token),
        timeout=5,
    )
    assert (unrelated.status_code, unrelated.json()) == (
        400,
        twilio_error_body(
            400,
            21473,
            "AccountSid you are transferring to is not related to the originating owner of "
            f"the phone number: {stranger} is neither {sim.account_sid} nor one of its "
            "subaccounts",
        ),
    )
    back = (
        main.api.v2010.accounts(tenant.sid)
        .incoming_phone_numbers(bought.sid)
        .update(account_sid=sim.account_sid)
    )
    assert back.account_sid == sim.account_sid
    assert bought.sid in [n.sid for n in main.incoming_phone_numbers.list()]
    incoming = sim.incoming_call(from_=CALLEE, to="+15005550010")
    assert main.calls(incoming.sid).fetch().account_sid == sim.account_sid


def test_a_number_moved_to_another_account_leaves_the_old_accounts_applications(
    sim: Simulator,
) -> None:
    """Its voice and SMS applications are the account's it leaves: both taken off (a
    choice, README Fidelity notes); its URLs stay."""
    main = sim.client()
    tenant = sim.subaccount("Tenant")
    voice = main.applications.create(voice_url=f"{APP_URL}/voice").sid
    sms = main.applications.create(sms_url=f"{APP_URL}/sms").sid
    bought = main.incoming_phone_numbers.create(
        phone_number="+15005550010",
        voice_application_sid=voice,
        sms_application_sid=sms,
        sms_url=f"{APP_URL}/sms",
    )
    assert (bought.voice_application_sid, bought.sms_application_sid) == (voice, sms)
    moved = main.incoming_phone_numbers(bought.sid).update(account_sid=tenant.sid)
    fetched = main.api.v2010.accounts(tenant.sid).incoming_phone_numbers(bought.sid).fetch()
    for shown in (moved, fetched):
        assert (shown.voice_application_sid, shown.sms_application_sid, shown.sms_url) == (
            "",
            "",
            f"{APP_URL}/sms",
        )
