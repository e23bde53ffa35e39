"""Recordings: account-wide and per-call lists, fetch, delete, playable media."""

from __future__ import annotations

import io
import wave
from urllib.parse import urlsplit

import pytest
import requests
from twilio.base.exceptions import TwilioRestException

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.model.recording import Recording, RecordingSource, RecordingStatus


def add_recording(sim: Simulator, call_sid: str, seconds: int) -> Recording:
    recording = Recording(
        sid=sim.store.sids.new("RE"),
        account_sid=sim.account_sid,
        call_sid=call_sid,
        source=RecordingSource.RECORD_VERB,
        start_time=sim.now,
        status=RecordingStatus.COMPLETED,
        duration=seconds,
    )
    sim.store.add_recording(recording)
    return recording


@pytest.fixture
def recorded(sim: Simulator) -> tuple[str, Recording, Recording]:
    sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
    sim.run()
    return sid, add_recording(sim, sid, 3), add_recording(sim, sid, 5)


def test_account_and_call_lists_newest_first(
    sim: Simulator, recorded: tuple[str, Recording, Recording]
) -> None:
    sid, first, second = recorded
    client = sim.client()
    assert [r.sid for r in client.recordings.list()] == [second.sid, first.sid]
    assert [r.sid for r in client.calls(sid).recordings.list()] == [second.sid, first.sid]
    assert [r.sid for r in client.recordings.list(call_sid=sid)] == [second.sid, first.sid]
    assert client.recordings.list(call_sid="CA" + "0" * 32) == []


def test_fetch_exact_json(sim: Simulator, recorded: tuple[str, Recording, Recording]) -> None:
    sid, first, _ = recorded
    base = f"/2010-04-01/Accounts/{sim.account_sid}/Recordings/{first.sid}"
    body = requests.get(
        f"https://api.twilio.com{base}.json", auth=(sim.account_sid, sim.auth_token), timeout=5
    ).json()
    # sim.run() ran the call's leftover time-limit timer: the clock stands 4 h on
    when = "Thu, 01 Jan 2026 09:00:07 +0000"
    assert body == {
        "account_sid": sim.account_sid,
        "api_version": "2010-04-01",
        "call_sid": sid,
        "conference_sid": None,
        "date_created": when,
        "date_updated": when,
        "start_time": when,
        "duration": "3",
        "sid": first.sid,
        "price": None,
        "price_unit": "USD",
        "status": "completed",
        "channels": 1,
        "source": "RecordVerb",
        "error_code": None,
        "encryption_details": None,
        "uri": f"{base}.json",
        "subresource_uris": {
            "add_on_results": f"{base}/AddOnResults.json",
            "transcriptions": f"{base}/Transcriptions.json",
        },
        "media_url": f"https://api.twilio.com{base}",
    }
    via_call = sim.client().calls(sid).recordings(first.sid).fetch()
    assert (via_call.duration, via_call.track, via_call.call_sid) == ("3", "both", sid)


def test_media_is_playable_audio_of_the_recorded_length(
    sim: Simulator, recorded: tuple[str, Recording, Recording]
) -> None:
    _, _, second = recorded
    url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Recordings/{second.sid}"
    for suffix in ("", ".wav"):
        response = requests.get(url + suffix, timeout=5)  # no credentials, as on Twilio
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "audio/x-wav"
        with wave.open(io.BytesIO(response.content)) as audio:
            assert audio.getnframes() / audio.getframerate() == 5
    mp3 = requests.get(url + ".mp3", timeout=5)
    assert mp3.headers["Content-Type"] == "audio/mpeg"
    assert mp3.content[:4] == b"\xff\xfb\x18\xc0"
    assert len(mp3.content) == 139 * 144  # 139 frames of 36 ms cover 5 s


def test_media_below_the_call_from_a_call_recordings_uri(
    sim: Simulator, recorded: tuple[str, Recording, Recording]
) -> None:
    # an app that lists a call's recordings and drops ".json" from their uri downloads the
    # media from below the call, without credentials, as from the account's RecordingUrl
    sid, first, second = recorded
    uri = sim.client().calls(sid).recordings.list()[0].uri
    base = f"/2010-04-01/Accounts/{sim.account_sid}/Calls/{sid}/Recordings/{second.sid}"
    assert uri == f"{base}.json"
    url = "https://api.twilio.com" + uri.split(".json")[0]
    for suffix in ("", ".wav"):
        response = requests.get(url + suffix, timeout=5)
        assert (response.status_code, response.headers["Content-Type"]) == (200, "audio/x-wav")
        with wave.open(io.BytesIO(response.content)) as audio:
            assert audio.getnframes() / audio.getframerate() == 5
    mp3 = requests.get(url + ".mp3", timeout=5)
    assert (mp3.headers["Content-Type"], len(mp3.content)) == ("audio/mpeg", 139 * 144)
    # another call's path is not the recording's: 404, as its JSON is
    other = url.replace(sid, "CA" + "0" * 32)
    assert requests.get(other, timeout=5).json() == {
        "code": 20404,
        "message": f"The requested resource {urlsplit(other).path} was not found",
        "more_info": "https://www.twilio.com/docs/errors/20404",
        "status": 404,
    }
    assert requests.get(f"{url}.json", timeout=5).status_code == 401  # the JSON needs them


def test_delete_removes_recording_and_media(
    sim: Simulator, recorded: tuple[str, Recording, Recording]
) -> None:
    sid, first, second = recorded
    client = sim.client()
    assert client.recordings(first.sid).delete() is True
    assert client.calls(sid).recordings(second.sid).delete() is True
    assert client.recordings.list() == []
    with pytest.raises(TwilioRestException) as raised:
        client.recordings(first.sid).fetch()
    assert (raised.value.status, raised.value.code) == (404, 20404)
    url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Recordings/{first.sid}"
    assert requests.get(url, timeout=5).json()["code"] == 20404


def test_in_progress_recording_has_duration_minus_one(sim: Simulator) -> None:
    sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
    recording = add_recording(sim, sid, 0)
    recording.status = RecordingStatus.IN_PROGRESS
    assert sim.client().recordings(recording.sid).fetch().duration == "-1"
    sim.run()


def test_account_list_filters_by_conference_sid(
    sim: Simulator, recorded: tuple[str, Recording, Recording]
) -> None:
    """Twilio's Recordings list takes ``ConferenceSid`` (the Recording resource page)."""
    sid, first, second = recorded
    room_sid = "CF" + "1" * 32
    second.conference_sid = room_sid
    client = sim.client()
    assert [r.sid for r in client.recordings.list(conference_sid=room_sid)] == [second.sid]
    assert client.recordings.list(conference_sid="CF" + "2" * 32) == []
    assert [r.sid for r in client.recordings.list(call_sid=sid, conference_sid=room_sid)] == [
        second.sid
    ]


def test_a_deleted_recording_is_read_back_with_include_soft_deleted(
    sim: Simulator, recorded: tuple[str, Recording, Recording]
) -> None:
    """Twilio keeps a deleted recording's metadata: the list and fetch show it, status
    ``deleted``, with ``IncludeSoftDeleted=true`` only; its media is gone."""
    sid, first, second = recorded
    sim.advance(60)
    third = add_recording(sim, sid, 2)
    client = sim.client()
    auth = (sim.account_sid, sim.auth_token)
    base = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Recordings"
    before = requests.get(f"{base}/{first.sid}.json", auth=auth, timeout=5).json()
    client.recordings(first.sid).delete()
    fetched = requests.get(f"{base}/{first.sid}.json?IncludeSoftDeleted=true", auth=auth, timeout=5)
    assert (fetched.status_code, fetched.json()) == (200, before | {"status": "deleted"})
    assert before["status"] == "completed"
    assert client.recordings(first.sid).fetch(include_soft_deleted=True).status == "deleted"
    assert [(r.sid, r.status) for r in client.recordings.list(include_soft_deleted=True)] == [
        (third.sid, "completed"),
        (first.sid, "deleted"),
        (second.sid, "completed"),
    ]
    assert [r.sid for r in client.recordings.list()] == [third.sid, second.sid]
    assert [r.sid for r in client.recordings.list(include_soft_deleted=False)] == [
        third.sid,
        second.sid,
    ]
    assert [r.sid for r in client.calls(sid).recordings.list()] == [third.sid, second.sid]
    for gone in (f"{base}/{first.sid}.json", f"{base}/{first.sid}.mp3", f"{base}/{first.sid}"):
        assert requests.get(gone, auth=auth, timeout=5).status_code == 404
    deleted_again = requests.delete(f"{base}/{first.sid}.json", auth=auth, timeout=5)
    assert (deleted_again.status_code, deleted_again.json()["code"]) == (404, 20404)


def test_requested_channels_mixes_a_dual_recording_down_and_refuses_to_split_a_mono_one(
    sim: Simulator, recorded: tuple[str, Recording, Recording]
) -> None:
    """``RequestedChannels=1`` downloads a dual-channel recording as mono; ``2`` of a mono
    recording is Twilio's 16113."""
    _, mono, dual = recorded
    dual.channels = 2

    def media(recording: Recording, query: str) -> requests.Response:
        url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Recordings/"
        return requests.get(f"{url}{recording.sid}{query}", timeout=5)

    def channels(response: requests.Response) -> tuple[int, int]:
        assert response.status_code == 200, response.text
        with wave.open(io.BytesIO(response.content)) as audio:
            return audio.getnchannels(), audio.getnframes()

    assert channels(media(dual, "")) == (2, 40_000)
    assert channels(media(dual, "?RequestedChannels=2")) == (2, 40_000)
    assert channels(media(dual, ".wav?RequestedChannels=1")) == (1, 40_000)
    assert channels(media(mono, "?RequestedChannels=1")) == (1, 24_000)
    assert media(dual, ".mp3?RequestedChannels=1").headers["Content-Type"] == "audio/mpeg"
    for query in ("?RequestedChannels=2", ".mp3?RequestedChannels=2"):
        refused = media(mono, query)
        assert (refused.status_code, refused.json()) == (
            400,
            {
                "code": 16113,
                "message": "Cannot download a dual-channel presentation of a mono recording: "
                f"{mono.sid} has one channel; download it without RequestedChannels (or with 1)",
                "more_info": "https://www.twilio.com/docs/errors/16113",
                "status": 400,
            },
        )
    wrong = media(dual, "?RequestedChannels=3")
    assert (wrong.status_code, wrong.json()["code"], wrong.json()["message"]) == (
        400,
        20422,
        "RequestedChannels is not valid: 3. Use 1 or 2",
    )


def media_answers(sim: Simulator, recording_sid: str) -> list[tuple[int, object]]:
    """The status and body of each media download of the recording: WAV (without and with
    ``.wav``), MP3; a JSON body as JSON, audio as its content type."""
    url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Recordings/{recording_sid}"
    answers: list[tuple[int, object]] = []
    for suffix in ("", ".wav", ".mp3"):
        response = requests.get(url + suffix, timeout=5)
        is_json = response.headers["Content-Type"].startswith("application/json")
        body = response.json() if is_json else response.headers["Content-Type"]
        answers.append((response.status_code, body))
    return answers


def not_found_media(sim: Simulator, recording_sid: str) -> list[tuple[int, object]]:
    path = f"/2010-04-01/Accounts/{sim.account_sid}/Recordings/{recording_sid}"
    return [
        (
            404,
            {
                "code": 20404,
                "message": f"The requested resource {path}{suffix} was not found",
                "more_info": "https://www.twilio.com/docs/errors/20404",
                "status": 404,
            },
        )
        for suffix in ("", ".wav", ".mp3")
    ]


def test_a_recording_under_way_has_no_media_until_it_completes(sim: Simulator) -> None:
    """Twilio's recording status callback article: a recording's file "is available for
    access" once it is ``completed``. Under way (in progress, paused) it has none: 404."""
    client = sim.client()
    call_sid = client.calls.create(
        to=CALLEE, from_=CALLER_ID, twiml='<Response><Pause length="30"/></Response>'
    ).sid
    sim.advance(1)
    recording = client.calls(call_sid).recordings.create()
    sim.advance(4)
    assert recording.status == "in-progress"
    assert media_answers(sim, recording.sid) == not_found_media(sim, recording.sid)
    paused = client.calls(call_sid).recordings(recording.sid).update(status="paused")
    assert paused.status == "paused"
    assert media_answers(sim, recording.sid) == not_found_media(sim, recording.sid)
    client.calls(call_sid).recordings(recording.sid).update(status="stopped")
    assert client.recordings(recording.sid).fetch().status == "completed"
    assert media_answers(sim, recording.sid) == [
        (200, "audio/x-wav"),
        (200, "audio/x-wav"),
        (200, "audio/mpeg"),
    ]
    sim.run()


def test_an_absent_recording_has_no_media(sim: Simulator) -> None:
    """The article: an ``absent`` recording (too short, 16101) has "no recording file
    available"; its media was a 200 with an empty WAV."""
    sim.phone(CALLEE).presses("#")  # ends the <Record> at once: under one second
    client = sim.client()
    client.calls.create(
        to=CALLEE, from_=CALLER_ID, twiml='<Response><Record finishOnKey="#"/></Response>'
    )
    sim.run()
    (recording,) = client.recordings.list()
    assert (recording.status, recording.error_code) == ("absent", 16101)
    assert media_answers(sim, recording.sid) == not_found_media(sim, recording.sid)
