"""The pytest plugin, exercised the way users run it (pytester)."""

from __future__ import annotations

import inspect
import re

import pytest

from twimlsim import Simulator

pytest_plugins = ["pytester"]

#: How a report names ``pytest.UsageError``: by its public name from pytest 9, by the module
#: it is defined in before.
USAGE_ERROR = r"(?:pytest|_pytest\.config\.exceptions)\.UsageError"


def assert_usage_error(result: pytest.RunResult, message: str) -> None:
    """The one test errored at setup with exactly ``message``, and none of the plugin's own
    source in the report (a usage error is the user's to fix, not twimlsim's code to read)."""
    result.assert_outcomes(errors=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.re_match_lines([rf"^E\s+{USAGE_ERROR}: {re.escape(message)}$"])
    assert "pytest_plugin.py" not in result.stdout.str()


APP = """
from flask import Flask
app = Flask(__name__)

@app.post("/voice")
def voice():
    return "<Response><Say>Hi</Say></Response>", 200, {"Content-Type": "text/xml"}
"""


def test_fixture_yields_a_started_simulator(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        app=APP,
        test_call="""
from app import app

def test_call(twimlsim):
    twimlsim.route("https://app.test", app)
    twimlsim.number("+15005550006")
    call = twimlsim.client().calls.create(
        to="+15558675310", from_="+15005550006", url="https://app.test/voice")
    assert call.status == "queued"
    twimlsim.run()
    assert twimlsim.calls[call.sid].said == ["Hi"]
""",
    )
    pytester.runpytest().assert_outcomes(passed=1)


@pytest.mark.parametrize("load", [["-p", "twimlsim"], ["-p", "twimlsim.pytest_plugin"]])
def test_with_plugin_autoload_disabled_p_twimlsim_loads_it(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, load: list[str]
) -> None:
    # a CI that sets PYTEST_DISABLE_PLUGIN_AUTOLOAD names each plugin it wants
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makepyfile(
        test_call="""
@__import__("pytest").mark.twimlsim(seed=3)
def test_call(twimlsim):
    assert twimlsim.running
""",
    )
    unloaded = pytester.runpytest()
    unloaded.assert_outcomes(errors=1)
    unloaded.stdout.fnmatch_lines(["E       fixture 'twimlsim' not found"])
    result = pytester.runpytest(*load, "-W", "error::pytest.PytestUnknownMarkWarning")
    result.assert_outcomes(passed=1)


def test_p_twimlsim_in_addopts_loads_it_with_autoload_on_and_off(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's advice for a CI that disables autoload, committed to the ini: the
    developers' runs, with autoload on, load the entry point's plugin once."""
    pytester.makeini("[pytest]\naddopts = -p twimlsim\n")
    pytester.makepyfile(test_call="def test_call(twimlsim):\n    assert twimlsim.running\n")
    pytester.runpytest().assert_outcomes(passed=1)
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.runpytest().assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("conftest", "args", "env", "first"),
    [
        ('pytest_plugins = ["twimlsim.pytest_plugin"]\n', [], None, "twimlsim"),
        ('pytest_plugins = "twimlsim.pytest_plugin"\n', ["-p", "twimlsim"], None, "twimlsim"),
        ("", ["-p", "twimlsim.pytest_plugin"], None, "twimlsim.pytest_plugin"),
        ("", [], "twimlsim.pytest_plugin", "twimlsim"),
    ],
    ids=["conftest", "conftest-and-p", "p-module", "PYTEST_PLUGINS"],
)
def test_the_plugin_named_by_its_module_with_autoload_on_is_loaded_once(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    conftest: str,
    args: list[str],
    env: str | None,
    first: str,
) -> None:
    """With autoload on, the entry point registers the module as "twimlsim"; a conftest.py
    (or -p, or PYTEST_PLUGINS) naming the module too is the no-op it means to be, not
    pytest's "Plugin already registered under a different name" failing every run."""
    if conftest:
        pytester.makeconftest(conftest)
    if env is not None:
        monkeypatch.setenv("PYTEST_PLUGINS", env)
    other = "twimlsim" if first == "twimlsim.pytest_plugin" else "twimlsim.pytest_plugin"
    pytester.makepyfile(
        test_call=f"""
@__import__("pytest").mark.twimlsim(seed=3)
def test_call(twimlsim):
    assert twimlsim.running

def test_names(pytestconfig):
    import twimlsim.pytest_plugin as plugin
    manager = pytestconfig.pluginmanager
    mine = [name for name in ("twimlsim", "twimlsim.pytest_plugin")
            if manager.get_plugin(name) is plugin]
    assert mine == [{first!r}]
    assert repr(manager.get_plugin({other!r})) == "<twimlsim.pytest_plugin loaded as {first!r}>"
""",
    )
    result = pytester.runpytest_subprocess(*args)
    result.assert_outcomes(passed=2)
    assert "already registered" not in result.stderr.str()


def test_marker_passes_simulator_keywords(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest

@pytest.mark.twimlsim(cps=5, seed=3)
def test_marked(twimlsim):
    account = twimlsim.store.accounts[twimlsim.account_sid]
    assert account.cps == 5

@pytest.mark.twimlsim(seed=3)
def test_marked_without_asking_for_fixture(request):
    assert request.getfixturevalue("twimlsim").strict is True
"""
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_marker_start_takes_iso_text_as_twimlsim_call_start_does(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest
from datetime import datetime, timezone

@pytest.mark.twimlsim(start="2026-03-02T15:30")
def test_utc(twimlsim):
    assert twimlsim.now == datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)

@pytest.mark.twimlsim(start="2026-03-02T10:30-05:00")
def test_offset(twimlsim):
    assert twimlsim.now == datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)

@pytest.mark.twimlsim(start="next tuesday")
def test_not_a_time(twimlsim):
    pass
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "E *UsageError: twimlsim marker or ini option: Simulator(start=...): "
            "'next tuesday' is not a date and time: give ISO 8601, such as 2026-01-03T20:30 "
            "(UTC) or 2026-01-03T20:30-05:00"
        ]
    )


def test_ini_options_configure_and_marker_wins(pytester: pytest.Pytester) -> None:
    expected = Simulator(seed=11).account_sid
    pytester.makeini(
        "[pytest]\ntwimlsim_seed = 11\ntwimlsim_strict = false\n"
        "twimlsim_delete_silent_recordings = true\ntwimlsim_trial = true\n"
        "twimlsim_start = 2026-01-05T09:00-05:00\n"
    )
    pytester.makepyfile(
        f"""
import pytest
from datetime import datetime, timezone

def test_ini(twimlsim):
    assert twimlsim.account_sid == {expected!r}
    assert twimlsim.strict is False
    assert twimlsim.engine.delete_silent_recordings is True
    assert twimlsim.client().api.accounts(twimlsim.account_sid).fetch().type == "Trial"
    assert twimlsim.now == datetime(2026, 1, 5, 14, tzinfo=timezone.utc)

@pytest.mark.twimlsim(strict=True)
def test_marker_overrides(twimlsim):
    assert twimlsim.strict is True
"""
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_ini_accept_any_credentials_serves_a_client_made_at_import(
    pytester: pytest.Pytester,
) -> None:
    # the app's one client, made from its settings as its module is imported, before any
    # test's simulator: every test of the suite takes its credentials from the ini file
    pytester.makeini("[pytest]\ntwimlsim_accept_any_credentials = true\n")
    pytester.makepyfile(
        voice_app="""
from twilio.rest import Client

client = Client("AC" + "1" * 32, "the-apps-token")


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>Hello.</Say></Response>"]
""",
        test_calls="""
import pytest
from twilio.request_validator import RequestValidator
from twilio.base.exceptions import TwilioRestException

from voice_app import app, client


def test_the_module_client_places_a_call(twimlsim):
    twimlsim.route("https://app.test", app)
    call = client.calls.create(to="+15558675310", from_="+15005550006", url="https://app.test/v")
    twimlsim.run()
    assert (call.account_sid, twimlsim.calls[call.sid].said) == ("AC" + "1" * 32, ["Hello."])
    voice = twimlsim.calls[call.sid].requests[0]
    signature = voice.headers["X-Twilio-Signature"]
    assert RequestValidator("the-apps-token").validate(voice.url, voice.params, signature)


@pytest.mark.twimlsim(accept_any_credentials=False)
def test_the_marker_wins(twimlsim):
    with pytest.raises(TwilioRestException) as raised:
        client.calls.create(to="+15558675310", from_="+15005550006", url="https://app.test/v")
    assert (raised.value.status, raised.value.code) == (401, 20003)
""",
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_pytest_twimlsim_wins_over_the_ini_and_the_marker_over_both(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeini("[pytest]\ntwimlsim_accept_any_credentials = false\n")
    pytester.makepyfile(
        """
import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client


def status_of_a_create_with_other_credentials():
    client = Client("AC" + "1" * 32, "another-token")
    try:
        client.calls.create(to="+15558675310", from_="+15005550006", twiml="<Response/>")
    except TwilioRestException as error:
        return error.status
    return 201


def test_command_line(twimlsim):
    assert status_of_a_create_with_other_credentials() == 201


@pytest.mark.twimlsim(accept_any_credentials=False)
def test_marker(twimlsim):
    assert status_of_a_create_with_other_credentials() == 401
"""
    )
    pytester.runpytest("--twimlsim", "-p", "no:randomly").assert_outcomes(passed=2)


def test_the_marker_help_names_every_simulator_option(pytester: pytest.Pytester) -> None:
    # accept_any_credentials, which the marker takes, was missing from pytest --markers
    lines = pytester.runpytest("--markers").stdout.lines
    (line,) = [line for line in lines if line.startswith("@pytest.mark.twimlsim(")]
    assert line == (
        "@pytest.mark.twimlsim(**kwargs): run the test with a started Simulator(**kwargs) as "
        "the twimlsim fixture (cps, seed, strict, freeze_time, start, accept_any_credentials, "
        "allow_codes, delete_silent_recordings, trial, webhook_timeout, max_calls_per_run)"
    )
    assert line.partition("(cps, ")[2] == (
        ", ".join(list(inspect.signature(Simulator).parameters)[1:]) + ")"
    )


def test_ini_seed_may_be_text_as_simulator_seed_may(pytester: pytest.Pytester) -> None:
    expected = Simulator(seed="checkout").account_sid
    assert expected != Simulator(seed=0).account_sid
    pytester.makeini("[pytest]\ntwimlsim_seed = checkout\n")
    pytester.makepyfile(
        f"def test_ini(twimlsim):\n    assert twimlsim.account_sid == {expected!r}\n"
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_ini_webhook_timeout_none_lifts_the_limit(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ntwimlsim_webhook_timeout = None\n")
    pytester.makepyfile(
        """
import time

def slow(environ, start_response):
    time.sleep(0.3)
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>Late but heard.</Say></Response>"]

def test_unlimited(twimlsim):
    twimlsim.route("https://app.test", slow)
    twimlsim.number("+15005550006", voice_url="https://app.test/voice")
    call = twimlsim.incoming_call(from_="+15558675310", to="+15005550006")
    twimlsim.run()
    assert call.said == ["Late but heard."]

import pytest

@pytest.mark.twimlsim(webhook_timeout=0.1)
def test_marker_wins(twimlsim):
    twimlsim.route("https://app.test", slow)
    twimlsim.number("+15005550006", voice_url="https://app.test/voice")
    twimlsim.incoming_call(from_="+15558675310", to="+15005550006")
    with pytest.raises(Exception, match="the simulator waits at most 0.1 s"):
        twimlsim.run()
"""
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_bad_ini_value_is_a_clear_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ntwimlsim_strict = maybe\n")
    pytester.makepyfile("def test_it(twimlsim):\n    pass\n")
    assert_usage_error(
        pytester.runpytest(), "ini option twimlsim_strict takes true or false, got 'maybe'"
    )


def test_a_start_in_the_ini_that_is_no_time_is_a_clear_usage_error(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeini("[pytest]\ntwimlsim_start = monday\n")
    pytester.makepyfile("def test_it(twimlsim):\n    pass\n")
    assert_usage_error(
        pytester.runpytest(),
        "ini option twimlsim_start: 'monday' is not a date and time: give ISO 8601, such as "
        "2026-01-03T20:30 (UTC) or 2026-01-03T20:30-05:00",
    )


def test_marker_rejects_positional_arguments(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        "import pytest\n\n@pytest.mark.twimlsim(5)\ndef test_it(twimlsim):\n    pass\n"
    )
    assert_usage_error(
        pytester.runpytest(),
        "@pytest.mark.twimlsim takes keyword arguments only, e.g. @pytest.mark.twimlsim(cps=5); "
        "got positional (5,)",
    )


def test_unused_far_end_steps_fail_at_teardown(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
def test_script_never_used(twimlsim):
    twimlsim.phone("+15551230000").busy()
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*scripted far-end steps were never reached: sim.phone('+15551230000').busy()*"]
    )


def test_option_runs_an_existing_suite_offline(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
from twilio.rest import Client

def test_existing():
    client = Client("AC" + "0123456789abcdef" * 2, "real-looking-token")
    call = client.calls.create(
        to="+15558675310", from_="+15005550006", twiml="<Response/>")
    assert call.status == "queued"
    assert call.sid.startswith("CA")
"""
    )
    pytester.runpytest("--twimlsim").assert_outcomes(passed=1)


def test_help_lists_the_option_and_ini_names(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(
        [
            "*--twimlsim*Run every test inside a simulator*",
            "*twimlsim_cps*",
            "*twimlsim_seed*",
            "*twimlsim_strict*",
            "*twimlsim_freeze_time*",
        ]
    )


@pytest.mark.parametrize(
    ("ini", "marker", "message"),
    [
        (
            "twimlsim_cps = fast",
            "",
            "ini option twimlsim_cps takes a number of calls per second such as 5, got 'fast'",
        ),
        (
            "twimlsim_webhook_timeout = soon",
            "",
            "ini option twimlsim_webhook_timeout takes a number of seconds such as 15 (or none "
            "for no limit), got 'soon'",
        ),
        (
            "",
            "@pytest.mark.twimlsim(speed=2)",
            "twimlsim marker or ini option: Simulator.__init__() got an unexpected keyword "
            "argument 'speed' (did you mean 'seed'? Simulator takes cps, seed, strict, "
            "freeze_time, start, accept_any_credentials, allow_codes, delete_silent_recordings, "
            "trial, webhook_timeout, max_calls_per_run)",
        ),
        (
            "",
            "@pytest.mark.twimlsim(strcit=False)",
            "twimlsim marker or ini option: Simulator.__init__() got an unexpected keyword "
            "argument 'strcit' (did you mean 'strict'? Simulator takes cps, seed, strict, "
            "freeze_time, start, accept_any_credentials, allow_codes, delete_silent_recordings, "
            "trial, webhook_timeout, max_calls_per_run)",
        ),
    ],
)
def test_wrong_options_are_usage_errors(
    pytester: pytest.Pytester, ini: str, marker: str, message: str
) -> None:
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile(f"import pytest\n\n{marker}\ndef test_it(twimlsim):\n    pass\n")
    assert_usage_error(pytester.runpytest(), message)


def test_values_the_simulator_refuses_are_usage_errors_naming_marker_or_ini(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeini("[pytest]\ntwimlsim_webhook_timeout = -1\n")
    pytester.makepyfile(
        "import pytest\n\n"
        "def test_ini(twimlsim):\n    pass\n\n"
        "@pytest.mark.twimlsim(cps=0, webhook_timeout=5)\n"
        "def test_marker(twimlsim):\n    pass\n"
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=2)
    for message in (
        "Simulator(webhook_timeout=...): webhook_timeout must be a positive number of seconds "
        "such as 15 (or None for no limit); got -1.0",
        "Simulator(cps=...): cps must be a positive number of calls per second such as 1 or "
        "0.5; got 0",
    ):
        line = re.escape(f"twimlsim marker or ini option: {message}")
        result.stdout.re_match_lines([rf"^E\s+{USAGE_ERROR}: {line}$"])


def test_overriding_twimlsim_app_routes_every_tests_webhooks(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(app=APP)
    pytester.makeconftest(
        """
import pytest
from app import app

@pytest.fixture
def twimlsim_app():
    return app

@pytest.fixture
def twimlsim_base_url():
    return "https://voice.example.com"
"""
    )
    pytester.makepyfile(
        test_call="""
def test_call(twimlsim):
    twimlsim.number("+15005550006")
    call = twimlsim.client().calls.create(
        to="+15558675310", from_="+15005550006", url="https://voice.example.com/voice")
    twimlsim.run()
    assert twimlsim.calls[call.sid].said == ["Hi"]
"""
    )
    pytester.runpytest().assert_outcomes(passed=1)


ROUTED = """
def call(sim, url):
    sim.number("+15005550006")
    sim.client().calls.create(to="+15558675310", from_="+15005550006", url=url)
    sim.run()
"""


def test_twimlsim_app_is_overridden_per_module_class_and_parametrization(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(app=APP, routed=ROUTED)
    pytester.makepyfile(
        test_defaults="""
import pytest
from routed import call

@pytest.mark.twimlsim(strict=False)
def test_defaults_are_none_and_app_test(twimlsim, twimlsim_app, twimlsim_base_url):
    assert (twimlsim_app, twimlsim_base_url) == (None, "https://app.test")
    call(twimlsim, "https://app.test/voice")
    assert [failure.code for failure in twimlsim.failures] == [11205]  # no app routed
""",
        test_overrides="""
import pytest
from app import app
from routed import call

@pytest.fixture
def twimlsim_app():
    return app

def test_module_override_with_the_default_base_url(twimlsim):
    call(twimlsim, "https://app.test/voice")
    assert twimlsim.calls[next(iter(twimlsim.calls))].said == ["Hi"]

class TestInAClass:
    @pytest.fixture
    def twimlsim_base_url(self):
        return "https://class.example.com"

    def test_class_override(self, twimlsim):
        call(twimlsim, "https://class.example.com/voice")
        assert [c.said for c in twimlsim.calls.values()] == [["Hi"]]

@pytest.mark.parametrize("twimlsim_base_url", ["https://one.example.com", "https://two.example.com"])
def test_parametrized(twimlsim, twimlsim_base_url):
    call(twimlsim, f"{twimlsim_base_url}/voice")
    assert [c.said for c in twimlsim.calls.values()] == [["Hi"]]
""",
    )
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(
        [
            "*test_defaults_are_none_and_app_test PASSED*",
            "*test_module_override_with_the_default_base_url PASSED*",
            "*TestInAClass::test_class_override PASSED*",
            "*test_parametrized[[]https://one.example.com[]] PASSED*",
            "*test_parametrized[[]https://two.example.com[]] PASSED*",
        ]
    )


def test_an_override_may_build_on_the_default_it_overrides(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(app=APP, routed=ROUTED)
    pytester.makeconftest(
        """
import pytest

@pytest.fixture
def twimlsim_base_url(twimlsim_base_url):
    return twimlsim_base_url + "/mounted"

@pytest.fixture
def twimlsim_app():
    from app import app
    return app
"""
    )
    pytester.makepyfile(
        test_call="""
from routed import call

def test_call(twimlsim, twimlsim_base_url):
    assert twimlsim_base_url == "https://app.test/mounted"
    call(twimlsim, "https://app.test/mounted/voice")
    assert [c.said for c in twimlsim.calls.values()] == [["Hi"]]
"""
    )
    pytester.runpytest().assert_outcomes(passed=1)


WARNING_APP = """
from flask import Flask
app = Flask(__name__)

@app.post("/voice")
def voice():
    body = '<Response><Gather numDigit="1"><Say>Hi</Say></Gather></Response>'
    return body, 200, {"Content-Type": "text/xml"}
"""

WARNING_TEST = """
import pytest
from app import app

def place(sim):
    sim.route("https://app.test", app)
    sim.number("+15005550006")
    sim.client().calls.create(
        to="+15558675310", from_="+15005550006", url="https://app.test/voice")
    sim.run()
    assert [f.code for f in sim.failures] == [12200]

def test_unmarked(twimlsim):
    place(twimlsim)

@pytest.mark.twimlsim(allow_codes={12200})
def test_marked(twimlsim):
    place(twimlsim)
"""


@pytest.mark.parametrize(
    ("ini", "outcome"),
    [
        ("twimlsim_allow_codes = 13322", {"failed": 1, "passed": 1}),
        ("twimlsim_allow_codes = 13322, 12200", {"passed": 2}),
    ],
)
def test_warnings_fail_strict_tests_unless_their_code_is_allowed(
    pytester: pytest.Pytester, ini: str, outcome: dict[str, int]
) -> None:
    pytester.makepyfile(app=WARNING_APP)
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile(WARNING_TEST)
    result = pytester.runpytest()
    result.assert_outcomes(**outcome)
    if "failed" in outcome:
        result.stdout.fnmatch_lines(
            [
                "E       twimlsim.errors.SimulationError: 1 simulated call problem:",
                "*Twilio warning 12200 (Schema validation warning) at https://app.test/voice "
                "in <Gather> (line 1): <Gather> has no attribute 'numDigit' (did you mean "
                "'numDigits'? names are case-sensitive); Twilio ignores it*",
            ]
        )
        result.stdout.fnmatch_lines(["FAILED *::test_unmarked*"])


def test_bad_allow_codes_ini_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ntwimlsim_allow_codes = 12200 all\n")
    pytester.makepyfile("def test_it(twimlsim):\n    pass\n")
    assert_usage_error(
        pytester.runpytest(),
        "ini option twimlsim_allow_codes takes Twilio codes separated by spaces or commas, "
        "e.g. 12200 13322 (in pyproject.toml also a list, [12200, 13322]); got '12200 all'",
    )


@pytest.mark.parametrize(
    ("codes", "outcome"),
    [
        ('["13322", 12200]', {"passed": 2}),
        ("[13322]", {"failed": 1, "passed": 1}),
    ],
)
def test_allow_codes_in_pyproject_toml_may_be_a_list(
    pytester: pytest.Pytester, codes: str, outcome: dict[str, int]
) -> None:
    pytester.makepyfile(app=WARNING_APP)
    pytester.makepyprojecttoml(f"[tool.pytest.ini_options]\ntwimlsim_allow_codes = {codes}\n")
    pytester.makepyfile(WARNING_TEST)
    pytester.runpytest().assert_outcomes(**outcome)


def test_a_list_of_allow_codes_that_are_not_codes_is_a_usage_error(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyprojecttoml(
        '[tool.pytest.ini_options]\ntwimlsim_allow_codes = ["12200", "all"]\n'
    )
    pytester.makepyfile("def test_it(twimlsim):\n    pass\n")
    assert_usage_error(
        pytester.runpytest(),
        "ini option twimlsim_allow_codes takes Twilio codes separated by spaces or commas, "
        "e.g. 12200 13322 (in pyproject.toml also a list, [12200, 13322]); got '12200 all'",
    )


def test_a_pytest_run_inside_a_test_gives_each_test_its_own_simulator(
    pytester: pytest.Pytester,
) -> None:
    # The fixture finds its test without pytest's ``request``: the innermost running test.
    pytester.makepyfile(
        test_outer="""
import pytest

pytest_plugins = ["pytester"]

@pytest.mark.twimlsim(seed="outer")
def test_outer(twimlsim, pytester):
    pytester.makepyfile(test_inner='''
import pytest

@pytest.mark.twimlsim(seed="inner", strict=False)
def test_inner(twimlsim, request):
    assert twimlsim.strict is False
    assert request.node.name == "test_inner"
''')
    outer_sid = twimlsim.account_sid
    pytester.runpytest_inprocess().assert_outcomes(passed=1)
    assert twimlsim.strict is True and twimlsim.account_sid == outer_sid
"""
    )
    pytester.runpytest_inprocess().assert_outcomes(passed=1)


def test_the_fixture_works_with_the_seeing_plugin_blocked(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_it="""
import pytest

@pytest.mark.twimlsim(strict=False)
def test_it(twimlsim):
    assert twimlsim.strict is False
"""
    )
    pytester.runpytest("-p", "no:twimlsim-seeing").assert_outcomes(passed=1)
