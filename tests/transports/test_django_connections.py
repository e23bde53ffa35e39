"""Django's ``close_old_connections`` is off while a webhook is delivered in process, back
after it, and keeping it so costs nothing per webhook (no growing registry)."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from types import SimpleNamespace

import pytest

from twimlsim.transports.django_connections import django_connections_kept

signals = pytest.importorskip("django.core.signals")
database = pytest.importorskip("django.db")
conf = pytest.importorskip("django.conf")


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


class _Connection:
    """What the simulator reads of a Django connection: its transaction and its list of
    on-commit callbacks, entries as Django 4.2+ keeps them (savepoints, function, robust)."""

    def __init__(self, in_atomic_block: bool) -> None:
        self.in_atomic_block = in_atomic_block
        self.run_on_commit: list[tuple[set[str], object, bool]] = []

    def on_commit(self, function: object, robust: bool = False) -> None:
        self.run_on_commit.append((set(), function, robust))


class _Connections:
    def __init__(self, *opened: _Connection) -> None:
        self.opened = list(opened)

    def all(self, initialized_only: bool = False) -> list[_Connection]:
        assert initialized_only is True
        return self.opened


@pytest.fixture
def test_transaction(monkeypatch: pytest.MonkeyPatch) -> _Connection:
    """A connection inside a test's transaction (a ``TestCase``'s), holding one callback
    the test itself registered before the webhook."""
    connection = _Connection(in_atomic_block=True)
    connection.on_commit(lambda: None)
    _set_up(monkeypatch, connection)
    return connection


def _set_up(monkeypatch: pytest.MonkeyPatch, *opened: _Connection) -> None:
    """Django as a project's settings leave it: configured, with these connections open."""
    monkeypatch.setattr(conf, "settings", SimpleNamespace(configured=True, DEBUG=False))
    monkeypatch.setattr(database, "connections", _Connections(*opened))


def test_the_webhooks_on_commit_callbacks_run_as_it_ends_and_leave_the_tests_list(
    test_transaction: _Connection,
) -> None:
    ran: list[str] = []

    def first() -> None:
        ran.append("first")
        test_transaction.on_commit(lambda: ran.append("added by first"))

    own = test_transaction.run_on_commit[0]
    with django_connections_kept():
        test_transaction.on_commit(first)
        test_transaction.on_commit(lambda: ran.append("second"))
        assert ran == []  # not while the app answers
    assert ran == ["first", "second", "added by first"]
    assert test_transaction.run_on_commit == [own]  # the test's own wait for its commit


def test_a_robust_callback_that_raises_is_logged_and_the_next_runs(
    test_transaction: _Connection, caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[str] = []

    def notify() -> None:
        raise ConnectionError("broker down")

    with django_connections_kept():
        test_transaction.on_commit(notify, robust=True)
        test_transaction.on_commit(lambda: ran.append("next"))
    assert ran == ["next"]
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "django.db.backends.base",
            "ERROR",
            "Error calling test_a_robust_callback_that_raises_is_logged_and_the_next_runs"
            ".<locals>.notify in on_commit() (broker down).",
        )
    ]


def test_a_connection_outside_a_transaction_is_left_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    autocommit = _Connection(in_atomic_block=False)  # Django ran its callbacks at once
    _set_up(monkeypatch, autocommit)
    with django_connections_kept():
        autocommit.in_atomic_block = True  # the app's own transaction, left open
        autocommit.on_commit(lambda: pytest.fail("run by the simulator"))
    assert len(autocommit.run_on_commit) == 1


def test_a_callback_that_raises_fails_the_webhook_with_11200(
    test_transaction: _Connection,
) -> None:
    from twimlsim import Simulator

    def app(environ: dict[str, object], start_response: Callable[..., object]) -> list[bytes]:
        def place_follow_up_call() -> None:
            raise RuntimeError("no worker")

        test_transaction.on_commit(place_follow_up_call)
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<Response><Say>Saved</Say></Response>"]

    with Simulator(strict=False) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        call = sim.incoming_call(from_="+15558675310", to="+15005550006")
        sim.run()
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            "the app raised RuntimeError: no worker (Twilio sees HTTP 500); twimlsim then "
            "played Twilio's application-error message and hung up, as Twilio does",
        )
    ]
    assert call.said == ["We are sorry, an application error has occurred. Goodbye."]


def test_django_imported_but_not_set_up_opens_no_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Flask app in a process that imported Django: its settings are never read."""
    monkeypatch.setattr(conf, "settings", SimpleNamespace(configured=False))
    monkeypatch.setattr(database, "connections", _Unreadable())
    with django_connections_kept():
        pass


class _Unreadable:
    def all(self, initialized_only: bool = False) -> list[_Connection]:
        raise AssertionError("Django's connections read without settings")
