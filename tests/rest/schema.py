"""Check every JSON body of the fake API against Twilio's OpenAPI description.

The spec (third-party data) is read from ``../shared/data/twilio_api_v2010.json`` beside
the repository; OpenAPI's ``nullable`` becomes a JSON-Schema type list. Beyond the schema,
a resource must carry exactly the spec's keys (Twilio sends every key), every ``*uri`` is
relative, dates are RFC 2822, and error bodies have Twilio's four keys.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

SPEC_PATH = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "twilio_api_v2010.json"

#: Keys Twilio sends that the spec lacks (reference Part II §9: ``annotation`` is observed).
EXTRA_KEYS = {"api.v2010.account.call": {"annotation"}}
#: Keys that Twilio sends as ``""`` although the spec's pattern forbids it (reference Part II
#: §9: a real fetch of a ringing call has ``"trunk_sid": ""``).
OBSERVED_EMPTY = frozenset({"trunk_sid"})
#: Keys of an IncomingPhoneNumber that Twilio's examples of the resource show as ``""`` when
#: not set, although their format or pattern forbids it (a 2015 list and today's fetch).
NUMBER_EMPTY = frozenset(
    {
        "sms_application_sid",
        "sms_fallback_url",
        "sms_url",
        "status_callback",
        "voice_application_sid",
    }
)
#: Keys the spec's own examples show as ``null`` although their schema is not nullable
#: (reference Part III §III.5.2: a conference's end reason is null until it completes).
NULL_IN_EXAMPLES = frozenset({"reason_conference_ended"})

#: Lists whose answer the spec's examples show with only the list and ``uri``, no paging
#: keys (an AvailablePhoneNumbers search answers one page).
UNPAGED_LISTS = frozenset({"available_phone_numbers"})
_PAGING_KEYS = frozenset(
    {"end", "first_page_uri", "next_page_uri", "page", "page_size", "previous_page_uri", "start"}
)

_RFC2822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d{2}:\d{2}:\d{2} \+0000$"
)
_FORMATS = jsonschema.FormatChecker(formats=())


@_FORMATS.checks("date-time-rfc-2822")
def _rfc2822(value: object) -> bool:
    return not isinstance(value, str) or bool(_RFC2822.match(value))


@_FORMATS.checks("uri")
def _uri(value: object) -> bool:
    return not isinstance(value, str) or value.startswith(("/2010-04-01/", "http://", "https://"))


@_FORMATS.checks("currency")
def _currency(value: object) -> bool:
    return not isinstance(value, str) or bool(re.fullmatch(r"[A-Z]{3}", value))


@_FORMATS.checks("phone-number")
def _phone(value: object) -> bool:
    # E.164, or North American formatting: the spec's own AvailablePhoneNumbers example has
    # a ``friendly_name`` of "(808) 925-1571" in a field of this format; a Message's
    # ``from`` is a channel address too (its reference: "e.g., whatsapp:+15554449999")
    return not isinstance(value, str) or bool(
        re.fullmatch(r"(whatsapp:)?\+\d{7,15}|\(\d{3}\) \d{3}-\d{4}", value)
    )


@_FORMATS.checks("http-method")
def _method(value: object) -> bool:
    return value in {"GET", "POST", None}


def _nullable(node: Any) -> Any:
    if isinstance(node, dict):
        out = {key: _nullable(value) for key, value in node.items()}
        if out.pop("nullable", False) and isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        return out
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    return node


@cache
def _spec() -> tuple[dict[str, Any], list[tuple[re.Pattern[str], dict[str, Any]]]]:
    spec = json.loads(SPEC_PATH.read_text())
    components = _nullable(spec["components"])
    paths = [
        (
            re.compile(
                "^"
                + re.sub(
                    r"\{[^}]+\}", r"[^/]+", re.escape(p).replace(r"\{", "{").replace(r"\}", "}")
                )
                + "$"
            ),
            ops,
        )
        # a path of literal segments wins over one with a placeholder there
        # (``IncomingPhoneNumbers/TollFree.json`` is not ``IncomingPhoneNumbers/{Sid}.json``)
        for p, ops in sorted(spec["paths"].items(), key=lambda item: item[0].count("{"))
    ]
    return components, paths


@cache
def _validator(ref: str) -> jsonschema.Draft7Validator:
    components, _ = _spec()
    root = {"$ref": ref, "components": components}
    return jsonschema.Draft7Validator(root, format_checker=_FORMATS)


def _schema_ref(method: str, path: str, status: int) -> tuple[str, dict[str, Any]] | None:
    components, paths = _spec()
    for pattern, ops in paths:
        if pattern.match(path):
            op = ops.get(method.lower())
            if op is None:
                return None
            response = op["responses"].get(str(status))
            if response is None or "content" not in response:
                return None
            schema = response["content"]["application/json"]["schema"]
            return _ref_of(schema), schema
    return None


def _ref_of(schema: dict[str, Any]) -> str:
    return schema.get("$ref", "")


def _resolve(schema: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    components, _ = _spec()
    ref = schema.get("$ref")
    if ref is None:
        return "", _nullable(schema)
    name = ref.rsplit("/", 1)[-1]
    return name, components["schemas"][name]


def _key_problems(schema: dict[str, Any], body: Any, where: str) -> Iterator[str]:
    name, resolved = _resolve(schema)
    if not isinstance(body, dict) or "properties" not in resolved:
        return
    expected = set(resolved["properties"]) | EXTRA_KEYS.get(name, set())
    if not name and UNPAGED_LISTS & set(body):
        expected -= _PAGING_KEYS
    if set(body) != expected:
        missing, extra = sorted(expected - set(body)), sorted(set(body) - expected)
        yield f"{where}: keys differ from {name or 'the schema'}: missing {missing}, extra {extra}"
    for key, value in body.items():
        if key.endswith("uri") and isinstance(value, str) and not value.startswith("/2010-04-01/"):
            yield f"{where}.{key}: uri {value!r} is not relative to the API host"
        if key == "subresource_uris" and isinstance(value, dict):
            for sub, uri in value.items():
                if not str(uri).startswith("/2010-04-01/"):
                    yield f"{where}.subresource_uris.{sub}: {uri!r} is not relative"
        sub_schema = resolved["properties"].get(key, {})
        if sub_schema.get("type") == "array" and isinstance(value, list):
            for index, item in enumerate(value):
                yield from _key_problems(sub_schema["items"], item, f"{where}.{key}[{index}]")


def problems(method: str, path: str, status: int, body: Any) -> list[str]:
    """Everything wrong with one JSON response body (an empty list when it is right)."""
    where = f"{method} {path} -> {status}"
    if status >= 400:
        shape = {"code": int, "message": str, "more_info": str, "status": int}
        if not isinstance(body, dict) or set(body) != set(shape):
            return [
                f"{where}: error body keys {sorted(body) if isinstance(body, dict) else body!r}"
            ]
        wrong = [key for key, kind in shape.items() if not isinstance(body[key], kind)]
        if wrong or body["status"] != status:
            return [f"{where}: error body types/status wrong: {body}"]
        if body["more_info"] != f"https://www.twilio.com/docs/errors/{body['code']}":
            return [f"{where}: more_info {body['more_info']!r}"]
        return []
    found = _schema_ref(method, path, status)
    if found is None:
        return [f"{where}: no schema in the spec for this response"]
    ref, schema = found
    components, _ = _spec()
    validator = (
        _validator(ref)
        if ref
        else jsonschema.Draft7Validator(
            {**_nullable(schema), "components": components}, format_checker=_FORMATS
        )
    )
    empty_allowed = OBSERVED_EMPTY | (NUMBER_EMPTY if "/IncomingPhoneNumbers" in path else set())
    found_problems = [
        f"{where}: {error.json_path}: {error.message}"
        for error in validator.iter_errors(body)
        if not (error.instance == "" and error.path and error.path[-1] in empty_allowed)
        and not (error.instance is None and error.path and error.path[-1] in NULL_IN_EXAMPLES)
    ]
    found_problems.extend(_key_problems(schema, body, where))
    return found_problems
