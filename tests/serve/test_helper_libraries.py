"""The README's lines for each official Twilio helper library: each uses its library's seam
(base URL or HTTP client), and the URLs it rewrites reach ``twimlsim serve``. (Node's run
for real in ``test_node.py``.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from tests.serve.client import ROOT, TIMEOUT, ServeProcess, WebhookApp
from tests.serve.ivr import CALLEE, CALLER_ID

#: For each helper library in the README: the lines of its seam (checked against the
#: library's current source when written), and how it rewrites Twilio's URLs.
HELPER_SEAMS = {
    "ruby": (
        "prefix",
        [
            "class TwimlsimHttpClient < Twilio::HTTP::Client",
            "def request(host, port, method, url, *rest)",
            "super(host, port, method, url.sub('https://api.twilio.com', TWIMLSIM_URL), *rest)",
            "client = Twilio::REST::Client.new(ACCOUNT_SID, AUTH_TOKEN)",
            "client.http_client = TwimlsimHttpClient.new",
        ],
    ),
    "go": (
        "host",
        [
            "r.URL.Scheme, r.URL.Host = t.base.Scheme, t.base.Host",
            "Credentials: client.NewCredentials(ACCOUNT_SID, AUTH_TOKEN),",
            "HTTPClient:  &http.Client{Transport: toTwimlsim{base}},",
            "baseClient.SetAccountSid(ACCOUNT_SID)",
            "twilio.NewRestClientWithParams(twilio.ClientParams{Client: baseClient})",
        ],
    ),
    "java": (
        "prefix",
        [
            "class TwimlsimHttpClient extends NetworkHttpClient {",
            "public Response makeRequest(Request request) {",
            'request.getUrl().replace("https://api.twilio.com", TWIMLSIM_URL));',
            "local.setAuth(request.getUsername(), request.getPassword());",
            "Twilio.setRestClient(new TwilioRestClient.Builder(ACCOUNT_SID, AUTH_TOKEN)",
            ".httpClient(new TwimlsimHttpClient()).build());",
        ],
    ),
    "php": (
        "prefix",
        [
            "final class TwimlsimHttpClient implements \\Twilio\\Http\\Client {",
            "$url = str_replace('https://api.twilio.com', TWIMLSIM_URL, $url);",
            "$client = new \\Twilio\\Rest\\Client(ACCOUNT_SID, AUTH_TOKEN, null, null, "
            "new TwimlsimHttpClient());",
        ],
    ),
    "csharp": (
        "host",
        [
            "class ToTwimlsim : DelegatingHandler",
            "{ Scheme = twimlsim.Scheme, Host = twimlsim.Host, Port = twimlsim.Port }.Uri;",
            "TwilioClient.SetRestClient(new TwilioRestClient(ACCOUNT_SID, AUTH_TOKEN,",
            "httpClient: new SystemNetHttpClient("
            "new System.Net.Http.HttpClient(new ToTwimlsim()))));",
        ],
    ),
}


def readme_blocks() -> dict[str, str]:
    """The first README block of each language (Ruby's and Go's second is a preload)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks: dict[str, str] = {}
    for language, block in re.findall(r"```(\w+)\n(.*?)```", readme, re.DOTALL):
        blocks.setdefault(language, block)
    return blocks


@pytest.mark.parametrize("language", sorted(HELPER_SEAMS))
def test_each_helper_library_snippet_reaches_the_server(
    serve: ServeProcess, app: WebhookApp, language: str
) -> None:
    rewrite, lines = HELPER_SEAMS[language]
    block = readme_blocks()[language]
    assert [line for line in lines if line not in block] == []

    def redirected(twilio_url: str) -> str:
        if rewrite == "prefix":
            return twilio_url.replace("https://api.twilio.com", serve.url)
        base = urlsplit(serve.url)
        return urlunsplit(urlsplit(twilio_url)._replace(scheme=base.scheme, netloc=base.netloc))

    calls = f"https://api.twilio.com/2010-04-01/Accounts/{serve.auth[0]}/Calls.json"
    data = {"To": CALLEE, "From": CALLER_ID, "Url": f"{app.url}/voice"}
    created = requests.post(redirected(calls), data=data, auth=serve.auth, timeout=TIMEOUT)
    assert created.status_code == 201, created.text
    sid = created.json()["sid"]
    listed = requests.get(
        redirected(f"{calls}?To=%2B15558675310&PageSize=5"), auth=serve.auth, timeout=TIMEOUT
    )
    assert [call["sid"] for call in listed.json()["calls"]] == [sid]


def test_the_readmes_python_client_reaches_serve(
    serve: ServeProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_readme import readme_files

    monkeypatch.setenv("TWIMLSIM_URL", serve.url)
    monkeypatch.setenv("ACCOUNT_SID", serve.auth[0])
    monkeypatch.setenv("AUTH_TOKEN", serve.auth[1])
    namespace: dict[str, Any] = {}
    exec(compile(readme_files()["twimlsim_client.py"], "twimlsim_client.py", "exec"), namespace)
    call = namespace["client"].calls.create(
        to=CALLEE, from_=CALLER_ID, twiml="<Response><Say>Hello from Python.</Say></Response>"
    )
    assert call.status == "queued"
    looked_up = namespace["client"].lookups.v2.phone_numbers("(415) 555-0100").fetch()
    assert (looked_up.phone_number, looked_up.valid) == ("+14155550100", True)
    serve.post("run")
    served = serve.get(f"calls/{call.sid}")
    assert (served["status"], served["said"]) == ("completed", ["Hello from Python."])


UNMODIFIED_APP = """
import asyncio, os, sys
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

sid, token = os.environ["APP_ACCOUNT_SID"], os.environ["APP_AUTH_TOKEN"]
said = "<Response><Say>{}</Say></Response>"
to, from_ = sys.argv[1], sys.argv[2]
call = Client(sid, token).calls.create(to=to, from_=from_, twiml=said.format("Sync."))


async def place():
    async with AsyncTwilioHttpClient() as http:
        client = Client(sid, token, http_client=http)
        return await client.calls.create_async(
            to=to, from_=from_, twiml=said.format("Async.")
        )

carrier = Client(sid, token).lookups.v1.phone_numbers("+14155550100").fetch(type=["carrier"])
print(call.sid, asyncio.run(place()).sid, carrier.phone_number)
"""


def _run_with_readme_sitecustomize(
    serve: ServeProcess, tmp_path: Path, app: str, environment: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run ``app`` as a program with the README's ``sitecustomize.py`` preloaded, the
    server's URL and credentials (and ``environment``) in its environment."""
    from tests.test_readme import readme_files

    preload = tmp_path / "twimlsim-preload"
    preload.mkdir()
    (preload / "sitecustomize.py").write_text(readme_files()["sitecustomize.py"])
    (tmp_path / "app.py").write_text(app)
    return subprocess.run(
        [sys.executable, "app.py", CALLEE, CALLER_ID],
        cwd=tmp_path,
        env={
            **os.environ,
            "PYTHONPATH": str(preload),
            "TWIMLSIM_URL": serve.url,
            **environment,
            "APP_ACCOUNT_SID": serve.auth[0],
            "APP_AUTH_TOKEN": serve.auth[1],
        },
        capture_output=True,
        text=True,
        timeout=TIMEOUT * 3,
        check=False,
    )


def test_the_readmes_sitecustomize_sends_an_unmodified_apps_clients_to_serve(
    serve: ServeProcess, tmp_path: Path
) -> None:
    done = _run_with_readme_sitecustomize(serve, tmp_path, UNMODIFIED_APP, {})
    assert done.returncode == 0, done.stderr
    sync_sid, async_sid, looked_up = done.stdout.split()
    assert looked_up == "+14155550100"
    serve.post("run")
    assert [serve.get(f"calls/{sid}")["said"] for sid in (sync_sid, async_sid)] == [
        ["Sync."],
        ["Async."],
    ]


EDGE_APP = """
import asyncio, os, sys
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

sid, token = os.environ["APP_ACCOUNT_SID"], os.environ["APP_AUTH_TOKEN"]
said = "<Response><Say>{}</Say></Response>"
to, from_ = sys.argv[1], sys.argv[2]
sydney = Client(sid, token, edge="sydney")
call = sydney.calls.create(to=to, from_=from_, twiml=said.format("Sydney."))


async def place():
    async with AsyncTwilioHttpClient() as http:
        client = Client(sid, token, http_client=http, edge="dublin", region="us1")
        return await client.calls.create_async(to=to, from_=from_, twiml=said.format("Dublin."))

# TWILIO_EDGE=frankfurt in the environment: every client, Lookup's host too
looked_up = Client(sid, token).lookups.v2.phone_numbers("+14155550100").fetch()
print(sydney.api.base_url, call.sid, asyncio.run(place()).sid, looked_up.phone_number)
"""


def test_the_readmes_sitecustomize_sends_edge_and_region_hosts_to_serve(
    serve: ServeProcess, tmp_path: Path
) -> None:
    """A client made with ``edge=`` (or ``TWILIO_EDGE``) sends its requests to
    ``api.sydney.us1.twilio.com``: the README's lines send them to the server too, not to
    the real host. (The edges of the US1 region: the account's credentials are US1's, and
    Twilio's other regions take only their own.)"""
    edge = {"TWILIO_EDGE": "frankfurt"}
    done = _run_with_readme_sitecustomize(serve, tmp_path, EDGE_APP, edge)
    assert done.returncode == 0, done.stderr
    base_url, sydney_sid, dublin_sid, looked_up = done.stdout.split()
    assert (base_url, looked_up) == ("https://api.twilio.com", "+14155550100")
    serve.post("run")
    assert [serve.get(f"calls/{sid}")["said"] for sid in (sydney_sid, dublin_sid)] == [
        ["Sydney."],
        ["Dublin."],
    ]


def test_the_readmes_python_client_sends_an_edge_clients_requests_to_serve(
    serve: ServeProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_readme import readme_files

    monkeypatch.setenv("TWIMLSIM_URL", serve.url)
    monkeypatch.setenv("ACCOUNT_SID", serve.auth[0])
    monkeypatch.setenv("AUTH_TOKEN", serve.auth[1])
    namespace: dict[str, Any] = {}
    exec(compile(readme_files()["twimlsim_client.py"], "twimlsim_client.py", "exec"), namespace)
    client = namespace["client"]
    client.edge, client.region = "ashburn", "us1"
    call = client.calls.create(
        to=CALLEE, from_=CALLER_ID, twiml="<Response><Say>From Ashburn.</Say></Response>"
    )
    serve.post("run")
    assert serve.get(f"calls/{call.sid}")["said"] == ["From Ashburn."]
