"""The in-process way into the fake API (``RestApi.answer``, what the twilio client reaches
through ``responses``) answers exactly what the WSGI app answers: status, headers, body."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from twimlsim import Simulator
from twimlsim.rest.app import RestApi
from twimlsim.rest.guard import RequestGuard
from twimlsim.transports.wsgi import call_wsgi

CALLER = "+15005550006"
CALLEE = "+15558675310"
FORM = "application/x-www-form-urlencoded"


def requests_for(sim: Simulator) -> list[tuple[str, str, dict[str, str], bytes]]:
    """A session of requests of every kind of answer: JSON bodies, errors, 204, binary."""
    api = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}"
    token = base64.b64encode(f"{sim.account_sid}:{sim.auth_token}".encode()).decode()
    auth = {"Authorization": f"Basic {token}", "Accept": "application/json"}
    form = {**auth, "Content-Type": FORM}
    create = f"To={CALLEE.replace('+', '%2B')}&From={CALLER.replace('+', '%2B')}"
    sid = "CA" + "0" * 32  # replaced by the created call's SID below
    return [
        ("POST", f"{api}/Calls.json", form, f"{create}&Url=https%3A%2F%2Fapp.test%2Fv".encode()),
        ("POST", f"{api}/Calls.json", form, b"From=%2B15005550006&Url=https%3A%2F%2Fa.test"),
        ("GET", f"{api}/Calls/{sid}.json", auth, b""),
        ("GET", f"{api}/Calls.json?To=%2B15558675310&PageSize=1", auth, b""),
        ("POST", f"{api}/Calls/{sid}.json", form, b"Status=canceled"),
        ("DELETE", f"{api}/Calls/{sid}.json", auth, b""),
        ("PUT", f"{api}/Calls.json", form, b""),
        ("GET", f"{api}/Nothing.json", auth, b""),
        ("GET", f"{api}/Calls.json", {"Authorization": "Basic bm90Om1l"}, b""),
        ("GET", f"{api}/Recordings/RE{'0' * 32}.wav", auth, b""),
        ("GET", "https://video.twilio.com/v1/Rooms", auth, b""),
        ("POST", f"{api}/Calls.json", {**auth, "Content-Type": "text/plain"}, b"To=x"),
    ]


def test_answer_is_what_the_wsgi_app_answers() -> None:
    with Simulator(seed=4, freeze_time=False) as direct, Simulator(seed=4) as wsgi:
        direct.number(CALLER)
        wsgi.number(CALLER)
        answers = []
        created = None
        for method, url, headers, body in requests_for(direct):
            if created is not None:
                url = url.replace("CA" + "0" * 32, created)
            ours = direct.rest.answer(method, url, headers, body)
            theirs = call_wsgi(wsgi.rest, method, url, headers, body)
            assert ours == theirs, (method, url)
            answers.append((method, ours[0]))
            if created is None:
                created = ours[2].split(b'"sid": "', 1)[1][:34].decode()
    assert answers == [
        ("POST", 201),
        ("POST", 400),
        ("GET", 200),
        ("GET", 200),
        ("POST", 200),
        ("DELETE", 204),
        ("PUT", 405),
        ("GET", 404),
        ("GET", 401),
        ("GET", 404),
        ("GET", 501),
        ("POST", 400),
    ]


def test_the_twilio_client_reaches_the_api_without_the_wsgi_layer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    through_wsgi: list[str] = []
    original = RestApi.__call__

    def counted(self: RestApi, environ: Any, start_response: Any) -> Any:
        through_wsgi.append(environ["PATH_INFO"])
        return original(self, environ, start_response)

    monkeypatch.setattr(RestApi, "__call__", counted)
    with Simulator(freeze_time=False) as sim:
        sim.number(CALLER)
        call = sim.client().calls.create(to=CALLEE, from_=CALLER, url="https://app.test/v")
        assert call.status == "queued"
    assert through_wsgi == []


def test_the_guarded_answer_is_the_guarded_wsgi_answer() -> None:
    with Simulator(seed=4, freeze_time=False) as direct, Simulator(seed=4) as wsgi:
        direct.number(CALLER)
        wsgi.number(CALLER)
        method, url, headers, body = requests_for(direct)[0]
        oversized = body + b"&Twiml=" + b"x" * 64
        for sent in (body, oversized):
            ours = RequestGuard(direct.rest, max_body=100).answer(method, url, headers, sent)
            theirs = call_wsgi(RequestGuard(wsgi.rest, max_body=100), method, url, headers, sent)
            assert ours == theirs
        assert [ours[0], json.loads(ours[2])["code"]] == [413, 20413]
