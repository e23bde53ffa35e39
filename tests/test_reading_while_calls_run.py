"""``sim.calls``, ``sim.conferences`` and ``sim.queues`` may be iterated while another
thread places calls: an iteration reads a snapshot taken as it starts, so a call or room
added meanwhile neither makes it raise "dictionary changed size" nor appears in it.

Each test adds the call (or room, or queue) in the middle of an iteration from the test's
own thread, at the point another thread's insert would land."""

from __future__ import annotations

import threading

from tests.support import CALLEE, CALLER_ID
from twimlsim import Simulator

HANG_UP = "<Response/>"
ROOM = "<Response><Dial><Conference>{}</Conference></Dial></Response>"


def test_iterating_calls_and_their_views_reads_a_snapshot(sim: Simulator) -> None:
    client = sim.client()
    first = client.calls.create(to=CALLEE, from_=CALLER_ID, twiml=HANG_UP).sid
    second = client.calls.create(to=CALLEE, from_=CALLER_ID, twiml=HANG_UP).sid
    views = {
        "mapping": lambda: iter(sim.calls),
        "keys": lambda: iter(sim.calls.keys()),
        "values": lambda: (call.sid for call in sim.calls.values()),
        "items": lambda: (sid for sid, _ in sim.calls.items()),
        "reversed": lambda: reversed(sim.calls),
    }
    sids = [first, second]
    for name, start in views.items():
        iterator = start()
        expected = sids[::-1] if name == "reversed" else list(sids)
        head = next(iterator)
        # as another thread would, mid-iteration
        sids.append(client.calls.create(to=CALLEE, from_=CALLER_ID, twiml=HANG_UP).sid)
        assert [head, *iterator] == expected, name
    assert len(sim.calls) == 7  # the mapping itself is live: lookups and len see every call
    sim.run()


def test_a_view_made_before_calls_are_placed_sees_them_when_iterated(sim: Simulator) -> None:
    values, keys = sim.calls.values(), sim.calls.keys()
    placed = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, twiml=HANG_UP).sid
    assert ([call.sid for call in values], list(keys), len(values)) == ([placed], [placed], 1)
    assert dict(sim.calls) == {placed: sim.calls[placed]}
    sim.run()


def test_iterating_rooms_and_queues_reads_a_snapshot(sim: Simulator) -> None:
    sim.queue("support")
    client = sim.client()
    sales = client.calls.create(to=CALLEE, from_=CALLER_ID, twiml=ROOM.format("Sales"))
    sim.calls[sales.sid].run()  # waits in the room
    rooms = iter(sim.conferences)
    first_room = next(rooms)
    billing = client.calls.create(to=CALLEE, from_=CALLER_ID, twiml=ROOM.format("Billing"))
    sim.calls[billing.sid].run()  # opens a second room mid-iteration
    assert (list(rooms), len(sim.conferences)) == ([], 2)
    assert sim.conferences[first_room].friendly_name == "Sales"
    queues = iter(sim.queues)
    assert next(queues) == "support"
    sim.queue("billing")
    assert (list(queues), sorted(sim.queues)) == ([], ["billing", "support"])
    client.conferences(first_room).update(status="completed")
    client.conferences(sim.conferences["Billing"].sid).update(status="completed")
    sim.run()


def test_a_thread_reading_calls_while_a_run_dials_legs_never_raises(sim: Simulator) -> None:
    legs = "<Number>+15551230000</Number>" * 10
    dial = f'<Response><Dial timeLimit="5">{legs}</Dial></Response>'
    for _ in range(20):
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, twiml=dial)
    errors: list[BaseException] = []
    running = threading.Event()
    running.set()

    def read() -> None:
        try:
            while running.is_set():
                for call in sim.calls.values():
                    call.status  # noqa: B018
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        sim.run()  # creates 200 dialled legs
    finally:
        running.clear()
        reader.join(timeout=10)
    assert (errors, len(sim.calls)) == ([], 220)
