"""A call queue of an account (Twilio's Queue resource, ``QU`` SID): callers in order.

A queue is created on demand by the first ``<Enqueue>`` naming it. Its members are call
SIDs in the order they joined, each with the virtual instant (microseconds) it joined.
Joining, leaving, the front member, a member's position and the average wait are all
O(log n) or better, so a long queue of looping callers stays linear.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["DEFAULT_MAX_SIZE", "Queue"]

#: A queue's size limit unless its ``<Enqueue maxQueueSize>`` says otherwise. Twilio's
#: current Enqueue/Queue pages say 1000 (an older page and error 14207 said 100); twimlsim
#: follows the current pages (fidelity choice).
DEFAULT_MAX_SIZE = 1000


@dataclass(slots=True)
class Queue:
    """One named queue: its members (call SIDs, oldest first) and their join instants."""

    sid: str
    account_sid: str
    name: str
    created_at: datetime
    max_size: int = DEFAULT_MAX_SIZE
    #: When a REST update last changed it (None: never; Twilio reports the creation time).
    updated_at: datetime | None = None
    _joined: dict[str, tuple[int, int]] = field(default_factory=dict)
    _order: list[int] = field(default_factory=list)
    _by_seq: dict[int, str] = field(default_factory=dict)
    _next_seq: int = 0
    _joined_sum: int = 0

    @property
    def members(self) -> list[str]:
        """The SIDs of the calls waiting, oldest first."""
        return [self._by_seq[seq] for seq in self._order]

    @property
    def size(self) -> int:
        """How many calls wait."""
        return len(self._order)

    def __contains__(self, call_sid: object) -> bool:
        return call_sid in self._joined

    def add(self, call_sid: str, micros: int) -> None:
        """``call_sid`` joins at the back at virtual instant ``micros``."""
        seq = self._next_seq
        self._next_seq += 1
        self._joined[call_sid] = (seq, micros)
        self._order.append(seq)
        self._by_seq[seq] = call_sid
        self._joined_sum += micros

    def remove(self, call_sid: str) -> int | None:
        """Take ``call_sid`` out; the instant it joined, or None if it was not a member."""
        entry = self._joined.pop(call_sid, None)
        if entry is None:
            return None
        seq, micros = entry
        del self._order[bisect_left(self._order, seq)]
        del self._by_seq[seq]
        self._joined_sum -= micros
        return micros

    def front(self) -> str | None:
        """The member waiting longest, or None when the queue is empty."""
        return self._by_seq[self._order[0]] if self._order else None

    def position(self, call_sid: str) -> int:
        """``call_sid``'s place in line, 1 for the front."""
        seq, _ = self._joined[call_sid]
        return bisect_left(self._order, seq) + 1

    def joined_at(self, call_sid: str) -> int:
        """The virtual instant (microseconds) ``call_sid`` joined."""
        return self._joined[call_sid][1]

    def average_wait(self, now: int) -> int:
        """The members' average wait so far, whole seconds (0 for an empty queue)."""
        if not self._order:
            return 0
        return (now * self.size - self._joined_sum) // self.size // 1_000_000
