"""The ``twimlsim`` command line."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import types
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from twilio.request_validator import RequestValidator

from fixtures.twiml_app import TwimlApp
from tests.support import BLANK_VALUES_SIGNED
from twimlsim import lint
from twimlsim.cli import main


def test_call_prints_transcript_and_webhooks(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        [
            "call",
            "https://app.test/voice",
            "--app",
            "fixtures.flask_app:app",
            "--status-callback",
            "https://app.test/status",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    lines = out.splitlines()
    assert lines[0].endswith("outbound-api +15005550006 -> +15558675310: completed, 7s")
    assert lines[3:9] == [
        "  09:00:00  answered",
        "  09:00:00  said 'Hello from the twimlsim example app.'",
        "  09:00:03  paused 2s",
        "  09:00:05  redirected to POST https://app.test/goodbye",
        "  09:00:05  said 'Thanks for calling. Goodbye!'",
        "  09:00:07  hung up by twiml: completed",
    ]
    assert "Webhooks (6):" in lines
    assert (
        "      Timestamp=Thu, 01 Jan 2026 09:00:07 +0000, CallbackSource=call-progress-events, "
        "SipResponseCode=200, SequenceNumber=3, CallStatus=completed, Duration=1, "
        "CallDuration=7"
    ) in lines


def one_menu_app(environ: dict[str, object], start_response: Any) -> list[bytes]:
    """A menu of one level: one keypress, then goodbye."""
    start_response("200 OK", [("Content-Type", "text/xml")])
    if environ["PATH_INFO"] == "/voice":
        return [
            b'<Response><Gather numDigits="1" action="/bye"><Say>Press 1.</Say></Gather></Response>'
        ]
    return [b"<Response><Say>Goodbye.</Say></Response>"]


def test_far_end_input_the_call_never_took_is_reported_and_exits_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    command = ["call", "https://app.test/voice", "--app", "tests.test_cli:one_menu_app"]
    assert main([*command, "--press", "1"]) == 0
    capsys.readouterr()
    command.extend(["--press", "1"])
    assert main([*command, "--press", "9", "--say", "hello"]) == 1
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "",
        "input given was never reached: --press 9; --say hello; the call did not wait for "
        "them (check the --press, --say and --phone input against the app's menus)",
    ]
    assert main([*command, "--press", "9"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "input given was never reached: --press 9; the call did not wait for it (check the "
        "--press, --say and --phone input against the app's menus)"
    )
    assert main([*command, "--press", "9", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["failures"], report["unused_steps"]) == (
        [],
        ["sim.phone('+15558675310').presses('9')"],
    )


def test_input_after_a_hang_up_that_came_first_says_where_the_hang_up_counts_from(
    capsys: pytest.CaptureFixture[str],
) -> None:
    command = ["call", "https://app.test/voice", "--app", "tests.test_cli:one_menu_app"]
    phone = "sim.phone('+15558675310').hangs_up(after=1).presses('1')"
    assert main([*command, "--phone", phone]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        # given in --phone, it is named as written there, not as a --press never given
        "input given was never reached: sim.phone('+15558675310').presses('1') (+15558675310 "
        "hung up first, by its "
        "hangs_up(after=1), which counts from the answer, not from the step before it: to "
        "hang up once an input is given, write records(..., hangs_up=True), or "
        "hangs_up_at_wait(after=...) in order with the inputs); the call did not wait for it "
        "(check the --press, --say and --phone input against the app's menus)"
    )


def clock_app(environ: dict[str, object], start_response: Any) -> list[bytes]:
    """A voice app that says the time its clock reads."""
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [f"<Response><Say>It is {datetime.now():%Y-%m-%d %H:%M}</Say></Response>".encode()]


def test_an_app_run_in_process_reads_the_calls_virtual_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["call", "https://app.test/voice", "--app", "tests.test_cli:clock_app"]) == 0
    assert "  09:00:00  said 'It is 2026-01-01 09:00'" in capsys.readouterr().out.splitlines()


@pytest.mark.parametrize(
    ("start", "said"),
    [
        ("2026-01-03T20:30", "  20:30:00  said 'It is 2026-01-03 20:30'"),
        ("2026-01-03T20:30-05:00", "  01:30:00  said 'It is 2026-01-04 01:30'"),
        ("2026-01-03 20:30:15Z", "  20:30:15  said 'It is 2026-01-03 20:30'"),
    ],
)
def test_start_sets_when_the_call_is_placed_and_the_apps_clock(
    capsys: pytest.CaptureFixture[str], start: str, said: str
) -> None:
    argv = ["call", "https://app.test/voice", "--app", "tests.test_cli:clock_app"]
    assert main([*argv, "--start", start]) == 0
    assert said in capsys.readouterr().out.splitlines()


def warning_app(environ: dict[str, object], start_response: Any) -> list[bytes]:
    """A voice app whose TwiML only has a warning (a misspelt attribute)."""
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b'<Response><Say lop="2">Hi</Say></Response>']


def test_call_reports_warnings_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["call", "https://app.test/voice", "--app", "tests.test_cli:warning_app"])
    out = capsys.readouterr().out
    assert status == 1
    sid = next(iter(sim_sids(out)))
    assert out.splitlines()[-2:] == [
        "Problems Twilio would log:",
        f"  call {sid}: Twilio warning 12200 (Schema validation warning) at "
        "https://app.test/voice in <Say> (line 1): <Say> has no attribute 'lop' (did you mean "
        "'loop'? names are case-sensitive); Twilio ignores it "
        "[https://www.twilio.com/docs/errors/12200]",
    ]


def test_call_reports_problems_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["call", "https://app.test/broken-xml", "--app", "fixtures.flask_app:app"])
    out = capsys.readouterr().out
    assert status == 1
    sid = next(iter(sim_sids(out)))
    assert out.splitlines()[-2:] == [
        "Problems Twilio would log:",
        f"  call {sid}: Twilio error 12100 (Document parse failure) at "
        "https://app.test/broken-xml: Opening and ending tag mismatch: "
        "Say line 1 and Response, line 1, column 73; twimlsim then played Twilio's "
        "application-error message and hung up, as Twilio does "
        "[https://www.twilio.com/docs/errors/12100]",
    ]


def forbidding_app(environ: dict[str, object], start_response: Any) -> list[bytes]:
    """A voice app whose signature check refuses every webhook."""
    start_response("403 Forbidden", [("Content-Type", "text/plain")])
    return [b"invalid signature"]


def test_a_403_in_process_gives_the_command_line_advice_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A test's advice on a token read at import (monkeypatch, sim.auth_token) is left out."""
    status = main(["call", "https://app.test/voice", "--app", "tests.test_cli:forbidding_app"])
    out = capsys.readouterr().out
    assert status == 1
    sid = next(iter(sim_sids(out)))
    assert out.splitlines()[-1] == (
        f"  call {sid}: Twilio error 11200 (HTTP retrieval failure) at https://app.test/voice: "
        "the app answered HTTP 403 to POST; its body: 'invalid signature'; hint: a 403 is most "
        "often the app's own X-Twilio-Signature check failing: give twimlsim call the app's "
        "auth token with --auth-token and validate the URL as requested (this one, scheme and "
        f"all); twimlsim signs every webhook as Twilio does{BLANK_VALUES_SIGNED}; twimlsim "
        "then played Twilio's application-error message and hung up, as Twilio does "
        "[https://www.twilio.com/docs/errors/11200]"
    )


#: A voice app whose signature check reads its token from an environment variable the
#: command's environment does not set (RequestValidator(None) raises; Flask answers 500).
unconfigured_app = Flask("unconfigured")


@unconfigured_app.post("/voice")
def unconfigured_voice() -> str:
    RequestValidator(os.environ.get("TWIMLSIM_TEST_UNSET_TOKEN"))
    return "<Response/>"


def test_an_app_validating_with_no_token_is_told_to_set_it_and_pass_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["call", "https://app.test/voice", "--app", "tests.test_cli:unconfigured_app"])
    out = capsys.readouterr().out
    assert status == 1
    hint = out.splitlines()[-1].split("; hint: ")[1]
    assert hint == (
        "the app's X-Twilio-Signature check (twilio's RequestValidator) was given no auth token "
        "(None): the setting or environment variable the app reads it from (TWILIO_AUTH_TOKEN, "
        "say) is unset; set it, and give twimlsim call the same token with --auth-token; "
        "twimlsim then played Twilio's application-error message and hung up, as Twilio does "
        "[https://www.twilio.com/docs/errors/11200]"
    )


def agent_app(environ: dict[str, object], start_response: Any) -> list[bytes]:
    """A voice app that dials an agent with the agent's own number as callerId."""
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b'<Response><Dial callerId="+15551230000">+15551230000</Dial></Response>']


def test_a_callerid_the_account_lacks_is_given_with_the_options_its_advice_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """13214's advice names the command's options; each makes the callerId valid."""
    agent = "sim.phone('+15551230000').hangs_up(after=5)"
    command = ["call", "https://app.test/voice", "--app", "tests.test_cli:agent_app"]
    assert main([*command, "--phone", agent]) == 1
    out = capsys.readouterr().out
    (sid,) = dict.fromkeys(sim_sids(out))
    assert out.splitlines()[-3:] == [
        f"  call {sid}: Twilio warning 13214 (Dial: Invalid callerId value) at "
        "https://app.test/voice in <Dial> (line 1): callerId '+15551230000' is not this "
        "call's own number (+15005550006 or +15558675310), a number the account owns or a "
        "verified caller ID; twimlsim called nobody (DialCallStatus=failed). Use one of "
        "those numbers, or verify it with --verified-caller-id NUMBER (or own it: --number "
        "NUMBER) [https://www.twilio.com/docs/errors/13214]",
        "",  # the agent was never called, so its hang-up was never reached
        "input given was never reached: sim.phone('+15551230000')"
        ".hangs_up(after=5) (no call was to or from +15551230000, so nothing took its script: "
        "this call's far end is +15558675310 (--to +15551230000 would make it +15551230000), "
        "and another number is reached only when the app dials it; the app's <Dial> at "
        "09:00:00 called nobody (DialCallStatus=failed): the problems Twilio would log, above, "
        "say why); the call did not wait for it (check the --press, --say and --phone input "
        "against the app's menus)",
    ]
    for option in ("--verified-caller-id", "--number"):
        assert main([*command, "--phone", agent, option, "+15551230000"]) == 0
        bridged = "dialed targets=('+15551230000',), status='completed'"
        assert bridged in capsys.readouterr().out


def voicemail_app(environ: dict[str, object], start_response: Any) -> list[bytes]:
    """A voicemail line: a beep, a recording, then goodbye."""
    start_response("200 OK", [("Content-Type", "text/xml")])
    if environ["PATH_INFO"] == "/voice":
        return [b'<Response><Record action="/done" maxLength="30"/></Response>']
    return [b"<Response><Hangup/></Response>"]


def test_a_script_for_a_number_no_call_had_names_the_calls_far_end(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A --phone script written for another caller than the incoming call's (as when
    calling a voicemail Worker sample) says whose far end the call had and how to change it."""
    command = ["call", "https://app.test/voice", "--app", "tests.test_cli:voicemail_app"]
    caller = "sim.phone('+14155550999').records(6, hangs_up=True)"
    assert main([*command, "--incoming", "--phone", caller]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "input given was never reached: sim.phone('+14155550999').records(6, hangs_up=True) "
        "(no call was to or from +14155550999, so nothing took its script: this call's far end "
        "is +15558675310 (--from +14155550999 would make it +14155550999), and another number "
        "is reached only when the app dials it); the call did not wait for it (check the "
        "--press, --say and --phone input against the app's menus)"
    )
    assert main([*command, "--incoming", "--from", "+14155550999", "--phone", caller]) == 0
    assert "recorded recording_sid=" in capsys.readouterr().out


def test_a_key_after_a_recording_says_records_takes_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # a recording sample's caller scripted records(4).presses('#') to end its message
    command = ["call", "https://app.test/voice", "--app", "tests.test_cli:voicemail_app"]
    caller = "sim.phone('+15558675310').records(4).presses('#')"
    assert main([*command, "--phone", caller]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "input given was never reached: sim.phone('+15558675310').presses('#') "
        "(+15558675310's presses('#') after its "
        "records(4) waits for the next <Gather>, not for the <Record>, which ended without a "
        "key: to end the recording with a key, write records(4, '#')); the call did not wait "
        "for it (check the --press, --say and --phone input against the app's menus)"
    )


def texting_app(environ: dict[str, object], start_response: Any) -> list[bytes]:
    """A voice app that texts from a number the account does not own."""
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b'<Response><Sms from="+15551239999">Thanks</Sms></Response>']


def test_an_sms_from_a_number_the_account_lacks_names_the_number_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    command = ["call", "https://app.test/voice", "--app", "tests.test_cli:texting_app"]
    assert main(command) == 1
    assert (
        "(give it the number with --number NUMBER; a verified caller ID cannot text)"
        in (capsys.readouterr().out.splitlines()[-1])
    )
    assert main([*command, "--number", "+15551239999"]) == 0


def create_app(name: str = "voice") -> Any:
    """A Flask app factory, as Flask's tutorial writes one."""
    from flask import Flask

    app = Flask(name)
    app.post("/voice")(lambda: ("<Response><Say>Made by a factory.</Say></Response>", 200))
    return app


def broken_factory() -> Any:
    raise RuntimeError("no DATABASE_URL")


def silent_factory() -> Any:
    raise LookupError


def configured_factory(environment: str = "production", database: Any = None) -> Any:
    raise RuntimeError(f"no database URI for {environment}")


def settings_factory(**settings: Any) -> Any:
    if "DATABASE_URL" not in settings:
        raise RuntimeError("no DATABASE_URL")
    return create_app()


def positional_factory(environment: str = "production", /) -> Any:
    raise RuntimeError(f"no database URI for {environment}")


def one_setting_factory(environment: str = "production") -> Any:
    if environment == "production":
        raise RuntimeError("no DATABASE_URL")
    return create_app()


def test_an_app_factory_is_called_as_flasks_own_cli_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["call", "https://app.test/voice", "--app", "tests.test_cli:create_app"]) == 0
    assert "  09:00:00  said 'Made by a factory.'" in capsys.readouterr().out.splitlines()
    assert main(["call", "https://app.test/voice", "--app", "tests.test_cli:broken_factory"]) == 2
    assert capsys.readouterr().err == (
        "twimlsim call: error: --app tests.test_cli:broken_factory: broken_factory() takes no "
        "arguments, so it was called as an app factory, and it raised RuntimeError: no "
        "DATABASE_URL\n"
    )
    # an exception without text is named by its type alone, not "LookupError: "
    assert main(["call", "https://app.test/voice", "--app", "tests.test_cli:silent_factory"]) == 2
    assert capsys.readouterr().err == (
        "twimlsim call: error: --app tests.test_cli:silent_factory: silent_factory() takes no "
        "arguments, so it was called as an app factory, and it raised LookupError\n"
    )


def test_a_factory_with_optional_parameters_is_told_how_to_give_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A factory whose parameters all have defaults (a warm-transfer sample's
    prepare_app(environment=env, p_db=db)) is called with none: its refusal says so, not
    that it takes no arguments, and how to write the call in --app."""
    spec = "tests.test_cli:configured_factory"
    assert main(["call", "https://app.test/voice", "--app", spec]) == 2
    assert capsys.readouterr().err == (
        f"twimlsim call: error: --app {spec}: configured_factory() was called as an app "
        "factory with no arguments (its parameters environment, database kept their "
        "defaults), and it raised RuntimeError: no database URI for production; to give it "
        "arguments, write the call in --app with literal values: --app "
        '"tests.test_cli:configured_factory(environment=...)"\n'
    )
    spec = "tests/test_cli.py:one_setting_factory"
    assert main(["call", "https://app.test/voice", "--app", spec]) == 2
    assert capsys.readouterr().err == (
        f"twimlsim call: error: --app {spec}: one_setting_factory() was called as an app "
        "factory with no arguments (its parameter environment kept its default), and it "
        "raised RuntimeError: no DATABASE_URL; to give it arguments, write the call in --app "
        'with literal values: --app "tests/test_cli.py:one_setting_factory(environment=...)"\n'
    )
    called = "tests.test_cli:one_setting_factory(environment='testing')"
    assert main(["call", "https://app.test/voice", "--app", called]) == 0
    assert "  09:00:00  said 'Made by a factory.'" in capsys.readouterr().out.splitlines()


def test_a_factory_taking_keywords_or_positions_only_is_told_how_to_give_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A factory taking only **settings is not said to take no arguments; one whose
    parameter is positional-only is shown a call that passes it by position."""
    spec = "tests.test_cli:settings_factory"
    assert main(["call", "https://app.test/voice", "--app", spec]) == 2
    assert capsys.readouterr().err == (
        f"twimlsim call: error: --app {spec}: settings_factory() was called as an app "
        "factory with no arguments (its **settings got none), and it raised RuntimeError: no "
        "DATABASE_URL; to give it arguments, write the call in --app with literal values: "
        '--app "tests.test_cli:settings_factory(NAME=...)"\n'
    )
    spec = "tests.test_cli:positional_factory"
    assert main(["call", "https://app.test/voice", "--app", spec]) == 2
    assert capsys.readouterr().err == (
        f"twimlsim call: error: --app {spec}: positional_factory() was called as an app "
        "factory with no arguments (its parameter environment kept its default), and it "
        "raised RuntimeError: no database URI for production; to give it arguments, write "
        'the call in --app with literal values: --app "tests.test_cli:positional_factory(...)"\n'
    )
    called = "tests.test_cli:settings_factory(DATABASE_URL='sqlite://')"
    assert main(["call", "https://app.test/voice", "--app", called]) == 0
    assert "  09:00:00  said 'Made by a factory.'" in capsys.readouterr().out.splitlines()


def sim_sids(out: str) -> list[str]:
    return re.findall(r"\bCA[0-9a-f]{32}\b", out)


def test_call_with_a_bad_app_spec_says_what_to_write(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["call", "https://app.test/voice", "--app", ":app"]) == 2
    assert capsys.readouterr().err == (
        "twimlsim call: error: --app takes 'module:attribute' or 'module', got ':app'\n"
    )


@pytest.mark.parametrize(
    ("source", "said"),
    [
        ("app = make(); application = None", "app"),
        ("application = make()", "application"),
        ("def create_app():\n    return make()", "create_app"),
        ("def make_app():\n    return make()", "make_app"),
        ("app = None  # made only in production\ndef create_app():\n    return make()", "none"),
    ],
)
def test_app_given_as_a_module_is_found_as_flasks_own_cli_finds_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    source: str,
    said: str,
) -> None:
    (tmp_path / "module_app.py").write_text(
        "from flask import Flask\n\n"
        "def make():\n"
        "    made = Flask('module_app')\n"
        f"    made.post('/voice')(lambda: ('<Response><Say>{said}</Say></Response>', 200))\n"
        "    return made\n\n" + source + "\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in {"", str(tmp_path)}])
    monkeypatch.delitem(sys.modules, "module_app", raising=False)
    assert main(["call", "https://app.test/voice", "--app", "module_app"]) == 0
    assert f"  09:00:00  said {said!r}" in capsys.readouterr().out.splitlines()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "no_such_module_here:app",
            "cannot import 'no_such_module_here' for --app: No module named "
            "'no_such_module_here'; run twimlsim from the directory that holds it, or add "
            "that directory to PYTHONPATH",
        ),
        ("cwd_app:missing", "module 'cwd_app' has no 'missing'"),
        ("cwd_app:wsgj", "module 'cwd_app' has no 'wsgj'; did you mean --app cwd_app:wsgi?"),
        (
            "cwd_app",
            "--app cwd_app: module 'cwd_app' has no app, application, create_app or make_app; "
            "name the app: --app cwd_app:NAME",
        ),
    ],
)
def test_call_says_why_the_app_cannot_be_loaded(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    spec: str,
    message: str,
) -> None:
    (tmp_path / "cwd_app.py").write_text("wsgi = None\n")  # found in the working directory
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in {"", str(tmp_path)}])
    monkeypatch.delitem(sys.modules, "cwd_app", raising=False)
    assert main(["call", "https://app.test/voice", "--app", spec]) == 2
    assert capsys.readouterr().err == f"twimlsim call: error: {message}\n"
    assert sys.path[0] == str(tmp_path)


def test_an_app_module_whose_own_import_is_missing_names_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "needs_a_package.py").write_text("import no_such_dependency_here\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "needs_a_package", raising=False)
    assert main(["call", "https://app.test/voice", "--app", "needs_a_package:app"]) == 2
    assert capsys.readouterr().err == (
        "twimlsim call: error: cannot import 'needs_a_package' for --app: No module named "
        "'no_such_dependency_here'; install the package that provides no_such_dependency_here "
        "where twimlsim runs\n"
    )


def test_an_app_module_that_fails_as_it_is_imported_shows_where_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "failing_app.py").write_text("SETTINGS = {}\nSETTINGS['NO_SUCH_SETTING']\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "failing_app", raising=False)
    assert main(["call", "https://app.test/voice", "--app", "failing_app:app"]) == 2
    err = capsys.readouterr().err
    assert 'failing_app.py", line 2, in <module>' in err
    assert err.endswith(
        "KeyError: 'NO_SUCH_SETTING'\ntwimlsim call: error: importing 'failing_app' for --app "
        "raised KeyError: 'NO_SUCH_SETTING' (the traceback above shows where); fix the "
        "module, or give --app another one\n"
    )


CALLS_BACK = """
from urllib.parse import parse_qs
import requests

def app(environ, start_response):
    form = parse_qs(environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"])).decode())
    sid = form["CallSid"][0]
    url = f"https://api.twilio.com/2010-04-01/Accounts/AC{'1' * 32}/Calls/{sid}.json"
    status = requests.get(url, auth=("AC" + "1" * 32, "x" * 32), timeout=5).status_code
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [f"<Response><Say>{status}</Say></Response>".encode()]
"""


def test_an_app_calling_the_api_with_other_credentials_is_told_the_accounts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "calls_back.py").write_text(CALLS_BACK)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "calls_back", raising=False)
    assert main(["call", "https://app.test/voice", "--app", "calls_back:app"]) == 0
    out, err = capsys.readouterr()
    assert "said '401'" in out
    assert err == (
        "twimlsim call: the app called the REST API with credentials the simulated account "
        "does not have, and was answered 401: GET https://api.twilio.com/2010-04-01/Accounts/"
        "AC11111111111111111111111111111111/Calls/CAee4a56ad3092da64d5ba892549669298.json; "
        "give it AccountSid ACd45321710a9937d57a6f595c7099cd0b "
        "and auth token e56ddf2d2118610fee19c6e6a96da8ea (the same on every run), e.g. as "
        "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN if that is where it reads them\n"
    )


# A webhook that places calls with a placeholder account and fails with a 500 when refused
# (as a forwarder does that dials out from its voice URL): no call's report lists the
# refused requests, so the note names them and the REST requests about no call show them.
PLACES_CALLS = """
import requests

def app(environ, start_response):
    base = "https://api.twilio.com/2010-04-01/Accounts/ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
    auth = ("ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "your_auth_token")
    for path in ("Calls.json", "Calls.json", "Queues.json", "Conferences.json", "Recordings.json"):
        requests.get(f"{base}/{path}", auth=auth, timeout=5)
    requests.post(f"{base}/Calls.json", auth=auth, timeout=5, data={"To": "+15558675310"})
    start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
    return [b"Unable to create record: Authenticate"]
"""


def test_the_credentials_note_names_the_refused_requests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "places_calls.py").write_text(PLACES_CALLS)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "places_calls", raising=False)
    assert main(["call", "https://app.test/voice", "--app", "places_calls:app"]) == 1
    out, err = capsys.readouterr()
    refused = "Twilio error 20003: Authenticate (the credentials are not the simulated account's: "
    refused += "see the note after the report)\n"
    assert "\n\nREST requests about no call (6):\n" in out
    # the advice once, then its repeats shortened
    again = "Twilio error 20003: Authenticate (the same advice as above)\n"
    assert (out.count(refused), out.count(again), out.count("sim.client()")) == (1, 5, 0)
    base = "https://api.twilio.com/2010-04-01/Accounts/ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
    assert err == (
        "twimlsim call: the app called the REST API with credentials the simulated account "
        f"does not have, and was answered 401: GET {base}/Calls.json; GET {base}/Queues.json; "
        f"GET {base}/Conferences.json; and 2 more; give it AccountSid "
        "ACd45321710a9937d57a6f595c7099cd0b and auth token e56ddf2d2118610fee19c6e6a96da8ea "
        "(the same on every run), e.g. as TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN if that is "
        "where it reads them\n"
    )


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "twimlsim", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "usage: twimlsim [-h] [--version] {lint,call,serve} ..."


def test_a_reader_that_stops_reading_ends_the_command_quietly(tmp_path: Path) -> None:
    attributes = " ".join(f"a{n}='1'" for n in range(3000))  # 3,000 lines: beyond a pipe's buffer
    document = tmp_path / "many.xml"
    document.write_text(f"<Response><Say {attributes}>Hi</Say></Response>")
    command = [sys.executable, "-m", "twimlsim", "lint", str(document)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as linting:
        assert linting.stdout is not None and linting.stderr is not None
        assert linting.stdout.read(10) == str(document).encode()[:10]
        linting.stdout.close()  # as `twimlsim lint ... | head -1` does
        assert linting.stderr.read() == b""  # no BrokenPipeError traceback
        assert linting.wait(timeout=60) == 141


def test_lint_reports_each_problem_and_exits_1_on_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.xml"
    good.write_text('<Response>\n  <Say loop="2">Hello</Say>\n</Response>\n')
    warned = tmp_path / "warned.xml"
    warned.write_text('<Response>\n  <Pause length="soon"/>\n</Response>\n')
    broken = tmp_path / "broken.xml"
    broken.write_text("<Response>\n  <Say>unclosed\n</Response>\n")
    assert main(["lint", str(good)]) == 0
    assert capsys.readouterr().out == ""
    assert main(["lint", str(warned)]) == 0
    assert capsys.readouterr().out == (
        f"{warned}:2: warning 13910 <Pause> length='soon' is invalid: expected a positive "
        "integer; using 1\n"
    )
    assert main(["lint", str(good), str(broken)]) == 1
    assert capsys.readouterr().out == (
        f"{broken}:3: error 12100 Document parse failure: Opening and ending tag mismatch: "
        "Say line 2 and Response, line 3, column 12\n"
    )


class Endless(io.RawIOBase):
    """A stream that never ends (``/dev/zero``, ``yes | twimlsim lint -``)."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        buffer[:] = b"<" * len(buffer)
        return len(buffer)


def test_lint_reads_an_endless_input_only_past_twilio_s_limit() -> None:
    out = io.StringIO()
    status = lint.run(["-"], stdin=io.BufferedReader(Endless()), stdout=out)  # it never ended
    assert (status, out.getvalue()) == (
        1,
        "-: error 11750 TwiML response body is more than 65,536 bytes (64 kB), the most "
        "Twilio reads; keep the document under 64 kB\n",
    )


def test_lint_reports_stream_urls_twilio_cannot_connect_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    twiml = tmp_path / "streams.xml"
    twiml.write_text(
        "<Response>\n"
        '  <Start><Stream url="wss://media.test/s"/></Start>\n'
        "  <Stop><Stream/></Stop>\n"
        '  <Start><Stream url="http://media.test/s"/></Start>\n'
        "  <Connect><ConversationRelay/></Connect>\n"
        "</Response>\n"
    )
    assert main(["lint", str(twiml)]) == 1
    assert capsys.readouterr().out == (
        f"{twiml}:4: warning 12200 <Stream> url='http://media.test/s' is invalid: expected an "
        "absolute or relative ws/wss URL without spaces; ignored\n"
        f"{twiml}:4: error 31922 <Stream> url 'http://media.test/s' uses http:, which Twilio "
        "does not stream to; give the wss:// URL of the app's WebSocket server\n"
        f"{twiml}:5: error 31923 <ConversationRelay> has no url: Twilio connects it to the "
        "app's WebSocket server at that URL; give one such as "
        'url="wss://app.example.com/media"\n'
    )


def test_lint_reports_a_connect_stream_asking_for_both_tracks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Twilio's 31941 on <Connect><Stream>; <Start><Stream> may fork both tracks."""
    twiml = tmp_path / "tracks.xml"
    twiml.write_text(
        "<Response>\n"
        '  <Start><Stream url="wss://media.test/s" track="both_tracks"/></Start>\n'
        '  <Connect><Stream url="wss://media.test/s" track="both_tracks"/></Connect>\n'
        "</Response>\n"
    )
    assert main(["lint", str(twiml)]) == 1
    assert capsys.readouterr().out == (
        f'{twiml}:3: error 31941 <Stream track="both_tracks"> in <Connect>: a bidirectional '
        "stream carries the caller's audio only, and Twilio refuses any other track there "
        '(its 31941: a value other than "inbound_track" with <Connect>); remove track, or use '
        "<Start><Stream> to fork both tracks\n"
    )


def test_lint_reports_a_sip_domain_dialled_without_a_username(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Twilio's 32223: a <Dial><Sip> to a SIP Domain itself, with no username, fails; an
    endpoint registered there is dialled."""
    twiml = tmp_path / "sip.xml"
    twiml.write_text(
        "<Response>\n"
        "  <Dial>\n"
        "    <Sip>sip:office.sip.twilio.com</Sip>\n"
        "    <Sip>sip:dan@office.sip.twilio.com</Sip>\n"
        "  </Dial>\n"
        "</Response>\n"
    )
    assert main(["lint", str(twiml)]) == 1
    assert capsys.readouterr().out == (
        f"{twiml}:3: error 32223 sip:office.sip.twilio.com names the SIP Domain "
        "office.sip.twilio.com with no username: Twilio calls only an endpoint registered at "
        'a SIP Domain, not the domain itself (its 32223: "You can only call a registered SIP '
        'endpoint such as username@yourdomain.sip.twilio.com"), and the leg fails at once '
        "(DialCallStatus=failed). Dial the endpoint, sip:username@office.sip.twilio.com\n"
    )


def test_lint_reports_a_sip_domain_dialled_at_an_edge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Twilio's 32220: a <Dial><Sip> to a registered endpoint at an edge-specific URI fails;
    the global URI and the deprecated us1 form are dialled."""
    twiml = tmp_path / "sip.xml"
    twiml.write_text(
        "<Response>\n"
        "  <Dial>\n"
        "    <Sip>alice@Office.sip.ashburn.twilio.com</Sip>\n"
        "    <Sip>sip:bob@office.sip.us1.twilio.com</Sip>\n"
        "    <Sip><Uri>sip:carol@front-desk.sip.dublin.twilio.com;transport=tls</Uri></Sip>\n"
        "    <Sip>sip:dan@office.sip.twilio.com</Sip>\n"
        "  </Dial>\n"
        "</Response>\n"
    )
    assert main(["lint", str(twiml)]) == 1
    assert capsys.readouterr().out == "".join(
        f"{twiml}:{line}: error 32220 {uri} names the edge {edge!r} of the SIP Domain "
        f"{host}.sip.twilio.com: Twilio does not dial a registered endpoint at an "
        "edge-specific URI (only the deprecated us1 and us1-ix forms), and the leg fails at "
        f"once (DialCallStatus=failed). Dial the domain's global URI, "
        f"sip:{user}@{host}.sip.twilio.com\n"
        for line, uri, edge, host, user in (
            (3, "alice@Office.sip.ashburn.twilio.com", "ashburn", "office", "alice"),
            (
                5,
                "sip:carol@front-desk.sip.dublin.twilio.com;transport=tls",
                "dublin",
                "front-desk",
                "carol",
            ),
        )
    )


def test_a_stream_held_to_the_time_limit_says_how_to_close_it_from_the_command_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    module = types.ModuleType("stream_cli_app")
    module.app = TwimlApp(  # type: ignore[attr-defined]
        {"/voice": '<Response><Connect><Stream url="wss://ai.test/m"/></Connect></Response>'}
    )
    monkeypatch.setitem(sys.modules, "stream_cli_app", module)
    status = main(["call", "https://ai.test/voice", "--app", "stream_cli_app:app"])
    (limit,) = [line for line in capsys.readouterr().out.splitlines() if "32015" in line]
    (sid,) = sim_sids(limit)
    assert status == 1
    assert limit == (
        f"  call {sid}: Twilio warning 32015 (Call ended: exceeded max duration) at "
        "https://ai.test/voice in <Connect> (line 1): the call reached the default time limit "
        "of 14400 s of virtual "
        "time and twimlsim ended it: its TwiML was still running (connected to the stream "
        "wss://ai.test/m, which lasts until the app's server closes it: take the call with "
        "--interactive and press Enter to close it) and its far end +15558675310 has no "
        "hang-up scripted (an unscripted number never hangs up first): script it with "
        "--phone \"sim.phone('+15558675310').hangs_up(after=60)\" (the seconds it talks), or "
        "let the TwiML end "
        "[https://www.twilio.com/docs/errors/32015]"
    )


def test_call_scripts_the_far_end_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    """The 32015 advice is the line --phone takes, with seconds in place of N."""
    status = main(["call", "https://ivr.test/voice", "--app", "bench.ivr_app:app", "--press", "1"])
    out = capsys.readouterr().out
    # The agent, unscripted, never hangs up: the call runs to the default 4-hour limit,
    # which Twilio logs as warning 32015, so the command reports it and exits 1.
    assert status == 1
    (limit,) = [line for line in out.splitlines() if "32015" in line]
    parent, child = sim_sids(limit)
    assert limit == (
        f"  call {parent}: Twilio warning 32015 (Call ended: exceeded max duration) at "
        "https://ivr.test/menu in <Dial> (line 1): the call reached the default time limit "
        "of 14400 s of virtual "
        f"time and twimlsim ended it: it was still bridged to +15551230000 (leg {child}), "
        "whose far end has no hang-up scripted (an unscripted number never hangs up first): "
        "script it with --phone \"sim.phone('+15551230000').hangs_up(after=60)\" (the "
        "seconds it talks) or give the <Dial> a timeLimit "
        "[https://www.twilio.com/docs/errors/32015]"
    )
    gathered = "  09:00:04  gathered digits='1', speech=None, confidence=None, finished_on_key=''"
    assert gathered in out
    assert "  09:00:04  said 'Connecting you.'" in out


def test_call_reaches_a_running_app_over_http(capsys: pytest.CaptureFixture[str]) -> None:
    from fixtures.flask_app import app
    from tests.support import served_locally

    with served_locally(app) as base:
        status = main(["call", f"{base}/voice", "--status-callback", f"{base}/status"])
    out = capsys.readouterr().out
    assert status == 0
    lines = out.splitlines()
    assert lines[3:9] == [
        "  09:00:00  answered",
        "  09:00:00  said 'Hello from the twimlsim example app.'",
        "  09:00:03  paused 2s",
        f"  09:00:05  redirected to POST {base}/goodbye",
        "  09:00:05  said 'Thanks for calling. Goodbye!'",
        "  09:00:07  hung up by twiml: completed",
    ]
    assert f"  09:00:00  voice     POST {base}/voice -> 200" in lines


def test_version_prints_the_packages_version(capsys: pytest.CaptureFixture[str]) -> None:
    import tomllib

    pyproject = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"twimlsim {pyproject['project']['version']}\n"


def test_call_writes_the_timeline_page_with_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "pages" / "call.html"
    status = main(
        [
            "call",
            "https://app.test/voice",
            "--app",
            "fixtures.flask_app:app",
            "--html",
            str(page),
        ]
    )
    assert status == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"Timeline: {page}"
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "<title>twimlsim call https://app.test/voice - twimlsim timeline</title>" in text
    assert text.count('<g class="lane" data-call=') == 1
    spans = ["Say", "Pause", "Redirect", "Say", "Hangup"]
    assert re.findall(r'<rect class="span verb-(\w+)"', text) == spans
    assert 'class="problems"' not in text  # a call with no problem has no such section


def test_the_timeline_page_of_a_call_with_problems_heads_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "call.html"
    argv = ["call", "https://app.test/broken-xml", "--app", "fixtures.flask_app:app"]
    assert main([*argv, "--html", str(page)]) == 1
    sid = next(iter(sim_sids(capsys.readouterr().out)))
    text = page.read_text(encoding="utf-8")
    start = text.index('<section class="problems">')
    assert text[start : text.index("</section>", start)] == (
        '<section class="problems"><h2>What went wrong</h2>\n'
        f"<pre>call {sid}: Twilio error 12100 (Document parse failure) at "
        "https://app.test/broken-xml: Opening and ending tag mismatch: Say line 1 and "
        "Response, line 1, column 73; twimlsim then played Twilio&#x27;s application-error "
        "message and hung up, as Twilio does [https://www.twilio.com/docs/errors/12100]</pre>\n"
    )


@pytest.mark.parametrize(
    ("start", "why"),
    [
        (
            "tomorrow",
            "is not a date and time: give ISO 8601, such as 2026-01-03T20:30 (UTC) or "
            "2026-01-03T20:30-05:00",
        ),
        *(
            (
                text,
                "is out of the simulated clock's range: give a time from year 1900 to 9998 (a "
                "call may run for a day; the clock stops at the end of year 9999)",
            )
            for text in ("9999-01-01", "0001-01-01T00:00+05:00", "1899-12-31T23:59")
        ),
    ],
)
def test_a_start_that_is_no_time_the_clock_can_run_from_is_refused(
    capsys: pytest.CaptureFixture[str], start: str, why: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["call", "https://app.test/voice", "--start", start])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"twimlsim call: error: argument --start: {start!r} {why}"
    )


def record_without_action_app(environ: dict[str, object], start_response: Any) -> list[bytes]:
    """A voicemail whose <Record> has no action: Twilio requests the document again."""
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>Leave a message.</Say><Record/></Response>"]


def test_a_recording_loop_advises_the_phone_line_that_hangs_up(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = "tests.test_cli:record_without_action_app"
    argv = ["call", "https://app.test/voice", "--app", app, "--incoming", "--say", "hello"]
    assert main(argv) == 1
    advice = """--phone "sim.phone('+15558675310').records(5, hangs_up=True)\""""
    assert capsys.readouterr().out.splitlines()[-1] == (
        "  call CAee4a56ad3092da64d5ba892549669298 at https://app.test/voice in <Record> "
        "(line 1): 1000 documents fetched on one call (the last one a <Record> action: a "
        "<Record> without an action "
        "requests its own document again, so a far end that never hangs up is asked to record "
        f"again and again; script it to hang up after its message ({advice}) or give the "
        "<Record> an action); twimlsim ended the call"
    )
    assert main([*argv[:-2], "--phone", advice.split(" ", 1)[1].strip('"')]) == 0
    assert "  09:00:07  hung up by caller: completed" in capsys.readouterr().out.splitlines()


def lone_conference_app(environ: dict[str, object], start_response: Any) -> list[bytes]:
    """A caller alone in a conference room, hearing Twilio's hold music."""
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Dial><Conference>room</Conference></Dial></Response>"]


def test_a_long_call_prints_its_first_and_last_entries_and_counts_the_rest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # ten minutes of hold music are 120 tracks: the transcript is cut as pytest's report
    # cuts it (a caller alone until the 4-hour limit printed 3,700 lines)
    far_end = 'sim.phone("+15558675310").hangs_up(after=600)'
    arguments = ["call", "https://app.test/voice", "--app", "tests.test_cli:lone_conference_app"]
    assert main([*arguments, "--phone", far_end]) == 0
    lines = capsys.readouterr().out.splitlines()
    transcript = lines[3 : lines.index("Webhooks (19):") - 1]
    assert len(transcript) == 61  # 55 first entries, the count, the last 5
    assert transcript[:2] == [
        "  09:00:00  answered",
        "  09:00:00  joined conference name='room', "
        "conference_sid='CFe263cff7ca40be8c167c001d20b0d9cb'",
    ]
    assert transcript[55:57] == [
        "  ... 65 more events ...",
        "  09:09:50  played url='http://com.twilio.music.classical.s3.amazonaws.com/"
        "oldDog_-_endless_goodbye_%28instr.%29.mp3', loop=1, digits=None, interrupted=False",
    ]
    assert transcript[-1] == (
        "  09:10:00  dialed targets=('room',), status='answered', child_sid=None, bridged=True, "
        "seconds=600"
    )


def test_an_app_in_process_is_refused_a_localhost_url(capsys: pytest.CaptureFixture[str]) -> None:
    # routed there, the app's own URLs (url_for) would be on localhost too, which Twilio
    # refuses at the create; over HTTP (no --app) a localhost URL is where the app runs
    status = main(["call", "http://localhost:5000/voice", "--app", "fixtures.flask_app"])
    assert status == 2
    assert capsys.readouterr().err == (
        "twimlsim call: error: --app runs the app in process at the URL's host, and "
        "http://localhost:5000/voice is on localhost, which Twilio cannot reach and refuses in "
        "a webhook URL (21205 'Url is not a valid URL'); give the URL on the host the app has "
        "on the internet, or a stand-in such as https://myapp.test/voice (without --app, a URL "
        "on localhost reaches the app running there over HTTP)\n"
    )


NOISY_APP = """
import os
import subprocess
import sys


def app(environ, start_response):
    os.write(1, b"written to file descriptor 1\\n")
    subprocess.run([sys.executable, "-c", "print('a subprocess prints')"], check=True)
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>Hi.</Say></Response>"]
"""


def test_json_stays_one_document_when_the_app_writes_below_sys_stdout(tmp_path: Path) -> None:
    """What an app in process wrote to file descriptor 1 itself (a subprocess it runs, a C
    library, ``os.write``) went into the middle of the JSON document: only Python's
    ``sys.stdout`` was sent to standard error."""
    (tmp_path / "noisy.py").write_text(NOISY_APP)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "twimlsim",
            "call",
            "https://app.test/voice",
            "--app",
            "noisy",
            "--json",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (call,) = json.loads(result.stdout)["calls"]
    assert (call["status"], call["transcript"][1]["text"]) == ("completed", "Hi.")
    assert result.stderr.splitlines()[-2:] == [
        "written to file descriptor 1",
        "a subprocess prints",
    ]


def test_json_stays_one_document_when_standard_error_is_closed(tmp_path: Path) -> None:
    """``twimlsim call --json 2>&-``: file descriptor 1 was left as it was, so what the app
    wrote there came before the document; it is thrown away instead."""
    (tmp_path / "noisy.py").write_text(NOISY_APP)
    result = subprocess.run(
        [sys.executable, "-m", "twimlsim", "call", "https://app.test/voice"]
        + ["--app", "noisy", "--json"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        stdout=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=lambda: os.close(2),  # noqa: PLW1509 - the closed descriptor under test
    )
    assert result.returncode == 0
    document = json.loads(result.stdout)
    assert result.stdout == json.dumps(document, indent=2) + "\n"
    (call,) = document["calls"]
    assert (call["status"], call["transcript"][1]["text"]) == ("completed", "Hi.")


@pytest.mark.parametrize("command", [["lint", "missing.xml"], ["call", "v", "--json"]])
def test_a_command_started_with_standard_output_closed_says_so(command: list[str]) -> None:
    """``twimlsim lint x.xml >&-``: Python has no sys.stdout then, and the command ended
    with an AttributeError traceback from inside twimlsim (``--json`` wrote the document to
    standard error first)."""
    result = subprocess.run(
        [sys.executable, "-m", "twimlsim", *command],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(1),  # noqa: PLW1509 - the closed descriptor under test
    )
    assert (result.returncode, result.stderr) == (
        2,
        f"twimlsim {command[0]}: standard output is closed, so nothing it prints could be "
        "read; send it to a file or to /dev/null (> out.txt) instead\n",
    )


# A forwarder's voice webhook that calls out From the caller's own number (an account
# allowed any caller ID could; this one cannot) and answers 500 when refused.
FORWARDS_FROM_THE_CALLER = """
from urllib.parse import parse_qs
import requests

def app(environ, start_response):
    form = parse_qs(environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"])).decode())
    sid, token = "ACd45321710a9937d57a6f595c7099cd0b", "e56ddf2d2118610fee19c6e6a96da8ea"
    requests.post(
        f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Calls.json",
        auth=(sid, token),
        data={"To": "+15558670001", "From": form["From"][0], "Url": "https://app.test/agent"},
        timeout=5,
    )
    start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
    return [b"could not call the agent"]
"""


def test_a_create_refused_while_answering_a_webhook_is_shown_with_the_options_that_cure_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "forwards.py").write_text(FORWARDS_FROM_THE_CALLER)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "forwards", raising=False)
    assert main(["call", "https://app.test/voice", "--app", "forwards:app", "--incoming"]) == 1
    out = capsys.readouterr().out
    section = out[out.index("\n\nREST requests about no call") : out.index("\n\nProblems")]
    assert section == (
        "\n\nREST requests about no call (1):\n"
        "  09:00:00  calls.create POST /2010-04-01/Accounts/ACd45321710a9937d57a6f595c7099cd0b"
        "/Calls.json -> 400\n"
        "      To=+15558670001, From=+15558675310, Url=https://app.test/agent\n"
        "      Twilio error 21210: The source phone number provided, +15558675310, is not yet "
        "verified for your account. You may only make calls from phone numbers that you've "
        "verified or purchased from Twilio. (give the account the From number: --number "
        "+15558675310, or --verified-caller-id +15558675310)"
    )


def test_the_json_report_has_the_rest_requests_about_no_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "forwards.py").write_text(FORWARDS_FROM_THE_CALLER)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "forwards", raising=False)
    argv = ["call", "https://app.test/voice", "--app", "forwards:app", "--incoming", "--json"]
    assert main(argv) == 1
    refused = json.loads(capsys.readouterr().out)["api_requests_about_no_call"]
    url = "https://api.twilio.com/2010-04-01/Accounts/ACd45321710a9937d57a6f595c7099cd0b/Calls.json"
    body = json.loads(refused[0].pop("body"))
    assert refused == [
        {
            "method": "POST",
            "url": url,
            "params": {
                "To": "+15558670001",
                "From": "+15558675310",
                "Url": "https://app.test/agent",
            },
            "pairs": [
                ["To", "+15558670001"],
                ["From", "+15558675310"],
                ["Url", "https://app.test/agent"],
            ],
            "kind": "calls.create",
            "call_sid": None,
            "at": "2026-01-01T09:00:00+00:00",
            "status": 400,
        }
    ]
    assert body == {
        "code": 21210,
        "message": "The source phone number provided, +15558675310, is not yet verified for "
        "your account. You may only make calls from phone numbers that you've verified or "
        "purchased from Twilio.",
        "more_info": "https://www.twilio.com/docs/errors/21210",
        "status": 400,
    }


def two_agents_app(environ: dict[str, object], start_response: Any) -> list[bytes]:
    """Dials one agent with its own number as callerId, then another the same way."""
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [
        b'<Response><Dial callerId="+15551230000">+15551230000</Dial><Pause length="3"/>'
        b'<Dial callerId="+15551230001">+15551230001</Dial></Response>'
    ]


def redialing_app(environ: dict[str, object], start_response: Any) -> list[bytes]:
    """Dials an agent with the agent's own number as callerId (refused), then again, and
    again: a retry loop, each <Dial> failing at once."""
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [
        b'<Response><Dial callerId="+15551230000">+15551230000</Dial><Pause length="2"/>'
        b"<Redirect>/voice</Redirect></Response>"
    ]


@pytest.mark.parametrize(
    ("app", "dials"),
    [
        ("two_agents_app", "2 <Dial>s at 09:00:00, 09:00:03"),
        # a retry loop: its 1,000 times would fill the line
        ("redialing_app", "1000 <Dial>s from 09:00:00 to 09:33:18"),
    ],
)
def test_each_dial_that_called_nobody_is_named_beside_the_script_it_left_unused(
    app: str, dials: str, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["call", "https://app.test/voice", "--app", f"tests.test_cli:{app}"]
    assert main([*command, "--phone", "sim.phone('+15551230001').hangs_up(after=5)"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "input given was never reached: sim.phone('+15551230001').hangs_up(after=5) (no call "
        "was to or from +15551230001, so nothing took its script: this call's far end is "
        "+15558675310 (--to +15551230001 would make it +15551230001), and another number is "
        f"reached only when the app dials it; the app's {dials} called nobody "
        "(DialCallStatus=failed): the problems Twilio would log, above, say why); the call "
        "did not wait for it (check the --press, --say and --phone input against the app's "
        "menus)"
    )
