"""Conferences: ten participants in one room for an hour of virtual time, next to a single
call's cost (the single call makes one webhook; the room makes 142, so the fair figure is
the cost per webhook: target within twice a single call's).

Ten callers dial in to ``<Dial><Conference>`` with every status-callback event on; each
says five sentences (speaker events) and hangs up after an hour. The baseline is one
inbound call that runs a one-verb document, in the same process with the same app. Each
simulator first runs a throwaway call, so that freezing the app's clock is in neither
figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from bench.common import Row, now
from twimlsim import Simulator

PARTICIPANTS = 10
ROUNDS = 5
EVENTS = "start end join leave mute hold modify speaker announcement"
ROOM = (
    '<Response><Dial action="/after"><Conference waitUrl="" statusCallback="/conf" '
    f'statusCallbackEvent="{EVENTS}">Hour</Conference></Dial></Response>'
)
SINGLE = "<Response><Say>Thanks for calling</Say></Response>"
#: Webhooks of the conference run: a voice request and a Dial action per participant, and
#: 122 status callbacks (start, end, a join and a leave each, ten speaker events each).
WEBHOOKS = PARTICIPANTS * 2 + 2 + PARTICIPANTS * 2 + PARTICIPANTS * 10


def app(document: str) -> Callable[..., Iterable[bytes]]:
    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        body = document if environ["PATH_INFO"] == "/voice" else "<Response/>"
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [body.encode()]

    return wsgi


def run(document: str, callers: int) -> float:
    with Simulator() as sim:
        sim.route("https://app.test", app(document))  # type: ignore[arg-type]
        sim.number("+15005550006", voice_url="https://app.test/voice")
        sim.number("+15005550007", voice_url="https://app.test/warm")
        sim.incoming_call(from_="+15550000000", to="+15005550007")
        sim.run()  # a first call freezes the app's clock: not part of either figure
        start = now()
        for n in range(callers):
            number = f"+1555777{n:04d}"
            phone = sim.phone(number)
            if callers > 1:
                for sentence in range(5):
                    phone.says(f"participant {n} says sentence number {sentence}")
                phone.hangs_up(after=3600)
            sim.incoming_call(from_=number, to="+15005550006")
        sim.run()
        elapsed = now() - start
        if callers > 1:
            room = sim.conferences["Hour"]
            assert room.status == "completed" and len(room.participants) == callers
            assert len(room.requests) == 2 + callers * 2 + callers * 10
    return elapsed


def main() -> list[Row]:
    run(ROOM, PARTICIPANTS)  # warm-up
    run(SINGLE, 1)
    single = min(run(SINGLE, 1) for _ in range(ROUNDS))
    room = min(run(ROOM, PARTICIPANTS) for _ in range(ROUNDS))
    return [
        Row(
            "conference: 10 participants, 1 h, 122 callbacks",
            room * 1e3,
            "ms",
            baseline=single * 1e3,
            baseline_name="one call   ",
        ),
        Row(
            "conference: per participant",
            room / PARTICIPANTS * 1e3,
            "ms",
            baseline=single * 1e3,
            baseline_name="one call   ",
        ),
        Row(
            "conference: per webhook (142)",
            room / WEBHOOKS * 1e3,
            "ms",
            baseline=single * 1e3,
            baseline_name="one call (1)",
            target=2.0,
        ),
    ]


if __name__ == "__main__":
    for row in main():
        print(row.render())
