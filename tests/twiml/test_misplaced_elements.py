"""A known element written where it may not go is Twilio's 12200, skipped; the message
lists what may go there and, for a noun written straight under ``<Response>`` (a
``<Conference>`` or ``<Stream>`` without its verb, as apps built by hand write them), where
it goes."""

from __future__ import annotations

import pytest

from twimlsim.twiml import parse_twiml

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
