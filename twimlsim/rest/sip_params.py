"""Twilio's checks of the SIP parts of a Calls create: the credentials
(``SipAuthUsername``/``SipAuthPassword``), and a ``sip:`` ``To``'s URI and the headers it
carries (``sip:alice@example.com?x-ticket=42``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import unquote

from twimlsim.errors import TwilioApiError
from twimlsim.twiml.kinds import InvalidValue, caller_display_name
from twimlsim.twiml.sip_headers import MAX_SIP_HEADERS_CHARS

__all__ = ["check_caller_display_name", "check_sip_auth", "check_sip_to"]

#: Characters no SIP header can carry, refused in ``SipAuthUsername`` (21222) and
#: ``SipAuthPassword`` (21224): the C0 controls and DEL.
_SIP_ILLEGAL = re.compile(r"[\x00-\x1f\x7f]")


def check_sip_auth(fields: Mapping[str, object]) -> None:
    """Twilio's SIP credential codes on a create: a ``SipAuthUsername`` without a
    ``SipAuthPassword`` is 21225 ("SipAuthPassword is required when providing
    SipAuthUsername"), a control character in either is 21222 or 21224 ("Illegal chars"),
    their lengths (21221, 21223) are checked by the parameter table.

    Choices (Twilio's pages name neither): the illegal characters are the controls, which no
    SIP header can carry (Twilio's exact set is not documented); a ``SipAuthPassword``
    without a ``SipAuthUsername`` is refused with the same 21225, since it authenticates
    nobody.
    """
    username, password = fields.get("sip_auth_username"), fields.get("sip_auth_password")
    for wire, value, code in (
        ("SipAuthUsername", username, 21222),
        ("SipAuthPassword", password, 21224),
    ):
        found = _SIP_ILLEGAL.search(value) if isinstance(value, str) else None
        if found is not None:
            raise TwilioApiError(
                400,
                code,
                f"Invalid {wire}. Illegal chars: it holds the control character "
                f"U+{ord(found.group()):04X}, which SIP does not allow; use printable "
                "characters only",
            )
    if username and not password:
        raise TwilioApiError(
            400,
            21225,
            "SipAuthPassword is required when providing SipAuthUsername: give the password "
            f"of SIP user {username!r} too",
        )
    if password and not username:
        raise TwilioApiError(
            400,
            21225,
            "SipAuthUsername is required when providing SipAuthPassword: give the SIP user "
            "the password belongs to",
        )


#: A SIP header name is an RFC 3261 token.
_SIP_TOKEN = re.compile(r"[A-Za-z0-9.!%*_+`'~-]+")


#: Twilio's Making SIP Calls page: the SIP URI of ``To`` should be "under 255 characters".
MAX_SIP_URI_CHARS = 255


def check_sip_to(to: str) -> None:
    """Twilio's codes for a SIP ``To``: a URI of 255 characters or more is 21211 ("Called
    is not valid", the code and words Twilio gives an endpoint it refuses; which code a long
    URI gets is a choice), and for its headers (what follows ``?``): 21227 when they
    are 1,024 characters or more ("Headers portion of SIP URI must be fewer than 1024
    chars", as the Making SIP Calls page says), 21228 for a header name that is not a SIP
    token, 21229 for a value holding a control character once its %-escapes are decoded
    ("Illegal chars in header name/value").

    Choices: which characters Twilio calls illegal is not documented (twimlsim takes RFC
    3261's token for names and refuses the controls in values); a name without the ``x-``
    prefix is not refused here, as Twilio's 32113 page says such a header is left out.
    """
    uri, _, headers = to.partition("?")
    if len(uri) >= MAX_SIP_URI_CHARS:
        raise TwilioApiError(
            400,
            21211,
            f"Called is not valid: {uri[:40]}... is {len(uri):,} characters long; Twilio's "
            f"Making SIP Calls page asks for a SIP URI under {MAX_SIP_URI_CHARS} characters "
            "(headers after ? not counted)",
        )
    if not headers:
        return
    if len(headers) >= MAX_SIP_HEADERS_CHARS:
        raise TwilioApiError(
            400,
            21227,
            f"Headers portion of SIP URI must be fewer than {MAX_SIP_HEADERS_CHARS} chars: "
            f"the headers of To are {len(headers):,} characters long; send fewer or shorter "
            "headers",
        )
    for pair in filter(None, headers.split("&")):
        name, _, value = pair.partition("=")
        if not _SIP_TOKEN.fullmatch(name):
            raise TwilioApiError(
                400,
                21228,
                f"Invalid SIP Header. Illegal chars in header name: {name!r} in To; a header "
                "name holds letters, digits and -.!%*_+`'~ only (x-my-header)",
            )
        found = _SIP_ILLEGAL.search(unquote(value))
        if found is not None:
            raise TwilioApiError(
                400,
                21229,
                f"Invalid SIP Header. Illegal chars in header value: the value of {name} in "
                f"To holds the control character U+{ord(found.group()):04X}; "
                "%-escape only printable characters",
            )


def check_caller_display_name(form: Mapping[str, str]) -> None:
    """A Participants create's ``CallerDisplayName`` (the display name of the ``From``
    header of a call to a SIP address) must be "between 2 and 255 characters" (Twilio's
    spec), printable, once its leading and trailing spaces are trimmed (Twilio's 13259
    page, "Invalid CallerDisplayName", for the TwiML attribute). Choices: a refused one is
    400 with that page's code, 13259 (the REST code is not documented); it is checked
    whatever the ``To``, though the spec says it applies only to SIP addresses; an empty
    one is taken as absent, as for other parameters."""
    value = form.get("CallerDisplayName")
    if not value:
        return
    try:
        caller_display_name(value)
    except InvalidValue as invalid:
        shown = (
            repr(value) if len(value) <= 40 else f"{value[:40]!r}... ({len(value):,} characters)"
        )
        raise TwilioApiError(
            400,
            13259,
            f"Invalid CallerDisplayName: {shown} is not valid: expected {invalid.expected}",
        ) from None
