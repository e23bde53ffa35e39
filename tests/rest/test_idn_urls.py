"""Internationalised host names in webhook URLs: accepted where the REST API takes a URL
when IDNA can encode them, and requested (and signed) at the IDNA-encoded host, as an HTTP
client sends them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.engine.helpers import assert_signed
from tests.rest.test_edges import api, assert_error
from tests.support import CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.errors import ConfigurationError
from twimlsim.transports.base import WebhookDeliveryError, WebhookRequest
from twimlsim.transports.wsgi import WSGITransport

UNICODE_BASE = "https://bücher.example"
WIRE_BASE = "https://xn--bcher-kva.example"
LONG_LABEL = "ü" * 70  # 70 letters: IDNA cannot encode a label over 63 characters


class HostRecorder:
    """A WSGI app that answers TwiML and keeps the ``Host`` and path of each request."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        self.seen.append((environ["HTTP_HOST"], environ["PATH_INFO"]))
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<Response><Say>Hi</Say></Response>"]


def test_an_idn_url_is_accepted_and_requested_at_its_idna_host(sim: Simulator) -> None:
    app = HostRecorder()
    sim.route("https://Bücher.example", app)  # routed as the URL goes on the wire
    response = api(
        sim,
        "POST",
        "/2010-04-01/Accounts/{ac}/Calls.json",
        {
            "To": CALLEE,
            "From": CALLER_ID,
            "Url": f"{UNICODE_BASE}/voice?lang=de",
            "StatusCallback": "https://BÜCHER.example/status",
        },
    )
    assert response.status_code == 201, response.text
    sim.run()
    call = sim.calls[response.json()["sid"]]
    assert [(r.kind, r.url) for r in call.requests] == [
        ("voice", f"{WIRE_BASE}/voice?lang=de"),
        ("status", f"{WIRE_BASE}/status"),
    ]
    assert app.seen == [("xn--bcher-kva.example", "/voice"), ("xn--bcher-kva.example", "/status")]
    assert (call.said, sim.failures) == (["Hi"], [])
    assert_signed(sim)  # signed for the URL the app rebuilds from its request


def test_a_number_keeps_its_idn_voice_url_as_given(sim: Simulator) -> None:
    response = api(
        sim,
        "POST",
        "/2010-04-01/Accounts/{ac}/IncomingPhoneNumbers.json",
        {"PhoneNumber": "+15557770042", "VoiceUrl": f"{UNICODE_BASE}/voice"},
    )
    assert (response.status_code, response.json()["voice_url"]) == (201, f"{UNICODE_BASE}/voice")
    number = sim.number("+15557770043", voice_url=f"{UNICODE_BASE}/voice")
    assert number.voice_url == f"{UNICODE_BASE}/voice"


@pytest.mark.parametrize(
    ("field", "url", "code", "message"),
    [
        (
            "Url",
            f"https://{LONG_LABEL}.example/voice",
            21205,
            f"Url is not a valid URL: https://{LONG_LABEL}.example/voice",
        ),
        (
            "Url",
            "https://bü_cher.example/voice",
            21205,
            "Url is not a valid URL: https://bü_cher.example/voice",
        ),
        (  # an ASCII label over 63 characters: requested, it raised UnicodeError mid-call
            "Url",
            f"https://{'a' * 64}.example/voice",
            21205,
            f"Url is not a valid URL: https://{'a' * 64}.example/voice",
        ),
        (
            "Url",
            "https://app.example:99999/voice",
            21205,
            "Url is not a valid URL: https://app.example:99999/voice",
        ),
        (
            "StatusCallback",
            f"https://{LONG_LABEL}.example/status",
            21609,
            f"The StatusCallback URL https://{LONG_LABEL}.example/status is not a valid URL.",
        ),
    ],
)
def test_an_idn_host_idna_cannot_encode_is_refused(
    sim: Simulator, field: str, url: str, code: int, message: str
) -> None:
    form = {"To": CALLEE, "From": CALLER_ID, "Url": f"{UNICODE_BASE}/voice", field: url}
    response = api(sim, "POST", "/2010-04-01/Accounts/{ac}/Calls.json", form)
    assert_error(response, 400, code, message)
    assert sim.calls == {}


def test_sim_number_refuses_an_idn_host_idna_cannot_encode() -> None:
    with Simulator() as sim, pytest.raises(ConfigurationError) as raised:
        sim.number(CALLER_ID, voice_url=f"https://{LONG_LABEL}.example/voice")
    assert str(raised.value) == (
        f"sim.number('{CALLER_ID}'): voice_url 'https://{LONG_LABEL}.example/voice' is not an "
        "absolute http(s) URL with a host, which Twilio needs to request it; give one such as "
        "'https://app.test/voice'"
    )


@pytest.mark.parametrize("host", ["a" * 64 + ".test", "a..b.test", "\u200d.test"])
def test_sim_route_refuses_a_host_no_request_can_be_sent_to(host: str) -> None:
    with Simulator() as sim, pytest.raises(ValueError) as raised:
        sim.route(f"https://{host}", HostRecorder())
    assert str(raised.value) == (
        f"sim.route({f'https://{host}'!r}, ...): base_url {f'https://{host}'!r} has a host no "
        "request can be sent to (a label empty or longer than 63 characters); give the app's "
        "host, such as 'https://app.test'"
    )


def test_the_wsgi_transport_reports_a_host_idna_refuses_as_11100() -> None:
    """Mounted directly (sim.route refuses such a base), a URL whose host IDNA cannot
    encode is Twilio's 11100; werkzeug's UnicodeError escaped the engine mid-call."""
    base = f"https://{'a' * 64}.test"
    transport = WSGITransport()
    transport.mount(base, HostRecorder())
    request = WebhookRequest(
        "POST", f"{base}/voice", {}, {}, "voice", "CA" + "0" * 32, datetime(2026, 1, 1, tzinfo=UTC)
    )
    with pytest.raises(WebhookDeliveryError) as refused:
        transport.send(request)
    assert (refused.value.code, str(refused.value)) == (
        11100,
        f"{base}/voice is not a usable URL: its host is no DNS name (a label empty or longer "
        "than 63 characters)",
    )
