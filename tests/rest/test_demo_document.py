"""The quickstart's ``http://demo.twilio.com/docs/voice.xml``, built in for calls, is what
an app fetching it itself gets too (a script that checks its call's URL answers before
placing the call, as a call-recording sample does with its TwiML URL): it was twimlsim's
501 "belongs to a Twilio API that twimlsim does not simulate", which failed a strict test,
and the 501 named the URL with ``https://`` whatever scheme the app had used."""

from __future__ import annotations

import urllib.request

import pytest
import requests

from twimlsim import Simulator
from twimlsim.engine.hosted import DEMO_VOICE_XML, DEMO_WELCOME_XML
from twimlsim.rest.app import STUB_HINT

VOICE_XML = "http://demo.twilio.com/docs/voice.xml"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_app_fetching_the_quickstart_document_gets_it(sim: Simulator, method: str) -> None:
    answer = requests.request(method, VOICE_XML, timeout=5)
    assert (answer.status_code, answer.headers["Content-Type"], answer.text) == (
        200,
        "text/xml",
        DEMO_VOICE_XML,
    )
    assert [(logged.method, logged.url, logged.status) for logged in sim.api_requests] == [
        (method, VOICE_XML, 200)
    ]


def test_a_new_numbers_welcome_document_is_served_too(sim: Simulator) -> None:
    answer = requests.get("https://demo.twilio.com/welcome/voice/", timeout=5)
    assert (answer.status_code, answer.text) == (200, DEMO_WELCOME_XML)


def test_the_clip_it_plays_is_served_as_audio(sim: Simulator) -> None:
    with urllib.request.urlopen("https://demo.twilio.com/docs/classic.mp3") as clip:
        assert (clip.status, clip.headers["Content-Type"]) == (200, "audio/mpeg")
        assert clip.read(4) == bytes([0xFF, 0xFB, 0x18, 0xC0])


@pytest.mark.usefixtures("asks_unsimulated")
def test_another_demo_path_is_refused_naming_the_url_as_requested(sim: Simulator) -> None:
    url = "http://demo.twilio.com/docs/other.xml"
    refused = requests.get(url, timeout=5)
    assert refused.status_code == 501
    assert refused.json()["message"] == (
        f"{url} belongs to a Twilio API that twimlsim does not simulate; twimlsim answers only "
        "api.twilio.com and lookups.twilio.com (and their edge and region hosts)" + STUB_HINT
    )
