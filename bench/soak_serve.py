"""Soak ``twimlsim serve``: 8,000 calls over loopback HTTP; its memory must stay flat.

Starts ``twimlsim serve --clock manual`` in a subprocess and a small voice app (threaded
werkzeug server) in this process, both on 127.0.0.1. Places calls in batches over the REST
API (each call: the create, a voice webhook, a status callback), advances the virtual clock
after each batch so that the batch runs, and samples the server's resident memory
(``VmRSS`` from ``/proc``) every 500 calls. After a warm-up of 3,000 calls (the retention
window and twimlsim's bounded caches fill up), the largest sample over the next 5,000 calls
may exceed the first one by at most 10%.

Sized for a 2-core machine (about 75 seconds); stops by itself. Linux only (``/proc``).

    .venv/bin/python bench/soak_serve.py [CALLS [KEEP_CALLS]]
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import requests
from werkzeug.serving import make_server

WARM_UP = 3_000
CALLS = WARM_UP + 5_000
BATCH = 100
SAMPLE_EVERY = 500
KEEP_CALLS = 500
TARGET = 0.10
CALLER_ID = "+15005550006"
CALLEE = "+15558675310"


def voice_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Answers the voice webhook with a short greeting, any other request with 204."""
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    if environ["PATH_INFO"] == "/voice":
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<Response><Say>Thanks for calling</Say></Response>"]
    start_response("204 No Content", [])
    return [b""]


def rss_kb(pid: int) -> int:
    """The process's resident memory in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def main(calls: int = CALLS, keep_calls: int = KEEP_CALLS) -> int:
    app_server = make_server("127.0.0.1", 0, voice_app, threaded=True)
    app_thread = threading.Thread(target=app_server.serve_forever, args=(0.05,), daemon=True)
    app_thread.start()
    app_url = f"http://127.0.0.1:{app_server.port}"
    command = [
        sys.executable, "-m", "twimlsim.serve", "--clock", "manual", "--cps", "100",
        "--number", CALLER_ID, "--keep-calls", str(keep_calls),
    ]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        banner = json.loads(server.stdout.readline())
        base, auth = banner["url"], (banner["account_sid"], banner["auth_token"])
        create = f"{base}/2010-04-01/Accounts/{banner['account_sid']}/Calls.json"
        form = {
            "To": CALLEE,
            "From": CALLER_ID,
            "Url": f"{app_url}/voice",
            "StatusCallback": f"{app_url}/status",
        }
        session = requests.Session()
        samples: list[tuple[int, int, int]] = []
        started = time.perf_counter()
        for done in range(BATCH, calls + 1, BATCH):
            for _ in range(BATCH):
                answer = session.post(create, data=form, auth=auth, timeout=30)
                assert answer.status_code == 201, answer.text
            status = session.post(f"{base}/twimlsim/advance", data={"seconds": "5"}, timeout=60)
            assert status.status_code == 200, status.text
            if done % SAMPLE_EVERY == 0:
                kept = len(status.json()["calls"])
                samples.append((done, rss_kb(server.pid), kept))
        elapsed = time.perf_counter() - started
        failures = session.get(f"{base}/twimlsim/status", timeout=30).json()["failures"]
    finally:
        server.terminate()
        server.wait(timeout=30)
        app_server.shutdown()
        app_server.server_close()
    print(
        f"soak: {calls:,} calls through twimlsim serve in {elapsed:.1f} s "
        f"(--keep-calls {keep_calls})"
    )
    print("    calls   server RSS   calls kept")
    for done, rss, kept in samples:
        print(f"  {done:7,}   {rss / 1024:7.1f} MB   {kept:10,}")
    after = [rss for done, rss, _ in samples if done >= WARM_UP] or [rss for _, rss, _ in samples]
    growth = (max(after) - after[0]) / after[0]
    verdict = "ok" if growth <= TARGET and not failures else "FAILED"
    print(
        f"growth after {WARM_UP:,}-call warm-up: {growth:+.1%} (target <= {TARGET:.0%}); "
        f"failures: {len(failures)}: {verdict}"
    )
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    arguments = [int(value) for value in sys.argv[1:3]]
    raise SystemExit(main(*arguments))
