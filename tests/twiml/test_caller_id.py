"""<Dial callerId>: a value that is a space then digits (a number taken from the app's own
URL, whose unescaped '+' a form decoder read as a space) names the '+' and its escape."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import pytest

from twimlsim import Simulator
from twimlsim.twiml import parse_twiml


def problems(caller_id: str) -> list[tuple[int, str, int | None]]:
    body = f'<Response><Dial callerId="{caller_id}">+15558675310</Dial></Response>'
    parsed = parse_twiml(body.encode(), "text/xml", source_url="https://app.test/voice")
    return [(p.code, p.message, p.line) for p in parsed.problems]


def test_a_plus_read_as_a_space_is_named_with_its_escape() -> None:
    assert problems(" 14155550100") == [
        (
            13214,
            "<Dial> callerId=' 14155550100' is invalid: expected a phone number, client:name "
            "or SIP user (a space then digits is a number whose '+' was written unescaped in "
            "a URL's query string, which a form decoder reads as a space: write it %2B "
            "there, %2B14155550100); ignored",
            1,
        )
    ]


@pytest.mark.parametrize("caller_id", ["+1 415 555 0100", " 123", "Acme Support"])
def test_other_invalid_values_keep_the_plain_message(caller_id: str) -> None:
    assert problems(caller_id) == [
        (
            13214,
            f"<Dial> callerId={caller_id!r} is invalid: expected a phone number, client:name "
            "or SIP user; ignored",
            1,
        )
    ]


@pytest.mark.parametrize("caller_id", ["+14155550100", "client:alice", "alice@example.com"])
def test_valid_values_pass(caller_id: str) -> None:
    assert problems(caller_id) == []


def dial_with_query_caller_id(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Dials with the callerId its URL's query names, decoded as a form decoder does."""
    caller_id = parse_qs(environ["QUERY_STRING"])["callerId"][0]
    start_response("200 OK", [("Content-Type", "text/xml")])
    body = f'<Response><Dial callerId="{caller_id}">+15558675311</Dial></Response>'
    return [body.encode()]


def test_a_number_with_its_plus_unescaped_in_the_voice_url_fails_the_call_so() -> None:
    with Simulator(strict=False) as sim:
        sim.route("https://app.test", dial_with_query_caller_id)
        sim.number("+15005550006")
        sim.phone("+15558675310").hangs_up(after=5)
        sim.phone("+15558675311").hangs_up(after=3)
        sim.client().calls.create(
            to="+15558675310",
            from_="+15005550006",
            url="https://app.test/voice?callerId=+15005550006",
        )
        sim.run()
    assert [(f.code, f.element, f.line) for f in sim.failures] == [(13214, "Dial", 1)]
    assert str(sim.failures[0]).split(" in <Dial> (line 1): ")[1] == (
        "<Dial> callerId=' 15005550006' is invalid: expected a phone number, client:name or "
        "SIP user (a space then digits is a number whose '+' was written unescaped in a "
        "URL's query string, which a form decoder reads as a space: write it %2B there, "
        "%2B15005550006); ignored [https://www.twilio.com/docs/errors/13214]"
    )
