"""Twilio's read timeout bounds an answer's status line and headers over HTTP too.

``requests``' read timeout bounds each read from the socket, not the whole answer: an app
(or whatever listens on its port) that sends its status line or headers a few bytes at a
time, or ``100 Continue`` after ``100 Continue`` (which ``http.client`` skips, waiting
for the final status), held the webhook far past the limit, for ever in the last case.
``DeadlineResponse`` reads them with each socket read bounded by what is left of the read
deadline (``timing.read_deadline()``), so the answer fails there (a ``TimeoutError``,
which ``requests`` raises as its ``ReadTimeout``: 11200, as Twilio's read timeout). The
body is bounded by ``answer.read_answer`` as before.
"""

from __future__ import annotations

import http.client
import io
import socket
from typing import Any

from .timing import read_deadline, wall_seconds

__all__ = ["DeadlineResponse"]


class _HeadBefore(io.RawIOBase):
    """The socket's reads, each given at most the time left before ``deadline`` until
    ``lift()`` (the headers are read); then as the socket's own timeout has them."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__()
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)  # counts as the socket's reader
        self._timeout = sock.gettimeout()
        self._deadline: float | None = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        deadline = self._deadline
        if deadline is not None:
            left = deadline - wall_seconds()
            if left <= 0:
                raise TimeoutError("timed out")
            if self._timeout is None or left < self._timeout:
                self._sock.settimeout(left)
        read: int | None = self._raw.readinto(buffer)
        return read

    def lift(self) -> None:
        """Stop bounding reads by the deadline: the socket's own timeout is back."""
        if self._deadline is not None:
            self._deadline = None
            self._sock.settimeout(self._timeout)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _Maker:
    """What ``http.client.HTTPResponse`` takes as its socket: only ``makefile`` is read."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock = sock
        self.deadline = deadline
        self.head: _HeadBefore | None = None

    def makefile(self, mode: str) -> io.BufferedReader:
        self.head = _HeadBefore(self.sock, self.deadline)
        return io.BufferedReader(self.head)


class DeadlineResponse(http.client.HTTPResponse):
    """``http.client``'s response, whose status line and headers are read by the read
    deadline when one is set (a webhook under way), else as usual."""

    def __init__(self, sock: Any, *args: Any, **kwargs: Any) -> None:
        deadline = read_deadline()
        self._head: _Maker | None = None
        if deadline is not None and isinstance(sock, socket.socket):
            self._head = _Maker(sock, deadline)
            sock = self._head
        super().__init__(sock, *args, **kwargs)

    def begin(self) -> None:
        try:
            super().begin()
        finally:
            head = None if self._head is None else self._head.head
            if head is not None and not head.closed:
                head.lift()
