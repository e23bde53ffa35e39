"""A bound on the forks of one call (media streams, SIPREC sessions, real-time
transcriptions) started one after another at one instant.

A status callback, or a stream's WebSocket handler, that starts another fork through the
REST API as each one starts would otherwise run on without end, the clock still (on Twilio
each start takes its time, and each request its network round trip). Past the bound the
forks still start, as the REST API said, and stay in progress; the app is told of none of
them (no status callback, no socket): an error without a Twilio code, once a call.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .fork_socket import Where
    from .services import Services
    from .session import SimCall

__all__ = ["MOST_STARTED_AT_ONCE", "past_the_bound"]

#: The forks of one kind of one call started at one instant that the app is told of.
MOST_STARTED_AT_ONCE = 1000


class _Started(Protocol):
    @property
    def sid(self) -> str: ...

    @property
    def started_at(self) -> datetime: ...


def past_the_bound(
    engine: Services,
    call: SimCall,
    forks: Sequence[_Started],
    what: str,
    untold: str,
    where: Where | None = None,
) -> bool:
    """Whether the newest of ``forks`` (the call's ``what``, the newest last) started past
    ``MOST_STARTED_AT_ONCE`` at its instant; the first such is the call's error, saying
    what the app was not told (``untold``)."""
    newest = forks[-1]
    count = 0
    for fork in reversed(forks):
        if fork.started_at != newest.started_at or count > MOST_STARTED_AT_ONCE:
            break
        count += 1
    if count <= MOST_STARTED_AT_ONCE:
        return False
    if len(forks) > count and forks[-count - 1].started_at == newest.started_at:
        return True  # said already, at the first past the bound
    engine.fail(
        call,
        None,
        f"{MOST_STARTED_AT_ONCE} {what} started on one call at one instant (a status "
        "callback or WebSocket handler starting one as each one starts?); twimlsim told the "
        f"app of none after them, {newest.sid} first ({untold}), which stay in progress: "
        "start each once",
        url=where.url if where else None,
        element=where.element if where else None,
        line=where.line if where else None,
    )
    return True
