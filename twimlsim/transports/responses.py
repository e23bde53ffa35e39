"""Mount the fake REST API into ``responses`` so the unmodified twilio client reaches it.

Every ``*.twilio.com`` URL is answered by the fake API (hosts it does not simulate get a
Twilio-shaped answer); every other URL passes through untouched.

The simulator lives alongside a test's own use of ``responses``, in either order:

- started inside a test that already mocks (``@responses.activate``, ``responses.start()``,
  a ``RequestsMock``), its own mock passes non-Twilio requests on to the mock that was in
  place, so the test's registered responses still answer them;
- a test that starts ``responses``' default mock (``@responses.activate``) while a
  simulator runs finds the Twilio route registered on that mock too, so the twilio client
  still reaches the fake API, and the requests appear in that mock's ``calls``. (A
  separate ``RequestsMock()`` a test builds itself cannot be reached that way: start it
  before the simulator. The Twilio route on the default mock counts as registered, so
  ``assert_all_requests_are_fired=True`` there needs a Twilio request in the block.)

A test's own registrations for Twilio URLs win over the simulator, in either order: the
simulator's route declines a request that a route the test registered (on the mock that
was in place when the simulator started, or on the default mock) matches, and the test's
mock answers it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import requests
import responses
from requests import PreparedRequest

__all__ = ["TWILIO_URL", "Answer", "TwilioInterceptor"]

#: Answers one request: (method, url, headers, body) -> (status, headers, body).
Answer = Callable[[str, str, dict[str, str], bytes], tuple[int, list[tuple[str, str]], bytes]]

#: Any URL on a Twilio host, including edge/region hosts such as api.dublin.us1.twilio.com.
TWILIO_URL = re.compile(r"^https?://([a-z0-9-]+\.)*twilio\.com(:\d+)?(/|$)", re.IGNORECASE)
_ANY_URL = re.compile(r".*", re.DOTALL)


class _TwilioRoute(responses.CallbackResponse):
    """A request of any method to a Twilio host, answered by the fake API unless one of
    the test's own registrations on ``yield_to()`` (mocks) matches it."""

    yield_to: Callable[[], Iterable[responses.RequestsMock]] = staticmethod(lambda: ())

    def matches(self, request: PreparedRequest) -> tuple[bool, str]:
        if not TWILIO_URL.match(str(request.url)):
            return False, "not a Twilio URL"
        for mock in self.yield_to():
            for route in mock.registered():
                if not isinstance(route, _TwilioRoute) and route.matches(request)[0]:
                    return False, "the test's own registration answers it"
        return True, ""


#: The ``send`` of each simulator stopped while another patch lay on top of it (a simulator
#: started after it and still running, a test's own ``responses`` mock), and what it had
#: replaced: it stays in the chain passing every request on, until whatever lay on top
#: stops and the chain is unwound past it.
_LEFT_IN_PLACE: dict[object, object] = {}


class _AdapterPatch:
    """Puts ``send`` in place of ``HTTPAdapter.send`` and back: what ``mock.patch`` does
    for ``responses``, without its lookups by dotted name (a third of a simulator's
    start)."""

    def __init__(self, send: Callable[..., object]) -> None:
        self.send = send
        self.saved: dict[str, object] = {}

    def start(self) -> None:
        adapter = requests.adapters.HTTPAdapter
        self.saved = {"send": adapter.__dict__["send"]} if "send" in adapter.__dict__ else {}
        adapter.send = self.send  # type: ignore[method-assign,assignment]

    def on_top(self) -> bool:
        """Whether ``send`` is still what ``HTTPAdapter.send`` is (nobody patched since)."""
        return requests.adapters.HTTPAdapter.__dict__.get("send") is self.send

    def leave_in_place(self) -> None:
        """Stopped under another patch: stay in its chain until that one is unwound."""
        _LEFT_IN_PLACE[self.send] = self.saved.get("send")

    def stop(self) -> None:
        adapter = requests.adapters.HTTPAdapter
        saved = self.saved.get("send")
        while saved in _LEFT_IN_PLACE:  # simulators stopped before this one, under it
            saved = _LEFT_IN_PLACE.pop(saved)
        if saved is not None:
            adapter.send = saved  # type: ignore[method-assign,assignment]
        else:  # pragma: no cover - requests always defines send on HTTPAdapter
            del adapter.send


class _InterceptingMock(responses.RequestsMock):
    """``responses``' mock, patched into requests directly."""

    def start(self) -> None:
        if self._patcher:
            return
        patch = _AdapterPatch(self.unbound_on_send())
        self._patcher = patch  # type: ignore[assignment]
        patch.start()


def _mock_behind(send: Callable[..., object]) -> responses.RequestsMock | None:
    """The ``responses`` mock whose patched ``send`` this is, if it is one."""
    for cell in getattr(send, "__closure__", None) or ():
        try:
            contents = cell.cell_contents
        except ValueError:  # pragma: no cover - an empty cell
            continue
        if isinstance(contents, responses.RequestsMock):
            return contents
    return None


def _started(mock: responses.RequestsMock | None) -> Iterable[responses.RequestsMock]:
    # a stopped mock answers nothing, so its registrations do not count
    if mock is not None and getattr(mock, "_patcher", None) is not None:
        yield mock


class TwilioInterceptor:
    """Answers requests to Twilio's hosts with ``answer`` (the fake API behind its
    guard), through ``responses``."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.mock: responses.RequestsMock | None = None
        self._routes: list[_TwilioRoute] = []

    def start(self) -> None:
        """Begin intercepting (patches requests' adapter, like ``responses.start()``)."""
        # Whatever answers requests now (the network, or a test's own mock) answers the
        # requests that are not Twilio's.
        outer_send = requests.adapters.HTTPAdapter.send
        self.mock = _InterceptingMock(
            assert_all_requests_are_fired=False, real_adapter_send=outer_send
        )
        outer_mock = _mock_behind(outer_send)
        own = _TwilioRoute("GET", TWILIO_URL, callback=self._answer)
        own.yield_to = lambda: _started(outer_mock)
        shared = _TwilioRoute("GET", TWILIO_URL, callback=self._answer)
        shared.yield_to = lambda: (responses.mock,)
        self._routes = [own, shared]
        self.mock.add(own)
        # what the Twilio route does not answer goes on to what answered before: the
        # network for other hosts, or the test's own mock
        self.mock.add_passthru(_ANY_URL)
        responses.mock.add(shared)
        self.mock.start()

    def stop(self) -> None:
        """Stop intercepting. Stopped while a simulator started after it still runs (or a
        test's own ``responses`` mock started since), it stays in their chain answering
        nothing itself, so that they go on intercepting."""
        mock = self.mock
        if mock is not None:
            patch = getattr(mock, "_patcher", None)
            if isinstance(patch, _AdapterPatch) and not patch.on_top():
                mock.remove(self._routes[0])  # only the pass-through to what was before stays
                patch.leave_in_place()
            else:
                mock.stop()
                mock.reset()
            self.mock = None
        if len(self._routes) == 2:
            responses.mock.remove(self._routes[1])
        self._routes = []

    def _answer(self, request: PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        # responses logs every request and response it answers (the mock's ``calls`` and
        # each route's ``calls``); the simulator keeps its own log, so only the latest
        # exchange is kept, which keeps memory flat however many requests a test makes.
        # (A test's own default mock keeps its log: it is the test's.)
        if self.mock is not None:
            self.mock.calls.reset()
        for route in self._routes:
            route.calls.reset()
        body = request.body
        if isinstance(body, str):
            body = body.encode("utf-8")
        status, pairs, content = self.answer(
            request.method or "GET", request.url or "", dict(request.headers), body or b""
        )
        return status, dict(pairs), content
