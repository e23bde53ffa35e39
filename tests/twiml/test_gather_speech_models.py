"""``<Gather speechModel>`` and ``language`` as Twilio's ``<Gather>`` and 13331 pages give
them: any Deepgram model (``deepgram_nova-2{-model}``), Deepgram's own language codes under
a Deepgram model, and ``multi`` only under ``deepgram_nova-3``."""

from __future__ import annotations

import pytest

from twimlsim.twiml import parse_twiml


def doc(inner: str) -> bytes:
    """A document whose `inner` markup starts on line 3."""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n{inner}\n</Response>\n'.encode()


@pytest.mark.parametrize(
    "attrs",
    [
        'speechModel="deepgram_nova-2"',
        'speechModel="deepgram_nova-3"',
        'speechModel="deepgram_nova-2-phonecall"',  # the page: "deepgram_nova-2{-model}"
        'speechModel="deepgram_nova-3-medical"',
        'speechModel="googlev2_telephony_short"',
        'speechModel="experimental_utterances"',
        'speechModel="deepgram_nova-3" language="multi"',  # the page's one multi model
        'speechModel="deepgram_nova-3-general" language="multi"',
        'speechModel="deepgram_nova-3-medical" language="multi"',  # Deepgram takes it too
        'speechModel="deepgram_nova-2" language="es"',  # passed through to Deepgram
        'speechModel="phone_call" language="en-GB"',
        'language="cmn-Hans-CN"',
    ],
)
def test_models_and_languages_twilio_documents_are_valid(attrs: str) -> None:
    parsed = parse_twiml(doc(f'<Gather input="speech" speechTimeout="3" {attrs}/>'))
    assert parsed.problems == ()


MULTI = 'a language tag such as en-US: multi is available only with speechModel="deepgram_nova-3"'


@pytest.mark.parametrize(
    ("attrs", "language", "expected"),
    [
        (
            "",
            "en",
            "a language tag with its region, such as en-US or es-MX (not en alone; a "
            "Deepgram speechModel takes Deepgram's codes)",
        ),
        (
            'speechModel="googlev2_long"',
            "es",
            "a language tag with its region, such as en-US or es-MX (not en alone; a "
            "Deepgram speechModel takes Deepgram's codes)",
        ),
        (
            "",
            "multi",
            MULTI,
        ),
        (
            'speechModel="deepgram_nova-2"',
            "multi",
            MULTI,
        ),
        ('speechModel="deepgram_nova-3"', "english!", "a language tag such as en-US or es-MX"),
    ],
)
def test_a_language_the_model_does_not_take_is_13331(
    attrs: str, language: str, expected: str
) -> None:
    parsed = parse_twiml(
        doc(f'<Gather input="speech" speechTimeout="3" {attrs} language="{language}"/>')
    )
    (problem,) = parsed.problems
    assert (problem.code, problem.level, problem.element, problem.attribute, problem.line) == (
        13331,
        "warning",
        "Gather",
        "language",
        3,
    )
    assert problem.message == (
        f"<Gather> language='{language}' is invalid: expected {expected}; using 'en-US'"
    )


@pytest.mark.parametrize("model", ["best", "deepgram", "deepgram_", "Deepgram_nova-2", "google_v2"])
def test_a_model_twilio_does_not_name_is_13334(model: str) -> None:
    parsed = parse_twiml(doc(f'<Gather input="speech" speechTimeout="3" speechModel="{model}"/>'))
    (problem,) = parsed.problems
    assert (problem.code, problem.level, problem.attribute, problem.line) == (
        13334,
        "warning",
        "speechModel",
        3,
    )
    assert problem.message == (
        f"<Gather> speechModel='{model}' is invalid: expected one of default, "
        "numbers_and_commands, phone_call, experimental_conversations, "
        "experimental_utterances, googlev2_long, googlev2_short, googlev2_telephony, "
        "googlev2_telephony_short, or deepgram_ and a Deepgram model (deepgram_nova-3, "
        "deepgram_nova-2-phonecall); ignored"
    )
