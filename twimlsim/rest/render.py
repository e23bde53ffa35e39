"""Responses the way Twilio sends them: JSON bodies and Twilio's error shape."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TypeVar
from urllib.parse import quote

from werkzeug.wrappers import Response

from twimlsim.errors import TwilioApiError
from twimlsim.model.call import Call, CallStatus

_Item = TypeVar("_Item")

__all__ = [
    "CHALLENGE",
    "error_response",
    "found",
    "internal_error",
    "json_response",
    "missing_parameter",
    "no_content",
    "not_a_conference_sid",
    "not_found",
]


def json_response(body: object, status: int) -> Response:
    """A JSON response."""
    return Response(json.dumps(body), status=status, content_type="application/json")


def no_content() -> Response:
    """Twilio's answer to a successful delete: 204 with no body."""
    return Response(b"", status=204)


#: The challenge of Twilio's 401s (captured answers carry it): a client that sends its
#: credentials only when asked (urllib's ``HTTPBasicAuthHandler``) needs it to go on.
CHALLENGE = ("WWW-Authenticate", 'Basic realm="Twilio API"')


def error_response(error: TwilioApiError) -> Response:
    """Twilio's error body: ``{"code", "message", "more_info", "status"}``; a 401 carries
    Twilio's Basic challenge."""
    response = json_response(error.to_json(), error.status)
    if error.status == 401:
        response.headers[CHALLENGE[0]] = CHALLENGE[1]
    return response


def not_found(path: str) -> TwilioApiError:
    """Twilio's 404 for a resource that does not exist."""
    return TwilioApiError(404, 20404, f"The requested resource {path} was not found")


def not_a_conference_sid(key: str) -> TwilioApiError:
    """Twilio's 405/20004 "Method not allowed" for a path that names a conference by
    something other than its SID (its friendly name, as conference samples do), followed
    by why and how to find the SID: Twilio's own message says neither."""
    name = quote(key, safe="")
    return TwilioApiError(
        405,
        20004,
        f"Method not allowed: {key!r} is not a conference SID (CF and 32 hex digits); a "
        f"friendly name is taken only by a participant create (POST /Conferences/{name}"
        f"/Participants.json): find the SID with GET /Conferences.json?FriendlyName={name}"
        "&Status=in-progress",
    )


def missing_parameter(name: str, hint: str = "") -> TwilioApiError:
    """Twilio's 400/20001 for a parameter its OpenAPI description marks required and the
    request lacks: "Missing required parameter {name} in the post body", as its APIs answer
    (twilio-go#112, nash-md/twilio-contact-center#18); ``hint`` says what to give."""
    return TwilioApiError(400, 20001, f"Missing required parameter {name} in the post body{hint}")


def found(items: Mapping[str, _Item], key: str, path: str) -> _Item:
    """``items[key]``, or Twilio's 404 for the resource at ``path``."""
    item = items.get(key)
    if item is None:
        raise not_found(path)
    return item


def internal_error(exc: Exception, method: str, path: str) -> TwilioApiError:
    """Twilio's 20500 for a failure of twimlsim itself while answering ``method path``."""
    return TwilioApiError(
        500,
        20500,
        f"Internal Server Error: twimlsim failed on {method} {path} "
        f"({type(exc).__name__}: {exc}); please report this bug",
    )


def in_progress(calls: Mapping[str, Call], sid: str, path: str, done: str, what: str) -> Call:
    """The account's call ``sid`` when it is in progress: Twilio's 404 when there is no
    such call, its 21220 ("Invalid call state") when it is not in progress. ``done`` and
    ``what`` say what needs a live call ("recorded", "the recording")."""
    record = found(calls, sid, path)
    if record.status is not CallStatus.IN_PROGRESS:
        raise TwilioApiError(
            400,
            21220,
            f"Call {record.sid} is {record.status.value}; only an in-progress call can be "
            f"{done}. Start {what} once the call is answered",
        )
    return record
