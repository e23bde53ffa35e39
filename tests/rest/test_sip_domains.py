"""The SIP Domains resource, read only: the domains a test gave the account are listed and
fetched with Twilio's exact JSON (an app dialling a SIP URI built from its domain's name,
as Twilio's SIP quickstart Functions do, reads it); writing to them stays Twilio's 501."""

from __future__ import annotations

import pytest

from tests.rest.test_edges import api, assert_error
from tests.support import SIMULATED_RESOURCES
from twimlsim import Simulator
from twimlsim.rest.app import STUB_HINT

DATE = "Thu, 01 Jan 2026 09:00:00 +0000"


def expected_json(sim: Simulator, sid: str, name: str, **fields: object) -> dict[str, object]:
    path = f"/2010-04-01/Accounts/{sim.account_sid}/SIP/Domains/{sid}"
    body: dict[str, object] = {
        "account_sid": sim.account_sid,
        "api_version": "2010-04-01",
        "auth_type": "",
        "date_created": DATE,
        "date_updated": DATE,
        "domain_name": name,
        "friendly_name": None,
        "sid": sid,
        "uri": f"{path}.json",
        "voice_fallback_method": "POST",
        "voice_fallback_url": None,
        "voice_method": "POST",
        "voice_status_callback_method": "POST",
        "voice_status_callback_url": None,
        "voice_url": None,
        "subresource_uris": {
            "credential_list_mappings": f"{path}/CredentialListMappings.json",
            "ip_access_control_list_mappings": f"{path}/IpAccessControlListMappings.json",
        },
        "sip_registration": False,
        "emergency_calling_enabled": False,
        "secure": False,
        "byoc_trunk_sid": None,
        "emergency_caller_sid": None,
    }
    body.update(fields)
    return body


def test_a_domain_the_test_gave_is_fetched_and_listed_as_twilio_returns_it(
    sim: Simulator,
) -> None:
    office = sim.sip_domain(
        "office.sip.twilio.com",
        voice_url="https://app.test/sip",
        voice_method="GET",
        friendly_name="Office PBX",
    )
    lab = sim.sip_domain("lab.sip.twilio.com")
    fetched = api(sim, "GET", f"/2010-04-01/Accounts/{{ac}}/SIP/Domains/{office.sid}.json")
    assert (fetched.status_code, fetched.json()) == (
        200,
        expected_json(
            sim,
            office.sid,
            "office.sip.twilio.com",
            friendly_name="Office PBX",
            voice_url="https://app.test/sip",
            voice_method="GET",
        ),
    )
    listed = api(sim, "GET", "/2010-04-01/Accounts/{ac}/SIP/Domains.json?PageSize=1")
    path = f"/2010-04-01/Accounts/{sim.account_sid}/SIP/Domains.json"
    body = listed.json()
    token = body["next_page_uri"].rsplit("PageToken=", 1)[1]
    assert (listed.status_code, body) == (
        200,
        {
            "domains": [
                expected_json(
                    sim,
                    office.sid,
                    "office.sip.twilio.com",
                    friendly_name="Office PBX",
                    voice_url="https://app.test/sip",
                    voice_method="GET",
                )
            ],
            "end": 0,
            "first_page_uri": f"{path}?PageSize=1&Page=0",
            "next_page_uri": f"{path}?PageSize=1&Page=1&PageToken={token}",
            "page": 0,
            "page_size": 1,
            "previous_page_uri": None,
            "start": 0,
            "uri": f"{path}?PageSize=1&Page=0",
        },
    )
    client = sim.client()
    assert [domain.domain_name for domain in client.sip.domains.list()] == [
        "office.sip.twilio.com",
        "lab.sip.twilio.com",
    ]
    assert client.sip.domains(lab.sid).fetch().domain_name == "lab.sip.twilio.com"


def test_an_unknown_domain_is_twilio_s_404(sim: Simulator) -> None:
    sid = "SD" + "0" * 32
    path = f"/2010-04-01/Accounts/{sim.account_sid}/SIP/Domains/{sid}.json"
    assert_error(
        api(sim, "GET", f"/2010-04-01/Accounts/{{ac}}/SIP/Domains/{sid}.json"),
        404,
        20404,
        f"The requested resource {path} was not found",
    )


@pytest.mark.parametrize(
    "sid", ["foo", "SD0000", "SDxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "CA" + "0" * 32]
)
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_a_malformed_domain_sid_is_twilio_s_404(sim: Simulator, method: str, sid: str) -> None:
    """A SID that is no SIP Domain's (a placeholder left in the app's settings) names no
    resource, as a malformed SID of any resource twimlsim reads: 20404, not the 501 of
    an endpoint twimlsim does not simulate."""
    path = f"/2010-04-01/Accounts/{sim.account_sid}/SIP/Domains/{sid}.json"
    assert_error(
        api(sim, method, f"/2010-04-01/Accounts/{{ac}}/SIP/Domains/{sid}.json"),
        404,
        20404,
        f"The requested resource {path} was not found",
    )


@pytest.mark.usefixtures("asks_unsimulated")
def test_writing_to_a_domain_is_still_twilio_s_501(sim: Simulator) -> None:
    """Create, update and delete are not simulated: a 501 naming the resource, not a 405
    that would say Twilio refuses the method."""
    office = sim.sip_domain("office.sip.twilio.com")
    for method, path in (
        ("POST", "/SIP/Domains.json"),
        ("POST", f"/SIP/Domains/{office.sid}.json"),
        ("DELETE", f"/SIP/Domains/{office.sid}.json"),
    ):
        full = f"/2010-04-01/Accounts/{sim.account_sid}{path}"
        assert_error(
            api(
                sim, method, "/2010-04-01/Accounts/{ac}" + path, {"DomainName": "x.sip.twilio.com"}
            ),
            501,
            20500,
            f"{method} {full} is a Twilio API endpoint (SIP) that twimlsim does not simulate; "
            + SIMULATED_RESOURCES
            + STUB_HINT,
        )
