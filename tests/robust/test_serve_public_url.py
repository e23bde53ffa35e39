"""``twimlsim serve --public-url``: a server bound to every interface in a container names
itself in RecordingUrls by the URL other containers reach it by, not ``0.0.0.0``."""

from __future__ import annotations

import argparse
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from werkzeug.serving import make_server

from fixtures.twiml_app import TwimlApp
from tests.support import CALLEE, CALLER_ID
from twimlsim import serve

TIMEOUT = 10


def options(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="twimlsim serve")
    serve.add_arguments(parser)
    return parser.parse_args(["--number", CALLER_ID, "--clock", "manual", *argv])


@pytest.fixture
def app() -> Iterator[tuple[str, TwimlApp]]:
    twiml = TwimlApp({"/voice": "<Response><Pause length='3'/></Response>"})
    server = make_server("127.0.0.1", 0, twiml, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}", twiml
    server.shutdown()
    server.server_close()
    thread.join(timeout=TIMEOUT)


def recorded_call(served: serve.Served, app_url: str, twiml: TwimlApp) -> tuple[str, str]:
    """The RecordingUrl the app was sent and the recording's JSON ``uri`` base."""
    sim = served.sim
    created = requests.post(
        f"{served.url}/2010-04-01/Accounts/{sim.account_sid}/Calls.json",
        data={
            "To": CALLEE,
            "From": CALLER_ID,
            "Url": f"{app_url}/voice",
            "Record": "true",
            "RecordingStatusCallback": f"{app_url}/recorded",
        },
        auth=(sim.account_sid, sim.auth_token),
        timeout=TIMEOUT,
    )
    assert created.status_code == 201, created.text
    requests.post(f"{served.url}/twimlsim/run", timeout=TIMEOUT).raise_for_status()
    [form] = [form for _, path, form in twiml.seen if path == "/recorded"]
    return form["RecordingUrl"], form["RecordingSid"]


def test_recording_urls_name_the_public_url(app: tuple[str, TwimlApp]) -> None:
    served = serve.start(options("--host", "127.0.0.1", "--public-url", "http://twimlsim:8080/"))
    try:
        recording_url, recording_sid = recorded_call(served, *app)
        account = served.sim.account_sid
        assert recording_url == (
            f"http://twimlsim:8080/2010-04-01/Accounts/{account}/Recordings/{recording_sid}"
        )
        fetched = requests.get(
            f"{served.url}/2010-04-01/Accounts/{account}/Recordings/{recording_sid}.json",
            auth=(account, served.sim.auth_token),
            timeout=TIMEOUT,
        ).json()
        assert fetched["media_url"] == recording_url
        # a reset builds a new simulator, which names the public URL too
        requests.post(f"{served.url}/twimlsim/reset", timeout=TIMEOUT).raise_for_status()
        app[1].seen.clear()
        assert recorded_call(served, *app)[0].startswith("http://twimlsim:8080/2010-04-01/")
    finally:
        served.stop()


def test_without_it_recording_urls_name_the_address_bound(app: tuple[str, TwimlApp]) -> None:
    served = serve.start(options())
    try:
        recording_url, recording_sid = recorded_call(served, *app)
        assert recording_url == (
            f"{served.url}/2010-04-01/Accounts/{served.sim.account_sid}/Recordings/{recording_sid}"
        )
    finally:
        served.stop()


def test_a_wildcard_host_with_a_public_url_is_not_told_to_give_one(
    caplog: pytest.LogCaptureFixture,
) -> None:
    served = serve.start(options("--host", "0.0.0.0", "--public-url", "http://twimlsim:8080"))
    served.stop()
    assert [r.getMessage() for r in caplog.records if r.name == "twimlsim.serve"] == [
        f"serving on {served.url}: the control API under /twimlsim/ needs no credentials, so "
        "anyone who can reach this address can drive the simulation"
    ]


@pytest.mark.parametrize(
    ("given", "told"),
    [
        (
            "twimlsim:8080",
            "'twimlsim:8080' is not an absolute http(s) URL with a host; give the server's URL, "
            "such as http://twimlsim:8080 (a Docker Compose service's name and the --port)",
        ),
        (
            "http://twimlsim:8080/api",
            "'http://twimlsim:8080/api' has more than a scheme, host and port: the API's paths "
            "(/2010-04-01/..., /twimlsim/...) are served at the server's root; give the "
            "server's URL alone, such as http://twimlsim:8080 (a Docker Compose service's name "
            "and the --port)",
        ),
        (
            "http://twimlsim:port",
            "'http://twimlsim:port' is not a usable URL (Port could not be cast to integer value "
            "as 'port'); give the server's URL, such as http://twimlsim:8080 (a Docker Compose "
            "service's name and the --port)",
        ),
    ],
)
def test_a_public_url_that_is_not_a_base_is_refused(
    given: str, told: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        options("--public-url", given)
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"twimlsim serve: error: argument --public-url: {told}"
    )


def test_the_banner_names_the_public_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(serve, "wait_for_shutdown", lambda signals: "SIGTERM")
    monkeypatch.setattr(serve, "configure_logging", lambda level: None)  # leave logging be
    serve.run(options("--public-url", "https://twimlsim.example.test"))
    banner: dict[str, Any] = json.loads(capsys.readouterr().out.splitlines()[0])
    assert banner["public_url"] == "https://twimlsim.example.test"
    assert banner["url"].startswith("http://127.0.0.1:")
