"""Malformed and oversized answers from the app: each is an app failure with Twilio's code,
logged, and the call goes on as Twilio's would; nothing is read or kept beyond 64 kB."""

from __future__ import annotations

import gzip
import itertools
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.engine.interpreter import APPLICATION_ERROR_MESSAGE, APPLICATION_ERROR_THEN
from twimlsim.errors import SimulationError

DOCUMENT = b"<Response><Say>Hello</Say></Response>"
WSGI = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def answering(headers: list[tuple[str, str]], body: Iterable[bytes]) -> WSGI:
    """A WSGI app answering ``/voice`` with ``body`` and an empty document elsewhere."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] != "/voice":
            start_response("200 OK", [("Content-Type", "text/xml")])
            return [b"<Response><Say>Fallback</Say></Response>"]
        start_response("200 OK", [("Content-Type", "text/xml"), *headers])
        return body

    return app


def run_call(app: WSGI, **create: str) -> tuple[Simulator, str]:
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        call = sim.client().calls.create(
            to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice", **create
        )
        sim.run()
    return sim, call.sid


NOT_GZIP = (
    "the answer from https://app.test/voice says Content-Encoding: gzip but its body is not "
    "valid gzip data (Error -3 while decompressing data: incorrect header check); send the "
    f"body gzip-compressed, or drop the Content-Encoding header; {APPLICATION_ERROR_THEN}"
)


def test_a_body_that_is_not_gzip_is_11200_and_the_call_hears_the_error_message() -> None:
    sim, sid = run_call(answering([("Content-Encoding", "gzip")], [DOCUMENT]))
    call = sim.calls[sid]
    assert (call.status, call.said) == ("completed", [APPLICATION_ERROR_MESSAGE])
    assert [(r.kind, r.url, r.response) for r in sim.requests if r.call_sid == sid][:1] == [
        ("voice", f"{APP_URL}/voice", None)
    ]
    assert [(f.code, f.url, f.message) for f in sim.failures] == [
        (11200, f"{APP_URL}/voice", NOT_GZIP)
    ]


def test_strict_mode_names_the_url_and_the_code_of_a_bad_encoding() -> None:
    with Simulator() as sim:
        sim.route(APP_URL, answering([("Content-Encoding", "gzip")], [DOCUMENT]))
        sim.number(CALLER_ID)
        call = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        with pytest.raises(SimulationError) as failed:
            sim.run()
        assert [(f.code, f.message) for f in failed.value.failures] == [(11200, NOT_GZIP)]
        assert sim.calls[call.sid].status == "completed"
        sim.run()  # nothing is left stuck


def test_a_bad_encoding_sends_twilio_to_the_fallback_url() -> None:
    sim, sid = run_call(
        answering([("Content-Encoding", "gzip")], [DOCUMENT]), fallback_url=f"{APP_URL}/fb"
    )
    fallback = [r for r in sim.requests if r.kind == "fallback"]
    assert [(r.params["ErrorCode"], r.params["ErrorUrl"]) for r in fallback] == [
        ("11200", f"{APP_URL}/voice")
    ]
    assert sim.calls[sid].said == ["Fallback"]


def test_a_compressed_stream_cut_short_is_11200() -> None:
    sim, _ = run_call(answering([("Content-Encoding", "gzip")], [gzip.compress(DOCUMENT)[:-9]]))
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            "the answer from https://app.test/voice says Content-Encoding: gzip but its body "
            "is not valid gzip data (the compressed stream ends before its end marker); send "
            "the body gzip-compressed, or drop the Content-Encoding header; "
            + APPLICATION_ERROR_THEN,
        )
    ]


def test_a_body_shorter_than_its_content_length_is_11200() -> None:
    sim, sid = run_call(answering([("Content-Length", "500")], [DOCUMENT]))
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            "the answer from https://app.test/voice ended after 37 of the 500 bytes its "
            "Content-Length announces (a truncated body); send the whole body, or a "
            "Content-Length that matches it; " + APPLICATION_ERROR_THEN,
        )
    ]
    assert sim.calls[sid].said == [APPLICATION_ERROR_MESSAGE]


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", [gzip.compress(DOCUMENT)]),
        ("x-gzip", [gzip.compress(DOCUMENT)]),
        ("GZIP", [(g := gzip.compress(DOCUMENT))[:5], g[5:]]),
        ("deflate", [zlib.compress(DOCUMENT)]),
        ("deflate", [raw_deflate(DOCUMENT)]),
        ("identity", [DOCUMENT]),
    ],
)
def test_well_encoded_answers_are_decoded(encoding: str, body: list[bytes]) -> None:
    sim, sid = run_call(answering([("Content-Encoding", encoding)], body))
    assert (sim.calls[sid].said, sim.failures) == (["Hello"], [])
    response = sim.requests[0].response
    assert response is not None and response.body == DOCUMENT


def test_a_gzip_bomb_is_read_no_further_than_64_kB() -> None:
    bomb = gzip.compress(b"\0" * (8 << 20))  # 8 MiB decoded from 8 kB
    sim, sid = run_call(answering([("Content-Encoding", "gzip")], [bomb]))
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11750,
            "TwiML response body is more than 65,536 bytes (64 kB), the most Twilio reads; "
            "keep the document under 64 kB; " + APPLICATION_ERROR_THEN,
        )
    ]
    response = sim.requests[0].response
    assert response is not None and len(response.body) == 65_537
    assert sim.calls[sid].said == [APPLICATION_ERROR_MESSAGE]


def test_an_endless_body_is_read_no_further_than_64_kB() -> None:
    closed: list[bool] = []

    def endless() -> Iterator[bytes]:
        try:
            yield from itertools.repeat(b"<Response>" * 100)
        finally:
            closed.append(True)

    sim, _ = run_call(answering([], endless()))
    assert [f.code for f in sim.failures] == [11750]
    assert closed == [True]  # the app's iterable was closed, as a server would


def test_a_body_of_exactly_64_kB_is_read_whole() -> None:
    padding = b" " * (65_536 - len(DOCUMENT))
    sim, sid = run_call(answering([], [DOCUMENT + padding]))
    assert (sim.calls[sid].said, sim.failures) == (["Hello"], [])


@pytest.mark.parametrize(
    ("content_type", "body", "said", "codes"),
    [
        ("text/xml; charset=klingon", DOCUMENT, ["Hello"], []),
        ("text/xml; charset=utf-16", DOCUMENT.decode().encode("utf-16"), ["Hello"], []),
        ("text/xml; charset=utf-8", b"<Response><Say>\xff\xfe</Say></Response>", None, [12100]),
        (
            "text/xml",
            b"<?xml version='1.0' encoding='klingon'?><Response><Say>x</Say></Response>",
            None,
            [12100],
        ),
        ("text/plain; charset=bogus", b"Hello \xff", ["Hello \ufffd"], []),
    ],
)
def test_odd_charsets_never_raise(
    content_type: str, body: bytes, said: list[str] | None, codes: list[int]
) -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", content_type)])
        return [body]

    sim, sid = run_call(app)
    assert [f.code for f in sim.failures] == codes
    assert sim.calls[sid].said == (said or [APPLICATION_ERROR_MESSAGE])
    assert sim.calls[sid].status == "completed"


def test_an_app_that_fails_while_sending_its_body_is_11200() -> None:
    def failing() -> Iterator[bytes]:
        yield b"<Response>"
        raise RuntimeError("disk full")

    sim, sid = run_call(answering([], failing()))
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            "the app raised RuntimeError: disk full (Twilio sees HTTP 500); "
            + APPLICATION_ERROR_THEN,
        )
    ]
    assert isinstance(sim.failures[0].cause, RuntimeError)
    assert sim.calls[sid].status == "completed"
