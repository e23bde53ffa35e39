"""``twimlsim call`` against an app running in its own server, over real HTTP: the app
validates X-Twilio-Signature with the token the command prints, or with its own token
given with ``--auth-token``."""

from __future__ import annotations

import pytest
from flask import Flask, Response, request
from twilio.request_validator import RequestValidator

from tests.support import BLANK_VALUES_SIGNED, served_locally
from twimlsim.cli import main

#: The simulated account's credentials (seed 0, as ``twimlsim call`` uses).
ACCOUNT_SID = "ACd45321710a9937d57a6f595c7099cd0b"
AUTH_TOKEN = "e56ddf2d2118610fee19c6e6a96da8ea"
APPS_OWN_TOKEN = "0123456789abcdef0123456789abcdef"


def validating_app(token: str) -> Flask:
    """An app that refuses (403) a webhook whose signature does not validate with ``token``."""
    app = Flask(__name__)

    @app.post("/voice")
    def voice() -> Response | tuple[str, int]:
        signature = request.headers.get("X-Twilio-Signature", "")
        if not RequestValidator(token).validate(request.url, request.form, signature):
            return "invalid signature", 403
        account = request.form["AccountSid"]
        return Response(
            f"<Response><Say>Signed for {account}</Say></Response>",
            200,
            {"Content-Type": "text/xml"},
        )

    return app


def test_the_command_prints_the_token_the_webhooks_are_signed_with(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with served_locally(validating_app(AUTH_TOKEN)) as base:
        status = main(["call", f"{base}/voice", "--no-interactive"])
    captured = capsys.readouterr()
    assert status == 0
    assert captured.err == (
        f"twimlsim call: webhooks are signed with auth token {AUTH_TOKEN} (AccountSid "
        f"{ACCOUNT_SID}); validate X-Twilio-Signature with it, or give the app's own token "
        "with --auth-token\n"
    )
    assert f"  09:00:00  said 'Signed for {ACCOUNT_SID}'" in captured.out.splitlines()


def test_auth_token_signs_with_the_apps_own_token(capsys: pytest.CaptureFixture[str]) -> None:
    with served_locally(validating_app(APPS_OWN_TOKEN)) as base:
        status = main(["call", f"{base}/voice", "--auth-token", APPS_OWN_TOKEN, "--json"])
    captured = capsys.readouterr()
    assert status == 0
    assert captured.err == (
        "twimlsim call: webhooks are signed with the auth token given (--auth-token), "
        f"AccountSid {ACCOUNT_SID}\n"
    )
    assert f'"text": "Signed for {ACCOUNT_SID}"' in captured.out


def test_a_403_from_another_token_says_to_give_the_apps_token(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with served_locally(validating_app(APPS_OWN_TOKEN)) as base:
        status = main(["call", f"{base}/voice", "--no-interactive"])
    out = capsys.readouterr().out
    assert status == 1
    assert out.splitlines()[-1] == (
        f"  call CAee4a56ad3092da64d5ba892549669298: Twilio error 11200 (HTTP retrieval "
        f"failure) at {base}/voice: the app answered HTTP 403 to POST; its body: 'invalid "
        "signature'; hint: a 403 is most often the app's own X-Twilio-Signature check "
        "failing: give twimlsim call the app's auth token with --auth-token and validate the "
        "URL as requested (this one, scheme and all); twimlsim signs every webhook as Twilio "
        f"does{BLANK_VALUES_SIGNED}; twimlsim then played Twilio's application-error message "
        "and hung up, as Twilio does [https://www.twilio.com/docs/errors/11200]"
    )


def test_a_500_over_http_points_at_the_apps_own_log(capsys: pytest.CaptureFixture[str]) -> None:
    app = Flask(__name__)

    @app.post("/voice")
    def voice() -> tuple[str, int]:
        return "boom", 500

    with served_locally(app) as base:
        status = main(["call", f"{base}/voice", "--no-interactive"])
    out = capsys.readouterr().out
    assert status == 1
    assert out.splitlines()[-1] == (
        f"  call CAee4a56ad3092da64d5ba892549669298: Twilio error 11200 (HTTP retrieval "
        f"failure) at {base}/voice: the app answered HTTP 500 to POST; its body: 'boom'; "
        "hint: the app runs in its own process, so twimlsim cannot see its exception: its "
        "server's log (standard error) says what failed; twimlsim then played Twilio's "
        "application-error message and hung up, as Twilio does "
        "[https://www.twilio.com/docs/errors/11200]"
    )


def test_ctrl_c_while_the_app_is_slow_is_one_line_and_exit_status_130(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from twimlsim.transports.http import HTTPTransport

    def interrupted(self: HTTPTransport, request: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(HTTPTransport, "send", interrupted)
    status = main(["call", "http://127.0.0.1:9/voice", "--no-interactive"])
    captured = capsys.readouterr()
    assert (status, captured.out) == (130, "")
    assert captured.err.splitlines()[-1] == (
        "twimlsim call: interrupted (Ctrl-C) before the call ended"
    )


def test_a_get_only_voice_route_is_told_to_use_method_get(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = Flask(__name__)

    @app.get("/voice")
    def voice() -> Response:
        return Response("<Response><Say>Hi</Say></Response>", 200, {"Content-Type": "text/xml"})

    with served_locally(app) as base:
        refused = main(["call", f"{base}/voice", "--no-interactive"])
        refusal = capsys.readouterr().out.splitlines()[-1]
        status = main(["call", f"{base}/voice", "--method", "GET", "--no-interactive"])
    assert (refused, status) == (1, 0)
    assert refusal.endswith(
        "hint: the app does not accept POST at this URL: allow POST on the route, or request "
        "it with GET: twimlsim call --method GET; twimlsim then played Twilio's "
        "application-error message and hung up, as Twilio does "
        "[https://www.twilio.com/docs/errors/11200]"
    )
    assert "  09:00:00  said 'Hi'" in capsys.readouterr().out.splitlines()


def test_a_dialed_partys_leg_and_its_webhooks_are_printed_after_the_call(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = Flask(__name__)

    @app.post("/voice")
    def voice() -> Response:
        return Response(
            '<Response><Dial><Number statusCallback="/leg">+15551230000</Number></Dial></Response>',
            200,
            {"Content-Type": "text/xml"},
        )

    @app.post("/leg")
    def leg() -> tuple[str, int]:
        return "", 204

    phone = 'sim.phone("+15551230000").answers(after=2).hangs_up(after=30)'
    with served_locally(app) as base:
        status = main(["call", f"{base}/voice", "--phone", phone, "--no-interactive"])
    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    child = lines.index(
        "Call CA7ca180936c10258691457cced5593f3e outbound-dial +15005550006 -> +15551230000: "
        "completed, 30s"
    )
    assert lines[0].startswith("Call CAee4a56ad3092da64d5ba892549669298 outbound-api ")
    assert lines[child + 7 :] == [
        "Webhooks (1):",
        f"  09:00:32  status    POST {base}/leg -> 204",
        "      ParentCallSid=CAee4a56ad3092da64d5ba892549669298, Timestamp=Thu, 01 Jan 2026 "
        "09:00:32 +0000, CallbackSource=call-progress-events, SipResponseCode=200, "
        "SequenceNumber=0, CallStatus=completed, Duration=1, CallDuration=30",
    ]
