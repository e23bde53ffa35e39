"""The app's own aiohttp requests to Twilio's hosts are answered by the fake API in process,
with aiohttp's own ``ClientResponse``; other hosts are reached as before."""

from __future__ import annotations

import asyncio
import base64
import gc
import io
import json
import subprocess
import sys
import wave
import weakref
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
from fastapi import FastAPI, Form
from fastapi.responses import Response
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response as WerkzeugResponse

from tests.support import APP_URL, CALLEE, CALLER_ID, served_locally, twilio_error_body
from twimlsim import Simulator, watch
from twimlsim.errors import ConfigurationError

API = "https://api.twilio.com/2010-04-01/Accounts/{}"
#: aiohttp 3.14 deprecates BasicAuth and the ``auth`` argument (apps still use them).
BASIC_AUTH_DEPRECATED = pytest.mark.filterwarnings("ignore:.*(BasicAuth|auth).*:DeprecationWarning")


def _authorization(login: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{login}:{password}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def _original() -> object:
    return aiohttp.TCPConnector.__dict__["_create_connection"]


async def _exchange(
    method: str, url: str, *, session: dict[str, Any] | None = None, **kwargs: Any
) -> tuple[aiohttp.ClientResponse, bytes]:
    async with (
        aiohttp.ClientSession(**(session or {})) as client,
        client.request(method, url, **kwargs) as response,
    ):
        return response, await response.read()


def exchange(method: str, url: str, **kwargs: Any) -> tuple[aiohttp.ClientResponse, bytes]:
    return asyncio.run(_exchange(method, url, **kwargs))


@BASIC_AUTH_DEPRECATED
def test_a_call_placed_fetched_and_hung_up_with_aiohttp() -> None:
    async def place_fetch_hang_up(sim: Simulator) -> list[Any]:
        base = API.format(sim.account_sid)
        seen: list[Any] = []
        auth = aiohttp.BasicAuth(sim.account_sid, sim.auth_token)
        async with aiohttp.ClientSession(auth=auth) as session:
            form = {"To": CALLEE, "From": CALLER_ID, "Url": f"{APP_URL}/voice"}
            async with session.post(f"{base}/Calls.json", data=form) as created:
                call = await created.json()
                seen += [created.status, created.ok, created.content_type, str(created.url)]
                seen += [call["status"], call["to"], call["from"], call["uri"]]
            async with session.get(f"{base}/Calls/{call['sid']}.json") as fetched:
                seen += [fetched.status, (await fetched.json())["status"]]
            async with session.post(
                f"{base}/Calls/{call['sid']}.json", data={"Status": "completed"}
            ) as hung_up:
                hung_up.raise_for_status()
                seen += [hung_up.status, (await hung_up.json())["status"], call["sid"]]
        return seen

    with Simulator() as sim:
        sim.route(APP_URL, lambda environ, start_response: [])
        sim.number(CALLER_ID)
        seen = asyncio.run(place_fetch_hang_up(sim))
        sid = seen[-1]
        base = API.format(sim.account_sid)
        assert seen == [
            201, True, "application/json", f"{base}/Calls.json",
            "queued", CALLEE, CALLER_ID, f"/2010-04-01/Accounts/{sim.account_sid}/Calls/{sid}.json",
            200, "queued",
            200, "canceled", sid,
        ]  # fmt: skip
        assert [
            (r.method, r.url, r.kind, r.call_sid, r.status, r.params) for r in sim.api_requests
        ] == [
            (
                "POST", f"{base}/Calls.json", "calls.create", sid, 201,
                {"To": CALLEE, "From": CALLER_ID, "Url": f"{APP_URL}/voice"},
            ),
            ("GET", f"{base}/Calls/{sid}.json", "calls.fetch", sid, 200, {}),
            ("POST", f"{base}/Calls/{sid}.json", "calls.update", sid, 200, {"Status": "completed"}),
        ]  # fmt: skip
        assert sim.calls[sid].status == "canceled"


def test_the_response_is_aiohttp_s_own() -> None:
    with Simulator() as sim:
        url = f"{API.format(sim.account_sid)}.json"
        response, body = exchange(
            "GET", url, headers=_authorization(sim.account_sid, sim.auth_token)
        )
    assert type(response) is aiohttp.ClientResponse
    assert (response.status, response.reason, response.version) == (200, "OK", (1, 1))
    assert (response.headers["Content-Type"], response.content_type) == (
        "application/json",
        "application/json",
    )
    assert response.headers["Content-Length"] == str(len(body))
    assert (
        response.request_info.headers["Authorization"]
        == (_authorization(sim.account_sid, sim.auth_token)["Authorization"])
    )
    assert str(response.request_info.url) == url


def test_wrong_credentials_are_a_401_that_raise_for_status_raises() -> None:
    async def refused(sim: Simulator) -> tuple[int, bool, dict[str, Any], int, str]:
        headers = _authorization(sim.account_sid, "not-the-token")
        async with (
            aiohttp.ClientSession(headers=headers) as session,
            session.get(f"{API.format(sim.account_sid)}/Calls.json") as response,
        ):
            error = await response.json()
            with pytest.raises(aiohttp.ClientResponseError) as raised:
                response.raise_for_status()
            return response.status, response.ok, error, raised.value.status, raised.value.message

    with Simulator() as sim:
        answer = asyncio.run(refused(sim))
        assert answer == (
            401,
            False,
            twilio_error_body(401, 20003, "Authenticate"),
            401,
            "Unauthorized",
        )
        (logged,) = sim.api_requests
        assert (logged.kind, logged.status) == ("calls.list", 401)


def test_an_unknown_call_is_a_404_and_a_session_raising_for_status_raises_it() -> None:
    with Simulator() as sim:
        base = API.format(sim.account_sid)
        unknown = f"{base}/Calls/CA{'0' * 32}.json"
        auth = _authorization(sim.account_sid, sim.auth_token)
        response, body = exchange("GET", unknown, headers=auth)
        with pytest.raises(aiohttp.ClientResponseError) as raised:
            exchange("GET", unknown, session={"headers": auth, "raise_for_status": True})
        assert (response.status, response.reason) == (404, "Not Found")
        assert body == (
            b'{"code": 20404, "message": "The requested resource /2010-04-01/Accounts/'
            + sim.account_sid.encode()
            + b"/Calls/CA00000000000000000000000000000000.json was not found"
            + b'", "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}'
        )
        assert (raised.value.status, str(raised.value.request_info.url)) == (404, unknown)
        assert [(r.kind, r.call_sid, r.status) for r in sim.api_requests] == [
            ("calls.fetch", f"CA{'0' * 32}", 404)
        ] * 2


def test_a_json_body_is_answered_as_twilio_answers_a_request_without_a_form() -> None:
    # Twilio reads form bodies: a JSON body's parameters are not seen (as with requests)
    import requests

    with Simulator() as sim:
        sim.number(CALLER_ID)
        url = f"{API.format(sim.account_sid)}/Calls.json"
        params = {"To": CALLEE, "From": CALLER_ID, "Url": f"{APP_URL}/voice"}
        auth = _authorization(sim.account_sid, sim.auth_token)
        response, body = exchange("POST", url, json=params, headers=auth)
        with_requests = requests.post(url, json=params, headers=auth, timeout=5)
        assert (response.status, body) == (with_requests.status_code, with_requests.content)
        assert (response.status, response.content_type) == (400, "application/json")
        assert body == (
            b'{"code": 21205, "message": "Url parameter is required. For more information, '
            b'see http://www.twilio.com/docs/api/twiml", '
            b'"more_info": "https://www.twilio.com/docs/errors/21205", "status": 400}'
        )
        assert [(r.kind, r.status, r.raw_params) for r in sim.api_requests] == [
            ("calls.create", 400, b"")
        ] * 2
        assert sim.calls == {}


def test_params_form_data_and_a_text_body_reach_the_fake_api_as_aiohttp_sends_them() -> None:
    with Simulator() as sim:
        sim.number(CALLER_ID)
        base = API.format(sim.account_sid)
        auth = _authorization(sim.account_sid, sim.auth_token)
        form = aiohttp.FormData()
        form.add_field("To", CALLEE)
        form.add_field("From", CALLER_ID)
        form.add_field("Twiml", "<Response><Say>Hi</Say></Response>")
        created, _ = exchange("POST", f"{base}/Calls.json", data=form, headers=auth)
        text = "To=%2B15558675310&From=%2B15005550006&Twiml=%3CResponse%2F%3E"
        typed = {**auth, "Content-Type": "application/x-www-form-urlencoded"}
        second, _ = exchange("POST", f"{base}/Calls.json", data=text, headers=typed)
        listed, body = exchange("GET", f"{base}/Calls.json", params={"To": CALLEE}, headers=auth)
        assert (created.status, second.status, listed.status) == (201, 201, 200)
        assert [r.raw_params for r in sim.api_requests[:2]] == [
            b"To=%2B15558675310&From=%2B15005550006"
            b"&Twiml=%3CResponse%3E%3CSay%3EHi%3C%2FSay%3E%3C%2FResponse%3E",
            text.encode(),
        ]
        assert sim.api_requests[2].url == f"{base}/Calls.json?To=%2B15558675310"
        assert body.count(b'"sid": "CA') == 2


def test_chunked_bodies_expect_100_head_base_url_and_proxies_work_as_on_twilio() -> None:
    async def send(sim: Simulator) -> list[Any]:
        auth = _authorization(sim.account_sid, sim.auth_token)
        path = f"/2010-04-01/Accounts/{sim.account_sid}"
        form = "To=%2B15558675310&From=%2B15005550006&Twiml=%3CResponse%2F%3E"

        async def streamed() -> Any:
            yield form[:20].encode()
            yield form[20:].encode()

        typed = {"Content-Type": "application/x-www-form-urlencoded"}
        seen: list[Any] = []
        async with aiohttp.ClientSession("https://api.twilio.com", headers=auth) as session:
            async with session.post(f"{path}/Calls.json", data=streamed(), headers=typed) as r:
                seen += [r.status, r.request_info.headers["Transfer-Encoding"]]
            async with session.post(
                f"{path}/Calls.json", data=form, headers=typed, expect100=True
            ) as r:
                seen.append(r.status)
            async with session.head(f"{path}.json") as r:
                seen += [r.status, int(r.headers["Content-Length"]) > 1000, await r.read()]
            async with session.get(f"{path}.json", proxy="http://127.0.0.1:9") as r:
                seen += [r.status, str(r.url)]  # the proxy is never asked
        return seen

    with Simulator() as sim:
        sim.number(CALLER_ID)
        seen = asyncio.run(send(sim))
        account = f"{API.format(sim.account_sid)}.json"
        assert seen == [201, "chunked", 201, 200, True, b"", 200, account]
        form = b"To=%2B15558675310&From=%2B15005550006&Twiml=%3CResponse%2F%3E"
        assert [(r.method, r.kind, r.status, r.raw_params) for r in sim.api_requests] == [
            ("POST", "calls.create", 201, form),
            ("POST", "calls.create", 201, form),
            ("HEAD", "accounts.fetch", 200, b""),
            ("GET", "accounts.fetch", 200, b""),
        ]


def test_a_world_reached_with_aiohttp_is_freed_without_the_collector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the session outlives the simulator, its connection to the fake API in its pool
    monkeypatch.setattr(watch, "ON_START", [])  # the plugin keeps a test's simulators
    with asyncio.Runner() as runner:
        session = runner.run(_open_session())
        gc.collect()
        gc.disable()
        try:
            sim = Simulator().start()
            headers = _authorization(sim.account_sid, sim.auth_token)
            url = f"{API.format(sim.account_sid)}.json"
            status = runner.run(_status(session, url, headers))
            sim.stop()
            pooled = sum(len(conns) for conns in session.connector._conns.values())
            world = [weakref.ref(part) for part in (sim, sim.engine, sim.store, sim.rest)]
            del sim
            assert (status, pooled, [part() for part in world]) == (200, 1, [None] * 4)
        finally:
            gc.enable()
            runner.run(session.close())


async def _open_session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession()


async def _status(session: aiohttp.ClientSession, url: str, headers: dict[str, str]) -> int:
    async with session.get(url, headers=headers) as response:
        await response.read()
        return response.status


@BASIC_AUTH_DEPRECATED
def test_an_async_app_downloads_its_recording_and_hangs_up_with_aiohttp() -> None:
    # a FastAPI webhook: the media at RecordingUrl, then the hang-up as Pipecat's Twilio
    # serializer sends it (BasicAuth on the request, the API's edge host)
    api = FastAPI()
    seen: list[Any] = []

    @api.post("/voice")
    def voice() -> Response:
        record = '<Response><Record action="/done" maxLength="5"/><Pause length="30"/></Response>'
        return Response(record, media_type="text/xml")

    @api.post("/done")
    async def done(
        RecordingUrl: str = Form(...),  # noqa: N803 - Twilio's names
        CallSid: str = Form(...),  # noqa: N803
        AccountSid: str = Form(...),  # noqa: N803
    ) -> Response:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{RecordingUrl}.wav") as media:
                with wave.open(io.BytesIO(await media.read())) as sound:
                    seconds = sound.getnframes() / sound.getframerate()
                seen.append((media.status, media.content_type, seconds))
            endpoint = (
                f"https://api.ashburn.us1.twilio.com/2010-04-01/Accounts/{AccountSid}"
                f"/Calls/{CallSid}.json"
            )
            async with session.post(
                endpoint,
                data={"Status": "completed"},
                auth=aiohttp.BasicAuth(AccountSid, credentials[0]),
            ) as response:
                seen.append((response.status, (await response.json())["status"]))
        return Response("<Response><Say>Thanks.</Say></Response>", media_type="text/xml")

    credentials: list[str] = []
    with Simulator() as sim:
        credentials.append(sim.auth_token)
        sim.route(APP_URL, api)
        sim.number(CALLER_ID)
        sim.phone(CALLEE).records(3, key="#")
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        sim.run()
        call = sim.calls[sid]
        recording = call.recordings[0].sid
        assert seen == [(200, "audio/x-wav", 3.0), (200, "in-progress")]  # ends once answered
        assert (call.status, call.said) == ("completed", [])
        assert [(r.method, r.url, r.kind, r.status) for r in sim.api_requests[1:]] == [
            (
                "GET",
                f"{API.format(sim.account_sid)}/Recordings/{recording}.wav",
                "recordings.media",
                200,
            ),
            (
                "POST",
                f"https://api.ashburn.us1.twilio.com/2010-04-01/Accounts/{sim.account_sid}"
                f"/Calls/{sid}.json",
                "calls.update",
                200,
            ),
        ]


@pytest.fixture
def local_server() -> Iterator[str]:
    @Request.application
    def echo(request: Request) -> WerkzeugResponse:
        return WerkzeugResponse(f"aiohttp reached {request.method} {request.full_path}")

    with served_locally(echo) as url:
        yield url


def test_other_hosts_are_reached_as_before(local_server: str) -> None:
    with Simulator() as sim:
        response, body = exchange("GET", f"{local_server}/ping", params={"a": "1"})
        with pytest.raises(aiohttp.ClientConnectorError):
            exchange("GET", "https://app.test/voice")  # a routed app is not reached by aiohttp
        sim.route(APP_URL, lambda environ, start_response: [])
        assert sim.api_requests == []
    assert (response.status, body) == (200, b"aiohttp reached GET /ping?a=1")


def test_a_test_s_own_mock_of_the_session_answers_first() -> None:
    # aioresponses and vcrpy patch ClientSession._request, above the connector
    async def mocked(session: Any, method: str, url: Any, **kwargs: Any) -> Any:
        raise aiohttp.ClientConnectionError(f"mocked {method} {url}")

    saved = aiohttp.ClientSession.__dict__["_request"]
    aiohttp.ClientSession._request = mocked  # type: ignore[method-assign]
    try:
        with Simulator() as sim, pytest.raises(aiohttp.ClientConnectionError, match="mocked"):
            exchange("GET", f"{API.format(sim.account_sid)}.json")
    finally:
        aiohttp.ClientSession._request = saved  # type: ignore[method-assign]
    assert sim.api_requests == []


def test_a_session_kept_open_reuses_its_connection_then_connects_afresh() -> None:
    async def across_two_simulators() -> list[Any]:
        seen: list[Any] = []
        async with aiohttp.ClientSession() as session:
            for seed in (1, 2):
                with Simulator(seed=seed) as sim:
                    auth = _authorization(sim.account_sid, sim.auth_token)
                    for _ in range(2):
                        async with session.get(
                            f"{API.format(sim.account_sid)}.json", headers=auth
                        ) as r:
                            seen.append(((await r.json())["sid"] == sim.account_sid, r.status))
                    seen.append(len(sim.api_requests))
                    seen.append(session.connector is not None and len(session.connector._conns))
        return seen

    assert asyncio.run(across_two_simulators()) == [(True, 200), (True, 200), 2, 1] * 2


def test_the_innermost_simulator_answers_on_a_connection_an_outer_one_made() -> None:
    async def account(session: aiohttp.ClientSession, sim: Simulator) -> tuple[int, int, int]:
        headers = _authorization(sim.account_sid, sim.auth_token)
        async with session.get(f"{API.format(sim.account_sid)}.json", headers=headers) as r:
            is_its_own = (await r.json())["sid"] == sim.account_sid
        pooled = sum(len(conns) for conns in session.connector._conns.values())
        return r.status, is_its_own, pooled

    async def through_one_session() -> list[Any]:
        async with aiohttp.ClientSession() as session:
            with Simulator(seed=1) as outer:
                seen = [await account(session, outer)]
                with Simulator(seed=2) as inner:
                    seen.append(await account(session, inner))  # on the outer's connection
                seen.append(await account(session, outer))
                return [*seen, len(outer.api_requests), len(inner.api_requests)]

    assert asyncio.run(through_one_session()) == [(200, True, 1)] * 3 + [2, 1]


def test_nested_simulators_answer_in_turn_and_aiohttp_is_put_back() -> None:
    original = _original()
    outer = Simulator(seed=1).start()
    inner = Simulator(seed=2).start()
    response, _ = exchange(
        "GET",
        f"{API.format(inner.account_sid)}.json",
        headers=_authorization(inner.account_sid, inner.auth_token),
    )
    inner.stop()
    outer_response, _ = exchange(
        "GET",
        f"{API.format(outer.account_sid)}.json",
        headers=_authorization(outer.account_sid, outer.auth_token),
    )
    outer.stop()
    assert (response.status, outer_response.status) == (200, 200)
    assert (len(inner.api_requests), len(outer.api_requests)) == (1, 1)
    assert _original() is original


def test_stopped_out_of_order_the_one_still_running_answers_then_aiohttp_is_put_back() -> None:
    original = _original()
    first = Simulator(seed=1).start()
    second = Simulator(seed=2).start()
    try:
        first.stop()
        auth = _authorization(second.account_sid, second.auth_token)
        response, _ = exchange("GET", f"{API.format(second.account_sid)}.json", headers=auth)
    finally:
        first.stop()
        second.stop()
    assert (response.status, len(first.api_requests), len(second.api_requests)) == (200, 0, 1)
    assert _original() is original


def test_aiohttp_imported_after_the_simulator_started_is_patched_then() -> None:
    # nothing imports aiohttp until the app does: the simulator patches it as it loads
    script = """
import asyncio, base64, sys
from twimlsim import Simulator, watch
from twimlsim.errors import ConfigurationError
assert "aiohttp" not in sys.modules
sim = Simulator().start()
import aiohttp
token = base64.b64encode(f"{sim.account_sid}:{sim.auth_token}".encode()).decode()
async def fetch():
    async with aiohttp.ClientSession(headers={"Authorization": f"Basic {token}"}) as s:
        url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}.json"
        async with s.get(url) as r:
            return (await r.json())["sid"] == sim.account_sid
print(asyncio.run(fetch()))
sim.stop()
print(aiohttp.TCPConnector._create_connection.__module__)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stdout.split(), done.stderr) == (
        0,
        ["True", "aiohttp.connector"],
        "",
    )


@pytest.mark.filterwarnings("ignore::ResourceWarning")  # aiohttp's: the session never closed
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_simulator_stops_cleanly_after_the_session_s_loop_closed() -> None:
    # an app that never closed its session: its pooled connection's loop is gone by then
    runner = asyncio.Runner()
    sim = Simulator().start()
    try:
        session = runner.run(_open_session())
        headers = _authorization(sim.account_sid, sim.auth_token)
        status = runner.run(_status(session, f"{API.format(sim.account_sid)}.json", headers))
        runner.close()
    finally:
        sim.stop()
    del session
    gc.collect()
    assert (status, sim.running) == (200, False)


def test_a_failure_of_the_fake_api_fails_the_request_rather_than_hang() -> None:
    def broken(*request: object) -> Any:
        raise RuntimeError("the fake API broke")

    with Simulator() as sim:
        sim._current_api[0] = broken
        with pytest.raises(RuntimeError, match="the fake API broke"):
            exchange("GET", f"{API.format(sim.account_sid)}.json")


#: What a test can do about a Twilio API twimlsim does not simulate, whichever client asked.
STUB_ADVICE = (
    "stub that URL in the test with the mock of the client that sent it "
    "(responses.add(...) for requests and the twilio client, respx for httpx, aioresponses "
    "for aiohttp): a test's own mock of a Twilio URL wins over twimlsim"
)


def test_an_unsimulated_twilio_api_asked_with_aiohttp_is_told_to_stub_it_with_aiohttps_mock() -> (
    None
):
    url = "https://verify.twilio.com/v2/Services"
    with Simulator() as sim:
        response, body = exchange("GET", url, headers=_authorization(sim.account_sid, "x" * 32))
        assert response.status == 501
        assert response.headers["Content-Type"] == "application/json"
        assert json.loads(body) == twilio_error_body(
            501,
            20500,
            f"{url} belongs to a Twilio API that twimlsim does not simulate; twimlsim answers "
            f"only api.twilio.com and lookups.twilio.com (and their edge and region hosts); to "
            f"go on, {STUB_ADVICE}",
        )
        with pytest.raises(ConfigurationError) as raised:
            sim.check()
    assert str(raised.value) == (
        f"the app's request GET {url} got twimlsim's 501: twimlsim does not simulate it, so "
        "the app got an answer Twilio would not give and the test cannot show what it does on "
        f"Twilio (sim.api_requests has the answer); {STUB_ADVICE}, or allow it with "
        "allow_codes=[20500]"
    )
