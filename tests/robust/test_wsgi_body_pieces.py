"""A WSGI body whose pieces are not bytes (a str, None) is the HTTP 500 a WSGI server
answers it with: 11200 naming the piece, not "the app raised TypeError" from twimlsim's
own join, nor an empty body (11770). bytearray and memoryview pieces are read as bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.engine.interpreter import APPLICATION_ERROR_MESSAGE, APPLICATION_ERROR_THEN

DOC = "<Response><Say>Hello</Say></Response>"


def answering(pieces: list[Any], headers: list[tuple[str, str]]) -> Simulator:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[Any]:
        start_response("200 OK", [("Content-Type", "text/xml"), *headers])
        return pieces

    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    return sim


@pytest.mark.parametrize(
    ("pieces", "shown"),
    [
        ([DOC], "'<Response><Say>Hello</Say></Response>' (str)"),
        ([None, DOC.encode()], "None (NoneType)"),
        ([DOC * 3], repr(DOC * 3)[:57] + "... (str)"),
    ],
)
@pytest.mark.parametrize("headers", [[], [("Content-Encoding", "gzip")]])
def test_a_piece_that_is_not_bytes_is_11200_naming_it(
    pieces: list[Any], shown: str, headers: list[tuple[str, str]]
) -> None:
    sim = answering(pieces, headers)
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            f"the body of the answer from {APP_URL}/voice holds {shown}, not bytes: a WSGI "
            "app's body is an iterable of bytes, and a WSGI server answers anything else "
            "with HTTP 500; encode it (return [twiml.encode()]); " + APPLICATION_ERROR_THEN,
        )
    ]
    assert next(iter(sim.calls.values())).said == [APPLICATION_ERROR_MESSAGE]


def test_bytearray_and_memoryview_pieces_are_read_as_bytes() -> None:
    sim = answering([bytearray(b"<Response><Say>Hel"), memoryview(b"lo</Say></Response>")], [])
    assert sim.failures == []
    assert next(iter(sim.calls.values())).said == ["Hello"]
