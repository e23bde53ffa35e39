"""Virtual time: a call with an hour of Pause and Dial time costs what one with none costs.

Both calls run the same document shape (a Pause, then a Dial to an agent who hangs up);
the long one pauses 30 minutes and its agent talks 30 minutes, the short one neither. Wall
time per call of the long one against the short one: target within 10% (ratio <= 1.1).
"""

from __future__ import annotations

from bench.common import Row, now
from twimlsim import Simulator

AGENT = "+15551230000"
CALLS = 300


def document(pause: int) -> str:
    return (
        f'<Response><Pause length="{pause}"/><Dial><Number>{AGENT}</Number></Dial>'
        "<Say>Goodbye</Say></Response>"
    )


def per_call(pause: int, talk: int) -> float:
    with Simulator() as sim:
        sim.number("+15005550006")
        client = sim.client()
        twiml = document(pause)
        start = now()
        for _ in range(CALLS):
            sim.phone(AGENT).hangs_up(after=talk)
            client.calls.create(to="+15558675310", from_="+15005550006", twiml=twiml)
            sim.run()
        elapsed = (now() - start) / CALLS
        last = [call for call in sim.calls.values() if call.parent is None][-1]
        assert last.duration is not None and last.duration >= pause + talk
    return elapsed


def main() -> list[Row]:
    per_call(1, 1)  # warm-up
    short = per_call(1, 1)
    long = per_call(1800, 1800)
    return [
        Row(
            "virtual time: call with 1 h of Pause and Dial",
            long * 1e6,
            "us",
            baseline=short * 1e6,
            baseline_name="same call, 2 s",
            target=1.1,
        )
    ]


if __name__ == "__main__":
    for row in main():
        print(row.render())
