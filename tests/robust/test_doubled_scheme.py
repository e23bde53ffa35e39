"""A URL with a second scheme after its own (``https://https://app.test/menu``, what
``f"https://{BASE_URL}/menu"`` makes of a setting that already holds its scheme) names
the host ``https``. In process it was "no app is routed" with the advice to call
``sim.route('https://https', app)``; over HTTP, that the host name does not resolve with a
``--tunnel https://https=...`` to add; as a ``<Stream>`` URL it streamed to nowhere and held
the call for four hours. Each now says the URL holds two schemes and gives it as meant."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.engine.webhooks import WebhookDeliveryError, WebhookRequest
from twimlsim.transports.http import HTTPTransport


def gather_app(action: str) -> Callable[..., Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        document = f'<Response><Gather numDigits="1" action="{action}"/></Response>'
        return [document.encode()]

    return app


def test_an_unrouted_url_with_two_schemes_gives_the_url_as_meant() -> None:
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, gather_app("https://https://app.test/menu?step=2"))
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        sim.phone(CALLEE).presses("1")
        sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    # as an HTTP client sends it, the empty port's colon dropped
    sent = "https://https//app.test/menu?step=2"
    assert [(f.code, f.url, f.message) for f in sim.failures] == [
        (
            11205,
            sent,
            f"no app is routed for {sent} (routed: https://app.test): the URL holds a second "
            "scheme after its own (https:// then https://), so its host is read as 'https': "
            "an app that puts a base URL setting already holding its scheme after one of its "
            'own (f"https://{BASE_URL}/...") writes it so; write the scheme once '
            "(https://app.test/menu?step=2); twimlsim then played Twilio's application-error "
            "message and hung up, as Twilio does",
        )
    ]


def test_over_http_the_url_with_two_schemes_is_named_not_its_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        # the name 'https' resolves nowhere, with no lookup leaving the machine
        if host == "https":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    transport = HTTPTransport()
    webhook = WebhookRequest(
        "POST",
        "http://https//app.test/menu",
        {"A": "b"},
        {},
        "gather",
        "CA1",
        datetime(2026, 1, 1, tzinfo=UTC),
    )
    with pytest.raises(WebhookDeliveryError) as failed:
        transport.send(webhook)
    assert (failed.value.code, failed.value.message) == (
        11210,
        "nothing answered at http://https//app.test/menu: the URL holds a second scheme "
        "after its own (http:// then https://), so its host is read as 'https': an app that "
        "puts a base URL setting already holding its scheme after one of its own "
        '(f"http://{BASE_URL}/...") writes it so; write the scheme once '
        "(http://app.test/menu)",
    )
