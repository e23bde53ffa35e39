"""Call queues: callers waiting (``<Enqueue>``) and the calls that take them
(``<Dial><Queue>``), and the bridge between the two once a caller is taken.

A ``<Dial><Queue>`` takes the member waiting longest (FIFO). When the queue is empty the
dialling call waits (a ``Waiter``) and the next caller to join is taken at once, without
its ``waitUrl`` being requested (fidelity choice: Twilio documents only that the Dial
"waits for a caller").

The two legs tell each other what happened through the ``Bridge``: the taken caller is
interrupted with ``Dequeue`` (it was waiting in its wait document) or ``BridgeOver`` (the
dialling call left); the dialling call is woken with ``WAKE`` (a caller was taken for it,
the bridge began, or the caller left). Every signal is scheduled at the current virtual
instant, so one leg never runs inside another.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from twimlsim.model.queue import Queue

from .process import Interrupt

if TYPE_CHECKING:
    from .services import Host, Services
    from .session import SimCall

__all__ = ["Bridge", "BridgeOver", "Dequeue", "Queues", "WAKE", "Waiter"]

#: What a dialling call's wait receives when its bridge has news.
WAKE = "queue-news"

_MICROS = 1_000_000


class Bridge:
    """A caller taken from ``queue`` by ``agent``, and their conversation."""

    def __init__(
        self,
        engine: Services,
        queue: Queue,
        caller: SimCall,
        agent: SimCall,
        queue_seconds: int,
        url: str | None,
        method: str,
    ) -> None:
        self.engine = engine
        self.queue = queue
        self.caller = caller
        self.agent = agent
        #: Whole seconds the caller waited in the queue.
        self.queue_seconds = queue_seconds
        #: The ``<Queue url>`` document run on the caller's leg before the bridge.
        self.url = url
        self.method = method
        self.bridged_at: int | None = None
        self.ended_at: int | None = None
        #: The caller is done with the bridge (its ``<Enqueue>`` went on or ended).
        self.caller_left = False

    @property
    def over(self) -> bool:
        """Whether either side has left."""
        return self.ended_at is not None

    @property
    def seconds(self) -> int:
        """Whole seconds the two calls were bridged (0 when they never were)."""
        if self.bridged_at is None or self.ended_at is None:
            return 0
        return (self.ended_at - self.bridged_at) // _MICROS

    def start(self) -> None:
        """The caller's ``<Queue url>`` document is done: the two calls talk from now."""
        self.bridged_at = self.engine.clock.micros
        self.wake_agent()

    def end_by_caller(self) -> None:
        """The caller left (hung up, redirected): the dialling call's Dial is over."""
        if self.over:
            return
        self.ended_at = self.engine.clock.micros
        self.wake_agent()

    def end_by_agent(self) -> None:
        """The dialling call left: the caller goes on after its ``<Enqueue>``."""
        if self.over:
            return
        self.ended_at = self.engine.clock.micros

        def tell() -> None:
            caller = self.caller
            if not self.caller_left and caller.process is not None and not caller.ended:
                caller.process.interrupt(BridgeOver())

        self.engine.scheduler.call_at(self.engine.clock.micros, tell)

    def wake_agent(self) -> None:
        """Wake the dialling call's wait at the current instant."""
        process = self.agent.process

        def wake() -> None:
            if process is not None:
                process.deliver(WAKE)

        self.engine.scheduler.call_at(self.engine.clock.micros, wake)


class Dequeue(Interrupt):
    """Thrown into a caller waiting in a queue: ``bridge`` took it."""

    def __init__(self, bridge: Bridge) -> None:
        super().__init__("dequeue")
        self.bridge = bridge


class BridgeOver(Interrupt):
    """Thrown into a taken caller: the call that took it left."""

    def __init__(self) -> None:
        super().__init__("bridge-over")


@dataclass(slots=True)
class Waiter:
    """A ``<Dial><Queue>`` waiting on an empty queue; ``bridge`` once a caller came."""

    agent: SimCall
    url: str | None
    method: str
    bridge: Bridge | None = None
    gone: bool = False


class Queues:
    """The engine's queues: membership, waiting dialers, and taking callers."""

    def __init__(self, engine: Host) -> None:
        self.engine = engine
        self._waiters: dict[str, deque[Waiter]] = {}
        #: Queued call SID -> its queue; a caller taken but not yet told -> its bridge.
        self._queued: dict[str, Queue] = {}
        self._taken: dict[str, Bridge] = {}

    def find(self, account_sid: str, name: str) -> Queue | None:
        """The account's queue called ``name``, if it exists."""
        return self.engine.store.accounts[account_sid].queues.get(name)

    def create(self, account_sid: str, name: str, max_size: int | None = None) -> Queue:
        """The account's queue called ``name``, created now if needed (``max_size`` only
        applies to a new queue)."""
        account = self.engine.store.accounts[account_sid]
        queue = account.queues.get(name)
        if queue is None:
            queue = Queue(self.engine.sids.new("QU"), account_sid, name, self.engine.clock.now)
            if max_size is not None:
                queue.max_size = max_size
            account.add_queue(queue)
        return queue

    def queued(self, call_sid: str) -> Queue | None:
        """The queue ``call_sid`` waits in, if any."""
        return self._queued.get(call_sid)

    def join(self, queue: Queue, caller: SimCall) -> Bridge | None:
        """``caller`` joins ``queue``; a Dial waiting on it takes it at once (the bridge)."""
        queue.add(caller.sid, self.engine.clock.micros)
        self._queued[caller.sid] = queue
        waiters = self._waiters.get(queue.sid)
        while waiters:
            waiter = waiters.popleft()
            if waiter.gone or waiter.agent.ended:
                continue
            bridge = self._take(queue, caller, waiter.agent, waiter.url, waiter.method)
            self._taken.pop(caller.sid, None)  # the caller learns of it at once
            waiter.bridge = bridge
            bridge.wake_agent()
            return bridge
        return None

    def dequeue(self, queue: Queue, agent: SimCall, url: str | None, method: str) -> Bridge | None:
        """Take the member waiting longest for ``agent``; None when the queue is empty."""
        sid = queue.front()
        if sid is None:
            return None
        caller = self.engine.calls[sid]
        bridge = self._take(queue, caller, agent, url, method)

        def tell() -> None:
            # Not if the caller learnt otherwise meanwhile (it hung up, left, was redirected).
            if self._taken.get(caller.sid) is bridge and caller.process is not None:
                caller.process.interrupt(Dequeue(bridge))

        self.engine.scheduler.call_at(self.engine.clock.micros, tell)
        return bridge

    def wait(self, queue: Queue, agent: SimCall, url: str | None, method: str) -> Waiter:
        """``agent`` waits for the next caller to join ``queue``."""
        waiter = Waiter(agent, url, method)
        self._waiters.setdefault(queue.sid, deque()).append(waiter)
        return waiter

    def leave(self, call_sid: str) -> tuple[int, Bridge | None]:
        """``call_sid`` leaves its queue now: whole seconds it waited, and the bridge of a
        Dial that had taken it without it knowing yet (which the caller must end)."""
        bridge = self._taken.pop(call_sid, None)
        if bridge is not None:
            return bridge.queue_seconds, bridge
        queue = self._queued.pop(call_sid, None)
        if queue is None:
            return 0, None
        joined = queue.remove(call_sid)
        assert joined is not None
        return (self.engine.clock.micros - joined) // _MICROS, None

    def _take(
        self, queue: Queue, caller: SimCall, agent: SimCall, url: str | None, method: str
    ) -> Bridge:
        joined = queue.remove(caller.sid)
        assert joined is not None
        self._queued.pop(caller.sid, None)
        seconds = (self.engine.clock.micros - joined) // _MICROS
        bridge = Bridge(self.engine, queue, caller, agent, seconds, url, method)
        self._taken[caller.sid] = bridge
        return bridge

    def told(self, call_sid: str) -> None:
        """The taken caller received its ``Dequeue``."""
        self._taken.pop(call_sid, None)
