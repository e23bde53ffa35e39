"""A WSGI body whose pieces are not bytes (a str, None), or a body returned itself rather
than in a list, is the HTTP 500 a WSGI server answers it with: 11200 naming the piece, not
"the app raised TypeError" from twimlsim's own join, nor an empty body (11770).
bytearray and memoryview pieces are read as bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from tests.support import APP_URL, called_in
from twimlsim import Simulator
from twimlsim.engine.interpreter import APPLICATION_ERROR_MESSAGE, APPLICATION_ERROR_THEN

DOC = "<Response><Say>Hello</Say></Response>"


def not_bytes_message(shown: str) -> str:
    """The 11200 of an answer from ``APP_URL/voice`` whose body holds ``shown``."""
    return (
        f"the body of the answer from {APP_URL}/voice holds {shown}, not bytes: a WSGI "
        "app's body is an iterable of bytes, and a WSGI server answers anything else "
        "with HTTP 500; encode it (return [twiml.encode()]); " + APPLICATION_ERROR_THEN
    )


def answering(pieces: Any, headers: list[tuple[str, str]]) -> Simulator:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[Any]:
        start_response("200 OK", [("Content-Type", "text/xml"), *headers])
        return pieces

    return called_in(app)


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
            not_bytes_message(shown),
        )
    ]
    assert next(iter(sim.calls.values())).said == [APPLICATION_ERROR_MESSAGE]


def test_bytearray_and_memoryview_pieces_are_read_as_bytes() -> None:
    sim = answering([bytearray(b"<Response><Say>Hel"), memoryview(b"lo</Say></Response>")], [])
    assert sim.failures == []
    assert next(iter(sim.calls.values())).said == ["Hello"]


@pytest.mark.parametrize(
    ("body", "shown", "pieces"),
    [
        (DOC.encode(), "b'<Response><Say>Hello</Say></Response>' (bytes)", "ints"),
        (DOC, "'<Response><Say>Hello</Say></Response>' (str)", "one-character strs"),
        (DOC * 2, repr(DOC[:37]) + "... (str)", "one-character strs"),
    ],
)
def test_a_body_returned_itself_not_in_a_list_is_11200_saying_so(
    body: bytes | str, shown: str, pieces: str
) -> None:
    # bytes were "holds 60 (int)", a str "the app raised TypeError" from the join
    sim = answering(body, [])
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            f"the app returned its body itself, {shown}, not an iterable of bytes: a WSGI "
            f"server iterates it as {pieces} and answers HTTP 500; return it in a list of "
            "bytes ([body.encode()] for a str, [body] for bytes); " + APPLICATION_ERROR_THEN,
        )
    ]
