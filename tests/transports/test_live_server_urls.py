"""A webhook URL on a live server's address (``http://localhost:PORT``, as Django's
LiveServerTestCase serves the app and ``request.build_absolute_uri()`` then builds it): the
failure says where such a URL comes from and what to change, not a test client's fix."""

from __future__ import annotations

from twimlsim import Simulator

APP_URL = "https://calls.example.com"


def test_a_live_servers_url_is_told_to_build_from_the_public_base_url() -> None:
    with Simulator(strict=False) as sim:
        sim.number("+15005550006")
        sim.route(APP_URL, _unused)
        call = sim.client().calls.create(
            to="+15558675310", from_="+15005550006", url="http://localhost:57525/voice/"
        )
        sim.run()
    (failure,) = sim.failures
    assert (failure.call_sid, failure.code, failure.url) == (
        call.sid,
        11205,
        "http://localhost:57525/voice/",
    )
    assert failure.message == (
        "no app is routed for http://localhost:57525/voice/ (routed: https://calls.example.com)"
        ". A localhost URL with a port is a server's address: a live server's (Django's "
        "LiveServerTestCase, pytest-django's or pytest-flask's live_server), the app having "
        "built it from the request it answered there (request.build_absolute_uri(), "
        "url_for(..., _external=True)), or a base URL setting left at it; Twilio refuses it "
        "(calls.create answers 21205 'Url is not a valid URL'), as it cannot reach it. As on "
        "Twilio, where requests reach the app through a tunnel or proxy, have the app build "
        "its webhook URLs from a setting of its public base URL, and set that to the routed "
        "one, 'https://calls.example.com' (override_settings in a Django test); twimlsim then "
        "played Twilio's application-error message and hung up, as Twilio does"
    )


def _unused(environ: object, start_response: object) -> list[bytes]:
    raise AssertionError("the app is never reached")
