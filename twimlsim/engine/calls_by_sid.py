"""The simulation's calls by SID (``sim.calls``), safe to iterate while calls are placed."""

from __future__ import annotations

import re
from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .session import SimCall

__all__ = ["UNPLACED", "CallsBySid", "note_unplaced", "unplaced_calls"]

#: The shape of every call SID Twilio (and the simulator) makes.
_CALL_SID = re.compile(r"CA[0-9a-f]{32}")
#: The shape of the SID of any other resource (a conference's CF..., a number's PN...).
_OTHER_SID = re.compile(r"[A-Z]{2}[0-9a-f]{32}")
#: A phone number as a test writes one (``+15558675310``, ``5558675310``).
_PHONE_NUMBER = re.compile(r"\+?[0-9]{7,15}")
#: How many calls created with test credentials ``unplaced`` remembers, the newest: a
#: ``twimlsim serve`` under steady load keeps its memory flat (``Retention`` does it for the
#: calls placed); a lookup of an older one is told only that there is no such call.
UNPLACED_KEPT = 1000
#: Why a call created with test credentials never ran (a lookup's and a far end's message).
UNPLACED = (
    "was created with the account's test credentials (sim.test_auth_token), with which "
    "Twilio answers queued and places no call"
)


class CallsBySid(dict[str, "SimCall"]):
    """The simulation's calls by SID (``sim.calls``): a dict whose missing key says what
    was looked up and what to look up instead.

    Iterating it, or its ``keys()``, ``values()`` and ``items()`` views, reads a snapshot of
    the SIDs taken as the iteration starts: another thread may place calls meanwhile (an
    app's thread, a ``<Dial>`` of a run in another thread) without the iteration raising
    "dictionary changed size"; calls placed since are not in that iteration. The views stay
    live as a dict's are: one made earlier and iterated later sees the calls placed since.

    ``unplaced`` holds the calls created with the account's test credentials, which Twilio
    answers ``queued`` and never places (SID to ``To``, the newest ``UNPLACED_KEPT``): not
    calls of the simulation, but what a lookup of one, or a far end waiting for one, is
    told about."""

    unplaced: dict[str, str]
    #: Whether the simulation had a call it no longer holds or never placed: one created
    #: with test credentials, or one ``twimlsim serve`` forgot (``Retention``).
    had_calls: bool

    def __init__(self) -> None:
        super().__init__()
        self.unplaced = {}
        self.had_calls = False

    def _sids(self) -> list[str]:
        # one C loop over the dict's own storage (no override, no allocation the garbage
        # collector could interrupt): no other thread's insert can land in the middle
        return list(dict.keys(self))

    def __iter__(self) -> Iterator[str]:
        return iter(self._sids())

    def __reversed__(self) -> Iterator[str]:
        return reversed(self._sids())

    # the Mapping views iterate through __iter__ (the snapshot) and look each SID up

    def keys(self) -> KeysView[str]:  # type: ignore[override]
        """A live view of the calls' SIDs, oldest first; each iteration reads a snapshot."""
        return KeysView(self)

    def values(self) -> ValuesView[SimCall]:  # type: ignore[override]
        """A live view of the calls, oldest first; each iteration reads a snapshot."""
        return ValuesView(self)

    def items(self) -> ItemsView[str, SimCall]:  # type: ignore[override]
        """A live view of ``(sid, call)`` pairs, oldest first; each iteration a snapshot."""
        return ItemsView(self)

    def __missing__(self, sid: object) -> SimCall:
        if type(sid).__module__ == "unittest.mock":
            hint = (
                f"got {type(sid).__name__}, a mock's attribute: the SID came from the test's "
                "own mock of twilio's Client (mock.patch), which answered calls.create in "
                "place of the simulator; take that patch out of the test"
            )
        elif not isinstance(sid, str):
            hint = f"got {type(sid).__name__}: index by the call's SID, call.sid"
        elif sid in self.unplaced:
            hint = (
                f"it {UNPLACED}: no call to {self.unplaced[sid]} ran; give the app "
                "sim.auth_token to place it"
            )
        else:
            if self:
                shown = ", ".join(list(self)[:3]) + (
                    f" and {len(self) - 3} more" if len(self) > 3 else ""
                )
                hint = f"it has {len(self)} calls: {shown}"
            else:
                hint = "it has no calls yet"
            if _OTHER_SID.fullmatch(sid) and not sid.startswith("CA"):
                hint += (
                    f"; {sid!r} is the SID of another kind of resource ({sid[:2]}...), not a "
                    "call's (CA...): index by the call's SID, call.sid"
                )
            elif _PHONE_NUMBER.fullmatch(sid):
                hint += (
                    f"; {sid!r} is a phone number, and calls are kept by their SID: index by "
                    "the call's SID, call.sid, or look the number's calls up among "
                    "sim.calls.values()"
                )
            elif not self and not self.had_calls and _CALL_SID.fullmatch(sid):
                # a hand-rolled fake's SID (f"CA{n:032d}") has the shape, not the origin
                hint += (
                    "; the simulator has made no call, so that SID came from elsewhere: a "
                    "stub of the test's own answered calls.create in place of the simulator "
                    "(a hand-rolled fake of the app's client, a mock.patch of twilio's "
                    "Client, a responses or requests-mock answer to Calls.json), or another "
                    "simulator (this one before a reset()); take that stub out of the test"
                )
            elif not _CALL_SID.fullmatch(sid):
                hint += (
                    f"; {sid!r} is no call SID Twilio makes (CA and 32 hexadecimal digits): a "
                    "stub of the test's own answered calls.create in place of the simulator "
                    "(a mock.patch of twilio's Client, a responses or requests-mock answer to "
                    "Calls.json), so the simulator never saw the call; take that mock out of "
                    "the test"
                )
        raise KeyError(f"no call {sid!r} in this simulation ({hint})")


def note_unplaced(calls: CallsBySid, sid: str, to: str) -> None:
    """Remember that call ``sid`` to ``to`` was created with test credentials, and so never
    placed; the oldest beyond ``UNPLACED_KEPT`` is forgotten."""
    unplaced = calls.unplaced
    unplaced[sid] = to
    calls.had_calls = True
    if len(unplaced) > UNPLACED_KEPT:  # REST requests hold the engine's lock: one at a time
        del unplaced[next(iter(unplaced))]


def unplaced_calls(calls: CallsBySid) -> Mapping[str, str]:
    """The calls created with test credentials and never placed, SID to ``To``."""
    return calls.unplaced
