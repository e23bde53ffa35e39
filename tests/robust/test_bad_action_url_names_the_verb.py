"""A verb's ``action`` or ``url`` that no request can be made to (a port out of range) is
Twilio's 11100 naming the element and its line, as other TwiML problems do."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from twimlsim import Simulator

DOCUMENTS = {
    "gather": b"<Response>\n<Gather numDigits='1' action='https://app.test:99999/next'/>\n"
    b"</Response>",
    "redirect": b"<Response>\n<Say>hi</Say>\n<Redirect>https://app.test:99999/next</Redirect>"
    b"\n</Response>",
    "dial number url": b"<Response>\n<Dial>\n<Number url='https://app.test:99999/next'>"
    b"+15555550002</Number>\n</Dial>\n</Response>",
}
WHERE = {"gather": "<Gather> (line 2)", "redirect": "<Redirect> (line 3)"}


@pytest.mark.parametrize("case", ["gather", "redirect"])
def test_the_verb_and_line_are_named(case: str) -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [DOCUMENTS[case]]

    with Simulator(strict=False) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        sim.phone("+15555550001").presses("1")
        call = sim.incoming_call(from_="+15555550001", to="+15005550006")
        sim.run()
    assert [str(failure) for failure in sim.failures] == [
        f"call {call.sid}: Twilio error 11100 (Invalid URL format) at "
        f"https://app.test:99999/next in {WHERE[case]}: https://app.test:99999/next is not a "
        "usable URL (Port out of range 0-65535): Twilio cannot request it; fix the URL; "
        "twimlsim then played Twilio's application-error message and hung up, as Twilio does "
        "[https://www.twilio.com/docs/errors/11100]"
    ]


def test_a_nested_noun_is_named() -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [DOCUMENTS["dial number url"]]

    with Simulator(strict=False) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        sim.incoming_call(from_="+15555550001", to="+15005550006")
        sim.run()
    assert [(f.code, f.url, f.element, f.line) for f in sim.failures] == [
        (11100, "https://app.test:99999/next", "Number", 3)
    ]
