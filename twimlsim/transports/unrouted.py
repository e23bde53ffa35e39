"""What to say when a webhook URL reaches no routed app (Twilio's 11205 in process).

The commonest cause in a test suite is a URL the app built from a test client's request:
Flask's ``url_for(..., _external=True)`` and Django's ``request.build_absolute_uri()`` take
the host of the request being answered, which is ``localhost`` for Flask's and werkzeug's
test clients and ``testserver`` for Django's. The message names that cause and both ways
out when the host is one of those.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

__all__ = ["TEST_CLIENT_HOSTS", "unrouted_message"]

#: Hosts a test client puts in the URLs an app builds while answering it.
TEST_CLIENT_HOSTS = frozenset({"localhost", "127.0.0.1", "testserver"})


def unrouted_message(url: str, bases: Sequence[str]) -> str:
    """Why ``url`` reached no app, given the routed base URLs, and what to do."""
    routed = ", ".join(bases) or "none"
    message = (
        f"no app is routed for {url} (routed: {routed}); call sim.route(base_url, wsgi_app) for it"
    )
    parts = urlsplit(url)
    if (parts.hostname or "") not in TEST_CLIENT_HOSTS:
        return message
    base = f"{parts.scheme}://{parts.netloc}"
    example = bases[0] if bases else "https://myapp.test"
    return (
        f"{message}. A {parts.hostname} URL is usually one the app built while answering a "
        "test client (Flask's url_for(..., _external=True), Django's "
        f"request.build_absolute_uri()), and Twilio could not reach it: route it "
        f"(sim.route({base!r}, app)), or send the test client's request to the routed host "
        f"(Flask: client.post(..., base_url={example!r}); Django: "
        f"client.post(..., HTTP_HOST={urlsplit(example).netloc!r}))"
    )
