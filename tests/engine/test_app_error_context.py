"""An exception the app raises answering a webhook sent as a call was cut short (the
action of a ``<Record>``, ``<Dial>``, ``<Enqueue>`` or ``<Pay>`` the caller hung up on, a
room's callbacks, a Dial left by a REST redirect, the redirect's own URL, the action of a
``<Dial><Conference>`` whose join was refused) has no context:
the app's own log of it (Flask's "Exception on /path") shows the app's traceback alone, as
it would under Twilio, not twimlsim's internal ``Interrupt``, ``GeneratorExit`` or
``RedirectCall`` as the exception "during handling of which" it occurred."""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator

DOCUMENTS = {
    "record": '<Record action="/boom"/>',
    "dial": '<Dial action="/boom">+15551230000</Dial>',
    "conference": (
        '<Dial action="/boom"><Conference statusCallback="/boom" '
        'statusCallbackEvent="leave end">room</Conference></Dial>'
    ),
    "enqueue": '<Enqueue action="/boom">support</Enqueue>',
    "pay": '<Pay action="/boom"/>',
    "relay": '<Connect action="/boom"><ConversationRelay url="wss://app.test/relay"/></Connect>',
    "dial-queue": '<Dial action="/boom"><Queue>support</Queue></Dial>',
    # a join refused (13240: the coach is in no room): the Dial's action follows at once
    "refused-join": (
        f'<Dial action="/boom"><Conference coach="CA{"0" * 32}">room</Conference></Dial>'
    ),
}


def raising_app(document: str) -> Flask:
    app = Flask("voice")

    @app.post("/voice")
    def voice() -> tuple[str, dict[str, str]]:
        return f"<Response>{document}</Response>", {"Content-Type": "text/xml"}

    @app.post("/boom")
    def boom() -> str:
        raise ValueError("boom")

    @app.post("/moved")
    def moved() -> str:
        raise ValueError("the redirect's own URL")

    @app.post("/announce")
    def announce() -> tuple[str, dict[str, str]]:
        return f"<Response><Play>{APP_URL}/news.mp3</Play></Response>", {"Content-Type": "text/xml"}

    return app


def failures(sim: Simulator) -> list[tuple[str, str, str, object, object]]:
    """Each webhook the app failed: kind, URL, the exception's text, its context and cause."""
    requests = [r for call in sim.calls.values() for r in call.requests]
    requests += [r for room in sim.conferences.values() for r in room.requests]
    found: list[tuple[str, str, str, object, object]] = []
    for request in requests:
        error = request.response.app_error if request.response is not None else None
        if error is not None:
            found.append(
                (request.kind, request.url, str(error), error.__context__, error.__cause__)
            )
    return found


def run(document: str, *, redirect: bool) -> Simulator:
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, raising_app(document))
        sim.client().queues.create(friendly_name="support")
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        if not redirect:
            sim.phone(CALLEE).hangs_up(after=3)
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        if redirect:
            sim.advance(3)
            sim.client().calls(call.sid).update(url=f"{APP_URL}/moved")
        sim.run()
    return sim


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("record", [("record", f"{APP_URL}/boom", "boom", None, None)]),
        ("dial", [("dial", f"{APP_URL}/boom", "boom", None, None)]),
        (
            "conference",
            [
                ("dial", f"{APP_URL}/boom", "boom", None, None),
                ("conference", f"{APP_URL}/boom", "boom", None, None),
                ("conference", f"{APP_URL}/boom", "boom", None, None),
            ],
        ),
        ("enqueue", [("enqueue", f"{APP_URL}/boom", "boom", None, None)]),
        ("pay", [("pay", f"{APP_URL}/boom", "boom", None, None)]),
        ("relay", [("connect", f"{APP_URL}/boom", "boom", None, None)]),
        ("dial-queue", [("dial", f"{APP_URL}/boom", "boom", None, None)]),
        ("refused-join", [("dial", f"{APP_URL}/boom", "boom", None, None)]),
    ],
)
def test_a_hang_up_s_webhooks_raise_without_context(
    name: str, expected: list[tuple[str, str, str, object, object]]
) -> None:
    assert failures(run(DOCUMENTS[name], redirect=False)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "dial",
            [
                ("dial", f"{APP_URL}/boom", "boom", None, None),
                ("update", f"{APP_URL}/moved", "the redirect's own URL", None, None),
            ],
        ),
        (
            "conference",
            [
                ("dial", f"{APP_URL}/boom", "boom", None, None),
                ("update", f"{APP_URL}/moved", "the redirect's own URL", None, None),
                ("conference", f"{APP_URL}/boom", "boom", None, None),
                ("conference", f"{APP_URL}/boom", "boom", None, None),
            ],
        ),
        (
            "enqueue",
            [
                ("enqueue", f"{APP_URL}/boom", "boom", None, None),
                ("update", f"{APP_URL}/moved", "the redirect's own URL", None, None),
            ],
        ),
    ],
)
def test_a_rest_redirect_s_webhooks_raise_without_context(
    name: str, expected: list[tuple[str, str, str, object, object]]
) -> None:
    assert failures(run(DOCUMENTS[name], redirect=True)) == expected


def test_the_app_s_own_log_shows_its_traceback_alone(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="voice")
    run(DOCUMENTS["record"], redirect=False)
    logged = [r for r in caplog.records if r.name == "voice"]
    assert [r.getMessage() for r in logged] == ["Exception on /boom [POST]"]
    assert logged[0].exc_info is not None
    error = logged[0].exc_info[1]
    assert isinstance(error, ValueError)
    assert (str(error), error.__context__) == ("boom", None)
    assert "During handling of the above exception" not in caplog.text


def test_a_dialled_leg_redirected_by_rest_runs_its_new_twiml_without_context() -> None:
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, raising_app(DOCUMENTS["dial"]))
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.advance(3)
        leg = next(call for call in sim.calls.values() if call.parent is not None)
        sim.client().calls(leg.sid).update(url=f"{APP_URL}/moved")
        sim.run()
    assert failures(sim) == [
        ("dial", f"{APP_URL}/boom", "boom", None, None),
        ("update", f"{APP_URL}/moved", "the redirect's own URL", None, None),
    ]


def test_an_announcement_cut_short_reports_without_context() -> None:
    room = (
        '<Dial><Conference statusCallback="/boom" statusCallbackEvent="announcement">'
        "room</Conference></Dial>"
    )
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, raising_app(room))
        sim.media(f"{APP_URL}/news.mp3", seconds=30)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        sim.phone(CALLEE).hangs_up(after=5)
        sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.advance(2)
        (conference,) = sim.client().conferences.list()
        sim.client().conferences(conference.sid).update(
            announce_url=f"{APP_URL}/announce", announce_method="POST"
        )
        sim.run()
    events = [r.params["StatusCallbackEvent"] for r in sim.conferences["room"].requests]
    assert events == ["announcement-end"]
    assert failures(sim) == [("conference", f"{APP_URL}/boom", "boom", None, None)]


def test_a_participant_added_by_rest_leaves_without_context() -> None:
    room = (
        '<Dial><Conference statusCallback="/boom" statusCallbackEvent="leave">'
        "room</Conference></Dial>"
    )
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, raising_app(room))
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        sim.phone(CALLEE).hangs_up(after=20)
        sim.phone("+15551230000").hangs_up(after=5)
        sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.advance(2)
        (conference,) = sim.client().conferences.list()
        sim.client().conferences(conference.sid).participants.create(
            from_=CALLER_ID, to="+15551230000"
        )
        sim.run()
    assert failures(sim) == [
        ("conference", f"{APP_URL}/boom", "boom", None, None),
        ("conference", f"{APP_URL}/boom", "boom", None, None),
    ]


def test_a_participant_added_by_rest_refused_a_full_room_leaves_without_context() -> None:
    """A REST-added participant that answers once the room is full (16020) is refused: its
    participant-leave reaches the app with no exception being handled."""
    room = (
        '<Dial><Conference statusCallback="/boom" statusCallbackEvent="leave" '
        'maxParticipants="2">room</Conference></Dial>'
    )
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, raising_app(room))
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        sim.phone(CALLEE).hangs_up(after=20)
        sim.phone("+15557770002").hangs_up(after=20)
        sim.phone("+15551230000").answers(after=5)
        first = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.advance(1)
        (conference,) = sim.client().conferences.list()
        added = (
            sim.client()
            .conferences(conference.sid)
            .participants.create(from_=CALLER_ID, to="+15551230000")
        )
        second = sim.incoming_call(from_="+15557770002", to=CALLER_ID)
        sim.run()
    leaves = [
        (r.params["CallSid"], r.params["ReasonParticipantLeft"])
        for r in sim.conferences["room"].requests
    ]
    assert leaves == [
        (added.call_sid, "participant_add_failed"),
        (first.sid, "participant_hung_up"),
        (second.sid, "participant_hung_up"),
    ]
    assert [(f.code, f.call_sid) for f in sim.failures] == [
        (16020, added.call_sid),
        (16011, added.call_sid),
        (16011, first.sid),
        (16011, second.sid),
    ]
    assert failures(sim) == [("conference", f"{APP_URL}/boom", "boom", None, None)] * 3
