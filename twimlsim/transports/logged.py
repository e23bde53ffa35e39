"""A transport that logs one line per webhook (``twimlsim serve --log-level``)."""

from __future__ import annotations

import itertools
import logging

from .base import Transport, WebhookDeliveryError, WebhookRequest, WebhookResponse

__all__ = ["LoggingTransport"]


class LoggingTransport:
    """Sends through ``inner`` and logs each webhook with its virtual time, kind, call SID
    and the app's status: INFO when the app answered, WARNING when nothing answered.

    ``waiting()`` names the webhooks sent and not answered yet: ``serve`` lists them when
    it stops while the app still has one (it does not wait for the answer)."""

    def __init__(self, inner: Transport, logger: logging.Logger) -> None:
        self.inner = inner
        self.logger = logger
        self._out: dict[int, str] = {}
        self._numbers = itertools.count()

    def send(self, request: WebhookRequest) -> WebhookResponse:
        """Deliver ``request`` through the wrapped transport, then log it."""
        where = (
            f"{request.at:%H:%M:%S} {request.kind} {request.method} {request.url} "
            f"(call {request.call_sid})"
        )
        number = next(self._numbers)
        self._out[number] = where
        try:
            response = self.inner.send(request)
        except WebhookDeliveryError as error:
            self.logger.warning("webhook %s -> no answer, error %s: %s", where, error.code, error)
            raise
        finally:
            del self._out[number]
        self.logger.info("webhook %s -> %s", where, response.status)
        return response

    def waiting(self) -> list[str]:
        """The webhooks out now, oldest first, each as its log line begins."""
        return list(self._out.copy().values())

    def close(self) -> None:
        """Close the wrapped transport's connections, if it keeps any."""
        close = getattr(self.inner, "close", None)
        if close is not None:
            close()
