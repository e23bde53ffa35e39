"""Recording media: the same bytes and headers on every way of downloading it."""

from __future__ import annotations

import asyncio
import hashlib
import tracemalloc
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx
import pytest
import requests
from werkzeug.test import Client

from twimlsim import Simulator
from twimlsim.as_json import api_request_json
from twimlsim.model.recording import Recording, RecordingSource, RecordingStatus

#: (seconds, channels, suffix): the SHA-256 and length of the media, as built whole in
#: memory before it was streamed (``wave`` writing the silence, MP3 frames joined).
MEDIA = {
    (0, 1, ""): ("4f8734c5e13ac599e168cf247a51c1dd0758537ce00bf16d7fed1a3d14d07041", 44),
    (0, 1, ".mp3"): ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0),
    (1, 1, ""): ("56d4af65701c26df20bd4021eda95b6e830348ce3a746086079fe89285548dc9", 16044),
    (1, 1, ".mp3"): ("768b7c253e7c355f7c6e1ec3f30be0d1bdfb165c64f06a2a070fddeba26c67bb", 4032),
    (5, 2, ""): ("037dced632999349b9c0d8ee02fee4556beac0ad841d135638b083d18db34c57", 160044),
    (5, 2, ".wav"): ("037dced632999349b9c0d8ee02fee4556beac0ad841d135638b083d18db34c57", 160044),
    (5, 2, ".mp3"): ("2bbcc97f5f74f5b3980cd5931f9a4ec5ccd315d4b4a94cb6c5bc160b7f4507c9", 20016),
    (37, 1, ""): ("f3226c8c0b19fa663dd8a2827973bd28a06ba57a51e8039f31389c00d1abc097", 592044),
    (37, 1, ".mp3"): ("68d241a18fbaf1c4b54875ed7a85e3c9153ff0cb4deffe3685140830639163f7", 148032),
    (3600, 1, ""): ("ff1425b8b04a15bffb4ce1438a5abcb8540eec6f6dd06cdd540bacc5d218da83", 57600044),
    (3600, 1, ".mp3"): (
        "5f1d3ecbf2e02bc6978f1ef5f29bb3707a32a151e0cb7436c00bf105a1b3499a",
        14400144,
    ),
}


def recording_url(sim: Simulator, seconds: int, channels: int) -> str:
    """A completed recording of ``seconds`` and ``channels``; its media URL."""
    recording = Recording(
        sid=sim.store.sids.new("RE"),
        account_sid=sim.account_sid,
        call_sid="CA" + "0" * 32,
        source=RecordingSource.RECORD_VERB,
        start_time=sim.now,
        status=RecordingStatus.COMPLETED,
        duration=seconds,
        channels=channels,
    )
    sim.store.add_recording(recording)
    return (
        f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Recordings/{recording.sid}"
    )


def digest(body: bytes) -> tuple[str, int]:
    return hashlib.sha256(body).hexdigest(), len(body)


def content_type(suffix: str) -> str:
    return "audio/mpeg" if suffix == ".mp3" else "audio/x-wav"


@pytest.mark.parametrize(("seconds", "channels", "suffix"), sorted(MEDIA))
def test_every_download_gets_the_same_bytes_and_headers(
    sim: Simulator, seconds: int, channels: int, suffix: str
) -> None:
    url = recording_url(sim, seconds, channels) + suffix
    expected, length = MEDIA[seconds, channels, suffix]
    headers = [("Content-Type", content_type(suffix)), ("Content-Length", str(length))]

    got = requests.get(url, timeout=5)
    assert (got.status_code, digest(got.content)) == (200, (expected, length))
    assert list(got.headers.items()) == headers
    assert digest(sim.api_requests[-1].body) == (expected, length)
    assert (sim.api_requests[-1].kind, sim.api_requests[-1].status) == (
        "recordings.media_mp3" if suffix == ".mp3" else "recordings.media",
        200,
    )

    streamed = requests.get(url, timeout=5, stream=True)
    assert digest(b"".join(streamed.iter_content(8192))) == (expected, length)
    assert list(streamed.headers.items()) == headers

    head = requests.head(url, timeout=5)
    assert (head.status_code, head.content, list(head.headers.items())) == (200, b"", headers)

    sync = httpx.get(url)
    assert (sync.status_code, digest(sync.content)) == (200, (expected, length))
    assert list(sync.headers.items()) == [(k.lower(), v) for k, v in headers]

    async def fetch() -> httpx.Response:
        async with httpx.AsyncClient() as client:
            return await client.get(url)

    answered = asyncio.run(fetch())
    assert (answered.status_code, digest(answered.content)) == (200, (expected, length))
    assert list(answered.headers.items()) == [(k.lower(), v) for k, v in headers]

    with urllib.request.urlopen(url) as opened:  # noqa: S310 - answered in process
        assert (opened.status, digest(opened.read())) == (200, (expected, length))
        assert [(k, v) for k, v in opened.headers.items()] == headers

    wsgi = Client(sim.rest).get(url)
    assert (wsgi.status_code, digest(wsgi.get_data())) == (200, (expected, length))
    assert list(wsgi.headers.items()) == headers
    wsgi_head = Client(sim.rest).head(url)
    assert (wsgi_head.get_data(), list(wsgi_head.headers.items())) == (b"", headers)


FOUR_HOURS = 4 * 3600
#: Peak Python memory allowed for downloading a four-hour recording read piece by piece
#: (its WAV is 230 MB, its MP3 58 MB).
FEW_MEGABYTES = 4_000_000


def peak_of(download: Callable[[], int]) -> tuple[int, int]:
    """The bytes ``download`` read and the peak of Python memory allocated meanwhile."""
    tracemalloc.start()
    try:
        length = download()
        return length, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(("suffix", "length"), [("", 230_400_044), (".mp3", 57_600_144)])
def test_a_four_hour_recording_downloads_in_a_few_megabytes(
    sim: Simulator, suffix: str, length: int
) -> None:
    """Media is produced as it is read: each way of reading it piece by piece costs
    memory for a piece, not for the file."""

    def new_url() -> str:
        return recording_url(sim, FOUR_HOURS, 1) + suffix

    def by_requests() -> int:
        with requests.get(new_url(), timeout=5, stream=True) as got:
            return sum(len(chunk) for chunk in got.iter_content(1 << 16))

    def by_httpx() -> int:
        with httpx.stream("GET", new_url()) as got:
            return sum(len(chunk) for chunk in got.iter_bytes())

    def by_urllib() -> int:
        with urllib.request.urlopen(new_url()) as opened:  # noqa: S310 - answered in process
            return sum(len(chunk) for chunk in iter(lambda: opened.read(1 << 16), b""))

    def by_wsgi() -> int:
        got = Client(sim.rest).get(new_url(), buffered=False)
        try:
            return sum(len(chunk) for chunk in got.response)
        finally:
            got.close()

    def by_head() -> int:
        return int(requests.head(new_url(), timeout=5).headers["Content-Length"])

    for download in (by_requests, by_httpx, by_urllib, by_wsgi, by_head):
        read, peak = peak_of(download)
        assert (download.__name__, read) == (download.__name__, length)
        assert peak < FEW_MEGABYTES, f"{download.__name__} peaked at {peak:,} bytes"
    assert sim.api_requests[-1].packed_body == b"R"  # the log keeps no copy either (REBUILT)


def test_the_repr_of_a_long_recordings_media_notes_its_length_without_building_it(
    sim: Simulator,
) -> None:
    url = recording_url(sim, FOUR_HOURS, 1)
    requests.head(url, timeout=5)
    logged = sim.api_requests[-1]
    _, peak = peak_of(lambda: len(repr(logged)))
    assert repr(logged).endswith(
        "status=200, params={}, body=<230,400,044 bytes of recording media, not shown>)"
    )
    assert peak < FEW_MEGABYTES, f"repr peaked at {peak:,} bytes"


def test_the_log_rebuilds_media_and_its_json_notes_its_length(sim: Simulator) -> None:
    """The log keeps a marker for media, its ``body`` the exact bytes; the JSON of the
    entry (control API, ``--json``) gives a note of the length, not megabytes as text."""
    url = recording_url(sim, 5, 2)
    assert requests.get(url + ".mp3", timeout=5).status_code == 200
    logged = sim.api_requests[-1]
    assert (logged.packed_body, digest(logged.body)) == (b"R", MEDIA[5, 2, ".mp3"])
    shown = api_request_json(logged)
    assert (shown["kind"], shown["status"], shown["body"]) == (
        "recordings.media_mp3",
        200,
        "(20,016 bytes of recording media, not shown as text)",
    )
    assert requests.head(url, timeout=5).status_code == 200
    assert api_request_json(sim.api_requests[-1])["body"] == (
        "(160,044 bytes of recording media, not shown as text)"
    )
    fetched = sim.client().recordings(urlsplit(url).path.rsplit("/", 1)[1]).fetch()
    assert (fetched.duration, fetched.channels, fetched.status) == ("5", 2, "completed")
    assert str(api_request_json(sim.api_requests[-1])["body"]).startswith('{"account_sid": ')
