"""What a golden file holds, and where it goes."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from fixtures.pictures import menu_call
from twimlsim import Simulator
from twimlsim.golden import Golden, golden_text
from twimlsim.report import format_api_request, format_call
from twimlsim.serve import _SERVE_HINTS as SERVE_HINTS

APP = "https://app.test"


def test_a_call_brings_the_legs_it_dialled() -> None:
    parent, agent = menu_call(["1"])
    assert golden_text(parent) == f"{format_call(parent)}\n\n{format_call(agent)}\n"
    assert golden_text([agent]) == format_call(agent) + "\n"


def test_a_simulator_brings_every_call_then_the_rest_requests_about_none() -> None:
    with Simulator() as sim:
        sim.number("+15005550006")
        sim.client().calls.create(
            to="+15558675310", from_="+15005550006", twiml="<Response><Say>Hi</Say></Response>"
        )
        sim.client().calls.list(limit=1)
        sim.run()
        text = golden_text(sim)
    call = next(iter(sim.calls.values()))
    assert text == (
        f"{format_call(call)}\n\nREST requests about no call (1):\n"
        f"  09:00:00  calls.list GET /2010-04-01/Accounts/{sim.account_sid}/Calls.json -> 200\n"
        "      PageSize=1\n"
    )


def test_files_are_named_after_the_test_and_compared_without_their_header(
    tmp_path: Path,
) -> None:
    golden = Golden(folder=tmp_path, stem="TestX.test_y[a/b c]", origin="t.py::TestX::test_y")
    assert golden.path() == tmp_path / "TestX.test_y-a-b-c-.txt"
    assert golden.path("second") == tmp_path / "TestX.test_y-a-b-c-.second.txt"
    assert golden.check("log\n") == "created"
    moved = Golden(folder=tmp_path, stem="TestX.test_y[a/b c]", origin="elsewhere.py::test_y")
    assert moved.check("log\n") == "matched"
    with pytest.raises(AssertionError, match="differs from the golden file"):
        moved.check("other log\n")
    assert golden.outcomes == [("created", tmp_path / "TestX.test_y-a-b-c-.txt")]


def test_a_simulators_report_can_show_only_its_first_calls() -> None:
    from twimlsim.report import format_simulator

    with Simulator(cps=100) as sim:
        sim.number("+15005550006")
        for _ in range(3):
            sim.client().calls.create(to="+15558675310", from_="+15005550006", twiml="<Response/>")
        sim.run()
        first = next(iter(sim.calls.values()))
        assert format_simulator(sim, limit=1, params=False) == (
            f"{format_call(first, params=False)}\n\n"
            "... and 2 more calls (--twimlsim-report shows all)"
        )


def test_a_refused_rest_request_shows_twilios_error_and_what_the_test_lacks() -> None:
    with Simulator() as sim:
        with contextlib.suppress(TwilioRestException):
            sim.client().calls.create(to="+15558675310", from_="+15551112222", url=f"{APP}/v")
        with contextlib.suppress(TwilioRestException):
            sim.client().calls(f"CA{'0' * 32}").fetch()
        text = golden_text(sim)
    path = f"/2010-04-01/Accounts/{sim.account_sid}/Calls"
    assert text == (
        "REST requests about no call (2):\n"
        f"  09:00:00  calls.create POST {path}.json -> 400\n"
        f"      To=+15558675310, From=+15551112222, Url={APP}/v\n"
        "      Twilio error 21210: The source phone number provided, +15551112222, is not yet "
        "verified for your account. You may only make calls from phone numbers that you've "
        "verified or purchased from Twilio. (give the account the From number: "
        "sim.number('+15551112222'), or sim.verified_caller_id('+15551112222'); a client on "
        "the test credentials (sim.test_auth_token) calls only from Twilio's magic "
        "+15005550006)\n"
        f"  09:00:00  calls.fetch GET {path}/CA{'0' * 32}.json -> 404\n"
        f"      Twilio error 20404: The requested resource {path}/CA{'0' * 32}.json was not "
        "found\n"
    )


def test_a_client_made_without_credentials_is_told_so(monkeypatch: pytest.MonkeyPatch) -> None:
    # a call-centre sample makes Client() at import, before the test set the environment:
    # twilio-python then sends no credentials, to /Accounts/None/
    monkeypatch.delenv("TWILIO_ACCOUNT_SID", raising=False)
    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    with Simulator() as sim:
        sim.number("+15005550006")
        with pytest.raises(TwilioRestException) as refused:
            Client().calls.create(to="+15558675310", from_="+15005550006", url=f"{APP}/v")
        lines = golden_text(sim).splitlines()
        logged = format_api_request(sim.api_requests[-1], params=False, hints=SERVE_HINTS)
    assert (refused.value.status, refused.value.code) == (401, 20003)
    refusal = (
        "Twilio error 20003: Authenticate (the client that sent it had no credentials: its "
        "path names the account None, as twilio-python's Client() writes it when made "
        "without any while TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are unset (a client made "
        "at the app's import, before the test set them); set both to the simulator's "
        "account SID and auth token before the client is made, or pass them to "
        "Client(account_sid, auth_token))"
    )
    assert lines[-1] == f"      {refusal}"
    assert logged[-1] == f"      {refusal}"


def test_an_outcome_given_as_a_status_callback_event_is_refused_naming_the_events() -> None:
    # a press-1 dialler sample subscribes its calls to ['completed', 'busy', 'no-answer',
    # 'canceled', 'failed']: Twilio refuses every create (21626), and the report says how a
    # call's outcome reaches the callback instead
    with Simulator() as sim:
        sim.number("+15005550006")
        with pytest.raises(TwilioRestException) as refused:
            sim.client().calls.create(
                to="+15558675310",
                from_="+15005550006",
                twiml="<Response/>",
                status_callback=f"{APP}/status",
                status_callback_event=["completed", "busy", "no-answer"],
            )
        lines = golden_text(sim).splitlines()
        # twimlsim serve logs the refusal with its own hints: the advice is there too
        logged = format_api_request(sim.api_requests[-1], params=False, hints=SERVE_HINTS)
        with pytest.raises(TwilioRestException) as joined:  # one text with commas
            sim.client().calls.create(
                to="+15558675310",
                from_="+15005550006",
                twiml="<Response/>",
                status_callback=f"{APP}/status",
                status_callback_event="initiated, completed",
            )
        assert (joined.value.code, joined.value.msg) == (
            21626,
            "Unable to create record: One or more of the StatusCallbackEvents provided were "
            "invalid: initiated,",
        )
    assert (refused.value.status, refused.value.code) == (400, 21626)
    refusal = (
        "Twilio error 21626: One or more of the StatusCallbackEvents provided were "
        "invalid: busy, no-answer (a call's events are initiated, ringing, answered and "
        "completed, each its own StatusCallbackEvent parameter (as the helper libraries send a "
        "list) or separated by spaces; a call that ends busy, no-answer, canceled or failed "
        "sends its completed event, with that CallStatus)"
    )
    assert lines[-1] == f"      {refusal}"
    assert logged[-1] == f"      {refusal}"


def test_a_space_for_a_plus_in_the_other_number_is_named_beside_the_refusal() -> None:
    # a Voice SDK quickstart server was sent to=+15558675310 unencoded (its To became
    # " 15558675310") and has From "1234567890": Twilio refuses the From first, and the
    # space, a second problem, was named as if it caused the From's refusal
    with Simulator() as sim:

        def create_from(from_: str) -> int:
            """The error code of a create whose form body has To's '+' unencoded."""
            answer = requests.post(
                f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json",
                data=f"To=+15558675310&From={from_}&Url=https://app.test/voice",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                auth=(sim.account_sid, sim.auth_token),
                timeout=5,
            )
            code: int = answer.json()["code"]
            return code

        assert create_from("1234567890") == 21212
        assert create_from("%2B15005550009") == 21210  # a number owned elsewhere
        lines = golden_text(sim).splitlines()
    space = (
        "also, To starts with a space: a '+' sent unencoded in a form body reads as one; send "
        "it as %2B, as curl --data-urlencode and every HTTP client's form encoding do)"
    )
    assert lines[3] == (
        f"      Twilio error 21212: From is not a valid phone number: 1234567890 ({space}"
    )
    assert lines[-1] == (
        "      Twilio error 21210: The source phone number provided, +15005550009, is not yet "
        "verified for your account. You may only make calls from phone numbers that you've "
        "verified or purchased from Twilio. (give the account the From number: "
        f"sim.number('+15005550009'), or sim.verified_caller_id('+15005550009'); a client on "
        "the test credentials (sim.test_auth_token) calls only from Twilio's magic "
        f"+15005550006; {space}"
    )


def test_a_long_call_shows_its_first_and_last_entries_and_counts_the_rest() -> None:
    says = "".join(f"<Say>Line {index}</Say>" for index in range(12))
    with Simulator() as sim:
        sim.number("+15005550006")
        sim.client().calls.create(
            to="+15558675310", from_="+15005550006", twiml=f"<Response>{says}</Response>"
        )
        sim.run()
    call = next(iter(sim.calls.values()))
    lines = format_call(call, params=False, max_entries=10).splitlines()
    assert lines[3:15] == [
        "  09:00:00  answered",
        "  09:00:00  said 'Line 0'",
        "  09:00:01  said 'Line 1'",
        "  09:00:02  said 'Line 2'",
        "  09:00:03  said 'Line 3'",
        "  ... 4 more events ...",
        "  09:00:08  said 'Line 8'",
        "  09:00:09  said 'Line 9'",
        "  09:00:10  said 'Line 10'",
        "  09:00:11  said 'Line 11'",
        "  09:00:12  hung up by twiml: completed",
        "",
    ]
    assert len(format_call(call, params=False).splitlines()) == len(lines) + 3  # 4 out, 1 in


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        (None, "None (NoneType)"),
        ("CA0123", "'CA0123' (a call SID: pass sim.calls['CA0123'])"),
        ([None], "[None] (list)"),
        (42, "42 (int)"),
    ],
)
def test_a_source_that_is_no_call_or_simulator_is_a_type_error_saying_what_to_pass(
    source: object, shown: str
) -> None:
    with pytest.raises(TypeError) as refused:
        golden_text(source)  # type: ignore[arg-type]
    assert str(refused.value) == (
        "twimlsim_golden() takes the simulator, one of its calls (sim.calls[sid]) or a list "
        f"of calls; got {shown}"
    )


def test_a_golden_file_that_is_no_utf8_text_fails_saying_how_to_rewrite_it(
    tmp_path: Path,
) -> None:
    """Saved in UTF-16 by an editor (or overwritten by a binary file), it failed the test
    with a UnicodeDecodeError from inside twimlsim."""
    golden = Golden(folder=tmp_path, stem="test_y", origin="t.py::test_y")
    golden.path().write_bytes("log\n".encode("utf-16"))
    with pytest.raises(AssertionError) as failed:
        golden.check("log\n")
    assert str(failed.value) == (
        f"the golden file {tmp_path / 'test_y.txt'} is not UTF-8 text ('utf-8' codec can't "
        "decode byte 0xff in position 0: invalid start byte), as twimlsim writes it: run "
        "pytest --twimlsim-golden-update to write this run's log there, then review the "
        "file's diff"
    )
    updating = Golden(folder=tmp_path, stem="test_y", origin="t.py::test_y", update=True)
    assert updating.check("log\n") == "refreshed"
    assert golden.check("log\n") == "matched"


def test_a_folder_where_the_golden_file_goes_is_told(tmp_path: Path) -> None:
    golden = Golden(folder=tmp_path, stem="test_y", origin="t.py::test_y")
    golden.path().mkdir()
    with pytest.raises(AssertionError) as failed:
        golden.check("log\n")
    assert str(failed.value) == (
        f"the golden file {tmp_path / 'test_y.txt'} is a folder: remove it, or give this "
        "test's log another name, twimlsim_golden(sim, name='...')"
    )


def test_a_golden_file_another_workers_test_wrote_says_whose_it_is(tmp_path: Path) -> None:
    """Two tests whose names make one file name, run by two pytest-xdist workers (each
    keeps its own claims): the second failed with a diff against the first test's log,
    and the advice to rewrite it with --twimlsim-golden-update."""
    first = Golden(folder=tmp_path, stem="test_y[same/x]", origin="t.py::test_y[same/x]")
    assert first.check("said same/x\n") == "created"
    second = Golden(folder=tmp_path, stem="test_y[same:x]", origin="t.py::test_y[same:x]")
    with pytest.raises(AssertionError) as failed:
        second.check("said same:x\n")
    path = tmp_path / "test_y-same-x-.txt"
    assert str(failed.value) == (
        f"the call log differs from the golden file {path}; the file was written for "
        "t.py::test_y[same/x], whose name makes the same file name (the two tests' names "
        "differ only in characters a file name cannot hold, and pytest-xdist ran them in two "
        "workers): give this test's log its own name, twimlsim_golden(sim, name='...'), or "
        "rename one of the tests\n"
        f"--- {path} (golden)\n"
        "+++ this run\n"
        "@@ -1,4 +1,4 @@\n"
        "-# twimlsim golden log of t.py::test_y[same/x]\n"
        "+# twimlsim golden log of t.py::test_y[same:x]\n"
        " # refresh: pytest --twimlsim-golden-update\n"
        " \n"
        "-said same/x\n"
        "+said same:x"
    )
    # its own file, under another rootdir (the module's path differs), keeps the usual advice
    moved = Golden(folder=tmp_path, stem="test_y[same/x]", origin="tests/t.py::test_y[same/x]")
    with pytest.raises(AssertionError) as differs:
        moved.check("said other\n")
    assert str(differs.value) == (
        f"the call log differs from the golden file {path}; if the change is intended, run "
        "pytest --twimlsim-golden-update and review the file's diff\n"
        f"--- {path} (golden)\n"
        "+++ this run\n"
        "@@ -1,4 +1,4 @@\n"
        "-# twimlsim golden log of t.py::test_y[same/x]\n"
        "+# twimlsim golden log of tests/t.py::test_y[same/x]\n"
        " # refresh: pytest --twimlsim-golden-update\n"
        " \n"
        "-said same/x\n"
        "+said other"
    )
