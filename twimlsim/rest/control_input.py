"""Reading the control API's request bodies: JSON objects or form fields, checked field by
field with errors that say what is allowed (``rest/control.py``)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from werkzeug.wrappers import Request

from twimlsim.arguments import shown, to_float
from twimlsim.errors import TwilioApiError

from .params import INVALID_PARAMETER

__all__ = ["Kind", "coerce", "fields", "invalid", "read_body"]

#: A field's type: what JSON gives, and how a form value (always text) is read.
Kind = type[str] | type[float] | type[bool] | type[dict[str, str]]


def read_body(request: Request) -> dict[str, Any]:
    """The control request's fields: its JSON object, or its form; a body that is neither
    is refused with a 400 that says what to send."""
    mimetype = request.mimetype
    if mimetype in _JSON_TYPES:
        raw = request.get_data(as_text=True)
        try:
            body = json.loads(raw) if raw.strip() else {}
        except ValueError as error:
            if "integer string conversion" in str(error):  # Python's 4,300-digit limit
                raise invalid(
                    "the body's JSON has an integer of more than 4,300 digits, which cannot "
                    "be read; send a smaller number"
                ) from None
            raise invalid(f"the body is not valid JSON ({error}); send a JSON object") from None
        except RecursionError:
            raise invalid(
                "the body's JSON nests too deep to read; send a flat JSON object such as "
                '{"number": "+15558675310", "steps": [{"action": "presses", "digits": "1"}]}'
            ) from None
        if not isinstance(body, dict):
            raise invalid(
                f"the body must be a JSON object of the request's fields, got "
                f'{type(body).__name__}; send one such as {{"number": "+15558675310"}}'
            )
        if "\\u" in raw:
            _check_whole_characters(body)
        return body
    if mimetype not in _FORM_TYPES and request.get_data(cache=True):
        raise invalid(
            f"the body was not read: its Content-Type is {mimetype or 'not given'}; send JSON "
            "(Content-Type: application/json) or a form (application/x-www-form-urlencoded)"
        )
    return dict(request.values.items())


#: Content types read as JSON, and as form fields.
_JSON_TYPES = frozenset({"application/json", "text/json"})
_FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def _check_whole_characters(body: dict[str, Any]) -> None:
    """A JSON ``\\ud800`` escape alone is no character: refused here, before the text
    reaches a webhook that could not encode it."""
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as failed:
        lone = failed.object[failed.start]
        raise invalid(
            f"the body's JSON has a lone surrogate escape (\\u{ord(lone):04x}), which is "
            "no character; send whole characters (UTF-8 text, or an escaped pair such as "
            "\\ud83d\\ude00)"
        ) from None


def invalid(message: str) -> TwilioApiError:
    """The 400 a bad control request gets, in Twilio's error shape (code 20422)."""
    return TwilioApiError(400, INVALID_PARAMETER, message)


def coerce(name: str, value: object, kind: Kind) -> object:
    """``value`` as ``kind``; form text is read as a number or boolean where one is due."""
    if kind is float:
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise invalid(f"{name} must be a number, got {value!r}") from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise invalid(f"{name} must be a number, got {shown(value)}")
        number = to_float(value)  # a JSON integer beyond the floats is infinite
        if not math.isfinite(number):
            raise invalid(f"{name} must be a finite number, got {shown(value)}")
        return number
    if kind is bool:
        if isinstance(value, str) and value.lower() in {"true", "false"}:
            return value.lower() == "true"
        if not isinstance(value, bool):
            raise invalid(f"{name} must be true or false, got {value!r}")
        return value
    if kind is dict:
        if isinstance(value, str):  # a form field: forms hold no objects
            raise invalid(
                f"{name} must be a JSON object of text values such as "
                f'{{"CallerName": "Jane"}}; a form field cannot hold one: send the body as '
                f"JSON (Content-Type: application/json); got {shown(value)}"
            )
        if not isinstance(value, dict) or not all(
            isinstance(key, str) and isinstance(item, str) for key, item in value.items()
        ):
            raise invalid(f"{name} must be an object of text values, got {shown(value)}")
        return value
    if not isinstance(value, str):
        raise invalid(f"{name} must be text, got {value!r}")
    if name in _PHONE_NUMBER_FIELDS and value != value.strip():
        raise invalid(
            f"{name} {value!r} starts or ends with a space: a '+' sent form-encoded must be "
            "written %2B (curl --data-urlencode), or send JSON"
        )
    return value


#: Fields that hold a phone number (where a stray space is a form-encoded '+').
_PHONE_NUMBER_FIELDS = frozenset({"number", "from", "to"})


def fields(
    body: Mapping[str, Any],
    where: str,
    kinds: Mapping[str, Kind],
    required: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The fields of ``body`` checked against ``kinds``: unknown and missing ones are errors
    that name what is allowed (``null`` counts as not given)."""
    unknown = sorted(set(body) - set(kinds))
    if unknown:
        allowed = ", ".join(kinds) or "none"
        raise invalid(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {allowed}")
    given = {name: value for name, value in body.items() if value is not None}
    missing = sorted(required - set(given))
    if missing:
        raise invalid(f"{where}: missing required field(s) {', '.join(missing)}")
    return {name: coerce(name, value, kinds[name]) for name, value in given.items()}
