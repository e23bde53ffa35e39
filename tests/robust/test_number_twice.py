"""Calling ``sim.number`` again for a number the account owns updates that number: same SID,
only the settings passed change."""

from __future__ import annotations

import inspect

import pytest

from twimlsim import Simulator
from twimlsim.errors import ConfigurationError


def test_second_call_keeps_the_sid_and_the_voice_url() -> None:
    with Simulator() as sim:
        first = sim.number("+15005550006", voice_url="https://app.test/voice")
        again = sim.number("+15005550006", status_callback="https://app.test/status")
        assert again is first
        assert (again.sid, again.voice_url, again.voice_method, again.status_callback) == (
            first.sid,
            "https://app.test/voice",
            "POST",
            "https://app.test/status",
        )
        assert list(sim.account.numbers) == ["+15005550006"]


def test_second_call_changes_only_what_is_passed() -> None:
    with Simulator() as sim:
        first = sim.number("+15005550006", voice_url="https://app.test/voice", voice_method="GET")
        sim.number("+15005550006", voice_url="https://app.test/other")
        assert (first.voice_url, first.voice_method) == ("https://app.test/other", "GET")
        sim.number("+15005550006", voice_url=None)
        assert first.voice_url is None


def test_a_bad_second_call_changes_nothing() -> None:
    with Simulator() as sim:
        first = sim.number("+15005550006", voice_url="https://app.test/voice")
        with pytest.raises(ConfigurationError) as refused:
            sim.number("+15005550006", voice_url="https://app.test/x", voice_method="PUT")
        assert str(refused.value) == (
            "sim.number('+15005550006'): voice_method must be 'GET' or 'POST' (Twilio's "
            "webhook methods); got 'PUT'"
        )
        assert (first.voice_url, first.voice_method) == ("https://app.test/voice", "POST")


def test_help_shows_a_setting_not_passed_as_kept() -> None:
    defaults = {
        name: repr(parameter.default)
        for name, parameter in inspect.signature(Simulator.number).parameters.items()
        if name.startswith(("voice_", "status_"))
    }
    assert defaults == dict.fromkeys(
        [
            "voice_url",
            "voice_method",
            "voice_fallback_url",
            "voice_fallback_method",
            "status_callback",
            "status_callback_method",
            "voice_application_sid",
            "voice_caller_id_lookup",
        ],
        "<kept>",
    )
