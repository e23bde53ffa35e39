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
    # one request asks for an API twimlsim does not simulate (its 501 allowed)
    unsimulated = [20500]
    with (
        Simulator(seed=4, freeze_time=False, allow_codes=unsimulated) as direct,
        Simulator(seed=4, allow_codes=unsimulated) as wsgi,
    ):
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
    # one request asks for an API twimlsim does not simulate (its 501 allowed)
    unsimulated = [20500]
    with (
        Simulator(seed=4, freeze_time=False, allow_codes=unsimulated) as direct,
        Simulator(seed=4, allow_codes=unsimulated) as wsgi,
    ):
        direct.number(CALLER)
        wsgi.number(CALLER)
        method, url, headers, body = requests_for(direct)[0]
        oversized = body + b"&Twiml=" + b"x" * 64
        for sent in (body, oversized):
            ours = RequestGuard(direct.rest, max_body=100).answer(method, url, headers, sent)
            theirs = call_wsgi(RequestGuard(wsgi.rest, max_body=100), method, url, headers, sent)
            assert ours == theirs
        assert [ours[0], json.loads(ours[2])["code"]] == [413, 20413]


def _basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}", "Content-Type": FORM}


def creates_for(sim: Simulator) -> list[tuple[str, dict[str, str], bytes]]:
    """Call creates of every outcome: placed, refused by each check, test credentials."""
    main = sim.account_sid
    sub = sim.subaccount("branch").sid
    key = sim.api_key("ci")
    good = b"To=%2B15558675310&From=%2B15005550006&Url=https%3A%2F%2Fapp.test%2Fv"
    return [
        (main, _basic(main, sim.auth_token), good),
        (main, _basic(main, sim.auth_token), good + b"&StatusCallbackEvent=initiated&Timeout=7"),
        (main, _basic(main, sim.auth_token), b"From=%2B15005550006&Url=https%3A%2F%2Fa.test"),
        (main, _basic(main, sim.auth_token), good.replace(b"https%3A%2F%2Fapp.test", b"ftp%3A")),
        (main, _basic(main, "wrong"), good),
        (main, {"Content-Type": FORM}, good),
        (main, _basic(main, sim.test_auth_token), good),
        (main, _basic(key.sid, key.secret), good),
        (sub, _basic(main, sim.auth_token), good),
        ("AC" + "9" * 32, _basic(main, sim.auth_token), good),
        (main, _basic(main, sim.auth_token), b"%FF%FE=%00&To=" + b"\xff" * 3),
    ]


def test_a_create_is_answered_and_logged_as_the_wsgi_app_answers_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Simulator(seed=9, freeze_time=False) as direct, Simulator(seed=9) as wsgi:
        direct.number(CALLER)
        wsgi.number(CALLER)
        sessions = (creates_for(direct), creates_for(wsgi))
        statuses = []
        for (account, headers, body), (_, wsgi_headers, _) in zip(*sessions, strict=True):
            url = f"https://api.twilio.com/2010-04-01/Accounts/{account}/Calls.json"
            with monkeypatch.context() as patched:  # the direct way builds no werkzeug request
                patched.setattr("twimlsim.rest.app.Request", None)
                ours = direct.rest.answer("POST", url, headers, body)
            theirs = call_wsgi(wsgi.rest, "POST", url, wsgi_headers, body)
            assert ours == theirs, (url, headers, body)
            statuses.append((ours[0], json.loads(ours[2]).get("code")))
        assert statuses == [
            (201, None),
            (201, None),
            (400, 21201),
            (400, 21205),
            (401, 20003),
            (401, 20003),
            (201, None),
            (201, None),
            (400, 21210),
            (404, 20404),
            (400, 21205),
        ]
        assert [vars_of(entry) for entry in direct.api_requests] == [
            vars_of(entry) for entry in wsgi.api_requests
        ]
        assert [len(call.api_requests) for call in direct.calls.values()] == [1, 1, 1]


def vars_of(entry: Any) -> tuple[Any, ...]:
    return (
        entry.method,
        entry.url,
        entry.kind,
        entry.call_sid,
        entry.at,
        entry.status,
        entry.body,
        entry.pairs,
    )


def test_a_failure_of_the_direct_create_is_twilios_20500_and_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Simulator(freeze_time=False) as sim:
        sim.number(CALLER)

        def broken(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("no room")

        monkeypatch.setattr(sim.engine, "create_call", broken)
        url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
        body = b"To=%2B15558675310&From=%2B15005550006&Url=https%3A%2F%2Fapp.test%2Fv"
        status, headers, content = sim.rest.answer(
            "POST", url, _basic(sim.account_sid, sim.auth_token), body
        )
        path = f"/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
        assert (status, headers, json.loads(content)) == (
            500,
            [("Content-Type", "application/json"), ("Content-Length", str(len(content)))],
            {
                "code": 20500,
                "message": f"Internal Server Error: twimlsim failed on POST {path} "
                "(RuntimeError: no room); please report this bug",
                "more_info": "https://www.twilio.com/docs/errors/20500",
                "status": 500,
            },
        )
        assert [repr(error) for error in sim.rest.internal_errors] == ["RuntimeError('no room')"]
        assert [(entry.kind, entry.status) for entry in sim.api_requests] == [("calls.create", 500)]
        sim.rest.internal_errors.clear()  # seen: the fixture fails a test that leaves any


def test_a_create_naming_a_header_twice_is_answered_as_the_wsgi_app_answers_it() -> None:
    """Two spellings of one header: the create takes the WSGI way, where werkzeug decides."""
    with Simulator(seed=9, freeze_time=False) as direct, Simulator(seed=9) as wsgi:
        direct.number(CALLER)
        wsgi.number(CALLER)
        url = f"https://api.twilio.com/2010-04-01/Accounts/{direct.account_sid}/Calls.json"
        body = b"To=%2B15558675310&From=%2B15005550006&Url=https%3A%2F%2Fapp.test%2Fv"
        auth = _basic(direct.account_sid, direct.auth_token)
        statuses = []
        for headers in (
            {**auth, "authorization": auth["Authorization"]},  # joined: no longer Basic
            {**auth, "content-type": FORM},  # the first is the one werkzeug keeps
        ):
            ours = direct.rest.answer("POST", url, headers, body)
            theirs = call_wsgi(wsgi.rest, "POST", url, headers, body)
            assert ours == theirs
            statuses.append((ours[0], json.loads(ours[2]).get("code")))
        assert statuses == [(401, 20003), (201, None)]
