"""``twimlsim serve`` as a process: the webhook log, SIGTERM and SIGINT, the failure summary
and the exit status (nothing here imports twimlsim)."""

from __future__ import annotations

import signal
import socket

from tests.serve.client import ServeProcess, WebhookApp
from tests.support import BLANK_VALUES_SIGNED

CALLER_ID = "+15005550006"
CALLEE = "+15558675310"
EXIT_1 = (
    "twimlsim serve: exit status 1; give --allow-code CODE for a code the app meets on "
    "purpose (a test of its error handling)"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_sigterm_stops_cleanly_after_logging_each_webhook() -> None:
    app = WebhookApp({"/voice": "<Response><Say>Hi</Say></Response>"})
    serve = ServeProcess("--clock", "manual", "--number", CALLER_ID)
    try:
        assert serve.url.startswith("http://127.0.0.1:")  # loopback unless told otherwise
        sid = serve.create_call(
            To=CALLEE, From=CALLER_ID, Url=f"{app.url}/voice", StatusCallback=f"{app.url}/status"
        )
        serve.post("run")
        status, err = serve.signal(signal.SIGTERM)
    finally:
        serve.kill()
        app.stop()
    assert status == 0
    assert err.splitlines() == [
        f"twimlsim INFO webhook 09:00:00 voice POST {app.url}/voice (call {sid}) -> 200",
        f"twimlsim INFO webhook 09:00:01 status POST {app.url}/status (call {sid}) -> 200",
        "twimlsim INFO SIGTERM received: stopped serving",
        "twimlsim serve: stopped after 1 call; no problems",
    ]


def test_sigint_prints_every_failure_and_exits_1_even_after_a_reset() -> None:
    dead = f"http://127.0.0.1:{free_port()}/voice"
    serve = ServeProcess(
        *("--clock", "manual", "--number", CALLER_ID, "--log-level", "warning"),
        *("--keep-calls", "0", "--keep-seconds", "0"),  # ended calls are forgotten at once
    )
    try:
        first = serve.create_call(To=CALLEE, From=CALLER_ID, Url=dead)
        serve.post("run")
        assert serve.get("failures") == {"failures": [], "unused_steps": []}  # forgotten
        serve.post("reset")  # the failures leave the API, not the summary
        second = serve.create_call(To=CALLEE, From=CALLER_ID, Url=dead)
        serve.post("run")
        status, err = serve.signal(signal.SIGINT)
    finally:
        serve.kill()
    assert first == second  # same seed after a reset
    assert status == 1
    problem = (
        f"call {first}: Twilio error 11205 (HTTP connection failure) at {dead}: nothing "
        f"answered at {dead} (ConnectionError): start the app, or check the URL's host and "
        "port; twimlsim then played Twilio's application-error message and hung up, as "
        "Twilio does [https://www.twilio.com/docs/errors/11205]"
    )
    no_answer = (
        f"twimlsim WARNING webhook 09:00:00 voice POST {dead} (call {first}) -> no answer, "
        f"error 11205: nothing answered at {dead} (ConnectionError): start the app, or check "
        "the URL's host and port"
    )
    assert err.splitlines() == [
        *(no_answer, f"twimlsim WARNING {problem}"),  # each problem logged as it is found
        *(no_answer, f"twimlsim WARNING {problem}"),
        "twimlsim serve: stopped after 2 calls; 2 problems Twilio would log:",
        # the same seed after the reset gave the second call the first one's SID: the two
        # problems are one line with its count
        f"  {problem.replace(f'call {first}:', f'call {first} (2 times):')}",
        EXIT_1,
    ]


def test_a_refused_rest_request_is_logged_listed_at_exit_and_makes_the_exit_status_1() -> None:
    serve = ServeProcess("--clock", "manual", "--log-level", "warning")
    try:
        response = serve.session.post(
            serve.calls_url,
            data={"To": CALLEE, "From": CALLER_ID, "Url": "https://app.test/voice"},
            auth=serve.auth,
            timeout=10,
        )
        assert response.json()["code"] == 21210
        status, err = serve.signal(signal.SIGTERM)
    finally:
        serve.kill()
    assert status == 1  # the app only saw the 400, which it may have swallowed
    refusal = (
        f"REST 09:00:00 calls.create POST /2010-04-01/Accounts/{serve.auth[0]}"
        f"/Calls.json -> 400, Twilio error 21210: The source phone number provided, {CALLER_ID}, "
        "is not yet verified for your account. You may only make calls from phone numbers that "
        "you've verified or purchased from Twilio. (give the account the From number: --number "
        f"{CALLER_ID}, or POST /twimlsim/numbers; a client on the banner's test_auth_token "
        "calls only from Twilio's magic +15005550006)"
    )
    assert err.splitlines() == [
        f"twimlsim WARNING {refusal}",
        "twimlsim serve: stopped after 0 calls; 1 REST request the API refused:",
        f"  {refusal}",
        EXIT_1,
    ]


def test_an_api_key_made_before_a_reset_is_refused_with_a_hint_that_the_reset_forgot_it() -> None:
    # a Voice SDK quickstart server is started once with an API key made through Keys.json;
    # after a reset between tests its calls.create is refused
    serve = ServeProcess("--clock", "manual", "--number", CALLER_ID, "--log-level", "warning")
    try:
        keys_url = f"{serve.url}/2010-04-01/Accounts/{serve.auth[0]}/Keys.json"
        key = serve.session.post(keys_url, auth=serve.auth, timeout=10).json()
        serve.post("reset")
        refused = serve.session.post(
            serve.calls_url,
            data={"To": CALLEE, "From": CALLER_ID, "Url": "https://app.test/voice"},
            auth=(key["sid"], key["secret"]),
            timeout=10,
        )
        assert (refused.status_code, refused.json()["code"]) == (401, 20003)
        status, err = serve.signal(signal.SIGTERM)
    finally:
        serve.kill()
    assert status == 1
    refusal = (
        f"REST 09:00:00 calls.create POST /2010-04-01/Accounts/{serve.auth[0]}/Calls.json -> "
        "401, Twilio error 20003: Authenticate (use the banner's account_sid and auth_token, "
        "or an API key made through Keys.json since the last reset (POST /twimlsim/reset "
        "forgets the account's keys and TwiML Apps: make them again and give them to the app))"
    )
    assert err.splitlines()[0] == f"twimlsim WARNING {refusal}"


def test_allow_code_keeps_a_code_met_on_purpose_listed_but_out_of_the_exit_status() -> None:
    dead = f"http://127.0.0.1:{free_port()}/voice"
    serve = ServeProcess(
        *("--clock", "manual", "--number", CALLER_ID, "--log-level", "error"),
        *("--allow-code", "21211", "--allow-code", "11205"),
    )
    try:
        refused = serve.session.post(
            serve.calls_url,
            data={"To": "+1555", "From": CALLER_ID, "Url": dead},
            auth=serve.auth,
            timeout=10,
        )
        assert refused.json()["code"] == 21211
        sid = serve.create_call(To=CALLEE, From=CALLER_ID, Url=dead)
        serve.post("run")
        status, err = serve.signal(signal.SIGTERM)
    finally:
        serve.kill()
    assert status == 0
    lines = err.splitlines()
    assert lines[0] == (
        "twimlsim serve: stopped after 1 call; 1 problem Twilio would log and 1 REST request "
        "the API refused:"
    )
    assert lines[1].startswith(f"  call {sid}: Twilio error 11205 (HTTP connection failure)")
    assert lines[2].startswith("  REST 09:00:00 calls.create POST ") and "error 21211" in lines[2]
    assert lines[3:] == [
        "twimlsim serve: exit status 0: every code above is allowed (--allow-code 11205 "
        "--allow-code 21211)"
    ]


def test_allow_code_refuses_what_is_not_a_code() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "twimlsim", "serve", "--allow-code", "21x11"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "twimlsim serve: error: argument --allow-code: '21x11' is not a Twilio error code: "
        "give its digits, such as 21211"
    )


def test_the_hints_of_an_app_refusing_webhooks_speak_of_the_server_and_the_apps_log() -> None:
    app = WebhookApp(
        {
            "/voice": lambda params: (403, [], "invalid signature"),
            "/fail": lambda params: (500, [], "boom"),
        }
    )
    serve = ServeProcess("--clock", "manual", "--number", CALLER_ID, "--log-level", "warning")
    try:
        sid = serve.create_call(To=CALLEE, From=CALLER_ID, Url=f"{app.url}/voice")
        serve.post("run")
        failing = serve.create_call(To=CALLEE, From=CALLER_ID, Url=f"{app.url}/fail")
        serve.post("run")
        status, err = serve.signal(signal.SIGTERM)
    finally:
        serve.kill()
        app.stop()
    assert status == 1
    problem = (
        f"call {sid}: Twilio error 11200 (HTTP retrieval failure) at {app.url}/voice: the app "
        "answered HTTP 403 to POST; its body: 'invalid signature'; hint: a 403 is most often "
        "the app's own X-Twilio-Signature check failing: give the app the auth token of "
        "twimlsim serve's banner (auth_token) and validate the URL as requested (this one, "
        f"scheme and all); twimlsim signs every webhook as Twilio does{BLANK_VALUES_SIGNED}; "
        "twimlsim then played Twilio's application-error message and hung up, as Twilio does "
        "[https://www.twilio.com/docs/errors/11200]"
    )
    failed = (
        f"call {failing}: Twilio error 11200 (HTTP retrieval failure) at {app.url}/fail: the "
        "app answered HTTP 500 to POST; its body: 'boom'; hint: the app runs in its own "
        "process, so twimlsim cannot see its exception: its server's log (standard error) "
        "says what failed; twimlsim then played Twilio's application-error message and hung "
        "up, as Twilio does [https://www.twilio.com/docs/errors/11200]"
    )
    assert err.splitlines()[-4:] == [
        "twimlsim serve: stopped after 2 calls; 2 problems Twilio would log:",
        f"  {problem}",
        f"  {failed}",
        EXIT_1,
    ]


def test_a_plus_sent_unencoded_is_said_to_have_become_a_space() -> None:
    serve = ServeProcess("--clock", "manual", "--log-level", "warning")
    try:
        response = serve.session.post(
            serve.calls_url,
            data=f"To=%2B15558675310&From={CALLER_ID}&Url=https://app.test/voice",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            auth=serve.auth,
            timeout=10,
        )
        assert response.json()["code"] == 21210
        status, err = serve.signal(signal.SIGTERM)
    finally:
        serve.kill()
    assert status == 1
    assert err.splitlines()[0] == (
        f"twimlsim WARNING REST 09:00:00 calls.create POST /2010-04-01/Accounts/{serve.auth[0]}"
        "/Calls.json -> 400, Twilio error 21210: The source phone number provided,  "
        "15005550006, is not yet verified for your account. You may only make calls from "
        "phone numbers that you've verified or purchased from Twilio. (From starts with a "
        "space: a '+' sent unencoded in a form body reads as one; send it as %2B, as curl "
        "--data-urlencode and every HTTP client's form encoding do)"
    )


def test_a_scripted_step_no_call_reached_is_listed_at_exit_and_makes_the_exit_status_1() -> None:
    app = WebhookApp({"/voice": "<Response><Say>Hi</Say></Response>"})
    serve = ServeProcess("--clock", "manual", "--number", CALLER_ID, "--log-level", "error")
    try:
        presses = {"number": CALLEE, "steps": [{"action": "presses", "digits": "1"}]}
        serve.post("phones", presses)
        serve.create_call(To=CALLEE, From=CALLER_ID, Url=f"{app.url}/voice")
        serve.post("run")
        serve.post("reset")  # the step is not forgotten with the simulation
        serve.post("phones", {"number": CALLEE, "steps": [{"action": "says", "text": "yes"}]})
        status, err = serve.signal(signal.SIGTERM)
    finally:
        serve.kill()
        app.stop()
    assert status == 1
    assert err.splitlines() == [
        "twimlsim serve: stopped after 1 call; 2 scripted far-end steps no call reached:",
        "  sim.phone('+15558675310').presses('1')",
        "  sim.phone('+15558675310').says('yes', confidence=0.9)",
        "twimlsim serve: exit status 1; a step no call reached means a call went another way "
        "than scripted (POST /twimlsim/phones): check the steps against the app's menus",
    ]


def test_a_wrong_token_is_named_before_a_plus_sent_unencoded() -> None:
    """A 401 is the credentials' doing, whatever else the request got wrong: its advice is
    given, and the '+' that became a space is named beside it."""
    serve = ServeProcess("--clock", "manual", "--number", CALLER_ID, "--log-level", "warning")
    try:
        response = serve.session.post(
            serve.calls_url,
            data="To=+15558675310&From=%2B15005550006&Url=https://app.test/voice",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            auth=(serve.auth[0], "not-the-token"),
            timeout=10,
        )
        assert response.json()["code"] == 20003
        status, err = serve.signal(signal.SIGTERM)
    finally:
        serve.kill()
    assert status == 1
    assert err.splitlines()[0] == (
        f"twimlsim WARNING REST 09:00:00 calls.create POST /2010-04-01/Accounts/{serve.auth[0]}"
        "/Calls.json -> 401, Twilio error 20003: Authenticate (use the banner's account_sid "
        "and auth_token, or an API key made through Keys.json since the last reset (POST "
        "/twimlsim/reset forgets the account's keys and TwiML Apps: make them again and give "
        "them to the app); also, To starts with a space: a '+' sent unencoded in a form body "
        "reads as one; send it as %2B, as curl --data-urlencode and every HTTP client's form "
        "encoding do)"
    )
