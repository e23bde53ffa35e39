"""The parameters Twilio sends on every request about a call: identity, endpoints, the
legacy ``Caller``/``Called`` duplicates and the geo keys, and the billed minutes of a
completed one."""

from __future__ import annotations

import functools
import math

from twimlsim.model.call import Call, Location

__all__ = ["API_VERSION", "billed_minutes", "call_params", "country_of"]

API_VERSION = "2010-04-01"

#: Country calling codes to the ISO country Twilio reports in ``FromCountry``/``ToCountry``.
#: Only the country is derived; city, state and zip stay empty (twimlsim has no number
#: geography), which matches what real callbacks carry for numbers Twilio cannot place.
_COUNTRY_CODES: tuple[tuple[str, str], ...] = (
    ("+1", "US"),
    ("+44", "GB"),
    ("+61", "AU"),
    ("+49", "DE"),
    ("+33", "FR"),
    ("+34", "ES"),
    ("+39", "IT"),
    ("+31", "NL"),
    ("+46", "SE"),
    ("+47", "NO"),
    ("+45", "DK"),
    ("+353", "IE"),
    ("+91", "IN"),
    ("+81", "JP"),
    ("+86", "CN"),
    ("+55", "BR"),
    ("+52", "MX"),
    ("+64", "NZ"),
    ("+65", "SG"),
    ("+27", "ZA"),
)


@functools.lru_cache(maxsize=1024)
def country_of(number: str) -> str:
    """The ISO country of an E.164 number by its calling code, or ``""`` when unknown."""
    if not number.startswith("+"):
        return ""
    best = ""
    best_len = 0
    for prefix, country in _COUNTRY_CODES:
        if number.startswith(prefix) and len(prefix) > best_len:
            best, best_len = country, len(prefix)
    return best


def call_params(call: Call, call_status: str) -> dict[str, str]:
    """The parameters Twilio sends on every request about ``call``.

    Identity and endpoints, the legacy ``Caller``/``Called`` duplicates and the sixteen geo
    keys (present, empty when unknown), as real callbacks carry them. An inbound call's
    ``ForwardedFrom`` and ``CallerName`` (what the carrier and the caller ID lookup told of
    it) come on every request too, not only the first: Twilio lists both among the
    parameters of every TwiML request, and apps read ``CallerName`` in a ``<Gather>``
    action (that status and transcription callbacks repeat them is a choice). A call
    between a client identity and no phone number (a Voice SDK device's call to a TwiML
    App whose ``To`` is empty, a client or a name) has no geo keys, as every captured
    request of one lacks them (2016, 2018 and 2023: Twilio looks them up "based on the To
    and From phone numbers", and there are none; a choice for a ``To`` that is a name
    rather than empty).
    """
    if call.from_.startswith("client:") and not call.to.startswith(("+", "sip:")):
        return _client_call_params(call, call_status)
    from_city, from_state, from_zip, from_country = _geo(call.from_, call.from_location)
    to_city, to_state, to_zip, to_country = _geo(call.to, call.to_location)
    # put in as Twilio puts them in its map: the order it writes them (``wire_order``)
    # keeps this order among the names that share a bucket
    params = {
        "Called": call.to,
        "ToState": to_state,
        "CallerCountry": from_country,
        "Direction": call.direction.value,
        "CallerState": from_state,
        "ToZip": to_zip,
        "CallSid": call.sid,
        "To": call.to,
        "CallerZip": from_zip,
        "ToCountry": to_country,
        "CalledZip": to_zip,
        "ApiVersion": API_VERSION,
        "CalledCity": to_city,
        "CallStatus": call_status,
        "From": call.from_,
        "AccountSid": call.account_sid,
        "CalledCountry": to_country,
        "CallerCity": from_city,
        "ToCity": to_city,
        "FromCountry": from_country,
        "Caller": call.from_,
        "FromCity": from_city,
        "CalledState": to_state,
        "FromZip": from_zip,
        "FromState": from_state,
    }
    return _with_optional(call, params)


def _client_call_params(call: Call, call_status: str) -> dict[str, str]:
    """``call_params`` of a call from a client identity to no phone number: no geo keys."""
    params = {
        "Called": call.to,
        "Direction": call.direction.value,
        "CallSid": call.sid,
        "To": call.to,
        "ApiVersion": API_VERSION,
        "CallStatus": call_status,
        "From": call.from_,
        "AccountSid": call.account_sid,
        "Caller": call.from_,
    }
    return _with_optional(call, params)


def _with_optional(call: Call, params: dict[str, str]) -> dict[str, str]:
    """``params`` with the keys a request carries only when the call has them: its parent,
    its TwiML App, and an inbound call's ``ForwardedFrom`` and ``CallerName``."""
    if call.parent_call_sid is not None:
        params["ParentCallSid"] = call.parent_call_sid
    if call.application_sid is not None:
        params["ApplicationSid"] = call.application_sid
    if call.forwarded_from is not None:
        params["ForwardedFrom"] = call.forwarded_from
    if call.caller_name is not None:
        params["CallerName"] = call.caller_name
    return params


def _geo(number: str, location: Location | None) -> tuple[str, str, str, str]:
    """City, state, zip and country of ``number``: as located by the test, the country
    from the calling code unless given, the rest empty."""
    if location is None:
        return "", "", "", country_of(number)
    country = location.country if location.country is not None else country_of(number)
    return location.city, location.state, location.zip, country


def billed_minutes(seconds: int) -> int:
    """Twilio's ``Duration``: whole minutes, rounded up."""
    return math.ceil(seconds / 60)
