"""A 3xx answer without a ``Location`` is Twilio's 11216 ("HTTP invalid redirect"), saying
it is a redirect with nowhere to go."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from twimlsim import Simulator


@pytest.mark.parametrize("headers", [[("Location", "")], []])
def test_a_redirect_without_a_location_is_named(headers: list[tuple[str, str]]) -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("302 Found", headers)
        return [b""]

    with Simulator(strict=False) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        call = sim.incoming_call(from_="+15555550001", to="+15005550006")
        sim.run()
    assert [str(failure) for failure in sim.failures] == [
        f"call {call.sid}: Twilio error 11216 (HTTP invalid redirect) at "
        "https://app.test/voice: the app answered HTTP 302 to POST without a Location "
        "header, so there is no URL to follow: give the redirect a Location (the URL of the "
        "TwiML) or answer the TwiML itself; twimlsim then played Twilio's "
        "application-error message and hung up, as Twilio does "
        "[https://www.twilio.com/docs/errors/11216]"
    ]
