"""A recording the app deletes while answering the ``<Record>`` action or its completed
status callback is gone before Twilio transcribes it (Twilio's warning 13618): no
transcription, no transcribeCallback."""

from __future__ import annotations

from collections.abc import Callable

from tests.engine.helpers import place, response, simulator
from twimlsim import Simulator

RECORD = (
    '<Record action="/done" transcribe="true" transcribeCallback="/transcribed" '
    'maxLength="30" finishOnKey="#"/>'
)


def _deleting(sim: Simulator) -> Callable[[dict[str, str]], str]:
    def done(params: dict[str, str]) -> str:
        sim.client().recordings(params["RecordingSid"]).delete()
        return response("<Say>Thanks</Say>")

    return done


def test_a_recording_deleted_in_the_action_is_not_transcribed() -> None:
    with simulator({"/voice": response(RECORD)}, strict=False) as (sim, app):
        app.routes["/done"] = _deleting(sim)
        sim.phone("+15558675310").records(5, "#", text="please call me back")
        call = place(sim)
        sim.run()
        recording_sid = call.requests[1].params["RecordingSid"]
        assert [r.kind for r in call.requests] == ["voice", "record"]
        assert sim.client().transcriptions.list() == []
        assert [(f.code, f.level, f.element, f.line, f.message) for f in sim.failures] == [
            (
                13618,
                "warning",
                "Record",
                1,
                f"recording {recording_sid} was deleted (DELETE /Recordings/{recording_sid}) "
                "before Twilio transcribes it, after the <Record> action and the recording's "
                "status callback, so twimlsim transcribed nothing and sent no request to the "
                "transcribeCallback; delete the recording once the transcribeCallback has "
                "come, as Twilio's 13618 advises, or allow code 13618 if no transcription is "
                "wanted",
            )
        ]


def test_a_recording_kept_through_the_action_is_transcribed() -> None:
    with simulator({"/voice": response(RECORD), "/done": response("<Say>Thanks</Say>")}) as (
        sim,
        _,
    ):
        sim.phone("+15558675310").records(5, "#", text="please call me back")
        call = place(sim)
        sim.run()
        assert [r.kind for r in call.requests] == ["voice", "record", "transcription"]
        (transcription,) = sim.client().transcriptions.list()
        assert transcription.transcription_text == "please call me back"
    assert sim.failures == []


def test_a_recording_deleted_from_its_status_callback_is_not_transcribed() -> None:
    record = RECORD.replace("/>", ' recordingStatusCallback="/stored"/>')
    with simulator({"/voice": response(record)}, allow_codes={13618}) as (sim, app):
        app.routes["/done"] = response("<Say>Thanks</Say>")
        app.routes["/stored"] = _deleting(sim)
        sim.phone("+15558675310").records(5, "#", text="please call me back")
        call = place(sim)
        sim.run()
        assert [r.kind for r in call.requests] == ["voice", "record", "recording-status"]
        assert sim.client().recordings.list() == []
        assert sim.client().transcriptions.list() == []
        assert [(f.code, f.element) for f in sim.failures] == [(13618, "Record")]
