"""The app's own requests to Twilio made with urllib or urllib3 are answered by the fake API."""

from __future__ import annotations

import base64
import io
import json
import urllib.error
import urllib.request
import wave
from pathlib import Path

import pytest
import urllib3
import urllib3.connectionpool
from flask import Flask, request

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator

PATCHED = (
    (urllib.request.HTTPHandler, "http_open"),
    (urllib.request.HTTPSHandler, "https_open"),
    (urllib3.connectionpool.HTTPConnectionPool, "urlopen"),
)


def _originals() -> list[object]:
    return [cls.__dict__[name] for cls, name in PATCHED]


def _basic(account_sid: str, token: str) -> str:
    return "Basic " + base64.b64encode(f"{account_sid}:{token}".encode()).decode()


def test_a_webhook_downloads_its_recording_with_urlretrieve(tmp_path: Path) -> None:
    # a note-taking app: the Record action fetches RecordingUrl with urllib, as on Twilio
    app = Flask("notes")
    app.post("/voice")(lambda: '<Response><Record action="/done" maxLength="10"/></Response>')

    @app.post("/done")
    def done() -> str:
        path, headers = urllib.request.urlretrieve(
            request.form["RecordingUrl"], tmp_path / "note.wav"
        )
        with wave.open(str(path)) as audio:
            seconds = audio.getnframes() / audio.getframerate()
        return f"<Response><Say>{seconds:g} s of {headers['Content-Type']}</Say></Response>"

    with Simulator() as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sim.phone(CALLEE).records(4, key="#")
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        sim.run()
        assert sim.calls[sid].said == ["4 s of audio/x-wav"]
        download = sim.api_requests[-1]
        assert (download.kind, download.method, download.status) == (
            "recordings.media",
            "GET",
            200,
        )


def test_urllib_calls_the_rest_api_with_basic_auth() -> None:
    with Simulator() as sim:
        sim.number(CALLER_ID)
        url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
        body = f"To={CALLEE}&From={CALLER_ID}&Twiml=%3CResponse%2F%3E".encode()
        sent = urllib.request.Request(
            url, data=body, headers={"Authorization": _basic(sim.account_sid, sim.auth_token)}
        )
        with urllib.request.urlopen(sent, timeout=5) as answer:
            assert (answer.status, answer.msg) == (201, "Created")
            assert answer.headers["Content-Type"] == "application/json"
            created = json.load(answer)
        assert (created["to"], created["from"], created["status"]) == (
            CALLEE,
            CALLER_ID,
            "queued",
        )
        assert [call.sid for call in sim.client().calls.list()] == [created["sid"]]
        wrong = urllib.request.Request(
            url, headers={"Authorization": _basic(sim.account_sid, "not-the-token")}
        )
        with pytest.raises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(wrong, timeout=5)
        assert (raised.value.code, raised.value.reason) == (401, "Unauthorized")
        assert json.load(raised.value) == {
            "code": 20003,
            "message": "Authenticate",
            "more_info": "https://www.twilio.com/docs/errors/20003",
            "status": 401,
        }


def test_urllib3_downloads_media_and_reads_json() -> None:
    with Simulator() as sim:
        done = Flask("done")
        done.post("/")(lambda: "<Response/>")
        sim.route("https://x.test", done)
        sim.number(CALLER_ID)
        sim.phone(CALLEE).records(3, key="#")
        sid = (
            sim.client()
            .calls.create(
                to=CALLEE,
                from_=CALLER_ID,
                twiml='<Response><Record action="https://x.test/"/></Response>',
            )
            .sid
        )
        sim.run()
        (recording,) = sim.calls[sid].recordings
        media = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Recordings/{recording.sid}"
        pool = urllib3.PoolManager()
        answer = pool.request("GET", media)
        assert (answer.status, answer.headers["Content-Type"]) == (200, "audio/x-wav")
        with wave.open(io.BytesIO(answer.data)) as audio:
            assert audio.getnframes() / audio.getframerate() == 3
        streamed = pool.request("GET", media + ".mp3", preload_content=False)
        assert (streamed.headers["Content-Type"], len(streamed.read())) == ("audio/mpeg", 84 * 144)
        auth = urllib3.make_headers(basic_auth=f"{sim.account_sid}:{sim.auth_token}")
        fetched = pool.request("GET", f"{media}.json", headers=auth)
        assert fetched.json()["duration"] == "3"
        assert pool.request("GET", f"{media}.json").status == 401


def test_other_hosts_pass_through_and_every_patch_is_put_back() -> None:
    originals = _originals()
    with Simulator() as sim:
        assert _originals() != originals
        with pytest.raises(urllib.error.URLError) as raised:  # not answered: really tried
            urllib.request.urlopen("http://127.0.0.1:1/voice", timeout=5)
        assert isinstance(raised.value.reason, ConnectionRefusedError)
        assert sim.api_requests == []
    assert _originals() == originals


@pytest.mark.parametrize("inner_first", [True, False])
def test_nested_simulators_answer_in_turn_whichever_stops_first(inner_first: bool) -> None:
    originals = _originals()

    def accounts_of(sim: Simulator) -> int:
        url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}.json"
        headers = {"Authorization": _basic(sim.account_sid, sim.auth_token)}
        sent = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(sent, timeout=5) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as refused:
            return refused.code

    outer = Simulator(seed=1).start()
    inner = Simulator(seed=2).start()
    assert (accounts_of(inner), accounts_of(outer)) == (200, 401)  # the last started answers
    first, second = (inner, outer) if inner_first else (outer, inner)
    first.stop()
    assert accounts_of(second) == 200
    second.stop()
    assert _originals() == originals


def test_a_request_sent_through_a_proxy_is_answered_too() -> None:
    # through a proxy urllib's request.host is the proxy's: the URL's host decides
    proxies = {"https": "http://127.0.0.1:9", "http": "http://127.0.0.1:9"}
    with Simulator() as sim:
        url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}.json"
        headers = {"Authorization": _basic(sim.account_sid, sim.auth_token)}
        opener = urllib.request.build_opener(urllib.request.ProxyHandler(proxies))
        with opener.open(urllib.request.Request(url, headers=headers), timeout=5) as answer:
            assert json.load(answer)["sid"] == sim.account_sid
        proxied = urllib3.ProxyManager("http://127.0.0.1:9")  # sends the URL whole
        fetched = proxied.request("GET", url.replace("https:", "http:"), headers=headers)
        assert fetched.json()["sid"] == sim.account_sid
