"""Why an ASGI app routed in process failed on what its lifespan startup made: the test's
own client ran the same app object's lifespan again.

twimlsim runs a routed app's lifespan once, when it is routed. A test that also opens
``with TestClient(app)`` (or ``AsyncTestClient``, asgi-lifespan's ``LifespanManager``) runs
that lifespan a second time on the same app object: a startup that keeps what it makes on
``app.state`` (``app.state.http = httpx.AsyncClient()``) replaces the routed startup's
object, and the client's shutdown, at the end of its ``with`` block, closes it before
``sim.run()`` delivers the webhooks. A server runs one lifespan, so this never happens on
Twilio. ``state_snapshot`` keeps what the routed startup left on ``app.state``;
``replaced_state_hint`` names what has been replaced since, for a webhook that failed
inside one of those objects' methods.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["replaced_state_hint", "state_snapshot", "with_replaced_state"]

#: Values a shutdown cannot close: a counter or a setting replaced on ``app.state`` is no
#: sign of a second lifespan.
_PLAIN = (int, float, complex, str, bytes, bool, type(None), tuple, frozenset)


def _state_dict(app: object) -> dict[str, object] | None:
    """The attributes of ``app.state`` (Starlette's ``State`` keeps them in ``_state``)."""
    state = getattr(app, "state", None)
    try:
        held = vars(state).get("_state")
    except TypeError:  # no __dict__: not Starlette's State
        return None
    return held if isinstance(held, dict) else None


def state_snapshot(app: object) -> dict[str, object]:
    """What ``app.state`` holds (objects that are not plain values), by name, as the
    lifespan startup left it; empty for an app without Starlette's ``state``."""
    held = _state_dict(app) or {}
    return {
        name: value
        for name, value in held.items()
        if isinstance(name, str) and not isinstance(value, _PLAIN)
    }


def _raised_in(error: BaseException | None) -> set[int]:
    """The ids of the objects whose methods ``error`` (or an exception it was raised from
    or while handling) went through: each frame's ``self``."""
    owners: set[int] = set()
    for _ in range(10):  # a chain is short; a cycle is not followed
        if error is None:
            break
        traceback = error.__traceback__
        while traceback is not None:
            owner = traceback.tb_frame.f_locals.get("self")
            if owner is not None:
                owners.add(id(owner))
            traceback = traceback.tb_next
        error = error.__cause__ or error.__context__
    return owners


def replaced_state_hint(routed: object, error: BaseException | None) -> str:
    """What to add to a failed webhook's message when ``error`` went through an object on
    the app's ``app.state`` (the app as routed: through the mount, proxy and ASGI
    wrappers) other than the one its routed lifespan startup left there, naming it and
    what to do; "" otherwise."""
    for _ in range(4):
        snapshot = getattr(routed, "startup_state", None)
        if isinstance(snapshot, Mapping):
            break
        routed = getattr(routed, "app", None) or getattr(routed, "inner", None)
    else:
        return ""
    app = getattr(routed, "app", None)
    held = _state_dict(app) or {}
    owners = _raised_in(error)
    replaced = sorted(
        name
        for name, value in snapshot.items()
        if held.get(name) is not value and id(held.get(name)) in owners
    )
    if not replaced:
        return ""
    names = ", ".join(f"app.state.{name}" for name in replaced)
    return (
        f"{names} is no longer what the app's lifespan startup made when it was routed: a "
        "test client that runs the same app object's lifespan (with TestClient(app), "
        "AsyncTestClient, LifespanManager) replaces it with its own startup's, and closes "
        "that at the end of its with block, before sim.run() sends the webhooks (a server "
        "runs the lifespan once: this happens in tests only). Yield "
        f"it as lifespan state (yield {{{replaced[0]!r}: ...}}, read as "
        f"request.state.{replaced[0]}), which each run keeps its own, or make the test "
        "client's requests without with (TestClient(app) alone runs no lifespan)"
    )


def with_replaced_state(text: str, routed: object, error: BaseException | None) -> str:
    """A failed webhook's explanation ``text`` with ``replaced_state_hint`` added: as its
    hint, or after the hint it has."""
    replaced = replaced_state_hint(routed, error)
    if not replaced:
        return text
    return f"{text}. {replaced}" if "; hint: " in text else f"{text}; hint: {replaced}"
