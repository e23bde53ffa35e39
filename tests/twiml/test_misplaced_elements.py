"""A known element written where it may not go is Twilio's 12200, skipped; the message
lists what may go there and, for a noun written straight under ``<Response>`` (a
``<Conference>`` or ``<Stream>`` without its verb, as apps built by hand write them), where
it goes."""

from __future__ import annotations

import pytest

from twimlsim.twiml import parse_twiml
from twimlsim.twiml.nodes import Say

RESPONSE_CHILDREN = (
    "<Say>, <Play>, <Pause>, <Gather>, <Record>, <Dial>, <Hangup>, <Redirect>, <Reject>, "
    "<Enqueue>, <Leave>, <Refer>, <Connect>, <Start>, <Stop>, <Pay>, <Prompt>, <Echo>, <Sms>, "
    "<Queue>"
)


def problems(body: str) -> list[tuple[int, str, str, str | None, int | None]]:
    parsed = parse_twiml(body.encode(), "text/xml", source_url="https://app.test/voice")
    return [(p.code, p.level, p.message, p.element, p.line) for p in parsed.problems]


@pytest.mark.parametrize(
    ("element", "where"),
    [
        (
            '<Conference startConferenceOnEnter="false">room-1</Conference>',
            "<Conference> goes inside <Dial>: <Dial><Conference>...</Conference></Dial>",
        ),
        (
            "<Number>+15558675310</Number>",
            "<Number> goes inside <Dial>: <Dial><Number>...</Number></Dial>",
        ),
        (
            '<Stream url="wss://app.test/media"/>',
            "<Stream> goes inside <Connect>, <Start>, <Stop>: <Connect><Stream>...</Stream>"
            "</Connect>",
        ),
    ],
)
def test_a_noun_under_the_response_is_told_where_it_goes(element: str, where: str) -> None:
    tag = element[1:].split(" ", 1)[0].split(">", 1)[0].rstrip("/")
    body = f"<Response>\n<Say>Please hold.</Say>\n{element}\n</Response>"
    assert problems(body) == [
        (
            12200,
            "warning",
            f"<{tag}> is not allowed inside <Response> (allowed: {RESPONSE_CHILDREN}); Twilio "
            f"skips it; {where}",
            tag,
            3,
        )
    ]


def test_a_verb_inside_another_verb_has_no_place_to_go_named() -> None:
    # Dial's own code for a child it does not take (13215)
    # a verb's place is the document itself: the list of what the verb takes says enough
    body = "<Response><Dial><Say>Connecting</Say><Number>+15558675310</Number></Dial></Response>"
    assert problems(body) == [
        (
            13215,
            "warning",
            "<Say> is not allowed inside <Dial> (allowed: <Number>, <Client>, <Sip>, "
            "<Conference>, <Queue>, <Application>, <Sim>, <WhatsApp>); Twilio skips it",
            "Say",
            1,
        )
    ]


SSML_CHILDREN = "<break>, <emphasis>, <lang>, <p>, <phoneme>, <prosody>, <s>, <say-as>, <sub>, <w>"


def test_an_element_inside_say_is_ignored_and_its_text_said() -> None:
    """The warning says what happens: the tag is ignored, its text still said (it said
    "Twilio skips it" while the words were said)."""
    body = (
        "<Response><Say>Hello <Play>https://app.test/a.mp3</Play> and\n"
        "<emphasis>very <Frob>dear</Frob></emphasis> friend</Say></Response>"
    )
    parsed = parse_twiml(body.encode(), "text/xml", source_url="https://app.test/voice")
    assert [(p.code, p.level, p.message, p.element, p.line) for p in parsed.problems] == [
        (
            12200,
            "warning",
            f"<Play> is not allowed inside <Say> (allowed: {SSML_CHILDREN}); Twilio ignores "
            "the tag and says its text",
            "Play",
            1,
        ),
        (
            12200,
            "warning",
            "<Frob> is not a TwiML voice element; Twilio logs a schema warning and ignores "
            "the tag and says its text",
            "Frob",
            2,
        ),
    ]
    assert parsed.document is not None
    (say,) = parsed.document.children
    assert isinstance(say, Say)
    assert say.spoken_text == "Hello https://app.test/a.mp3 and very dear friend"
