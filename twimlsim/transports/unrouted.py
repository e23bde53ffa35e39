"""What to say when a webhook URL reaches no routed app (Twilio's 11205 in process).

The commonest cause in a test suite is a URL the app built from a test client's request:
Flask's ``url_for(..., _external=True)`` and Django's ``request.build_absolute_uri()`` take
the host of the request being answered, which is ``localhost`` for Flask's and werkzeug's
test clients and ``testserver`` for Django's. The message names that cause and both ways
out when the host is one of those. The host of one test client only (Falcon's
``falconframework.org``, Litestar's ``testserver.local``, the ``http://test`` of FastAPI's
async tests) names that client and how to send its request to the routed host.

A recording's media URL on ``api.twilio.com`` (a waitUrl that plays a recorded greeting) is
named as such: twimlsim plays media only in a ``<Play>``. A URL Twilio serves itself from
content kept in the account's Console (a TwiML Bin at
``handler.twilio.com/twiml/EH...``, a Studio Flow's ``webhooks.twilio.com/.../Flows/FW...``,
a Twilio Functions service at ``*.twil.io``) is not the test's app, and twimlsim cannot read
the Console: the message names what the URL is and how to stand it in (a TwiML Bin by a
routed app answering the bin's TwiML, its ``{{From}}``-style templates filled from the
request's parameters, as Twilio's TwiML Bins document; Functions run by twilio-run and
reached with ``--tunnel``; a Studio Flow is not simulated).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from twimlsim.arguments import LOCALHOST
from twimlsim.defaults import FIXTURE_BASE_URL
from twimlsim.twiml.url_mistakes import doubled_scheme

__all__ = [
    "TEST_CLIENT_HOSTS",
    "console_hosted",
    "not_http",
    "unrouted_message",
    "unusable",
]

#: Hosts a test client puts in the URLs an app builds while answering it.
TEST_CLIENT_HOSTS = frozenset({"localhost", "127.0.0.1", "testserver"})

#: Hosts of one test client only: the client, what builds a URL from its requests' host,
#: and how to send its requests elsewhere (``{netloc}``, ``{scheme}``, ``{base}``: the
#: routed base URL's). The generic "call sim.route(...)" had a test route a host that no
#: deployment has.
_ONE_CLIENTS_HOST = {
    "falconframework.org": (
        "Falcon's testing client (falcon.testing.TestClient, simulate_request)",
        "req.prefix, req.uri",
        "client.simulate_post(..., host={netloc!r}, protocol={scheme!r})",
    ),
    "testserver.local": (
        "Litestar's TestClient and AsyncTestClient",
        "request.url_for(...), request.base_url",
        "TestClient(app, base_url={base!r})",
    ),
    "test": (
        "an httpx AsyncClient made with base_url='http://test', as FastAPI's async tests make it",
        "request.url_for(...), request.base_url",
        "AsyncClient(transport=ASGITransport(app=app), base_url={base!r})",
    ),
}


def not_http(url: str) -> str | None:
    """Why Twilio cannot request ``url`` when its scheme is not HTTP's (``mailto:``,
    ``javascript:``, ``ftp://``: 11100, an invalid URL), else None."""
    scheme = url.partition(":")[0].lower()
    if scheme in ("http", "https"):
        return None
    return (
        f"{url} is not an http:// or https:// URL, the only ones Twilio requests; write the "
        "URL of the app's TwiML"
    )


def unusable(url: str) -> str | None:
    """Why no request can be made to ``url`` at all (not http(s), a port that is no port:
    11100, an invalid URL), else None."""
    reason = not_http(url)
    if reason is not None:
        return reason
    try:
        urlsplit(url).port  # noqa: B018 - parses the port
    except ValueError as exc:
        return f"{url} is not a usable URL ({exc}): Twilio cannot request it; fix the URL"
    return None


def unrouted_message(url: str, bases: Sequence[str]) -> str:
    """Why ``url`` reached no app, given the routed base URLs, and what to do."""
    routed = ", ".join(bases) or "none"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parses the port, which may be unusable too
    except ValueError as exc:
        return f"{url} is not a usable URL ({exc}): Twilio cannot request it; fix the URL"
    base = f"{parts.scheme}://{parts.netloc}"
    message = f"no app is routed for {url} (routed: {routed})"
    hosted = console_hosted(url, over_http=False)
    if hosted:
        return f"{message}: {hosted}"
    doubled = doubled_scheme(url)
    if doubled is not None:
        return f"{message}: {doubled}"
    one_client = _ONE_CLIENTS_HOST.get(parts.hostname or "")
    if one_client is not None:
        client, built_by, fix = one_client
        routed_to = urlsplit(bases[0] if bases else "https://myapp.test")
        fix = fix.format(
            netloc=routed_to.netloc,
            scheme=routed_to.scheme,
            base=f"{routed_to.scheme}://{routed_to.netloc}",
        )
        return (
            f"{message}. {parts.hostname} is the host of {client}: the app built this URL "
            f"from a test request's host ({built_by}), and Twilio could not reach it; send "
            f"the test client's request to the routed host: {fix}"
        )
    if (parts.hostname or "") not in TEST_CLIENT_HOSTS:
        near = _near_miss(parts.scheme, parts.netloc, bases)
        advice = f", or fix the URL's {near}" if near else ""
        if not near and list(bases) == [FIXTURE_BASE_URL]:
            # the app routed under the fixture's default base URL, its webhook URLs elsewhere
            advice = (
                f"; {FIXTURE_BASE_URL} is where the twimlsim fixture and TwimlsimMixin route "
                f"twimlsim_app unless told otherwise: to route it at {base}, return {base!r} "
                f"from a twimlsim_base_url fixture (in a TwimlsimMixin class: "
                f"twimlsim_base_url = {base!r})"
            )
        return f"{message}; call sim.route({base!r}, app) for it{advice}"
    example = bases[0] if bases else "https://myapp.test"
    routed_host = urlsplit(example)
    secure = ", secure=True" if routed_host.scheme == "https" else ""
    client_fix = (
        f"(Flask: client.post(..., base_url={example!r}), or for every request the app's test "
        f"config SERVER_NAME={routed_host.netloc!r}, PREFERRED_URL_SCHEME="
        f"{routed_host.scheme!r}; Django: client.post(..., HTTP_HOST={routed_host.netloc!r}"
        f"{secure}); Starlette's and FastAPI's TestClient: TestClient(app, base_url="
        f"{example!r}); Quart: client.post(..., scheme={routed_host.scheme!r}, headers={{'Host': "
        f"{routed_host.netloc!r}}}); WebTest, as Pyramid's and Bottle's tests use it: TestApp(app, "
        f"extra_environ={{'HTTP_HOST': {routed_host.netloc!r}, 'wsgi.url_scheme': "
        f"{routed_host.scheme!r}}}))"
    )
    built = (
        f"{message}. A {parts.hostname} URL is usually one the app built while answering a "
        "test client (Flask's url_for(..., _external=True), Django's "
        "request.build_absolute_uri(), Starlette's request.url_for(...))"
    )
    if parts.hostname == LOCALHOST and parts.port is not None:
        # a test client's host has no port: this is a server's address, a live server's
        return (
            f"{message}. A localhost URL with a port is a server's address: a live server's "
            "(Django's LiveServerTestCase, pytest-django's or pytest-flask's live_server), "
            "the app having built it from the request it answered there "
            "(request.build_absolute_uri(), url_for(..., _external=True)), or a base URL "
            "setting left at it; Twilio refuses it (calls.create answers 21205 'Url is not a "
            "valid URL'), as it cannot reach it. As on Twilio, where requests reach the app "
            "through a tunnel or proxy, have the app build its webhook URLs from a setting of "
            f"its public base URL, and set that to the routed one, {example!r} "
            "(override_settings in a Django test)"
        )
    if parts.hostname == LOCALHOST:
        # Twilio refuses the URL at the create (21205), so routing localhost is no way out
        return (
            f"{built} or one its settings hold (a base URL left at http://localhost:PORT); "
            "Twilio refuses it (calls.create answers 21205 'Url is not a valid URL'), as it "
            "cannot reach it: have the app build its URLs "
            f"on the routed host, {example!r}: send the test client's request there "
            f"{client_fix}, or set the app's base URL to it"
        )
    return (
        f"{built}, and Twilio could not reach it: route it (sim.route({base!r}, app)), or "
        f"send the test client's request to the routed host {client_fix}"
    )


_BIN_PATH = re.compile(r"/twiml/EH[0-9a-f]{32}/?", re.IGNORECASE)
_FLOW_PATH = re.compile(r"/v1/Accounts/[^/]+/Flows/FW[0-9a-f]{32}/?", re.IGNORECASE)


#: A recording's media on Twilio's API host, with or without an extension, at the account's
#: path or under its call.
_RECORDING_MEDIA = re.compile(
    r"/2010-04-01/Accounts/AC\w+(?:/Calls/CA\w+)?/Recordings/RE\w+(?:\.wav|\.mp3)?"
)


def console_hosted(url: str, *, over_http: bool) -> str:
    """What to do about ``url`` when Twilio answers it from content kept in the account's
    Console (a TwiML Bin, a Studio Flow, a Functions service), or "" for any other URL.
    ``over_http``: the advice is for webhooks sent over HTTP (``twimlsim call``,
    ``twimlsim serve``: a ``--tunnel``), not for a test's ``sim.route``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    origin = f"{parts.scheme}://{parts.netloc}"
    # sim.route takes a base URL without a query (a flow's ?FlowEvent=trigger): the route
    # named is the URL's path, which covers the URL whatever its query
    stand_in = (
        f"--tunnel {origin}=http://127.0.0.1:PORT to your app serving it at {parts.path}"
        if over_http
        else f"sim.route({origin + parts.path!r}, app)"
    )
    twiml_instead = (
        "have the app create the call with that TwiML (Twiml=...)"
        if over_http
        else "give the call that TwiML (twiml=...)"
    )
    if host == "handler.twilio.com" and _BIN_PATH.fullmatch(parts.path):
        return (
            "it is a TwiML Bin, whose TwiML Twilio keeps in your Console, out of twimlsim's "
            "reach; stand it in with an app answering the bin's TwiML at the bin's own URL "
            f"({stand_in}), filling any {{{{From}}}}-style template from the request's "
            f"parameters as Twilio does, or {twiml_instead}"
        )
    if host == "webhooks.twilio.com" and _FLOW_PATH.fullmatch(parts.path):
        return (
            "it is a Studio Flow's webhook, and twimlsim does not run Studio Flows; test "
            f"the TwiML the flow's widgets stand for, served by an app at this URL ({stand_in})"
        )
    if host == "api.twilio.com" and _RECORDING_MEDIA.fullmatch(parts.path):
        return (
            "it is a recording's media, which Twilio serves itself and twimlsim plays only "
            "where a TwiML document <Play>s it (for the recording's duration); have the "
            "waitUrl, holdUrl or URL name a document of your app that plays it "
            "(<Play>URL</Play>)"
        )
    if host.endswith(".twil.io"):
        return (
            f"it is a Twilio Functions service; run its functions locally (twilio-run "
            f"start, port 3000) and reach them as through a tunnel: twimlsim call or "
            f"twimlsim serve --tunnel {origin}=http://127.0.0.1:3000"
        )
    return ""


def _near_miss(scheme: str, netloc: str, bases: Sequence[str]) -> str:
    """A route the URL almost matches: the same host with the other scheme (http against
    https), the same host mounted under a path the URL is not under, or a host spelt
    almost the same."""
    for routed in bases:
        other = urlsplit(routed)
        if other.netloc != netloc:
            continue
        if other.scheme != scheme:
            hint = ""
            if other.scheme == "https":
                # a URL built from a test client's request takes its scheme: plain http
                hint = (
                    " (a URL the app built while answering a test client takes the scheme of "
                    "that request, http unless told: Django's client.post(..., secure=True), "
                    f"Flask's client.post(..., base_url={routed!r}), Quart's "
                    "client.post(..., scheme='https'))"
                )
            return (
                f"scheme: {routed} is routed with {other.scheme}://, the URL is {scheme}://, "
                f"and Twilio requests a URL as it is written{hint}"
            )
        return f"path: this host is routed only under {other.path}, and the URL is not under it"
    hosts = {urlsplit(routed).netloc: routed for routed in bases}
    close = difflib.get_close_matches(netloc, list(hosts), n=1, cutoff=0.8)
    if close:
        return f"host: {close[0]} is routed, the URL's host is {netloc}"
    return ""
