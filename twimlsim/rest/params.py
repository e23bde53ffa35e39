"""Parsing and validating REST parameters, in one place, driven by tables.

Every create and update parameter of the Calls resource is a row of ``CREATE_PARAMS`` /
``UPDATE_PARAMS`` (``param_tables.py``): wire name, Python name, kind, allowed values
and the Twilio error code an invalid value gets. Parameters Twilio does not know are
ignored, as Twilio ignores them (the twilio client sends ``Passports`` and
``RecordingConfigurationId``). A parameter sent with an empty value counts as not sent.

Validation order of ``POST /Calls`` (Twilio's own order is unknown; this is the order of
goalert's mocktwilio, reference Appendix B, extended with the remaining parameters in the
order of reference §1.2):

1. one of ``Url``/``Twiml``/``ApplicationSid`` is given (21205); with ``ApplicationSid`` the
   application must be the account's (21218), and ``Url``, ``Twiml``, ``Method``,
   ``FallbackUrl``, ``FallbackMethod``, ``StatusCallback``, ``StatusCallbackEvent`` and
   ``StatusCallbackMethod`` are ignored (not even checked): the application's voice
   configuration is used instead, as Twilio's create documents;
2. ``To`` given (21201); 3. ``From`` given (21213); 4. ``From`` well-formed (21212): a
   phone number, or for a call to a SIP address or client a client identifier or a caller
   name (``Jack``);
5. ``From`` owned or verified (21210); 6. ``To`` well-formed (21211, "The 'To' number X is
   not a valid phone number."; a ``client:``, ``sip:`` or ``sim:`` address naming nobody,
   "Called is not valid: client:", Twilio's words for an endpoint it refuses), then a
   number that can exist in its country (21211, "The phone number you are attempting to
   call, X, is not valid.", as captured; see ``model/phone_numbers.py``: ``From`` numbers
   get the same check, refused with 21212);
7. with test credentials, the magic ``To`` numbers (21217, 21214, 21215, 21216); on a
   trial account, a ``To`` number that is not a verified caller ID (21219); for a ``To``
   phone number, a ``Byoc`` that is no BYOC trunk SID (21300); for a SIP ``To``, the
   URI and its headers (21211, 21227, 21228, 21229: see ``sip_params.check_sip_to``);
8. ``StatusCallback`` a valid URL (21609); 9. ``Url`` a valid URL (21205);
10. every other parameter, in table order; then the SIP credentials together (21222,
    21224, 21225: see ``sip_params.check_sip_auth``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote_plus, urlsplit

from werkzeug.datastructures import MultiDict

from twimlsim.engine.options import NewCall, shared
from twimlsim.engine.urls import ascii_host
from twimlsim.errors import TwilioApiError
from twimlsim.integers import saturated_int
from twimlsim.model.application import Application
from twimlsim.model.client_identity import MAX_CLIENT_IDENTITY, identity_too_long
from twimlsim.model.phone_numbers import is_possible_number, normalize_number

from .param_tables import CREATE_PARAMS, INVALID_PARAMETER, UPDATE_PARAMS, Param
from .sip_params import check_sip_auth, check_sip_to

__all__ = [
    "CREATE_PARAMS",
    "INVALID_PARAMETER",
    "MAX_TWIML",
    "UPDATE_PARAMS",
    "apply_params",
    "check_status_callback",
    "form_value",
    "names_somebody",
    "CallUpdate",
    "Param",
    "normalize_number",
    "parse_create",
    "parse_update",
    "sent_empty",
]

Form = MultiDict[str, str]


#: ``Twiml`` longer than this is refused with 32018 (Twilio's dictionary).
MAX_TWIML = 4000

_METHOD = ("GET", "POST")
_BOOL_WORDS = ("true", "false")
_URL_REQUIRED = (
    "Url parameter is required. For more information, see http://www.twilio.com/docs/api/twiml"
)
_BLANK = re.compile(r"[\s\x00-\x1f\x7f]")
_INTEGER = re.compile(r"[+-]?[0-9]+")
#: A DNS host name: labels of 1 to 63 letters, digits and inner hyphens (RFC 1035).
_HOSTNAME = re.compile(
    r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)
_DIGITS = re.compile(r"^[0-9A-D#*wW]{1,32}$")
_APPLICATION_SID = re.compile(r"^AP[0-9a-fA-F]{32}$")
_BYOC_SID = re.compile(r"BY[0-9a-fA-F]{32}")

#: Twilio's magic ``To`` numbers for test credentials: error code and message.
TEST_TO_NUMBERS: Mapping[str, tuple[int, str]] = {
    "+15005550001": (21217, "Phone number +15005550001 does not appear to be valid"),
    "+15005550002": (21214, "'To' phone number +15005550002 cannot be reached"),
    "+15005550003": (21215, "Account not authorized to call +15005550003"),
    "+15005550004": (21216, "Call blocked by Twilio blocklist: +15005550004"),
}
#: The only ``From`` test credentials accept, and the one they refuse as invalid.
TEST_FROM_VALID = "+15005550006"
TEST_FROM_INVALID = "+15005550001"


def form_value(form: Form, wire: str) -> str | None:
    """The first value sent for ``wire``, or None when it is absent or empty."""
    if wire not in form:  # MultiDict.get of an absent name raises and catches inside
        return None
    value = form.get(wire)
    return value if value else None


def sent_empty(form: Form, wire: str) -> bool:
    """Whether ``wire`` was sent with no value (``VoiceUrl=``): an update's way to take a
    setting off."""
    return wire in form and not any(form.getlist(wire))


#: The longest ``StatusCallback`` Twilio takes (its 21609 page).
MAX_STATUS_CALLBACK = 4000


def check_status_callback(url: str) -> None:
    """Twilio's 21609 for a ``StatusCallback`` that is not an http(s) URL, or longer than
    4,000 characters (the length wording is twimlsim's)."""
    _check_status_callback_length(url, 21609)
    if not valid_url(url):
        raise TwilioApiError(400, 21609, f"The StatusCallback URL {url} is not a valid URL.")


def _check_status_callback_length(url: str, code: int) -> None:
    if len(url) > MAX_STATUS_CALLBACK:
        raise TwilioApiError(
            400,
            code,
            f"The StatusCallback URL is {len(url):,} characters long; the maximum length of "
            f"the StatusCallback is {MAX_STATUS_CALLBACK:,} characters.",
        )


@functools.lru_cache(maxsize=1024)
def valid_url(url: str) -> bool:
    """True for an absolute http(s) URL with a valid host name (no underscores) and no
    whitespace or control character anywhere (Twilio refuses those; fidelity choice: also
    around the URL, where it might trim them).

    Fidelity choice (unconfirmed): an internationalised host (``https://bücher.example``)
    is valid when IDNA can encode it, as URL validators accept such hosts; its webhooks go
    to, and are signed for, the IDNA-encoded host (``https://xn--bcher-kva.example``), as
    an HTTP client sends them (``twimlsim.engine.urls.wire_url``).
    """
    if _BLANK.search(url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - reading the port refuses one out of range or not a number
    except ValueError:
        return False
    if parts.scheme not in {"http", "https"} or not host:
        return False
    encoded = ascii_host(host)
    return encoded is not None and bool(_HOSTNAME.match(encoded))


def number_filter(value: str | None) -> str | None:
    """A list filter's number (``To``, ``From``, ``PhoneNumber``): in E.164 when it is a
    phone number, as given otherwise (a client or SIP address), None when absent or
    empty."""
    if not value:
        return None
    return normalize_number(value) or value


def _is_endpoint(value: str) -> bool:
    lowered = value.lower()
    return lowered.startswith(("client:", "sip:", "sim:"))


def names_somebody(endpoint: str) -> bool:
    """Whether a ``client:``, ``sip:`` or ``sim:`` address names anybody: ``client:`` has
    an identity after it, ``sip:`` a host (``sip:alice@`` and ``sip:@`` have none)."""
    scheme, _, rest = endpoint.partition(":")
    rest = rest.strip()
    if scheme.lower() == "sip":
        return bool(rest.rpartition("@")[2].strip())
    return bool(rest)


def _convert(param: Param, values: list[str]) -> object:
    """The Python value of one parameter, or ``TwilioApiError`` with its code."""
    wire, value = param.wire, values[0]
    if param.kind == "events":
        events = [event for raw in values for event in raw.split()]
        unknown = [event for event in events if event not in param.choices]
        if unknown:
            if wire == "StatusCallbackEvent":  # Twilio's words for 21626
                message = "One or more of the StatusCallbackEvents provided were invalid: "
                raise TwilioApiError(400, param.code, message + ", ".join(unknown))
            raise TwilioApiError(
                400,
                param.code,
                f"{wire} is not valid: {', '.join(unknown)}. Use one of "
                f"{', '.join(param.choices)}; send several separated by spaces or each as "
                f"its own {wire} parameter",
            )
        return frozenset(events)
    if param.kind in {"url", "callback"}:
        if wire == "StatusCallback" and param.kind == "callback":
            _check_status_callback_length(value, param.code)  # each resource's own code
        if not valid_url(value):
            if param.kind == "callback":
                message = f"The {wire} URL {value} is not a valid URL."
            else:
                message = f"{wire} is not a valid URL: {value}"
            raise TwilioApiError(400, param.code, message)
        return value
    if param.kind == "method":
        method = value.upper()
        if method not in _METHOD:
            raise TwilioApiError(
                400, param.code, f"{wire} is not a valid HTTP method: {value}. Use GET or POST"
            )
        return method
    if param.kind == "int":
        # ASCII digits only: Python's int() would also take "٣" or "３", Twilio does not
        text = value.strip()
        number = saturated_int(text) if _INTEGER.fullmatch(text) else None
        if number is not None and param.clamp and param.high is not None:
            number = min(number, param.high)
        if number is None or not (param.low or 0) <= number <= (param.high or number):
            raise TwilioApiError(
                400,
                param.code,
                f"{wire} is not a valid integer between {param.low} and {param.high}: {value}",
            )
        return number
    if param.kind == "bool":
        lowered = value.lower()
        if lowered not in {"true", "false"}:
            raise TwilioApiError(
                400, param.code, f"{wire} is not a valid boolean: {value}. Use true or false"
            )
        return lowered == "true"
    if param.kind == "enum":
        lowered = value.lower()
        if lowered in _BOOL_WORDS and lowered in param.choices:
            # An enumeration that takes true and false (Beep, ConferenceRecord) takes them
            # in any case, as a bool parameter does: twilio-python types these as text and
            # sends a Python bool given for them as True or False (UNCONFIRMED).
            return lowered
        if value not in param.choices:
            if param.ignore_unknown:
                return None
            raise TwilioApiError(
                400,
                param.code,
                f"{wire} is not valid: {value}. Use one of {', '.join(param.choices)}",
            )
        return value
    if param.kind == "digits":
        if not _DIGITS.match(value):
            raise TwilioApiError(
                400,
                param.code,
                f"{wire} is not valid: {value}. Use up to 32 of 0-9, A-D, #, *, w and W",
            )
        return value
    if param.high is not None and len(value) > param.high:
        if param.secret:  # Twilio's titles of 21221 and 21223, the SIP credentials
            message = (
                f"Invalid {wire}. Must be fewer than {param.high + 1} chars (got {len(value):,})"
            )
        else:
            message = f"{wire} is longer than {param.high} characters: {value}"
        raise TwilioApiError(400, param.code, message)
    return value


#: Form fields repeat from request to request (numbers, URLs, events): unquote each once.
_unquote = functools.lru_cache(maxsize=4096)(unquote_plus)


def parse_form(body: bytes) -> MultiDict[str, str]:
    """An ``application/x-www-form-urlencoded`` body as werkzeug's ``request.form`` has it
    (repeated names kept in order, blank values kept, bad UTF-8 replaced)."""
    text = body.decode("utf-8", "replace")
    pairs = []
    for field in text.split("&"):
        if not field:
            continue
        name, _, value = field.partition("=")
        pairs.append((_unquote(name), _unquote(value)))
    return MultiDict(pairs)


def apply_params(form: Form, table: tuple[Param, ...]) -> dict[str, object]:
    """The converted values of the parameters of ``table`` present in ``form``."""
    fields: dict[str, object] = {}
    present = form.keys()
    for param in table:
        if param.wire not in present:
            continue
        values = [value for value in form.getlist(param.wire) if value]
        if values:
            fields[param.field] = _convert(param, values)
    return fields


def _check_twiml(twiml: str) -> None:
    if len(twiml) > MAX_TWIML:
        raise TwilioApiError(
            400,
            32018,
            f"Twiml size exceeded maximum allowed value of {MAX_TWIML} characters "
            f"(got {len(twiml)})",
        )


#: What an ``ApplicationSid`` replaces: these create parameters are then ignored.
APPLICATION_OVERRIDES = frozenset(
    {
        "method",
        "fallback_url",
        "fallback_method",
        "status_callback_events",
        "status_callback_method",
    }
)
_CREATE_WITH_APPLICATION = tuple(p for p in CREATE_PARAMS if p.field not in APPLICATION_OVERRIDES)


def parse_create(
    form: Form,
    may_call_from: Callable[[str], bool],
    *,
    test_credentials: bool = False,
    applications: Mapping[str, Application] | None = None,
    may_call_to: Callable[[str], bool] | None = None,
    app_destination: bool = False,
) -> NewCall:
    """The ``NewCall`` of a ``POST /Calls`` form, or the ``TwilioApiError`` Twilio gives.

    ``applications`` are the account's TwiML Apps (for ``ApplicationSid``);
    ``may_call_to`` refuses a ``To`` number with 21219 (a trial account's unverified
    numbers); ``app_destination`` lets ``To`` name a TwiML App (``app:AP...``, a
    conference participant's; the caller checked that the account has it).
    """
    url, twiml = form_value(form, "Url"), form_value(form, "Twiml")
    application_sid = form_value(form, "ApplicationSid")
    if url is None and twiml is None and application_sid is None:
        raise TwilioApiError(400, 21205, _URL_REQUIRED)
    application = None
    if application_sid is not None:
        application = _check_application(application_sid, applications or {})
    raw_to, raw_from = form_value(form, "To"), form_value(form, "From")
    if raw_to is None:
        raise TwilioApiError(400, 21201, "No 'To' number is specified")
    if raw_from is None:
        raise TwilioApiError(400, 21213, "No 'From' number is specified")
    to_number = normalize_number(raw_to)
    from_ = _check_from(raw_from, to_number, may_call_from, test_credentials)
    if to_number is None and _is_endpoint(raw_to) and not names_somebody(raw_to):
        # Twilio's words for an endpoint it refuses (its rules for a client's identity
        # are not documented but its length, below: an address naming nobody is refused)
        raise TwilioApiError(400, 21211, f"Called is not valid: {raw_to}")
    if to_number is None and raw_to.lower().startswith("client:"):
        identity = raw_to.partition(":")[2].partition("?")[0]
        if identity_too_long(identity):
            raise TwilioApiError(
                400,
                21211,
                f"Called is not valid: the client identity {identity[:20]}... has "
                f"{len(identity)} characters and Twilio dials identities of at most "
                f"{MAX_CLIENT_IDENTITY}; use a shorter identity in the Access Token and To",
            )
    if to_number is None and not (
        _is_endpoint(raw_to) or (app_destination and raw_to.lower().startswith("app:"))
    ):
        raise TwilioApiError(400, 21211, f"The 'To' number {raw_to} is not a valid phone number.")
    if to_number is not None and not is_possible_number(to_number):
        raise TwilioApiError(
            400, 21211, f"The phone number you are attempting to call, {to_number}, is not valid."
        )
    to = to_number or raw_to
    if test_credentials and to in TEST_TO_NUMBERS:
        code, message = TEST_TO_NUMBERS[to]
        raise TwilioApiError(400, code, message)
    if to_number is not None and may_call_to is not None and not may_call_to(to_number):
        raise TwilioApiError(400, 21219, trial_message(to_number))
    if to_number is not None:
        _check_byoc(form_value(form, "Byoc"))
    elif raw_to.lower().startswith("sip:"):
        check_sip_to(raw_to)
    _check_client_notification_url(form_value(form, "ClientNotificationUrl"))
    if application is not None:
        return _with_application(form, application, to=to, from_=from_)
    status_callback = form_value(form, "StatusCallback")
    if status_callback is not None:
        check_status_callback(status_callback)
    if url is not None and not valid_url(url):
        raise TwilioApiError(400, 21205, f"Url is not a valid URL: {url}")
    if url is None and twiml is not None:
        _check_twiml(twiml)
    fields = _create_fields(form, CREATE_PARAMS)
    return shared(
        NewCall(
            to=to,
            from_=from_,
            url=url,
            twiml=twiml if url is None else None,
            status_callback=status_callback,
            twiml_ignored=url is not None and twiml is not None,
            **fields,  # type: ignore[arg-type]
        )
    )


def _check_byoc(byoc: str | None) -> None:
    """Twilio's 21300 ("Invalid BYOC trunk SID") for a ``Byoc`` that is not ``BY`` and 32
    hex digits. The Call resource says ``Byoc`` is ignored unless ``To`` is a phone number,
    so the caller checks it only then. BYOC trunks are not simulated: a well-formed SID is
    taken and the call is placed as without it (Twilio also refuses a trunk that does not
    exist or is another account's)."""
    if byoc is not None and not _BYOC_SID.fullmatch(byoc):
        raise TwilioApiError(
            400,
            21300,
            f"Invalid BYOC trunk SID: {byoc}. A BYOC trunk SID is BY followed by 32 "
            "hexadecimal digits (34 characters); give one of the account's trunks",
        )


def _check_client_notification_url(url: str | None) -> None:
    """Twilio's 13806 ("Invalid Client Notification URL") for a ``ClientNotificationUrl``
    that is not an http(s) URL with a valid host name (the 13807 page names a host with an
    underscore). The code is that page's; the 400 status is a choice (UNCONFIRMED: Twilio
    documents no REST answer for it). No push notification is sent: the URL is checked only.
    """
    if url is not None and not valid_url(url):
        raise TwilioApiError(
            400,
            13806,
            f"Invalid Client Notification URL: {url} is not a valid URL; give the absolute "
            "http(s) URL of the Voice SDK call notification webhook",
        )


def trial_message(to: str) -> str:
    """Twilio's 21219 refusal of a trial account's call to an unverified number."""
    return f"The number {to} is unverified. Trial accounts may only make calls to verified numbers."


def _with_application(form: Form, application: Application, *, to: str, from_: str) -> NewCall:
    """A create with ``ApplicationSid``: the application's voice configuration, the rest of
    the form's parameters (checked as usual)."""
    fields = _create_fields(form, _CREATE_WITH_APPLICATION)
    return shared(
        NewCall(
            to=to,
            from_=from_,
            url=application.voice_url,
            method=application.voice_method,
            application_sid=application.sid,
            fallback_url=application.voice_fallback_url,
            fallback_method=application.voice_fallback_method,
            status_callback=application.status_callback,
            status_callback_method=application.status_callback_method,
            **fields,  # type: ignore[arg-type]
        )
    )


def _create_fields(form: Form, table: tuple[Param, ...]) -> dict[str, object]:
    fields = apply_params(form, table)
    check_sip_auth(fields)
    if "send_digits" in fields:
        fields.pop("machine_detection", None)  # Twilio ignores AMD when SendDigits is given
    return fields


#: A ``From`` that is no phone number, for a call to a SIP address or client: a caller name
#: (Twilio's SIP example calls from ``Jack``; its Call resource asks a phone number of
#: ``From`` only "if the ``to`` parameter is a phone number"). Spaces and other characters
#: a SIP ``From`` user part would need escaped are 21212 (a choice).
_CALLER_NAME = re.compile(r"[A-Za-z0-9+_.:@*-]+")


def _check_from(
    raw_from: str,
    to_number: str | None,
    may_call_from: Callable[[str], bool],
    test_credentials: bool,
) -> str:
    from_number = normalize_number(raw_from)
    if test_credentials and from_number == TEST_FROM_INVALID:
        from_number = None
    if from_number is not None and not is_possible_number(from_number):
        from_number = None
    if from_number is None:
        to_an_endpoint = to_number is None and not test_credentials
        if to_an_endpoint and (_is_endpoint(raw_from) or _CALLER_NAME.fullmatch(raw_from)):
            return raw_from
        raise TwilioApiError(400, 21212, f"From is not a valid phone number: {raw_from}")
    allowed = from_number == TEST_FROM_VALID if test_credentials else may_call_from(from_number)
    if not allowed:
        raise TwilioApiError(
            400,
            21210,
            f"The source phone number provided, {raw_from}, is not yet verified for your "
            "account. You may only make calls from phone numbers that you've verified or "
            "purchased from Twilio.",
        )
    return from_number


def _check_application(
    application_sid: str, applications: Mapping[str, Application]
) -> Application:
    """The account's application ``application_sid``, or 21218. An account opened for a
    suite's credentials may hold one of a placeholder SID (``rest/numbers.py``)."""
    application = applications.get(application_sid)
    if application is not None:
        return application
    if not _APPLICATION_SID.match(application_sid):
        message = f"ApplicationSid is not valid: {application_sid}"
    else:
        message = (
            f"ApplicationSid {application_sid} is not an application of this account; "
            "create it first (POST /Applications.json, or sim.application(...))"
        )
    raise TwilioApiError(400, 21218, message)


@dataclass(frozen=True, slots=True)
class CallUpdate:
    """A validated ``POST /Calls/{Sid}``: what to change on a call."""

    url: str | None = None
    twiml: str | None = None
    status: str | None = None
    method: str | None = None
    fallback_url: str | None = None
    fallback_method: str | None = None
    status_callback: str | None = None
    status_callback_method: str | None = None
    time_limit: int | None = None
    #: ``Twiml`` was sent with ``Url``: the ``Url`` is used (warning 32019).
    twiml_ignored: bool = False

    @property
    def redirects(self) -> bool:
        """True when the call is to run new TwiML (``Url`` or ``Twiml``)."""
        return self.url is not None or self.twiml is not None


def parse_update(form: Form) -> CallUpdate:
    """The ``CallUpdate`` of a ``POST /Calls/{Sid}`` form, or Twilio's error.

    ``Url`` and ``Twiml`` together: the ``Url`` is used and ``twiml_ignored`` set, as on a
    create (Twilio's warning 32019, "Twiml and Voice URL are both set. Using Voice URL.";
    the update doc calls them mutually exclusive without naming an error).
    """
    url, twiml, status = (
        form_value(form, "Url"),
        form_value(form, "Twiml"),
        form_value(form, "Status"),
    )
    twiml_ignored = url is not None and twiml is not None
    if twiml_ignored:
        twiml = None
    if url is not None and not valid_url(url):
        raise TwilioApiError(400, 21205, f"Url is not a valid URL: {url}")
    if twiml is not None:
        _check_twiml(twiml)
    if status is not None and status not in {"canceled", "completed"}:
        raise TwilioApiError(
            400, INVALID_PARAMETER, f"Status is not valid: {status}. Use canceled or completed"
        )
    fields = apply_params(form, UPDATE_PARAMS)
    return CallUpdate(
        url=url,
        twiml=twiml,
        status=status,
        twiml_ignored=twiml_ignored,
        **fields,  # type: ignore[arg-type]
    )
