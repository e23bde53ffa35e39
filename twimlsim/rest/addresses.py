"""Checks of the numbers and URLs given to the simulator's Python API, read as the REST API
reads them (``sim.number``, ``sim.phone``, ``sim.incoming_call``, ``sim.application``...).

Apart from ``twimlsim.arguments`` because they use the REST layer's own readers, which the
engine must not import.
"""

from __future__ import annotations

from twimlsim.arguments import check_text, underscored_host
from twimlsim.model.phone_numbers import is_possible_number

from .params import names_somebody, normalize_number, valid_url

__all__ = ["check_far_end", "check_own_number", "check_url"]

#: Far ends that are not phone numbers: Voice SDK clients and SIP addresses.
_ENDPOINT_PREFIXES = ("client:", "sip:")


def check_far_end(
    where: str,
    value: object,
    *,
    endpoints: bool = True,
    withheld: bool = False,
    error: type[Exception] = ValueError,
) -> str:
    """A phone number, returned in E.164 (``(555) 867-5310`` and ``5558675310`` become
    ``+15558675310``, as the REST API normalises them); with ``endpoints`` also a
    ``client:`` or ``sip:`` address (returned as given); with ``withheld`` also a caller
    ID a carrier sends for a withheld number, such as ``anonymous`` or ``Unknown``
    (``_WITHHELD``, returned as given: Twilio's TwiML changelog says incoming ``From`` values
    may be "anonymous, unknown, etc." and are no longer normalised for case)."""
    example = "'+15558675310', 'client:alice' or 'sip:alice@example.com'"
    if not endpoints:
        example = "'+15558675310'"
    text = check_text(where, "the number", value, example, error=error)
    if endpoints and text.lower().startswith(_ENDPOINT_PREFIXES) and names_somebody(text):
        return text
    if withheld and text.lower() in _WITHHELD:
        return text
    number = normalize_number(text)
    if number is None:
        what = "nor a client: or sip: address" if endpoints else "that the account can own"
        raise error(
            f"{where}: {text!r} is not a phone number (E.164, or ten digits of a US number) "
            f"{what}; give one such as {example}"
        )
    return number


def check_own_number(where: str, value: object, *, error: type[Exception] = ValueError) -> str:
    """A phone number the account can own or verify (``sim.number``,
    ``sim.verified_caller_id``), in E.164: ``check_far_end``'s numbers that can exist in
    their country. Twilio sells and verifies only such numbers, and refuses a call from any
    other (21212) before asking whether the account owns it."""
    number = check_far_end(where, value, endpoints=False, error=error)
    if not is_possible_number(number):
        raise error(
            f"{where}: {number!r} cannot be a complete number of its country (an unknown "
            "country code, or too few or too many digits for it: a US number is +1 and ten "
            "digits), so no account can own it: Twilio refuses a call from it (21212 'From "
            f"is not a valid phone number: {number}') and to it (21211); give one such as "
            "'+15005550006'"
        )
    return number


#: The caller IDs carriers send for a withheld number, in any case (``anonymous``,
#: ``Restricted``...): Twilio's changelog names "anonymous, unknown, etc."; the others are
#: what carriers commonly send (a choice, so that a typo in a number is still refused).
_WITHHELD = frozenset(
    {"anonymous", "unknown", "restricted", "private", "unavailable", "withheld", "blocked"}
)


def check_url(where: str, name: str, value: object, *, error: type[Exception] = ValueError) -> None:
    """``value`` is None or an absolute http(s) URL a webhook can be sent to."""
    if value is None:
        return
    text = check_text(where, name, value, "'https://app.test/voice'", error=error)
    if not valid_url(text):
        underscored = underscored_host(text)
        if underscored is not None:
            raise error(
                f"{where}: {name} {text!r} has an underscore in its host {underscored!r}, "
                "which is not a valid host name: Twilio refuses such a URL (21205 as a REST "
                "Url), so no webhook could reach it; give a host without one, such as "
                f"{underscored.replace('_', '-')!r}"
            )
        raise error(
            f"{where}: {name} {text!r} is not an absolute http(s) URL with a host, which "
            "Twilio needs to request it; give one such as 'https://app.test/voice'"
        )
