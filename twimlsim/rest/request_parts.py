"""The parts of a REST request the fake API reads before its view: the route, the host,
the credentials, the body's presence, and the advice for an endpoint it does not simulate.
"""

from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING

from werkzeug.exceptions import MethodNotAllowed, NotFound

from twimlsim.errors import TwilioApiError

from .lookup_routes import is_lookups_host

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import MapAdapter

__all__ = [
    "FORM_TYPE",
    "GET_WITH_BODY",
    "NOT_ALLOWED",
    "NOT_FOUND",
    "STUB_ADVICE",
    "STUB_HINT",
    "basic_credentials",
    "check_host",
    "form_authorization",
    "has_body",
    "json_form",
    "route",
]

FORM_TYPE = "application/x-www-form-urlencoded"
#: What a test can do about a Twilio endpoint twimlsim does not simulate.
STUB_ADVICE = (
    "stub that URL in the test with the mock of the client that sent it "
    "(responses.add(...) for requests and the twilio client, respx for httpx, aioresponses "
    "for aiohttp): a test's own mock of a Twilio URL wins over twimlsim"
)
#: The same, closing the fake API's 501 message.
STUB_HINT = "; to go on, " + STUB_ADVICE


#: ``route``'s answers for a path no route has, and for a method the path's route refuses.
NOT_FOUND = ("<not found>", ())
NOT_ALLOWED = ("<method not allowed>", ())


@functools.lru_cache(maxsize=1024)
def route(urls: MapAdapter, path: str, method: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The endpoint and path arguments of a request (werkzeug's matcher is the costliest
    step of a request, and paths repeat), or ``NOT_FOUND`` / ``NOT_ALLOWED``."""
    try:
        endpoint, args = urls.match(path, method)
    except NotFound:
        return NOT_FOUND
    except MethodNotAllowed:
        return NOT_ALLOWED
    return str(endpoint), tuple((key, str(value)) for key, value in args.items())


def json_form(path: str) -> tuple[str, str] | None:
    """The ``.json`` path of a path Twilio answers in another form, and that form's name:
    XML (``.xml``, or no extension) or CSV (``.csv``), the other two formats of its 2010
    API ("Twilio API responses": "You can also request JSON or CSV")."""
    head, _, last = path.rpartition("/")
    for extension, form in ((".xml", "XML"), (".csv", "CSV")):
        if last.endswith(extension):
            return f"{head}/{last[: -len(extension)]}.json", form
    return (f"{head}/{last}.json", "XML") if last and "." not in last else None


#: Twilio's answer to a GET with a body, refused before anything else (its changelog,
#: 2023-12-12 and 2024-01-11: "Twilio will reject GET requests with a non-empty body sent to
#: Twilio REST API endpoints ... these requests will return a Status Code 403 Access Denied
#: message"); the code, 20403, follows Twilio's 20 + status pattern (a choice).
GET_WITH_BODY = (
    "Access Denied: a GET request with a body (Twilio has refused them since 2024-02-15); "
    "send its parameters in the query string (requests' params=, not data=)"
)


def has_body(environ: WSGIEnvironment) -> bool:
    """Whether the request carries a body: a Content-Length above 0, or chunked."""
    length = str(environ.get("CONTENT_LENGTH") or "").strip().strip("0")
    return bool(length) or "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower()


def check_host(scheme: str, host: str, path: str) -> None:
    """Only the REST API and Lookup hosts (``api.twilio.com``, ``lookups.twilio.com`` and
    their edge/region forms) are simulated; the refusal names the URL as requested."""
    name = host.rsplit(":", 1)[0].lower() if not host.endswith("]") else host.lower()
    if name.endswith("twilio.com") and not name.startswith("api.") and not is_lookups_host(name):
        raise TwilioApiError(
            501,
            20500,
            f"{scheme}://{host}{path} belongs to a Twilio API that twimlsim does not simulate; "
            "twimlsim answers only api.twilio.com and lookups.twilio.com (and their edge and "
            "region hosts)" + STUB_HINT,
        )


def basic_credentials(header: str) -> tuple[str | None, str | None]:
    """The username and password of a Basic ``Authorization`` header, or two Nones for
    any other (another scheme, not base64, not UTF-8)."""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None, None
    username, _, password = decoded.partition(":")
    return username, password


def form_authorization(headers: Mapping[str, str]) -> str | None:
    """The ``Authorization`` header (``""`` when absent) of a request ``_create`` answers:
    a form body (``Content-Type`` exactly the form type) and headers werkzeug would take as
    they are (no newline in a value); None for any other request."""
    form: bool | None = None
    authorization: str | None = None
    for name, value in headers.items():
        if "\n" in value or "\r" in value:
            return None
        lowered = name.lower()
        if lowered == "content-type":
            if form is not None:  # named twice in two cases: as werkzeug combines them
                return None
            form = value.strip().lower() == FORM_TYPE
        elif lowered == "authorization":
            if authorization is not None:
                return None
            authorization = value
    return (authorization or "") if form else None
