"""Mount the fake REST API into ``responses`` so the unmodified twilio client reaches it.

Every ``*.twilio.com`` URL is answered by the fake API (hosts it does not simulate get a
Twilio-shaped answer); every other URL passes through untouched.

The simulator lives alongside a test's own use of ``responses``, in either order:

- started inside a test that already mocks (``@responses.activate``, ``responses.start()``,
  a ``RequestsMock``), its own mock passes non-Twilio requests on to the mock that was in
  place, so the test's registered responses still answer them;
- a mock the test starts while a simulator runs (``@responses.activate``, ``with
  responses.RequestsMock() as rsps``, pytest-responses) answers what it has registered,
  and hands the simulator every Twilio request it has no registration for, instead of
  refusing it: the request appears in that mock's ``calls``, and nothing is added to its
  registry (so ``assert_all_requests_are_fired`` is unchanged).

A test's own registrations for Twilio URLs win over the simulator, in either order: the
simulator's route declines a request that a route of the mock in place when the
simulator started matches, and a mock started later is asked first.

A test's ``requests_mock`` (requests-mock's ``Mocker`` and pytest fixture) is met the same
way (``requests_mock_bridge``): what the test registered answers, and a Twilio URL it has
no registration for is answered by the simulator instead of ``NoMockAddress``. A vcrpy
cassette in use answers the Twilio requests it has recorded, and mocket and httpretty the
ones they have a registration for (``socket_mocks``); the simulator answers the others
(nothing is recorded, nothing reaches Twilio).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from typing import Any

import requests
import responses
import urllib3.connectionpool
from requests import PreparedRequest

from .bodies import AnswerBody, body_bytes
from .direct_answers import DirectAnswers
from .environment_settings import QuickEnvironmentSettings
from .quick_preparation import QuickPreparation
from .requests_mock_bridge import RequestsMockBridge
from .socket_mocks import socket_mock_answers

__all__ = ["TWILIO_URL", "Answer", "TwilioInterceptor"]

#: Answers one request: (method, url, headers, body) -> (status, headers, body).
Answer = Callable[[str, str, dict[str, str], bytes], tuple[int, list[tuple[str, str]], AnswerBody]]

#: Any URL on a Twilio host, including edge/region hosts such as api.dublin.us1.twilio.com.
TWILIO_URL = re.compile(r"^https?://([a-z0-9-]+\.)*twilio\.com(:\d+)?(/|$)", re.IGNORECASE)
_ANY_URL = re.compile(r".*", re.DOTALL)


class _TwilioRoute(responses.CallbackResponse):
    """A request of any method to a Twilio host, answered by the fake API unless one of
    the test's own registrations on ``yield_to()`` (mocks) matches it."""

    yield_to: Callable[[], Iterable[responses.RequestsMock]] = staticmethod(lambda: ())

    def matches(self, request: PreparedRequest) -> tuple[bool, str]:
        return _simulator_answers(request, self.yield_to())


def _simulator_answers(
    request: PreparedRequest, mocks: Iterable[responses.RequestsMock]
) -> tuple[bool, str]:
    """Whether the simulator answers ``request``: a Twilio URL that no registration of
    ``mocks`` (a test's own, started before the simulator) and no vcrpy cassette answers;
    and why not."""
    if not TWILIO_URL.match(str(request.url)):
        return False, "not a Twilio URL"
    for mock in mocks:
        for route in mock.registered():
            if not isinstance(route, _TwilioRoute) and route.matches(request)[0]:
                return False, "the test's own registration answers it"
    if _cassette_plays(request):
        return False, "the test's vcrpy cassette answers it"
    if socket_mock_answers(str(request.method), str(request.url)):
        return False, "the test's mocket or httpretty registration answers it"
    return True, ""


def _cassette_plays(request: PreparedRequest) -> bool:
    """Whether a vcrpy cassette in use (``vcr.use_cassette``, pytest-recording's ``vcr``
    marker) has this request recorded: then the cassette answers it, as a test's own
    ``responses`` registration would. vcrpy puts the cassette on urllib3's connection class
    while it is in use; it is looked up, never imported."""
    pool: type[urllib3.connectionpool.HTTPConnectionPool] = (
        urllib3.connectionpool.HTTPConnectionPool
        if str(request.url).startswith("http:")
        else urllib3.connectionpool.HTTPSConnectionPool
    )
    cassette = getattr(pool.ConnectionCls, "cassette", None)
    vcr_request = sys.modules.get("vcr.request")
    if cassette is None or vcr_request is None:
        return False
    body = request.body.encode("utf-8") if isinstance(request.body, str) else request.body
    recorded = vcr_request.Request(request.method, request.url, body, dict(request.headers))
    return bool(cassette.can_play_response_for(recorded))


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

    def stop(self) -> None:
        adapter = requests.adapters.HTTPAdapter
        if adapter.__dict__.get("send") is not self.send:
            # stopped out of order: a mock started later is still in place (it puts this
            # send back when it stops, and this send then passes everything on), or the
            # mock this one saved has stopped and put back its own: either way, restoring
            # what was saved would leave a stopped mock answering every request
            return
        if "send" in self.saved:
            adapter.send = self.saved["send"]  # type: ignore[method-assign,assignment]
        else:  # pragma: no cover - requests always defines send on HTTPAdapter
            del adapter.send


class _InterceptingMock(responses.RequestsMock):
    """``responses``' mock, patched into requests directly. Its routes are added when it
    first looks a request up (``add_routes``): most simulators never see one, since the
    twilio client's requests are answered in ``Session.send`` (``direct_answers``)."""

    #: the patch in place while started
    adapter_patch: _AdapterPatch | None = None
    #: adds the routes, until the first lookup (set while started: it holds the interceptor)
    add_routes: Callable[[], None] | None = None

    def _find_match(self, request: PreparedRequest) -> tuple[Any, list[str]]:
        if self.add_routes is not None:
            with self._thread_lock:  # requests of other threads wait for the routes
                if self.add_routes is not None:
                    self.add_routes()
                    self.add_routes = None
        return super()._find_match(request)

    def start(self) -> None:
        if self._patcher:
            return
        patch = _AdapterPatch(self.unbound_on_send())
        self._patcher = self.adapter_patch = patch  # type: ignore[assignment]
        patch.start()

    def stop(self, allow_assert: bool = True) -> None:
        super().stop(allow_assert)
        self.adapter_patch = None


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


#: The interceptors running now, innermost last: a mock the test starts while one runs
#: hands the innermost the Twilio requests it has no registration for.
_RUNNING: list[TwilioInterceptor] = []
#: The twilio client's requests answered in ``Session.send`` while any of them runs.
_DIRECT_ANSWERS = DirectAnswers(_RUNNING)
_ENVIRONMENT_SETTINGS = QuickEnvironmentSettings(_RUNNING, TWILIO_URL.match)
_QUICK_PREPARATION = QuickPreparation(_RUNNING, TWILIO_URL.match)
_FindMatch = Callable[[responses.RequestsMock, PreparedRequest], tuple[Any, list[str]]]
#: ``RequestsMock._find_match`` as it was before the first interceptor started.
_saved_find_match: list[_FindMatch] = []


def _find_match_or_simulator(
    mock: responses.RequestsMock, request: PreparedRequest
) -> tuple[Any, list[str]]:
    """``responses``' own lookup, then, for a Twilio URL a test's mock does not answer, the
    running simulator (in place of "Connection refused by Responses")."""
    match, reasons = _saved_find_match[0](mock, request)
    if (
        match is None
        and _RUNNING
        and not isinstance(mock, _InterceptingMock)  # the simulator's own passes it on
        and TWILIO_URL.match(str(request.url))
    ):
        return _RUNNING[-1].fallback(), reasons
    return match, reasons


def _hand_unmatched_twilio_requests_over(interceptor: TwilioInterceptor) -> None:
    _RUNNING.append(interceptor)
    if len(_RUNNING) == 1:
        _saved_find_match[:] = [responses.RequestsMock._find_match]
        responses.RequestsMock._find_match = _find_match_or_simulator  # type: ignore[method-assign,assignment]


def _stop_handing_over(interceptor: TwilioInterceptor) -> None:
    if interceptor in _RUNNING:
        _RUNNING.remove(interceptor)
    if not _RUNNING and _saved_find_match:
        responses.RequestsMock._find_match = _saved_find_match.pop()  # type: ignore[method-assign,assignment]


class TwilioInterceptor:
    """Answers requests to Twilio's hosts with ``answer`` (the fake API behind its
    guard), through ``responses``."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.mock: _InterceptingMock | None = None
        #: the routes made since started: the Twilio route of the mock, then the fallback
        self._routes: list[_TwilioRoute] = []
        #: the route answering the Twilio requests a test's own mock has no registration
        #: for, made when first needed while running (it holds the interceptor)
        self._fallback: _TwilioRoute | None = None
        #: the test's mock that was in place when started, if any
        self._outer_mock: responses.RequestsMock | None = None
        self._running = False
        self._requests_mock = RequestsMockBridge()

    def start(self) -> None:
        """Begin intercepting (patches requests' adapter, like ``responses.start()``)."""
        # Whatever answers requests now (the network, or a test's own mock) answers the
        # requests that are not Twilio's.
        outer_send = requests.adapters.HTTPAdapter.send
        self.mock = _InterceptingMock(
            assert_all_requests_are_fired=False, real_adapter_send=outer_send
        )
        self._outer_mock = _mock_behind(outer_send)
        self.mock.add_routes = self._add_routes
        self.mock.start()
        self._running = True
        _hand_unmatched_twilio_requests_over(self)
        self._requests_mock.start()
        _DIRECT_ANSWERS.started()
        _ENVIRONMENT_SETTINGS.started()
        _QUICK_PREPARATION.started()

    def _add_routes(self) -> None:
        """The mock's routes, added at its first lookup of a request."""
        assert self.mock is not None
        outer_mock = self._outer_mock
        own = _TwilioRoute("GET", TWILIO_URL, callback=self._answer)
        own.yield_to = lambda: _started(outer_mock)
        self._routes.insert(0, own)
        self.mock.add(own)
        # what the Twilio route does not answer goes on to what answered before: the
        # network for other hosts, or the test's own mock
        self.mock.add_passthru(_ANY_URL)

    def fallback(self) -> _TwilioRoute:
        """The route that answers, while running, a Twilio request a test's own mock
        started since has no registration for."""
        if self._fallback is None:
            self._fallback = _TwilioRoute("GET", TWILIO_URL, callback=self._answer)
            self._routes.append(self._fallback)
        return self._fallback

    def stop(self) -> None:
        """Stop intercepting."""
        self._requests_mock.stop()
        _stop_handing_over(self)
        _DIRECT_ANSWERS.stopped()
        _ENVIRONMENT_SETTINGS.stopped()
        _QUICK_PREPARATION.stopped()
        self._running = False
        if self.mock is not None:
            self.mock.add_routes = None
            self.mock.stop()
            self.mock.reset()
            # should a mock started later put this one's send back (stopped out of order),
            # it passes every request on to what was in place before, answering none
            self.mock.add_passthru(_ANY_URL)
        self._routes = []
        self._fallback = None
        self._outer_mock = None

    def answer_alone(
        self, request: PreparedRequest
    ) -> tuple[int, dict[str, str], AnswerBody] | None:
        """The fake API's answer to ``request`` when this interceptor's ``responses`` mock
        would answer it with nothing else seeing it: the mock is the one patched into
        requests now (no mock started since), and no registration of a test's own mock
        nor a vcrpy cassette answers it. None otherwise, and nothing is answered: the
        request then goes through requests and ``responses`` (see ``direct_answers``)."""
        patch = self.mock.adapter_patch if self.mock is not None else None
        if (
            patch is None
            or requests.adapters.HTTPAdapter.__dict__.get("send") is not patch.send
            or not self._running
            or not _simulator_answers(request, _started(self._outer_mock))[0]
        ):
            return None
        return self._answer(request)

    def _answer(self, request: PreparedRequest) -> tuple[int, dict[str, str], AnswerBody]:
        # responses logs every request and response it answers (the mock's ``calls`` and
        # each route's ``calls``); the simulator keeps its own log, so only the latest
        # exchange is kept, which keeps memory flat however many requests a test makes.
        # (A test's own default mock keeps its log: it is the test's.)
        if self.mock is not None:
            self.mock.calls.reset()
        for route in self._routes:
            route.calls.reset()
        # a str encoded; a file or a generator (requests streams it, chunked) read whole
        body = request.body if isinstance(request.body, bytes) else body_bytes(request.body)
        status, pairs, content = self.answer(
            request.method or "GET", request.url or "", dict(request.headers), body
        )
        # recording media comes as a BufferedReader, which responses streams as it is read
        return status, dict(pairs), content
