"""Send a webhook's request target as it was signed.

urllib3 (under ``requests``) percent-encodes ``[`` and ``]`` in a path or a query: a
webhook to ``/voice?ids[]=1`` (an array parameter as PHP and Rails write it) would go out
as ``/voice?ids%5B%5D=1``, while twimlsim signs the URL with them as written, as an app
routed in process receives it and, most plausibly, as Twilio sends it (see the README's
Fidelity notes). An app that rebuilds the URL from its request line (PHP's
``REQUEST_URI``, Go's ``r.URL.RequestURI()``, Node's ``req.originalUrl``) would then
validate another URL than the one signed. The connections here put the target back as
written when urllib3 changed only those two characters.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlsplit

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from .answer_deadline import DeadlineResponse

__all__ = ["RawTargetAdapter", "sending_target_of"]

#: The request target (path and query) of the webhook being sent, as written.
_TARGET: ContextVar[str | None] = ContextVar("twimlsim_webhook_target", default=None)


@contextmanager
def sending_target_of(url: str) -> Iterator[None]:
    """While the request to ``url`` is sent, its target goes on the wire as ``url`` has it."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    token = _TARGET.set(target)
    try:
        yield
    finally:
        _TARGET.reset(token)


def _as_written(target: str) -> str:
    written = _TARGET.get()
    if written is not None and written.replace("[", "%5B").replace("]", "%5D") == target:
        return written
    return target


class _HTTPConnection(HTTPConnection):
    response_class = DeadlineResponse  # the whole answer read by the read deadline

    def putrequest(
        self, method: str, url: str, skip_host: bool = False, skip_accept_encoding: bool = False
    ) -> None:
        super().putrequest(method, _as_written(url), skip_host, skip_accept_encoding)


class _HTTPSConnection(HTTPSConnection):
    response_class = DeadlineResponse

    def putrequest(
        self, method: str, url: str, skip_host: bool = False, skip_accept_encoding: bool = False
    ) -> None:
        super().putrequest(method, _as_written(url), skip_host, skip_accept_encoding)


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class RawTargetAdapter(HTTPAdapter):
    """``requests``' adapter whose connections send the target as ``sending_target_of``
    names it."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """The pool manager, making the pools of the connections above."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
