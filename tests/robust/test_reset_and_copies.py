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


def conference_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Dial><Conference>Support</Conference></Dial></Response>"]


COPIES = {
    "deepcopy": copy.deepcopy,
    "pickle": lambda value: pickle.loads(pickle.dumps(value)),
}
CALL_KEEPS = (
    "call.status, call.duration, list(call.said), list(call.requests) (WebhookRequest "
    "values pickle and copy)"
)
ROOM_KEEPS = "room.status, [call.sid for call in room.participants], list(room.requests)"


def refusal(what: str, keep: str) -> str:
    return (
        f"{what} cannot be pickled or copied: it is part of a running simulation (its engine, "
        f"threads and interceptors); keep the plain values you need instead: {keep}"
    )


def _caller_in_a_room(sim: Simulator) -> tuple[Any, Any]:
    """An incoming caller five seconds into the conference app's room, and the room."""
    sim.route("https://app.test", conference_app)
    sim.number("+15005550006", voice_url="https://app.test/voice")
    call = sim.incoming_call(from_="+15555550001", to="+15005550006")
    sim.advance(5)
    return call, sim.conferences["Support"]


@pytest.mark.parametrize("copied", COPIES.values(), ids=COPIES.keys())
def test_a_call_a_room_or_the_simulator_refuses_a_deep_copy_saying_what_to_keep(
    copied: Callable[[Any], Any],
) -> None:
    with Simulator(strict=False) as sim:
        call, room = _caller_in_a_room(sim)
        refused = {
            "call": (call, refusal(f"SimCall {call.sid}", CALL_KEEPS)),
            "calls": (sim.calls, refusal(f"SimCall {call.sid}", CALL_KEEPS)),
            "room": (room, refusal(f"SimConference {room.sid}", ROOM_KEEPS)),
            "rooms": (
                sim.conferences,
                refusal(
                    "sim.conferences",
                    "{sid: room.status for sid, room in sim.conferences.items()}",
                ),
            ),
            "sim": (
                sim,
                refusal(
                    "a Simulator",
                    "sim.now, sim.failures, each call's facts (call.status, list(call.said), "
                    "list(call.requests)); for a second simulation start another Simulator",
                ),
            ),
        }
        for name, (value, message) in refused.items():
            with pytest.raises(TypeError) as raised:
                copied(value)
            assert (name, str(raised.value)) == (name, message)
        request = copied(call.requests[0])  # the plain values do copy
        assert (request.url, request.params) == (call.requests[0].url, call.requests[0].params)


def test_a_shallow_copy_of_a_call_or_room_is_the_same_handle_and_the_rooms_a_dict() -> None:
    with Simulator(strict=False) as sim:
        call, room = _caller_in_a_room(sim)
        assert copy.copy(call) is call and copy.copy(room) is room
        assert copy.copy(sim.conferences) == {room.sid: room}
        with pytest.raises(TypeError):
            copy.copy(sim)
