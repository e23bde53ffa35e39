"""Twilio's Lookup API: ``GET /v2/PhoneNumbers/{PhoneNumber}`` and ``GET
/v1/PhoneNumbers/{PhoneNumber}`` on ``lookups.twilio.com``.

A number is read and validated with libphonenumber (``model/lookup.py``); the data
packages report what the test set with ``sim.phone(number).line_type(...)`` and
``.caller_name(...)``. Shapes and codes follow Twilio's OpenAPI descriptions of Lookup v1
and v2 (their examples) and Lookup's docs.

v2: the basic lookup (no ``Fields``, or ``validation``) answers ``valid`` and
``validation_errors``; ``Fields=line_type_intelligence`` and ``caller_name`` (comma
separated) fill those objects, every other package is null. A package twimlsim does not
simulate (``sim_swap``, ``identity_match``...) is a 501 naming it; a name Lookup does not
have is a 400.

v1: ``Type=carrier`` and ``Type=caller-name`` (repeatable) fill ``carrier`` and
``caller_name``; a number that is not valid is Twilio's 404 (20404, "The requested resource
/PhoneNumbers/{as given} was not found", as Twilio words it, without ``/v1``).

Choices where Twilio's behaviour is UNCONFIRMED (also in the README's Fidelity notes):

- an invalid number (v2) has null ``calling_country_code``, ``country_code`` and
  ``national_format``, echoes the number as given in ``phone_number`` and ``url``, and has
  null data packages (the OpenAPI example of a too long number shows the first two);
- a valid number's ``validation_errors`` is ``[]`` (what Twilio's newer examples and a
  real answer show; its oldest example has null);
- a number with no ``line_type`` set reports libphonenumber's type for its range (US and
  Canadian geographic numbers do not tell mobile from landline: ``unknown``) and no
  carrier; a US number with no caller name set reports ``caller_name`` and
  ``caller_type`` null; a number outside the US reports them null with ``error_code``
  60600 (Lookup's "Unprovisioned or Out of Coverage");
- v1's ``carrier.type`` is ``mobile``, ``landline``, or ``voip`` (fixed and non-fixed), and
  null for the types v1 does not have (toll-free, premium...);
- an unknown ``Fields`` or ``Type`` value is 400 with Lookup's 60618 ("Lookup Malformed
  Request Parameter"); ``AddOns`` (v1) is a 501: Marketplace Add-ons are not simulated;
- test credentials may make the free v2 lookup (Twilio's test credentials page lists
  it); a data package or a v1 lookup with them is 403 (20008).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.errors import TwilioApiError
from twimlsim.model.lookup import NO_CARRIER_TYPES, LineFacts, NumberCheck, check_number

from .render import json_response

if TYPE_CHECKING:
    from .app import Context

__all__ = ["fetch_v1", "fetch_v2"]

#: The base of a lookup's ``url`` (Twilio's own, whichever host answered).
LOOKUPS_BASE = "https://lookups.twilio.com"
#: v2's data packages, in the order Twilio's answers list them.
_V2_PACKAGES = (
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
#: v2 packages twimlsim does not simulate, with the name Twilio's docs give them.
_UNSIMULATED_PACKAGES = {
    "sim_swap": "SIM Swap",
    "call_forwarding": "Call Forwarding",
    "line_status": "Line Status",
    "identity_match": "Identity Match",
    "reassigned_number": "Reassigned Number",
    "sms_pumping_risk": "SMS Pumping Risk",
    "phone_number_quality_score": "Phone Number Quality Score",
    "pre_fill": "Pre Fill",
    "live_activity": "Live Activity",
}
_SIMULATED_PACKAGES = frozenset({"validation", "line_type_intelligence", "caller_name"})
_V1_TYPES = frozenset({"carrier", "caller-name"})
#: Line Type Intelligence's types as v1's ``carrier.type`` has them.
_V1_CARRIER_TYPES = {
    "mobile": "mobile",
    "landline": "landline",
    "fixedVoip": "voip",
    "nonFixedVoip": "voip",
}
_OUT_OF_COVERAGE = 60600


def fetch_v2(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /v2/PhoneNumbers/{PhoneNumber}``: the number's format and validity, and the
    data packages ``Fields`` asks for."""
    given = args["phone_number"]
    fields = _fields(",".join(ctx.request.args.getlist("Fields")))  # repeated, or a list
    if ctx.test_credentials and fields - {"validation"}:
        raise _test_credentials_refused()
    checked = check_number(given, ctx.request.args.get("CountryCode") or None)
    body: dict[str, object] = {
        "calling_country_code": checked.calling_code,
        "country_code": checked.country_code,
        "phone_number": checked.e164 if checked.valid else given,
        "national_format": checked.national,
        "valid": checked.valid,
        "validation_errors": list(checked.errors),
    }
    body.update(dict.fromkeys(_V2_PACKAGES))
    if checked.valid:
        facts = _facts(ctx, checked)
        if "line_type_intelligence" in fields:
            body["line_type_intelligence"] = _line_type_intelligence(facts, checked)
        if "caller_name" in fields:
            body["caller_name"] = _caller_name(facts, checked)
    body["url"] = f"{LOOKUPS_BASE}/v2/PhoneNumbers/{body['phone_number']}"
    return json_response(body, 200)


def fetch_v1(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /v1/PhoneNumbers/{PhoneNumber}``: the number's formats, and the carrier and
    caller name ``Type`` asks for; Twilio's 404 for a number that is not valid."""
    given = args["phone_number"]
    query = ctx.request.args
    add_ons = query.getlist("AddOns")
    if add_ons:
        raise TwilioApiError(
            501,
            20500,
            f"GET {ctx.request.path} asks for Marketplace Add-ons ({', '.join(add_ons)}), "
            "which twimlsim does not simulate; leave out AddOns",
        )
    types = set(query.getlist("Type"))
    unknown = sorted(types - _V1_TYPES)
    if unknown:
        raise TwilioApiError(
            400,
            60618,
            f"Type {', '.join(unknown)} is not a type of information Lookup v1 returns; "
            "give carrier or caller-name",
        )
    checked = check_number(given, query.get("CountryCode") or None)
    if not checked.valid:
        raise TwilioApiError(
            404, 20404, f"The requested resource /PhoneNumbers/{given} was not found"
        )
    facts = _facts(ctx, checked)
    carrier = None
    if "carrier" in types:
        line = _line_type_intelligence(facts, checked)
        carrier = {
            "mobile_country_code": line["mobile_country_code"],
            "mobile_network_code": line["mobile_network_code"],
            "name": line["carrier_name"],
            "type": _V1_CARRIER_TYPES.get(str(line["type"])),
            "error_code": None,
        }
    body = {
        "caller_name": _caller_name(facts, checked) if "caller-name" in types else None,
        "carrier": carrier,
        "country_code": checked.country_code,
        "national_format": checked.national,
        "phone_number": checked.e164,
        "add_ons": None,
        "url": f"{LOOKUPS_BASE}/v1/PhoneNumbers/{checked.e164}",
    }
    return json_response(body, 200)


def _fields(text: str) -> frozenset[str]:
    """The packages ``Fields`` names (comma separated); 501 for one twimlsim does not
    simulate, 400 for one Lookup does not have."""
    names = frozenset(name.strip() for name in text.split(",") if name.strip())
    unsimulated = sorted(names & _UNSIMULATED_PACKAGES.keys())
    if unsimulated:
        packages = ", ".join(f"{name} ({_UNSIMULATED_PACKAGES[name]})" for name in unsimulated)
        raise TwilioApiError(
            501,
            20500,
            f"Fields={text} asks Lookup for {packages}, which twimlsim does not simulate; it "
            "simulates validation, line_type_intelligence and caller_name",
        )
    unknown = sorted(names - _SIMULATED_PACKAGES)
    if unknown:
        raise TwilioApiError(
            400,
            60618,
            f"Fields {', '.join(unknown)} is not a Lookup data package; give a comma-separated "
            "list of validation, caller_name, sim_swap, call_forwarding, line_status, "
            "line_type_intelligence, identity_match, reassigned_number, sms_pumping_risk, "
            "phone_number_quality_score, pre_fill",
        )
    return names


def _test_credentials_refused() -> TwilioApiError:
    return TwilioApiError(403, 20008, "Resource not accessible with Test Account Credentials")


def _facts(ctx: Context, checked: NumberCheck) -> LineFacts:
    phone = ctx.engine.phones.get(checked.e164 or "")
    return phone.facts if phone is not None else LineFacts()


def _line_type_intelligence(facts: LineFacts, checked: NumberCheck) -> dict[str, object]:
    kind = facts.line_type or checked.number_type
    carried = kind not in NO_CARRIER_TYPES
    return {
        "error_code": None,
        "mobile_country_code": facts.mobile_country_code if carried else None,
        "mobile_network_code": facts.mobile_network_code if carried else None,
        "carrier_name": facts.carrier_name if carried else None,
        "type": kind,
    }


def _caller_name(facts: LineFacts, checked: NumberCheck) -> dict[str, object]:
    return {
        "caller_name": facts.caller_name,
        "caller_type": facts.caller_type,
        "error_code": None if checked.country_code == "US" else _OUT_OF_COVERAGE,
    }
