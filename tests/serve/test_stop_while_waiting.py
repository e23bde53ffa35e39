"""``twimlsim serve`` stopped by SIGINT while the app still has a webhook: it stops at once
(not after the clock driver's join timeout) and lists the unanswered webhook, keeping the
rest of its log (nothing here imports twimlsim)."""

from __future__ import annotations

import signal
import threading
import time

from tests.serve.client import ServeProcess, WebhookApp

CALLER_ID = "+15005550006"
CALLEE = "+15558675310"
TIMEOUT = 10


def test_sigint_during_a_slow_webhook_stops_at_once_and_lists_it() -> None:
    arrived, release = threading.Event(), threading.Event()

    def slow(params: dict[str, str]) -> str:
        arrived.set()
        release.wait(TIMEOUT)
        return "<Response><Say>Too late.</Say></Response>"

    app = WebhookApp({"/voice": "<Response><Redirect>/slow</Redirect></Response>", "/slow": slow})
    serve = ServeProcess("--clock", "realtime", "--number", CALLER_ID)
    try:
        sid = serve.create_call(To=CALLEE, From=CALLER_ID, Url=f"{app.url}/voice")
        assert arrived.wait(TIMEOUT)
        started = time.monotonic()
        status, err = serve.signal(signal.SIGINT)
        stopped_in = time.monotonic() - started
    finally:
        release.set()
        serve.kill()
        app.stop()
    assert stopped_in < 2  # it took 5 s, the clock driver's join timeout, before
    assert status == 0
    out = f"09:00:00 redirect POST {app.url}/slow (call {sid})"
    assert err.splitlines() == [
        f"twimlsim INFO webhook 09:00:00 voice POST {app.url}/voice (call {sid}) -> 200",
        f"twimlsim WARNING webhook {out} -> no answer yet: serve stopped without waiting",
        "twimlsim INFO SIGINT received: stopped serving",
        "twimlsim serve: stopped after 1 call; no problems; 1 webhook the app had not "
        "answered yet (not waited for):",
        f"  webhook {out}",
    ]
