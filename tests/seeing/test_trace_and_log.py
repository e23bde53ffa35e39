"""What the simulator records for people to see: verb spans, served documents, and the
app's REST requests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fixtures.menus_app import app
from twimlsim import Simulator

CALLER_ID = "+15005550006"
CALLEE = "+15558675310"


def at(seconds: float) -> datetime:
    """The virtual time ``seconds`` after the simulation starts."""
    return datetime(2026, 1, 1, 9, 0, tzinfo=UTC) + timedelta(seconds=seconds)


@pytest.fixture
def sim() -> Simulator:
    with Simulator() as simulator:
        simulator.route("https://app.test", app)
        simulator.number(CALLER_ID)
        yield simulator  # type: ignore[misc]


def test_verb_runs_span_virtual_time_and_name_their_document(sim: Simulator) -> None:
    sim.phone(CALLEE).presses("2").presses("1")
    created = sim.client().calls.create(
        to=CALLEE, from_=CALLER_ID, url="https://app.test/menus/main"
    )
    sim.run()
    call = sim.calls[created.sid]
    assert [(served.url, served.at) for served in call.served] == [
        ("https://app.test/menus/main", at(0)),
        ("https://app.test/menus/main-choice", at(5)),
        ("https://app.test/menus/support", at(5)),
        ("https://app.test/menus/support-choice", at(9)),
    ]
    assert [
        (
            run.served.url.rsplit("/", 1)[1],
            run.index,
            run.tag,
            run.verb.line,
            run.started,
            run.ended,
        )
        for run in call.verb_runs
        if run.served.url is not None
    ] == [
        ("main", 0, "Gather", 1, at(0), at(5)),  # 12 words of prompt, then the key
        ("main-choice", 0, "Redirect", 1, at(5), at(5)),
        ("support", 0, "Gather", 1, at(5), at(9)),
        ("support-choice", 0, "Say", 1, at(9), at(11)),
        ("support-choice", 1, "Hangup", 1, at(11), at(11)),
    ]


def test_a_hang_up_ends_the_verb_under_way(sim: Simulator) -> None:
    sim.phone(CALLEE).hangs_up(after=3)
    created = sim.client().calls.create(
        to=CALLEE, from_=CALLER_ID, url="https://app.test/menus/main"
    )
    sim.run()
    runs = sim.calls[created.sid].verb_runs
    assert [(run.tag, run.started, run.ended) for run in runs] == [("Gather", at(0), at(3))]


def test_the_apps_rest_requests_are_logged_with_the_call_they_concern(sim: Simulator) -> None:
    client = sim.client()
    created = client.calls.create(
        to=CALLEE,
        from_=CALLER_ID,
        url="https://app.test/menus/main",
        status_callback="https://app.test/menus/status",
        status_callback_event=["initiated", "completed"],
    )
    client.calls(created.sid).fetch()
    client.calls(created.sid).update(status="canceled")
    with pytest.raises(Exception, match="HTTP 404"):
        client.calls("CA" + "0" * 32).fetch()
    base = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls"
    assert [
        (r.kind, r.method, r.url, r.params, r.call_sid, r.status, r.at) for r in sim.api_requests
    ] == [
        (
            "calls.create",
            "POST",
            f"{base}.json",
            {
                "To": CALLEE,
                "From": CALLER_ID,
                "StatusCallback": "https://app.test/menus/status",
                "StatusCallbackEvent": "initiated",
                "Url": "https://app.test/menus/main",
            },
            created.sid,
            201,
            at(0),
        ),
        ("calls.fetch", "GET", f"{base}/{created.sid}.json", {}, created.sid, 200, at(0)),
        (
            "calls.update",
            "POST",
            f"{base}/{created.sid}.json",
            {"Status": "canceled"},
            created.sid,
            200,
            at(0),
        ),
        ("calls.fetch", "GET", f"{base}/CA{'0' * 32}.json", {}, "CA" + "0" * 32, 404, at(0)),
    ]
    first = sim.api_requests[0]
    assert first.values("StatusCallbackEvent") == ["initiated", "completed"]
    assert sim.calls[created.sid].api_requests == sim.api_requests[:3]


def test_an_unrouted_rest_request_is_logged_as_unknown(sim: Simulator) -> None:
    import requests

    answer = requests.get(
        f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Nothing.json",
        auth=(sim.account_sid, sim.auth_token),
        timeout=5,
    )
    assert answer.status_code == 404
    logged = sim.api_requests[-1]
    assert (logged.kind, logged.status, logged.call_sid) == ("unknown", 404, None)


def test_conference_participants_are_logged_with_the_call_they_concern() -> None:
    from tests.engine.helpers import simulator
    from tests.rest.test_conferences import AGENT, CUSTOMER, ROOM
    from tests.support import CALLER_ID as OWNED

    with simulator({"/voice": ROOM}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        sim.phone(AGENT).hangs_up(after=10)
        sim.incoming_call(from_=CUSTOMER, to=OWNED)
        sim.advance(1)
        room = sim.client().conferences(sim.conferences["Support"].sid)
        created = room.participants.create(from_=OWNED, to=AGENT)
        room.participants(created.call_sid).fetch()
        sim.run()
    assert [(r.kind, r.call_sid, r.status) for r in sim.api_requests] == [
        ("participants.create", created.call_sid, 201),
        ("participants.fetch", created.call_sid, 200),
    ]
    assert sim.calls[created.call_sid].api_requests == sim.api_requests


def test_the_log_keeps_each_answer_and_the_parameters_byte_for_byte(sim: Simulator) -> None:
    import requests

    url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
    auth = (sim.account_sid, sim.auth_token)
    created = requests.post(
        url,
        data=[
            ("To", CALLEE),
            ("From", CALLER_ID),
            ("Url", "https://app.test/menus/main"),
            ("StatusCallbackEvent", "ringing"),
            ("StatusCallbackEvent", "answered"),
        ],
        auth=auth,
        timeout=5,
    )
    missing = requests.get(f"{url[:-5]}/CA{'0' * 32}.json?a=1&b=%C3%A9&a=", auth=auth, timeout=5)
    logged_create, logged_fetch = sim.api_requests
    assert len(created.content) > 1000  # a long answer: kept compressed, read back whole
    assert logged_create.body == created.content
    assert logged_fetch.body == missing.content
    assert logged_create.pairs == (
        ("To", CALLEE),
        ("From", CALLER_ID),
        ("Url", "https://app.test/menus/main"),
        ("StatusCallbackEvent", "ringing"),
        ("StatusCallbackEvent", "answered"),
    )
    assert logged_create.params["StatusCallbackEvent"] == "ringing"
    assert logged_fetch.pairs == (("a", "1"), ("b", "é"), ("a", ""))
    assert logged_fetch.params == {"a": "1", "b": "é"}


def test_later_answers_of_a_kind_are_packed_against_the_first_and_read_back_whole(
    sim: Simulator,
) -> None:
    import requests

    url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
    auth = (sim.account_sid, sim.auth_token)
    answers = [
        requests.post(
            url,
            data={"To": to, "From": CALLER_ID, "Url": "https://app.test/menus/main"},
            auth=auth,
            timeout=5,
        )
        for to in (CALLEE, "+15558675311", "+442079460000")
    ]
    listed = requests.get(url, auth=auth, timeout=5)
    first, second, third, listing = sim.api_requests
    assert [entry.body for entry in sim.api_requests] == [
        *(answer.content for answer in answers),
        listed.content,
    ]
    # the first create is the dictionary of the later ones, kept once and shared
    assert first.packed_body == b"D" and first.dictionary == answers[0].content
    assert second.dictionary is first.dictionary is third.dictionary
    assert second.packed_body[:1] == b"d" and len(second.packed_body) < 200
    assert len(third.packed_body) < 200
    # another kind of request has a dictionary of its own; a first answer longer than a
    # dictionary is compressed on its own
    assert len(listed.content) > 4096
    assert listing.packed_body[:1] == b"z" and listing.dictionary == b""
    # one copy of a call's SID for the call and its log; one copy of a repeated form
    assert second.call_sid is sim.calls[second.call_sid].sid
    assert second.raw_params == (
        b"To=%2B15558675311&From=%2B15005550006&Url=https%3A%2F%2Fapp.test%2Fmenus%2Fmain"
    )


def test_the_same_create_again_is_kept_as_a_marker_and_read_back_whole(sim: Simulator) -> None:
    import requests

    url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
    form = {"To": CALLEE, "From": CALLER_ID, "Url": "https://app.test/menus/main"}
    answers = []
    for _ in range(3):
        answers.append(
            requests.post(url, data=form, auth=(sim.account_sid, sim.auth_token), timeout=5)
        )
        sim.advance(1)
    first, second, third = sim.api_requests
    assert [entry.body for entry in sim.api_requests] == [a.content for a in answers]
    # the later answers differ from the first only in the call's SID
    assert len({a.json()["sid"] for a in answers}) == 3
    assert (first.packed_body, second.packed_body, third.packed_body) == (b"D", b"T", b"T")
    assert second.dictionary is third.dictionary


def test_the_same_form_sent_twice_is_kept_once(sim: Simulator) -> None:
    client = sim.client()
    for _ in range(2):
        client.calls.create(to=CALLEE, from_=CALLER_ID, url="https://app.test/menus/main")
    first, second = sim.api_requests
    assert first.raw_params is second.raw_params
    assert second.params == {"To": CALLEE, "From": CALLER_ID, "Url": "https://app.test/menus/main"}
