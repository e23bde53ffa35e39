"""Runs a call's TwiML verb by verb on the virtual clock.

Documents come from the app (the call's ``Url``, ``<Redirect>`` targets...) or inline
(``Twiml``). A document that cannot be had (the app fails, answers non-2xx, or with TwiML
Twilio cannot run) sends Twilio to the ``FallbackUrl`` with ``ErrorCode`` and ``ErrorUrl``;
without a working fallback the far end hears Twilio's application-error message and the
call ends, as on Twilio.

Time model: ``<Say>`` speaks at 150 words per minute (2.5 words a second), each loop
rounded up to whole seconds and at least one second; ``<Pause>`` waits ``length`` seconds.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from twimlsim.twiml import nodes

from .events import Paused, Redirected, Said, WebhookFailed
from .process import Sleep
from .webhooks import call_params

if TYPE_CHECKING:
    from twimlsim.twiml import ParsedTwiml

    from .engine import Engine, TwimlParser
    from .session import SimCall

__all__ = ["APPLICATION_ERROR_MESSAGE", "Interpreter", "MAX_FETCHES_WITHOUT_TIME", "say_seconds"]

#: What Twilio plays when a call's TwiML cannot be had and no fallback works.
APPLICATION_ERROR_MESSAGE = "We are sorry, an application error has occurred. Goodbye."

#: Documents a call may fetch at one virtual instant before twimlsim calls it a loop
#: (a ``<Redirect>`` to itself never lets time pass). Twilio documents no such cap.
MAX_FETCHES_WITHOUT_TIME = 100

WORDS_PER_SECOND = 2.5


def say_seconds(text: str) -> int:
    """Seconds one loop of ``<Say>`` takes: 150 words a minute, rounded up, at least 1."""
    return max(1, math.ceil(len(text.split()) / WORDS_PER_SECOND))


@dataclass(frozen=True, slots=True)
class Loaded:
    """A document ready to run, and the URL relative URLs in it resolve against."""

    document: nodes.Response
    url: str | None


Flow = Generator[Sleep, None, "Loaded | None"]


class Interpreter:
    """Executes TwiML for the engine's calls."""

    def __init__(self, engine: Engine, parse: TwimlParser) -> None:
        self.engine = engine
        self.parse = parse
        self._fetch_instant: dict[str, tuple[int, int]] = {}
        self._error_document: nodes.Response | None = None

    # -- the whole call ------------------------------------------------------------------

    def run_call(self, call: SimCall) -> Generator[Sleep, None, None]:
        """Run the call's first document, then each one control moves to, until the end."""
        record = call.record
        loaded: Loaded | None
        if record.url is not None:
            loaded = self.load(call, record.url, record.method, kind="voice")
        else:
            loaded = self.load_inline(call, record.twiml or "")
        while loaded is not None:
            loaded = yield from self.run_document(call, loaded)

    def run_document(self, call: SimCall, loaded: Loaded) -> Flow:
        """Run one document's verbs; return the next document, or None to hang up."""
        call.document_url = loaded.url
        for verb in loaded.document.children:
            if isinstance(verb, nodes.Say):
                yield from self._say(call, verb)
            elif isinstance(verb, nodes.Pause):
                call.transcript.append(Paused(self.engine.clock.now, verb.length))
                yield Sleep(verb.length)
            elif isinstance(verb, nodes.Hangup):
                return None
            elif isinstance(verb, nodes.Redirect):
                url = self.resolve(loaded, verb.url)
                call.transcript.append(Redirected(self.engine.clock.now, url, verb.method))
                return self.load(call, url, verb.method, kind="redirect")
        return None

    def _say(self, call: SimCall, verb: nodes.Say) -> Generator[Sleep, None, None]:
        text = verb.spoken_text
        loops = verb.loop if verb.loop > 0 else 1000
        event = Said(self.engine.clock.now, text, verb.voice, verb.language, loops)
        call.transcript.append(event)
        yield Sleep(say_seconds(text) * loops)

    @staticmethod
    def resolve(loaded: Loaded, url: str) -> str:
        """Resolve a URL from a document against the document's own URL."""
        return urljoin(loaded.url, url) if loaded.url else url

    # -- getting documents -----------------------------------------------------------------

    def load_inline(self, call: SimCall, twiml: str) -> Loaded | None:
        """Parse the TwiML given with the call itself (``Twiml`` on create or update)."""
        parsed = self.parse(twiml.encode("utf-8"), "text/xml")
        if not self._usable(call, parsed, url=None):
            return self._application_error(call)
        assert parsed.document is not None
        return Loaded(parsed.document, None)

    def load(self, call: SimCall, url: str, method: str, *, kind: str) -> Loaded | None:
        """Fetch and parse a document; on failure try the fallback URL, then give up."""
        if self._looping(call, url):
            return None
        params = call_params(call.record, call.record.status.value)
        loaded, code = self._fetch(call, url, method, params, kind=kind)
        if loaded is not None:
            return loaded
        fallback = call.record.fallback_url
        if fallback is not None and kind != "fallback":
            params = call_params(call.record, call.record.status.value)
            params["ErrorCode"] = str(code)
            params["ErrorUrl"] = url
            loaded, _ = self._fetch(
                call, fallback, call.record.fallback_method, params, kind="fallback"
            )
            if loaded is not None:
                return loaded
        return self._application_error(call)

    def _fetch(
        self, call: SimCall, url: str, method: str, params: dict[str, str], *, kind: str
    ) -> tuple[Loaded | None, int]:
        engine = self.engine
        result = engine.request(call, url, method, params, kind=kind)
        now = engine.clock.now
        if result.error is not None:
            error = result.error
            engine.fail(
                call, error.code, error.message, url=result.final_url, cause=error.__cause__
            )
            call.transcript.append(WebhookFailed(now, result.final_url, error.code, error.message))
            return None, error.code
        response = result.response
        assert response is not None
        if not 200 <= response.status < 300:
            message = f"the app answered HTTP {response.status} to {result.requests[-1].method}"
            engine.fail(call, 11200, message, url=result.final_url)
            call.transcript.append(WebhookFailed(now, result.final_url, 11200, message))
            return None, 11200
        parsed = self.parse(response.body, response.content_type, source_url=result.final_url)
        if not self._usable(call, parsed, url=result.final_url):
            fatal = parsed.fatal
            assert fatal is not None
            return None, fatal.code
        assert parsed.document is not None
        return Loaded(parsed.document, result.final_url), 0

    def _usable(self, call: SimCall, parsed: ParsedTwiml, *, url: str | None) -> bool:
        """Report the document's error-level problems; True when it can run."""
        for problem in parsed.problems:
            if problem.level == "error":
                self.engine.fail(
                    call,
                    problem.code,
                    problem.message,
                    url=url,
                    element=problem.element,
                    line=problem.line,
                )
        fatal = parsed.fatal
        if fatal is not None:
            where = url or "(inline TwiML)"
            now = self.engine.clock.now
            call.transcript.append(WebhookFailed(now, where, fatal.code, fatal.message))
            return False
        return True

    def _looping(self, call: SimCall, url: str) -> bool:
        now = self.engine.clock.micros
        instant, count = self._fetch_instant.get(call.sid, (now, 0))
        count = count + 1 if instant == now else 1
        self._fetch_instant[call.sid] = (now, count)
        if count <= MAX_FETCHES_WITHOUT_TIME:
            return False
        self.engine.fail(
            call,
            None,
            f"{MAX_FETCHES_WITHOUT_TIME} documents fetched without virtual time passing "
            "(a <Redirect> loop?); twimlsim ended the call",
            url=url,
        )
        return True

    def _application_error(self, call: SimCall) -> Loaded:
        """The document Twilio plays when it has no usable TwiML: the message, then hang up."""
        if self._error_document is None:
            xml = f"<Response><Say>{APPLICATION_ERROR_MESSAGE}</Say></Response>"
            self._error_document = self.parse(xml.encode(), "text/xml").document
        assert self._error_document is not None
        return Loaded(self._error_document, None)
