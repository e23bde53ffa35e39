"""A test moved onto the simulator with the suite's hand-rolled fake of the app's client
left in (a fixture that puts a ``FakeClient`` where the app keeps its client): the fake
answers ``calls.create`` with a SID of Twilio's shape, which ``sim.calls`` looks up in
vain; the ``KeyError`` says where such a SID comes from."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from twimlsim import Simulator

#: What the look-up says of a SID of Twilio's shape when the simulator has made no call.
CAME_FROM_ELSEWHERE = (
    "(it has no calls yet; the simulator has made no call, so that SID came from elsewhere: "
    "a stub of the test's own answered calls.create in place of the simulator (a hand-rolled "
    "fake of the app's client, a mock.patch of twilio's Client, a responses or requests-mock "
    "answer to Calls.json), or another simulator (this one before a reset()); take that stub "
    "out of the test)"
)


class FakeCalls:
    """The suite's own fake of ``client.calls``, as written before the simulator."""

    def __init__(self) -> None:
        self.created: list[dict[str, Any]] = []

    def create(self, **kwargs: Any) -> SimpleNamespace:
        self.created.append(kwargs)
        return SimpleNamespace(sid=f"CA{len(self.created):032d}", status="queued")


class Dialer:
    """The app: places its campaign's calls with the client it was given."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def dial(self, number: str) -> str:
        call = self.client.calls.create(to=number, from_="+15005550006", url="https://a.test/")
        return str(call.sid)


def test_a_sid_from_a_hand_rolled_fake_says_a_stub_answered() -> None:
    with Simulator() as sim:
        sim.number("+15005550006")
        dialer = Dialer(sim.client())
        dialer.client = SimpleNamespace(calls=FakeCalls())  # the old fixture, left in
        sid = dialer.dial("+15558675310")
        with pytest.raises(KeyError) as raised:
            sim.calls[sid]
    assert raised.value.args == (
        f"no call 'CA00000000000000000000000000000001' in this simulation {CAME_FROM_ELSEWHERE}",
    )


def test_a_sid_of_this_simulator_before_a_reset_is_named_too() -> None:
    with Simulator() as sim:
        sim.number("+15005550006")
        sid = Dialer(sim.client()).dial("+15558675310")
        sim.reset()
        with pytest.raises(KeyError) as raised:
            sim.calls[sid]
    assert raised.value.args == (f"no call {sid!r} in this simulation {CAME_FROM_ELSEWHERE}",)
