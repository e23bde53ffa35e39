"""Transcriptions: a voicemail app reads what ``<Record transcribe="true">`` transcribed
through the REST API (account-wide and per recording), as the TranscriptionUrl points to."""

from __future__ import annotations

from flask import Flask, request

from tests.rest.test_edges import api, assert_error
from twimlsim import Simulator

APP = "https://voicemail.test"


def _voicemail_app(seen: list[dict[str, str]]) -> Flask:
    app = Flask(__name__)

    @app.post("/voice")
    def voice() -> tuple[str, dict[str, str]]:
        twiml = (
            '<Response><Say>Leave a message.</Say><Record transcribe="true" '
            'transcribeCallback="/transcribed" action="/done"/></Response>'
        )
        return twiml, {"Content-Type": "text/xml"}

    @app.post("/done")
    def done() -> tuple[str, dict[str, str]]:
        return "<Response><Hangup/></Response>", {"Content-Type": "text/xml"}

    @app.post("/transcribed")
    def transcribed() -> str:
        seen.append(request.form.to_dict())
        return ""

    return app


def _leave_messages(sim: Simulator, *texts: str) -> list[dict[str, str]]:
    seen: list[dict[str, str]] = []
    sim.route(APP, _voicemail_app(seen))
    sim.number("+15005550007", voice_url=f"{APP}/voice")
    for index, text in enumerate(texts):
        caller = f"+1555867531{index}"
        sim.phone(caller).records(8, text=text, hangs_up=True)
        sim.incoming_call(from_=caller, to="+15005550007")
        sim.run()
    return seen


def test_the_transcription_of_a_voicemail_is_read_back(sim: Simulator) -> None:
    (callback,) = _leave_messages(sim, "Please call me back about the invoice")
    client = sim.client()
    (listed,) = client.transcriptions.list()
    assert (listed.sid, listed.recording_sid, listed.transcription_text) == (
        callback["TranscriptionSid"],
        callback["RecordingSid"],
        "Please call me back about the invoice",
    )
    assert (listed.status, listed.type, listed.duration, listed.price, listed.price_unit) == (
        "completed",
        "fast",
        "8",
        None,
        "USD",
    )
    assert listed.uri == f"/2010-04-01/Accounts/{sim.account_sid}/Transcriptions/{listed.sid}.json"
    fetched = client.transcriptions(listed.sid).fetch()
    assert fetched.transcription_text == "Please call me back about the invoice"
    by_recording = client.recordings(callback["RecordingSid"]).transcriptions
    assert [t.sid for t in by_recording.list()] == [listed.sid]
    assert by_recording(listed.sid).fetch().date_created == fetched.date_created
    assert by_recording(listed.sid).delete() is True
    assert client.transcriptions.list() == []


def test_the_text_alone_is_read_with_txt(sim: Simulator) -> None:
    """Twilio's Transcriptions page: "To retrieve only the transcription text, append .txt
    to the Transcriptions resource's URI"; the account's credentials are asked as for the
    JSON (a choice)."""
    (callback,) = _leave_messages(sim, "Call me back about the invoice, café")
    sid, recording_sid = callback["TranscriptionSid"], callback["RecordingSid"]
    for path in (
        f"/2010-04-01/Accounts/{{ac}}/Transcriptions/{sid}.txt",
        f"/2010-04-01/Accounts/{{ac}}/Recordings/{recording_sid}/Transcriptions/{sid}.txt",
    ):
        text = api(sim, "GET", path)
        assert (text.status_code, text.headers["Content-Type"], text.text) == (
            200,
            "text/plain; charset=utf-8",
            "Call me back about the invoice, café",
        )
        refused = api(sim, "GET", path, auth=(sim.account_sid, "wrong"))
        assert (refused.status_code, refused.json()["code"]) == (401, 20003)
    other = f"/2010-04-01/Accounts/{{ac}}/Recordings/RE{'0' * 32}/Transcriptions/{sid}.txt"
    assert api(sim, "GET", other).status_code == 404


def test_lists_are_newest_first_and_a_recording_lists_its_own(sim: Simulator) -> None:
    first, second = _leave_messages(sim, "first message", "second message")
    client = sim.client()
    assert [t.transcription_text for t in client.transcriptions.list()] == [
        "second message",
        "first message",
    ]
    own = client.recordings(first["RecordingSid"]).transcriptions.list()
    assert [t.sid for t in own] == [first["TranscriptionSid"]]


def test_unknown_transcriptions_and_recordings_are_404(sim: Simulator) -> None:
    (callback,) = _leave_messages(sim, "hello there friend")
    zeros = "0" * 32
    for path in (
        f"/2010-04-01/Accounts/{sim.account_sid}/Transcriptions/TR{zeros}.json",
        f"/2010-04-01/Accounts/{sim.account_sid}/Recordings/RE{zeros}/Transcriptions.json",
        # a transcription under another recording than its own
        f"/2010-04-01/Accounts/{sim.account_sid}/Recordings/RE{zeros}/Transcriptions/"
        f"{callback['TranscriptionSid']}.json",
    ):
        assert_error(
            api(sim, "GET", path), 404, 20404, f"The requested resource {path} was not found"
        )


def test_transcribe_without_a_callback_is_kept_for_the_rest_api(sim: Simulator) -> None:
    app = Flask(__name__)

    @app.post("/voice")
    def voice() -> tuple[str, dict[str, str]]:
        twiml = '<Response><Record transcribe="true" action="/done"/></Response>'
        return twiml, {"Content-Type": "text/xml"}

    @app.post("/done")
    def done() -> tuple[str, dict[str, str]]:
        return "<Response><Hangup/></Response>", {"Content-Type": "text/xml"}

    sim.route(APP, app)
    sim.number("+15005550007", voice_url=f"{APP}/voice")
    sim.phone("+15558675310").records(8, text="Ring me at noon", hangs_up=True)
    call = sim.incoming_call(from_="+15558675310", to="+15005550007")
    sim.run()
    assert [r.kind for r in call.requests] == ["voice", "record"]
    (recording,) = call.recordings
    (listed,) = sim.client().transcriptions.list()
    assert (listed.recording_sid, listed.transcription_text, listed.duration) == (
        recording.sid,
        "Ring me at noon",
        "8",
    )
