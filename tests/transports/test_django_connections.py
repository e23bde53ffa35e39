"""Django's ``close_old_connections`` is off while a webhook is delivered in process, back
after it, and keeping it so costs nothing per webhook (no growing registry)."""

from __future__ import annotations

import weakref

import pytest

from twimlsim.transports.django_connections import django_connections_kept

signals = pytest.importorskip("django.core.signals")
database = pytest.importorskip("django.db")


def _listening() -> tuple[bool, bool]:
    close = database.close_old_connections
    return tuple(  # type: ignore[return-value]
        any(receiver is close for receiver in signal._live_receivers(None)[0])
        for signal in (signals.request_started, signals.request_finished)
    )


def test_the_receivers_are_off_inside_and_back_after() -> None:
    assert _listening() == (True, True)
    with django_connections_kept():
        assert _listening() == (False, False)
    assert _listening() == (True, True)


def test_a_thousand_webhooks_leave_no_finalizer_behind() -> None:
    with django_connections_kept():
        pass  # the first may turn Django's weak connection into a kept one
    finalizers = len(weakref.finalize._registry)  # type: ignore[attr-defined]
    for _ in range(1000):
        with django_connections_kept():
            pass
    assert len(weakref.finalize._registry) == finalizers  # type: ignore[attr-defined]
    assert _listening() == (True, True)
