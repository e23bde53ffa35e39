"""Twilio's read timeout bounds the whole answer over HTTP, every byte of it.

``requests``' read timeout bounds each read from the socket, not the whole answer: an app
(or whatever listens on its port) that sent its status line, its headers, a chunk's size
line or the trailers after its last chunk a few bytes at a time, or ``100 Continue`` after
``100 Continue`` (which ``http.client`` skips, waiting for the final status), held the
webhook far past the limit, for ever in the last case. ``DeadlineResponse`` reads the
answer with each socket read given at most what is left of the read deadline the
transport gives with ``answering_by`` (a context variable: ``twimlsim serve`` may send two
webhooks at once from two threads), so the answer fails there: a ``TimeoutError``, which
``requests`` raises as its ``ReadTimeout`` before the headers and urllib3 as its
``ReadTimeoutError`` after them (11200, as Twilio's read timeout).
"""

from __future__ import annotations

import contextlib
import http.client
import io
import socket
from contextvars import ContextVar, Token
from typing import Any

from .timing import wall_seconds

__all__ = ["DeadlineResponse", "answering_by"]

#: The ``wall_seconds`` instant by which the answer being read must be complete, or None.
_DEADLINE: ContextVar[float | None] = ContextVar("twimlsim_answer_deadline", default=None)


class answering_by:  # noqa: N801 - used as a function: ``with answering_by(t):``
    """While inside, answers read in this thread must be complete by ``deadline`` (a
    ``wall_seconds`` instant; None: no deadline).

    A class rather than a generator-made context, as ``timing.reading_until``: every
    webhook sent over HTTP enters one."""

    __slots__ = ("deadline", "token")

    def __init__(self, deadline: float | None) -> None:
        self.deadline = deadline
        self.token: Token[float | None] | None = None

    def __enter__(self) -> None:
        self.token = _DEADLINE.set(self.deadline)

    def __exit__(self, *exc_info: object) -> None:
        if self.token is not None:
            _DEADLINE.reset(self.token)


class _ReadBefore(io.RawIOBase):
    """The socket's reads, each given at most the time left before ``deadline``; closed,
    the socket's own timeout is back for the connection's next request."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__()
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)  # counts as the socket's reader
        self._timeout = sock.gettimeout()
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        left = self._deadline - wall_seconds()
        if left <= 0:
            raise TimeoutError("timed out")
        if self._timeout is None or left < self._timeout:
            self._sock.settimeout(left)
        read: int | None = self._raw.readinto(buffer)
        return read

    def close(self) -> None:
        if not self.closed:
            with contextlib.suppress(OSError):  # the socket was closed already
                self._sock.settimeout(self._timeout)
            self._raw.close()
        super().close()


class _Maker:
    """What ``http.client.HTTPResponse`` takes as its socket: only ``makefile`` is read."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock = sock
        self.deadline = deadline

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(_ReadBefore(self.sock, self.deadline))


class DeadlineResponse(http.client.HTTPResponse):
    """``http.client``'s response, read by the deadline ``answering_by`` gives (a webhook
    under way), else as usual."""

    def __init__(self, sock: Any, *args: Any, **kwargs: Any) -> None:
        deadline = _DEADLINE.get()
        if deadline is not None and isinstance(sock, socket.socket):
            sock = _Maker(sock, deadline)
        super().__init__(sock, *args, **kwargs)

    def _read_status(self) -> tuple[str, int, str]:
        """The final status line: an informational answer before it (103 Early Hints,
        102 Processing) is skipped with its headers, as ``http.client`` skips only 100
        Continue and any HTTP client skips them all (RFC 9110, 15.2); it was taken for the
        app's answer, an empty 11200."""
        while True:
            version, status, reason = super()._read_status()  # type: ignore[misc]
            if not 100 < status < 200 or status == 101:  # 100: http.client's own to skip
                return version, status, reason
            http.client.parse_headers(self.fp)  # its headers, read and left
