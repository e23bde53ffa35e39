"""The fake REST API on a real socket (``twimlsim serve``), with an admin API for the clock.

Admin endpoints (no credentials; the server binds 127.0.0.1 only):

- ``POST /twimlsim/advance`` with ``seconds=N``: let N seconds of virtual time pass,
  running every event that falls due (the manual clock; works in real-time mode too).
- ``POST /twimlsim/run``: run until no call has anything left to do.
- ``GET /twimlsim/status``: virtual time, pending events, calls and recorded failures.

Every request runs under the serve ``guard`` (one engine, many server threads).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from twimlsim.clock import to_micros
from twimlsim.engine.limits import MAX_CALLS_PER_RUN, run_bounded
from twimlsim.errors import TwilioApiError

from .http_errors import JsonErrorRequestHandler
from .params import INVALID_PARAMETER
from .render import error_response, json_response
from .serialize import date

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from twimlsim.engine.engine import Engine

    from .app import RestApi

__all__ = ["ServedApi", "start_server"]


class ServedApi:
    """WSGI app: ``/twimlsim/...`` admin endpoints, everything else the fake Twilio API."""

    def __init__(
        self,
        rest: RestApi,
        guard: Callable[[], AbstractContextManager[object]],
        wait_idle: Callable[[], None],
    ) -> None:
        self.rest = rest
        self.engine: Engine = rest.engine
        self._guard = guard
        self._wait_idle = wait_idle

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        with self._guard():
            if request.path.startswith("/twimlsim/"):
                response = self._admin(request)
            else:
                response = self.rest.handle(request)
        return response(environ, start_response)

    def _admin(self, request: Request) -> Response:
        try:
            if request.path == "/twimlsim/status" and request.method == "GET":
                return json_response(self.status(), 200)
            if request.path == "/twimlsim/advance" and request.method == "POST":
                raw = request.values.get("seconds", "")
                try:
                    seconds = float(raw)
                except ValueError:
                    seconds = -1.0
                if not seconds >= 0:
                    raise TwilioApiError(
                        400,
                        INVALID_PARAMETER,
                        f"seconds is not a number of seconds (0 or more): {raw!r}",
                    )
                clock = self.engine.clock
                try:
                    target = clock.micros + to_micros(seconds)
                    clock.check_reachable(target)
                except ValueError as error:
                    raise TwilioApiError(400, INVALID_PARAMETER, str(error)) from None
                self._wait_idle()
                self.engine.scheduler.run_until(target)
                return json_response(self.status(), 200)
            if request.path == "/twimlsim/run" and request.method == "POST":
                self._wait_idle()
                self.engine.before_running()
                stopped = run_bounded(self.engine, MAX_CALLS_PER_RUN)
                if stopped is not None:
                    raise TwilioApiError(500, 20500, stopped.message)
                return json_response(self.status(), 200)
            raise TwilioApiError(
                404,
                20404,
                f"{request.method} {request.path} is not a twimlsim admin endpoint; use "
                "POST /twimlsim/advance (seconds=N), POST /twimlsim/run or GET /twimlsim/status",
            )
        except TwilioApiError as error:
            return error_response(error)

    def status(self) -> dict[str, object]:
        """The simulation as the admin API reports it."""
        engine = self.engine
        return {
            "now": date(engine.clock.now),
            "seconds": engine.clock.micros / 1_000_000,
            "pending_events": len(engine.scheduler),
            "calls": {sid: call.status for sid, call in engine.calls.items()},
            "failures": [str(failure) for failure in engine.failures],
        }


def start_server(app: WSGIApplication, host: str, port: int) -> BaseWSGIServer:
    """A threaded server for ``app`` on ``host:port`` (port 0 picks a free one)."""
    return make_server(host, port, app, threaded=True, request_handler=JsonErrorRequestHandler)
