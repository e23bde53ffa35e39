"""Overhead: one IVR call end to end against the floor of the app's own cost.

End to end: the twilio client creates the call, the fake REST API answers, the queue
releases it, the engine runs the IVR (Gather, a keypress, Dial, an agent who talks 30
virtual seconds, goodbye) and sends six signed webhooks to the Flask app in process: voice,
gather action, dial action and the initiated/answered/completed status callbacks.

Four floors, each plus the same ``calls.create`` answered by a bare ``responses`` stub:

- same exchanges: the very requests twimlsim sent the app (same method, URL, headers with
  the signature, body bytes), sent by werkzeug's test client as a hand-written test sends
  them, and the create answered by the stub with the very JSON twimlsim answered (the
  twilio client parses a whole call resource either way), so that the comparison counts
  only twimlsim's own work. Target ratio <= 1.10.
- same requests: the same, with the stub answering a three-field JSON (``sid``,
  ``status``, ``account_sid``) as hand-written mocks often do: the floor of the previous
  round, where the client's parsing of Twilio's whole answer counted as twimlsim's.
- plain: the six requests with URL and form parameters only (no Twilio headers), by the
  test client, and the three-field stub: the floor of earlier versions of this benchmark.
- app alone: the same requests with their WSGI environs built beforehand and the app
  called directly, and the stub with the whole JSON, so that nothing but the app and the
  client's side of the create is counted.

The twilio client's own work before each request grows with the process's environment
(requests looks for proxies among every environment variable, twice), and twimlsim skips
that search for a Twilio URL when it would find nothing (``transports/environment_settings``),
which a ``responses`` stub does not: the ratio against the same exchanges is also measured
with the environment trimmed to ``PATH`` and ``HOME`` for the whole round (both sides), so
that twimlsim's own work is compared without that advantage.

Times are the process's CPU time (``bench.common.cpu_now``), which other processes' load
on a shared machine moves far less than wall time. The sides run in interleaved rounds;
the median round of each is kept, so that load on a noisy machine falls on all of them.
Also printed: what starting and stopping a ``Simulator`` costs each test.
"""

from __future__ import annotations

import json
import os
import statistics
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

import responses
from twilio.rest import Client
from werkzeug.test import Client as TestClient
from werkzeug.test import EnvironBuilder

from bench.common import Row, cpu_now, timings
from bench.ivr_app import AGENT, app
from twimlsim import Simulator

CALLER = "+15005550006"
CALLEE = "+15558675310"
BASE = "https://ivr.test"
ROUNDS = 11
PER_ROUND = 30

#: (method, URL, params, headers, body) of each request the app got
Logged = list[tuple[str, str, dict[str, str], dict[str, str], bytes]]


@dataclass(frozen=True)
class Seen:
    """What one simulated call exchanged: the app's requests, the account, the create's
    JSON answer."""

    logged: Logged
    account: str
    created: str


def place(sim: Simulator, client: Any) -> None:
    """One IVR call through the simulator, run to its end."""
    sim.phone(CALLEE).presses("1")
    sim.phone(AGENT).hangs_up(after=30)
    client.calls.create(
        to=CALLEE,
        from_=CALLER,
        url=f"{BASE}/voice",
        status_callback=f"{BASE}/status",
        status_callback_event=["initiated", "answered", "completed"],
    )
    sim.run()


def simulated(stack: ExitStack) -> tuple[Callable[[], None], Seen]:
    """The end-to-end side, and what one call exchanged."""
    sim = stack.enter_context(Simulator())
    sim.route(BASE, app)
    sim.number(CALLER)
    client = sim.client()
    place(sim, client)
    parent = next(call for call in sim.calls.values() if call.parent is None)
    kinds = [request.kind for request in parent.requests]
    assert kinds == ["status", "status", "voice", "gather", "dial", "status"], kinds
    logged = [(r.method, r.url, r.params, dict(r.headers), r.body) for r in parent.requests]
    created = next(entry for entry in sim.api_requests if entry.kind == "calls.create")
    seen = Seen(logged, sim.account_sid, created.body.decode())
    return (lambda: place(sim, client)), seen


def _environ(method: str, url: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    parts = urlsplit(url)
    builder = EnvironBuilder(
        path=parts.path,
        base_url=f"{parts.scheme}://{parts.netloc}",
        query_string=parts.query,
        method=method,
        headers=list(headers.items()),
        data=body,
    )
    try:
        return builder.get_environ()
    finally:
        builder.close()


def _start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
    return None


def _replayed(stack: ExitStack, seen: Seen, created: str) -> Callable[[], None]:
    create = _stubbed_create(stack, seen.account, created)
    test_client = TestClient(app)

    def once() -> None:
        create()
        for method, target, _, headers, body in seen.logged:
            test_client.open(target, method=method, headers=headers, data=body).close()

    once()
    return once


def same_exchanges_floor(stack: ExitStack, seen: Seen) -> Callable[[], None]:
    """The very requests twimlsim sent, by the test client, plus a create answered by a
    bare stub with the very JSON twimlsim answered."""
    return _replayed(stack, seen, seen.created)


def same_requests_floor(stack: ExitStack, seen: Seen) -> Callable[[], None]:
    """The very requests twimlsim sent, by the test client, plus a create answered by a
    bare stub with three fields."""
    return _replayed(stack, seen, _three_fields(seen.account))


def app_alone_floor(stack: ExitStack, seen: Seen) -> Callable[[], None]:
    """The app called with the very requests twimlsim sent, plus a create answered by a
    bare stub with the very JSON twimlsim answered."""
    create = _stubbed_create(stack, seen.account, seen.created)
    prepared = [
        (_environ(method, url, headers, body), body)
        for method, url, _, headers, body in seen.logged
    ]

    def once() -> None:
        create()
        for environ, body in prepared:
            answer = app(dict(environ, **{"wsgi.input": BytesIO(body)}), _start_response)
            b"".join(answer)
            close = getattr(answer, "close", None)
            if close is not None:
                close()

    once()
    return once


def _three_fields(account: str) -> str:
    return json.dumps({"sid": "CA" + "0" * 32, "status": "queued", "account_sid": account})


def _stubbed_create(stack: ExitStack, account: str, answer: str) -> Callable[[], None]:
    client = Client(account, "token")
    stub = stack.enter_context(responses.RequestsMock())
    stub.add(
        responses.POST,
        f"https://api.twilio.com/2010-04-01/Accounts/{account}/Calls.json",
        body=answer,
        content_type="application/json",
        status=201,
    )

    def create() -> None:
        client.calls.create(
            to=CALLEE,
            from_=CALLER,
            url=f"{BASE}/voice",
            status_callback=f"{BASE}/status",
            status_callback_event=["initiated", "answered", "completed"],
        )

    return create


def plain_floor(stack: ExitStack, seen: Seen) -> Callable[[], None]:
    """The six requests as a hand-written test sends them, plus a create answered by a
    bare stub with three fields."""
    create = _stubbed_create(stack, seen.account, _three_fields(seen.account))
    test_client = TestClient(app)

    def once() -> None:
        create()
        for method, target, params, _, _ in seen.logged:
            test_client.open(target, method=method, data=params).close()

    once()
    return once


def timed_round(run: Callable[[], None]) -> float:
    start = cpu_now()
    for _ in range(PER_ROUND):
        run()
    return (cpu_now() - start) / PER_ROUND


FLOORS = {
    "same exchanges": same_exchanges_floor,
    "same requests": same_requests_floor,
    "plain": plain_floor,
    "app alone": app_alone_floor,
}


@contextmanager
def trimmed_environment() -> Iterator[int]:
    """The process's environment cut to ``PATH`` and ``HOME`` while inside; yields how many
    variables it had."""
    saved = dict(os.environ)
    try:
        for name in saved:
            if name not in ("PATH", "HOME"):
                del os.environ[name]
        yield len(saved)
    finally:
        os.environ.update(saved)


def main() -> list[Row]:
    ours: list[float] = []
    floors: dict[str, list[float]] = {name: [] for name in FLOORS}
    trimmed_ours: list[float] = []
    trimmed_floor: list[float] = []
    for _ in range(ROUNDS):
        # A fresh simulator each round keeps its request log (and memory) small.
        with ExitStack() as stack:
            run_ours, seen = simulated(stack)
            ours.append(timed_round(run_ours))
        for name, make in FLOORS.items():
            with ExitStack() as stack:
                floors[name].append(timed_round(make(stack, seen)))
        with trimmed_environment() as variables:
            with ExitStack() as stack:
                trimmed_ours.append(timed_round(simulated(stack)[0]))
            with ExitStack() as stack:
                trimmed_floor.append(timed_round(same_exchanges_floor(stack, seen)))
    start_stop = min(timings(lambda: Simulator().start().stop(), repeat=20))
    mine = statistics.median(ours) * 1e6
    base = {name: statistics.median(times) * 1e6 for name, times in floors.items()}
    return [
        Row(
            f"overhead: IVR call end to end (6 webhooks; {variables} env vars)",
            mine,
            "us",
            baseline=base["same exchanges"],
            baseline_name="same exchanges    ",
            target=1.10,
        ),
        Row(
            "overhead: the same, environment of PATH and HOME",
            statistics.median(trimmed_ours) * 1e6,
            "us",
            baseline=statistics.median(trimmed_floor) * 1e6,
            baseline_name="same exchanges    ",
            target=1.10,
        ),
        Row(
            "overhead: the same, against the same requests",
            mine,
            "us",
            baseline=base["same requests"],
            baseline_name="same requests+stub",
        ),
        Row(
            "overhead: the same, against the plain floor",
            mine,
            "us",
            baseline=base["plain"],
            baseline_name="plain floor + stub",
        ),
        Row(
            "overhead: the same, against the app alone",
            mine,
            "us",
            baseline=base["app alone"],
            baseline_name="app alone + stub  ",
        ),
        Row("overhead: Simulator() start + stop, per test", start_stop * 1e6, "us"),
    ]


if __name__ == "__main__":
    for row in main():
        print(row.render())
