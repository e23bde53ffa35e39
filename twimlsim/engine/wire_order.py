"""The order in which Twilio writes a webhook's parameters.

Twilio's webhook senders keep a request's parameters in a Java ``HashMap`` and write them
in its iteration order: by hash bucket, and in a bucket in the order they were put in.
Every raw or logged-in-order webhook captured in public code from 2016 on (status
callbacks of 2018, 2022 and 2026, voice, ``<Gather>`` and ``<Record>`` requests of 2024,
recording-status and transcription callbacks of 2023) is exactly that order, at the
table size a ``HashMap`` grows to for that many parameters (16, doubled while more than
three quarters full): ``Called``, ``ToState``, ``CallerCountry``, ``Direction``... for a
voice request; ``RecordingSource``, ``RecordingTrack``, ``RecordingSid``... for a
recording's callback. (Some requests of 2019-2022 came sorted by name instead; Twilio's
current requests and its own documentation's example show the hash order.) A ``<Dial>``'s
action is the exception: the two captured since it carries ``DialBridged`` (2023 on) are
sorted by name (``name_order``).

The order matters to an app that reads the body by position, or that checks
``X-Twilio-Signature`` over the parameters in the order received instead of sorted by
name (Twilio's algorithm sorts them): a body in sorted order would hide that bug.

A request's parameters are put in by the engine's builders in an order that gives the
captured order inside each bucket (``engine/call_params.py``, ``engine/params.py``); here
they are only sorted by bucket, stably. The order is worked out once per list of names.
"""

from __future__ import annotations

__all__ = ["java_hash", "name_order", "wire_order"]

#: A ``HashMap``'s table: 16 slots, doubled when it holds more than 3/4 of them.
_INITIAL_CAPACITY = 16

#: The names of each list of parameters seen, in wire order, with the positions they come
#: from (None when the order is the given one). Bounded: a run sends few distinct lists.
_ORDERS: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[int, ...] | None]] = {}
_BY_NAME: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[int, ...] | None]] = {}
_ORDERS_LIMIT = 4096


def java_hash(name: str) -> int:
    """Java's ``String.hashCode`` of ``name`` (over its UTF-16 code units), unsigned."""
    h = 0
    if name.isascii():
        for char in name.encode():
            h = (31 * h + char) & 0xFFFFFFFF
        return h
    units = name.encode("utf-16-be")
    for index in range(0, len(units), 2):
        h = (31 * h + (units[index] << 8 | units[index + 1])) & 0xFFFFFFFF
    return h


def _capacity(size: int) -> int:
    capacity = _INITIAL_CAPACITY
    while size > capacity * 3 // 4:
        capacity *= 2
    return capacity


def _bucket(name: str, capacity: int) -> int:
    h = java_hash(name)
    return (h ^ (h >> 16)) & (capacity - 1)


def wire_order(names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[int, ...] | None]:
    """``names`` in the order Twilio writes them, and the position in ``names`` of each
    (None when that order is ``names`` itself)."""
    known = _ORDERS.get(names)
    if known is not None:
        return known
    capacity = _capacity(len(names))
    buckets = [_bucket(name, capacity) for name in names]
    return _remember(_ORDERS, names, sorted(range(len(names)), key=buckets.__getitem__))


def name_order(names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[int, ...] | None]:
    """``names`` sorted (Java's ``String`` order: by UTF-16 code unit, the same as
    Python's for the names Twilio sends), as ``wire_order`` gives them."""
    known = _BY_NAME.get(names)
    if known is not None:
        return known
    return _remember(_BY_NAME, names, sorted(range(len(names)), key=names.__getitem__))


def _remember(
    orders: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[int, ...] | None]],
    names: tuple[str, ...],
    order: list[int],
) -> tuple[tuple[str, ...], tuple[int, ...] | None]:
    positions = tuple(order)
    if positions == tuple(range(len(names))):
        made: tuple[tuple[str, ...], tuple[int, ...] | None] = (names, None)
    else:
        made = (tuple(map(names.__getitem__, positions)), positions)
    if len(orders) >= _ORDERS_LIMIT:
        orders.clear()
    orders[names] = made
    return made
