"""``unittest.TestCase`` and Django ``TestCase`` suites: ``TwimlsimMixin`` under pytest,
``python -m unittest`` and ``manage.py test``, and Django's database across webhooks."""

from __future__ import annotations

import sys

import pytest

pytest_plugins = ["pytester"]

APP = """
from flask import Flask

app = Flask(__name__)


@app.post("/voice")
def voice():
    return "<Response><Say>Hello</Say></Response>", 200, {"Content-Type": "text/xml"}
"""

CASES = """
import unittest

import pytest
import requests

from twimlsim.testcase import TwimlsimMixin

from app import app


ORIGINAL_SEND = requests.adapters.HTTPAdapter.send


def wsgi_app(environ, start_response):  # a plain function: not bound to the test
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response/>"]


class CallTests(TwimlsimMixin, unittest.TestCase):
    twimlsim_app = app

    def setUp(self):
        super().setUp()
        self.twimlsim.number("+15005550006")

    def test_a_call(self):
        call = self.twimlsim.client().calls.create(
            to="+15558675310", from_="+15005550006", url="https://app.test/voice"
        )
        self.twimlsim.run()
        self.assertEqual(self.twimlsim.calls[call.sid].said, ["Hello"])
        self.assertEqual(call.sid, "CAee4a56ad3092da64d5ba892549669298")

    def test_b_failing_assertion(self):
        self.twimlsim.phone("+15558675310").presses("1")  # unused: not reported as well
        self.twimlsim.client().calls.create(
            to="+15558675310", from_="+15005550006", url="https://app.test/voice"
        )
        self.twimlsim.run()
        self.assertEqual("sales", "support")

    def test_c_unused_step(self):
        self.twimlsim.phone("+15558675310").presses("1")

    def test_d_failing_subtest(self):
        self.twimlsim.phone("+15558675310").presses("1")
        with self.subTest(menu=1):
            self.assertEqual("sales", "support")

    @unittest.expectedFailure
    def test_e_expected_failure(self):
        self.assertEqual("sales", "support")


class BadRoute(TwimlsimMixin, unittest.TestCase):
    twimlsim_app = wsgi_app
    twimlsim_base_url = "app.test"

    def test_never_runs(self):
        pass


class FunctionApp(TwimlsimMixin, unittest.TestCase):
    twimlsim_app = wsgi_app

    def test_routed(self):
        self.twimlsim.number("+15005550006", voice_url="https://app.test/voice")
        self.twimlsim.incoming_call(from_="+15558675310", to="+15005550006").run()
        self.assertEqual(self.twimlsim.requests[0].response.status, 200)


class Options(TwimlsimMixin, unittest.TestCase):
    twimlsim_options = {"strict": False, "seed": 7}

    def test_options(self):
        self.twimlsim.phone("+15558675310").presses("1")  # strict=False: allowed
        self.assertEqual(
            (self.twimlsim.strict, self.twimlsim.account_sid),
            (False, "AC8dc1d7dd9b127c719dc7820ef5a1653b"),
        )


@pytest.mark.twimlsim(strict=False)  # pytest refuses it: the mixin reads twimlsim_options
class Marked(TwimlsimMixin, unittest.TestCase):
    def test_marked(self):
        pass


@pytest.mark.no_twimlsim  # under pytest --twimlsim, no simulator of its own
class ZLast(unittest.TestCase):  # last under both runners: nothing the mixin patched is left
    def test_nothing_left(self):
        self.assertIs(requests.adapters.HTTPAdapter.send, ORIGINAL_SEND)
"""

UNUSED = (
    "twimlsim.errors.ConfigurationError: scripted far-end steps were never reached: "
    "sim.phone('+15558675310').presses('1'); no call was made, so +15558675310 was never "
    "called: place the call (the app's code, sim.client().calls.create(...) or "
    "sim.incoming_call(...)) and sim.run() before the test ends. Remove them, or pass "
    "strict=False to allow unused steps."
)


def test_the_mixin_under_pytest_reports_each_failure_once(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(app=APP, test_cases=CASES)
    # --twimlsim: a mixin test keeps its own simulator (the option's is not added)
    result = pytester.runpytest("-p", "no:cacheprovider", "-rA", "--twimlsim")
    # pytest 9 counts a test whose subtest failed as passed, and the subtest as failed;
    # pytest 8 counts the test as failed
    subtests = pytest.version_tuple >= (9,)
    result.assert_outcomes(passed=5 if subtests else 4, failed=4, xfailed=1, errors=1)
    summary = [line for line in result.outlines if line.startswith(("FAILED", "SUBFAILED"))]
    assert [line.split(" - ")[0] for line in summary] == [
        "FAILED test_cases.py::CallTests::test_b_failing_assertion",
        "FAILED test_cases.py::CallTests::test_c_unused_step",
        "SUBFAILED(menu=1) test_cases.py::CallTests::test_d_failing_subtest"
        if subtests
        else "FAILED test_cases.py::CallTests::test_d_failing_subtest",
        "FAILED test_cases.py::BadRoute::test_never_runs",
    ]
    # a failing setUp reports itself once, and stops the simulator it started
    result.stdout.fnmatch_lines(
        [
            "E *ValueError: sim.route('app.test', ...): base_url 'app.test' is not an "
            "absolute http(s) URL with a host; give the app's base URL, such as "
            "'https://app.test'"
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "E *UsageError: test_cases.py::Marked::test_marked is a TwimlsimMixin test marked "
            "twimlsim(strict=False): the mixin makes its own simulator from the class's "
            "twimlsim_options, under pytest and python -m unittest alike; move the marker's "
            "keywords there: twimlsim_options = {'strict': False}"
        ]
    )
    result.stdout.fnmatch_lines([f"E *{UNUSED}"])
    # the mixin's frames are left out of a failing test's traceback
    assert "_callTestMethod" not in result.stdout.str()
    # pytest's own section shows the calls: the exception carries no note of them
    assert f"Call {CALL_SID} outbound-api +15005550006 -> +15558675310: completed, 1s" in (
        result.outlines
    )
    assert "twimlsim calls:" not in result.stdout.str()


FAILING_B = "test_b_failing_assertion (test_cases.CallTests.test_b_failing_assertion)"
CALL_SID = "CAee4a56ad3092da64d5ba892549669298"


def test_the_mixin_under_python_m_unittest(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(app=APP, test_cases=CASES)
    result = pytester.run(sys.executable, "-m", "unittest", "test_cases", timeout=60)
    errors = result.errlines
    assert errors[-1] == "FAILED (failures=2, errors=2, expected failures=1)"
    assert [line for line in errors if line.startswith(("ERROR:", "FAIL:"))] == [
        "ERROR: test_never_runs (test_cases.BadRoute.test_never_runs)",
        "ERROR: test_c_unused_step (test_cases.CallTests.test_c_unused_step)",
        "FAIL: test_b_failing_assertion (test_cases.CallTests.test_b_failing_assertion)",
        "FAIL: test_d_failing_subtest (test_cases.CallTests.test_d_failing_subtest) (menu=1)",
    ]
    assert UNUSED in errors
    assert not any("twimlsim/testcase.py" in line for line in errors)
    # the failing test's calls follow its traceback, as pytest's section shows them
    failure = errors[errors.index(f"FAIL: {FAILING_B}") :]
    note = failure.index("twimlsim calls:")
    assert failure[note - 4 : note + 8] == [
        "- sales",
        "+ support",
        "",
        "",
        "twimlsim calls:",
        "",
        f"Call {CALL_SID} outbound-api +15005550006 -> +15558675310: completed, 1s",
        "",
        "Transcript:",
        "  09:00:00  answered",
        "  09:00:00  said 'Hello'",
        "  09:00:01  hung up by twiml: completed",
    ]
    assert errors.count("twimlsim calls:") == 1  # the subtest's and the errors' carry none


DJANGO_SETTINGS = """
SECRET_KEY = "test"
ALLOWED_HOSTS = ["calls.example.com"]
PUBLIC_BASE_URL = "https://calls.example.com"
ROOT_URLCONF = "urls"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
# a database file, as on a real server: SQLite in memory ignores Django closing it
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3",
                         "TEST": {"NAME": "test_db.sqlite3"}}}
USE_TZ = True
STATIC_URL = "/static/"
TWILIO_ACCOUNT_SID = "ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
TWILIO_AUTH_TOKEN = "your_auth_token"
"""

DJANGO_URLS = """
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from twilio.rest import Client


#: what the app hands on once the webhook's writes are committed (a task queue)
COMMITTED = []


@csrf_exempt
def voice(request):
    sid = request.POST["CallSid"]
    Group.objects.create(name=sid)  # the app stores the call
    transaction.on_commit(lambda: COMMITTED.append(sid))
    return HttpResponse("<Response><Say>Stored</Say></Response>", content_type="text/xml")


@csrf_exempt
def call(request):
    client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)
    made = client.calls.create(
        to=request.POST["to"], from_="+15005550006", url=f"{settings.PUBLIC_BASE_URL}/voice/"
    )
    return JsonResponse({"sid": made.sid})


urlpatterns = [path("voice/", voice), path("call/", call)]
"""

DJANGO_TESTS = """
from django.contrib.auth.models import Group
from django.core.wsgi import get_wsgi_application
import requests
from django.test import LiveServerTestCase, TestCase, override_settings

import urls
from twimlsim.testcase import TwimlsimMixin


class CallTests(TwimlsimMixin, TestCase):
    twimlsim_app = get_wsgi_application()
    twimlsim_base_url = "https://calls.example.com"

    def setUp(self):
        super().setUp()
        self.twimlsim.number("+15005550006")
        credentials = override_settings(
            TWILIO_ACCOUNT_SID=self.twimlsim.account_sid,
            TWILIO_AUTH_TOKEN=self.twimlsim.auth_token,
        )
        credentials.enable()
        self.addCleanup(credentials.disable)

    def test_the_webhook_stores_the_call_in_the_tests_transaction(self):
        to = {"to": "+15558675310"}
        answer = self.client.post("/call/", to, HTTP_HOST="calls.example.com")
        sid = answer.json()["sid"]
        urls.COMMITTED.clear()
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            self.twimlsim.run()
        self.assertEqual(self.twimlsim.calls[sid].said, ["Stored"])
        self.assertEqual(list(Group.objects.values_list("name", flat=True)), [sid])
        # run as the webhook ended, as after Twilio's request, and not a second time
        self.assertEqual((urls.COMMITTED, callbacks), ([sid], []))


class LiveServerCallTests(TwimlsimMixin, LiveServerTestCase):
    twimlsim_app = get_wsgi_application()
    twimlsim_base_url = "https://calls.example.com"  # not live_server_url: localhost

    def setUp(self):
        super().setUp()
        self.twimlsim.number("+15005550006")
        self.enterContext(override_settings(
            TWILIO_ACCOUNT_SID=self.twimlsim.account_sid,
            TWILIO_AUTH_TOKEN=self.twimlsim.auth_token,
        ))

    def test_a_call_placed_from_the_live_servers_thread(self):
        to = {"to": "+15558675310"}
        answer = requests.post(f"{self.live_server_url}/call/", data=to, timeout=5)
        sid = answer.json()["sid"]  # placed from the server's thread, answered by the simulator
        urls.COMMITTED.clear()
        self.twimlsim.run()
        self.assertEqual(self.twimlsim.calls[sid].said, ["Stored"])
        self.assertEqual(list(Group.objects.values_list("name", flat=True)), [sid])
        self.assertEqual(urls.COMMITTED, [sid])  # no test transaction: run at once
"""


def _django_project(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        settings=DJANGO_SETTINGS,
        urls=DJANGO_URLS,
        manage="""
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
from django.core.management import execute_from_command_line

execute_from_command_line(sys.argv)
""",
    )
    pytester.mkpydir("calls")
    (pytester.path / "calls" / "tests.py").write_text(DJANGO_TESTS, encoding="utf-8")


def test_a_django_test_case_under_manage_py_test(pytester: pytest.Pytester) -> None:
    _django_project(pytester)
    result = pytester.run(sys.executable, "manage.py", "test", "calls", "--noinput", timeout=60)
    assert result.ret == 0, result.errlines
    assert result.outlines[0] == "Found 2 test(s)."
    assert [line for line in result.errlines if line.startswith("Ran ")][0].startswith(
        "Ran 2 tests in "
    )
    assert result.errlines[-2:] == ["OK", "Destroying test database for alias 'default'..."]


def test_pytest_django_fixtures_and_test_cases(pytester: pytest.Pytester) -> None:
    _django_project(pytester)
    pytester.makeini(
        "[pytest]\nDJANGO_SETTINGS_MODULE = settings\npython_files = tests.py test_*.py\n"
    )
    pytester.makepyfile(
        test_functions="""
import pytest
import requests
import urls
from django.contrib.auth.models import Group
from django.core.wsgi import get_wsgi_application


@pytest.fixture
def twimlsim_app():
    return get_wsgi_application()


@pytest.fixture
def twimlsim_base_url(settings):
    return settings.PUBLIC_BASE_URL


@pytest.fixture
def twilio_settings(settings, twimlsim):
    settings.TWILIO_ACCOUNT_SID = twimlsim.account_sid
    settings.TWILIO_AUTH_TOKEN = twimlsim.auth_token
    settings.ALLOWED_HOSTS = ["calls.example.com", "localhost"]
    twimlsim.number("+15005550006")


@pytest.mark.django_db
def test_client(client, twimlsim, twilio_settings):
    to = {"to": "+15558675310"}
    sid = client.post("/call/", to, HTTP_HOST="calls.example.com").json()["sid"]
    urls.COMMITTED.clear()
    twimlsim.run()
    assert list(Group.objects.values_list("name", flat=True)) == [sid]
    assert urls.COMMITTED == [sid]


def test_live_server(live_server, twimlsim, twilio_settings):
    answer = requests.post(f"{live_server.url}/call/", data={"to": "+15558675310"}, timeout=5)
    sid = answer.json()["sid"]  # placed from the server's thread, answered by the simulator
    urls.COMMITTED.clear()
    twimlsim.run()
    assert list(Group.objects.values_list("name", flat=True)) == [sid]
    assert urls.COMMITTED == [sid]  # no test transaction: Django ran it at once
"""
    )
    result = pytester.runpytest_subprocess("-p", "django", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_errors_survive_a_parallel_runners_pickling() -> None:
    # Django's manage.py test --parallel pickles each failing test's error to its parent
    import pickle

    from twimlsim.errors import CallFailure, RunawayCalls, SimulationError, TwilioApiError

    unpicklable_cause = ValueError(lambda: "the app's own object")
    failures = [
        CallFailure("CA1", 11200, "the app raised ValueError", url="https://a.test/v"),
        CallFailure("CA2", None, "calls kept placing calls", cause=unpicklable_cause),
    ]
    for error in (SimulationError(failures), RunawayCalls(failures)):
        copy = pickle.loads(pickle.dumps(error))
        assert (type(copy), str(copy), copy.failures) == (type(error), str(error), error.failures)
        assert [failure.cause for failure in copy.failures] == [None, None]
    api = pickle.loads(pickle.dumps(TwilioApiError(400, 21201, "No 'To' number is specified")))
    assert (str(api), api.to_json()) == (
        "HTTP 400, Twilio error 21201: No 'To' number is specified",
        {
            "code": 21201,
            "message": "No 'To' number is specified",
            "more_info": "https://www.twilio.com/docs/errors/21201",
            "status": 400,
        },
    )


def test_a_misspelt_option_of_the_mixin_names_the_class_and_the_keyword_meant() -> None:
    import unittest

    from twimlsim.testcase import TwimlsimMixin

    class Misspelt(TwimlsimMixin, unittest.TestCase):
        twimlsim_options = {"strat": "2026-05-04T16:00"}

        def test_nothing(self) -> None:
            pass

    with pytest.raises(TypeError) as raised:
        Misspelt("test_nothing").setUp()
    assert str(raised.value) == (
        "Misspelt.twimlsim_options: Simulator.__init__() got an unexpected keyword argument "
        "'strat' (did you mean 'start'? Simulator takes cps, seed, strict, freeze_time, start, "
        "accept_any_credentials, allow_codes, delete_silent_recordings, trial, webhook_timeout, "
        "max_calls_per_run)"
    )


def test_mixin_options_that_are_no_dict_name_the_class_and_what_to_give() -> None:
    # it was "Simulator() argument after ** must be a mapping, not list"
    import unittest

    from twimlsim.testcase import TwimlsimMixin

    class Listed(TwimlsimMixin, unittest.TestCase):
        twimlsim_options = ["strict", False]  # type: ignore[assignment]

        def test_nothing(self) -> None:
            pass

    with pytest.raises(TypeError) as raised:
        Listed("test_nothing").setUp()
    assert str(raised.value) == (
        "Listed.twimlsim_options: a dict of Simulator keywords such as {'strict': False} (those "
        "@pytest.mark.twimlsim takes); got ['strict', False] (list)"
    )


def test_python_313s_own_suggestion_is_left_out_so_one_is_given_on_every_python() -> None:
    """Python 3.13 words the error "... argument 'strat'. Did you mean 'strict'?", nearest
    by its own measure: two suggestions that disagree would confuse."""
    from twimlsim import Simulator
    from twimlsim.arguments import keyword_error_text

    on_313 = TypeError(
        "Simulator.__init__() got an unexpected keyword argument 'strat'. Did you mean 'strict'?"
    )
    on_311 = TypeError("Simulator.__init__() got an unexpected keyword argument 'strat'")
    expected = (
        "Simulator.__init__() got an unexpected keyword argument 'strat' (did you mean 'start'? "
        "Simulator takes cps, seed, strict, freeze_time, start, accept_any_credentials, "
        "allow_codes, delete_silent_recordings, trial, webhook_timeout, max_calls_per_run)"
    )
    assert keyword_error_text(on_313, Simulator) == expected
    assert keyword_error_text(on_311, Simulator) == expected
    assert keyword_error_text(TypeError("cps must be a number"), Simulator) == (
        "cps must be a number"
    )
