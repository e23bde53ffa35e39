"""The fake REST API on a real socket (``twimlsim serve``), with the control API under
``/twimlsim/`` (``rest/control.py``: the clock, far ends, calls, failures, reset; described
by ``GET /twimlsim/openapi.json``). The control API needs no credentials: the server binds
127.0.0.1 unless told otherwise.

Every request runs under the serve ``guard`` (one engine, many server threads).
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from werkzeug.exceptions import ClientDisconnected
from werkzeug.serving import BaseWSGIServer, get_sockaddr, make_server, select_address_family
from werkzeug.wrappers import Request, Response

from twimlsim.errors import TwilioApiError

from .control import ControlApi, ControlTarget
from .http_errors import JsonErrorRequestHandler
from .render import error_response

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["ServedApi", "start_server"]


class ServedApi:
    """WSGI app: ``/twimlsim/...`` control endpoints, everything else the fake Twilio API of
    ``target``'s simulator (which ``POST /twimlsim/reset`` replaces)."""

    def __init__(
        self,
        target: ControlTarget,
        guard: Callable[[], AbstractContextManager[object]],
        wait_idle: Callable[[], None],
    ) -> None:
        self.target = target
        self.control = ControlApi(target, wait_idle)
        self._guard = guard

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            # the whole body is read before the engine is held: a client slow to send it
            # (or sending less than its Content-Length) holds its own thread, not the server
            request.get_data()
        except ClientDisconnected:
            return error_response(_cut_short(environ))(environ, start_response)
        with self._guard():
            if is_control(request.path):
                response = self.control.handle(request)
            else:
                response = self.target.sim.rest.handle(request)
        return response(environ, start_response)

    def log_refused(self, environ: WSGIEnvironment, response: Response) -> None:
        """Keep a request the guard refused unread (a body too large) in the served
        simulator's request log, as in process; the control API keeps no log."""
        if is_control(str(environ.get("PATH_INFO", ""))):
            return
        with self._guard():
            self.target.sim.rest.log_refused(environ, response)


def _cut_short(environ: WSGIEnvironment) -> TwilioApiError:
    """The 400 of a request whose body ended before its ``Content-Length``."""
    declared = environ.get("CONTENT_LENGTH", "")
    return TwilioApiError(
        400,
        20400,
        f"Bad Request: the request body ended before its Content-Length ({declared} bytes); "
        "send as many bytes as Content-Length says",
    )


def is_control(path: str) -> bool:
    """Whether ``path`` is the control API's (``/twimlsim`` itself too: its 404 lists the
    endpoints, where the fake Twilio API would ask for credentials)."""
    return path == "/twimlsim" or path.startswith("/twimlsim/")


def start_server(app: WSGIApplication, host: str, port: int) -> BaseWSGIServer:
    """A threaded server for ``app`` on ``host:port`` (port 0 picks a free one); the
    ``OSError`` of an address that cannot be bound (a port in use), for the caller to
    word: werkzeug's own server would print its advice and exit."""
    family = select_address_family(host, port)
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(get_sockaddr(host, port, family))
        listener.listen(128)  # werkzeug's own backlog
        return make_server(
            host,
            port,
            app,
            threaded=True,
            request_handler=JsonErrorRequestHandler,
            fd=listener.fileno(),  # the server serves a duplicate of it
        )
    finally:
        listener.close()
