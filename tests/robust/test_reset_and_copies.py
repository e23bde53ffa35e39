"""Handles kept across ``sim.reset()`` and copies of ``sim.failures``."""

from __future__ import annotations

import copy
import gc
import pickle
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from twimlsim import Simulator
from twimlsim.errors import CallFailure, ConfigurationError


def answering(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>hi</Say></Response>"]


def test_a_call_of_a_reset_world_says_it_was_reset_even_once_that_world_is_gone() -> None:
    with Simulator(strict=False) as sim:
        sim.route("https://app.test", answering)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        call = sim.incoming_call(from_="+15555550001", to="+15005550006")
        sim.run()
        sim.reset()
        gc.collect()  # nothing but the ended call's handle is left of the old world
        with pytest.raises(ConfigurationError) as refused:
            call.run()
    assert str(refused.value) == (
        f"call {call.sid} cannot be driven: it belongs to a simulation that sim.reset() "
        "ended (the reset forgot its calls, numbers and scripts); place or take a new call "
        "after the reset (client.calls.create(...), sim.incoming_call(...)) and drive that one"
    )


@pytest.mark.parametrize(
    "copied",
    [copy.copy, copy.deepcopy, lambda failures: pickle.loads(pickle.dumps(failures))],
    ids=["copy", "deepcopy", "pickle"],
)
def test_a_copy_of_the_failures_is_a_plain_list_of_them(copied: object) -> None:
    with Simulator(strict=False) as sim:
        sim.route("https://app.test", lambda environ, start_response: [])
        sim.number("+15005550006", voice_url="https://nowhere.test/voice")
        call = sim.incoming_call(from_="+15555550001", to="+15005550006")
        sim.run()
        snapshot = copied(sim.failures)  # type: ignore[operator]
        assert type(snapshot) is list
        assert [(f.call_sid, f.code, f.url) for f in snapshot] == [
            (call.sid, 11205, "https://nowhere.test/voice")
        ]
        assert all(type(f) is CallFailure for f in snapshot)
