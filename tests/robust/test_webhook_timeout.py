"""In process, a webhook slower than Twilio's read timeout fails as on Twilio (11200)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.engine.interpreter import APPLICATION_ERROR_MESSAGE
from twimlsim.engine.webhooks import WebhookDeliveryError, WebhookRequest, WebhookResponse
from twimlsim.errors import ConfigurationError
from twimlsim.transports.timing import DEFAULT_WEBHOOK_TIMEOUT, LIFT_THE_LIMIT, WallTimeLimit

ANSWER = WebhookResponse(200, (("Content-Type", "text/xml"),), b"<Response/>")


class Answering:
    def send(self, request: WebhookRequest) -> WebhookResponse:
        return ANSWER


def request() -> WebhookRequest:
    return WebhookRequest(
        "POST", f"{APP_URL}/voice", {}, {}, "voice", "CA1", datetime(2026, 1, 1, tzinfo=UTC)
    )


def ticking(step: float) -> Callable[[], float]:
    """A clock that moves ``step`` seconds each time it is read."""
    now = [0.0]

    def read() -> float:
        now[0] += step
        return now[0]

    return read


def test_an_answer_after_the_limit_is_11200() -> None:
    limit = WallTimeLimit(Answering(), 15.0, clock=ticking(20.0))
    with pytest.raises(WebhookDeliveryError) as late:
        limit.send(request())
    assert (late.value.code, late.value.message) == (
        11200,
        "the app took 20.0 s of wall time to answer https://app.test/voice; Twilio waits at "
        "most 15 s (its read timeout) and then gives up on the request. Make the webhook "
        "answer sooner (move slow work out of the request, to a thread or a job queue, and "
        "answer the TwiML at once); if the time went by at a debugger breakpoint, or the app "
        "is slow only under test, lift the limit: Simulator(webhook_timeout=None), "
        "@pytest.mark.twimlsim(webhook_timeout=None), the ini option "
        'twimlsim_webhook_timeout = none, or twimlsim_options = {"webhook_timeout": None} on '
        "a TwimlsimMixin test (or give it more seconds)",
    )
    assert LIFT_THE_LIMIT in late.value.message


def test_an_answer_within_the_limit_or_without_one_passes() -> None:
    assert WallTimeLimit(Answering(), 15.0, clock=ticking(15.0)).send(request()) is ANSWER
    assert WallTimeLimit(Answering(), None, clock=ticking(99.0)).send(request()) is ANSWER
    assert DEFAULT_WEBHOOK_TIMEOUT == 15.0


def slow_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    time.sleep(0.08)
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>late</Say></Response>"]


@pytest.mark.parametrize("freeze_time", [True, False])
def test_a_slow_app_fails_the_webhook_even_with_frozen_time(freeze_time: bool) -> None:
    with Simulator(strict=False, webhook_timeout=0.05, freeze_time=freeze_time) as sim:
        sim.route(APP_URL, slow_app)
        sim.number(CALLER_ID)
        call = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        sim.run()
    assert [(f.code, f.url) for f in sim.failures] == [(11200, f"{APP_URL}/voice")]
    assert sim.failures[0].message.startswith("the app took 0.")
    assert sim.calls[call.sid].said == [APPLICATION_ERROR_MESSAGE]
    assert [r.response for r in sim.requests if r.kind == "voice"] == [None]


class _ClosingSlowly:
    """An answer whose ``close()`` (Flask's ``call_on_close``, teardown work) is slow."""

    def __init__(self, closed: list[str]) -> None:
        self.closed = closed

    def __iter__(self) -> Any:
        return iter([b"<Response><Say>on time</Say></Response>"])

    def close(self) -> None:
        time.sleep(0.08)
        self.closed.append("closed")


def test_work_after_a_complete_answer_does_not_count_toward_the_read_timeout() -> None:
    closed: list[str] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        start_response("200 OK", [("Content-Type", "text/xml")])
        return _ClosingSlowly(closed)

    with Simulator(webhook_timeout=0.05) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        call = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        sim.run()
    assert (sim.failures, sim.calls[call.sid].said, closed) == ([], ["on time"], ["closed"])


@pytest.mark.parametrize("timeout", [0, -1.0, float("nan")])
def test_the_limit_must_be_positive(timeout: float) -> None:
    with pytest.raises(ConfigurationError) as refused:
        Simulator(webhook_timeout=timeout)
    assert str(refused.value) == (
        "Simulator(webhook_timeout=...): webhook_timeout must be a positive number of "
        f"seconds such as 15 (or None for no limit); got {timeout!r}"
    )
