"""Runs a call's TwiML verb by verb on the virtual clock.

Documents come from the app (the call's ``Url``, actions, ``<Redirect>`` targets...) or
inline (``Twiml``). A document that cannot be had (the app fails, answers non-2xx, or with
TwiML Twilio cannot run, or no Content-Type: 12300) sends Twilio to the ``FallbackUrl``
with ``ErrorCode`` and ``ErrorUrl``; without a working fallback the far end hears Twilio's
application-error message and the call ends, as on Twilio. Each failure recorded says
which of these followed. Every problem Twilio's debugger would log for a document, warnings
included, is recorded; a ``text/plain`` answer that is valid TwiML is run as TwiML, as
Twilio's TwiML changelog says (other text is read aloud).

An inbound call is answered by its first verb, unless that verb is ``<Reject>`` (the call
is never answered), ``<Pause>``, an empty ``<Say>`` or a ``<Redirect>`` (Twilio waits
before answering) or a ``<Dial answerOnBridge="true">`` (answered when the dialled party
answers).

Bounds: a call may fetch ``MAX_FETCHES_WITHOUT_TIME`` documents at one virtual instant (a
``<Redirect>`` loop never lets time pass) and ``MAX_DOCUMENTS_PER_CALL`` in all (a Gather
loop; wait and hold documents, which loop by design, do not count, nor do those a wait
document's ``<Redirect>`` requests); past either,
twimlsim records a failure naming the URL and ends the call ``completed``. Twilio
documents no such caps; the call's TimeLimit (4 hours by default) bounds everything else.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from twimlsim.twiml import nodes

from .diagnosis import explain_result, root_relative_hint
from .events import Gathered, WebhookFailed
from .flow import Context, End, Goto, Loaded, Outcome, ring_seconds_left
from .inline_twiml import inline_bytes
from .loop_hints import document_loop_message
from .process import Interrupt, Sleep, Step
from .trace import ServedDocument, VerbRun
from .urls import is_absolute_url, join_url
from .verbs import RUNNERS
from .webhooks import call_params

if TYPE_CHECKING:
    from twimlsim.model.store import AccountStore
    from twimlsim.twiml import ParsedTwiml

    from .services import Services
    from .session import SimCall

__all__ = [
    "APPLICATION_ERROR_MESSAGE",
    "Interpreter",
    "MAX_DOCUMENTS_PER_CALL",
    "MAX_FETCHES_WITHOUT_TIME",
]

#: What Twilio plays when a call's TwiML cannot be had and no fallback works.
APPLICATION_ERROR_MESSAGE = "We are sorry, an application error has occurred. Goodbye."

#: What twimlsim (as Twilio) does when a document cannot be had and no fallback is left.
APPLICATION_ERROR_THEN = (
    "twimlsim then played Twilio's application-error message and hung up, as Twilio does"
)

#: Documents a call may fetch at one virtual instant before twimlsim calls it a loop.
MAX_FETCHES_WITHOUT_TIME = 100
#: Documents a call may fetch in all before twimlsim calls it a loop (a Gather loop).
MAX_DOCUMENTS_PER_CALL = 1000

TwimlParser = Callable[..., "ParsedTwiml"]


class Interpreter:
    """Executes TwiML for the engine's calls."""

    def __init__(self, engine: Services, parse: TwimlParser) -> None:
        self.engine = engine
        self.parse = parse
        #: Documents twimlsim itself runs (the application-error message, the empty
        #: document of an answer superseded), parsed once each.
        self._own_documents: dict[bytes, nodes.Response] = {}

    # -- the whole call ------------------------------------------------------------------

    def run_call(
        self,
        call: SimCall,
        *,
        kind: str = "voice",
        params: dict[str, str] | None = None,
        only: tuple[type[nodes.Node], ...] | None = None,
        where: str = "",
    ) -> Generator[Step, Any, str]:
        """Run the call's first document, then each one control moves to, until the end
        (``only`` and ``where``: as for ``run_document``, for every document of the chain).

        Returns how the TwiML ended (``End.how``).
        """
        record = call.record
        loaded: Loaded | None
        if record.url is not None:
            loaded = self.load(call, record.url, record.method, kind=kind, params=params)
        else:
            loaded = self.load_inline(call, record.twiml or "")
        return (yield from self.run_chain(call, loaded, only=only, where=where))

    def run_chain(
        self,
        call: SimCall,
        loaded: Loaded | None,
        *,
        only: tuple[type[nodes.Node], ...] | None = None,
        where: str = "",
    ) -> Generator[Step, Any, str]:
        """Run ``loaded``, then each document control moves to; return how the TwiML ended."""
        while loaded is not None:
            if call.ended and not call.answered:
                # canceled by the app from the webhook that fetched this document (a call
                # still ringing): none of it runs
                raise Interrupt("api")
            outcome = yield from self.run_document(call, loaded, only=only, where=where)
            if isinstance(outcome, End):
                return self._end(call, outcome)
            assert isinstance(outcome, Goto)
            loaded = outcome.loaded
        return self._end(call, End("stop"))

    def run_document(
        self,
        call: SimCall,
        loaded: Loaded,
        *,
        only: tuple[type[nodes.Node], ...] | None = None,
        where: str = "",
    ) -> Generator[Step, Any, Outcome]:
        """Run one document's verbs; return where control goes next. With ``only`` (the
        verbs a document of a kind may hold, ``where`` names it), any other verb is
        reported as an error and skipped."""
        if _superseded(call):
            # the app redirected or hung up the call while answering the webhook that
            # fetched this document: the update takes the call here, before any verb
            yield Sleep(0)
        call.document_url = loaded.url
        ctx = Context(self, call, loaded)
        clock = self.engine.clock
        served = ServedDocument(loaded.url, clock.now, loaded.document)
        call.served.append(served)
        for index, verb in enumerate(loaded.document.children):
            if not call.answered and (_answers(verb) or not ring_seconds_left(call, clock.now)):
                self.engine.answer(call)
            runner = RUNNERS.get(type(verb))
            if runner is None:
                if not isinstance(verb, nodes.Unknown):  # the parser reported 12200 for those
                    ctx.not_simulated(verb, skipped="verb", hint=_NOUN_AT_THE_TOP.get(verb.tag))
                continue
            if only is not None and not isinstance(verb, only):
                # a <Dial> let through reports its own error (a whisper's 13201)
                allowed = ", ".join(kind.__name__ for kind in only if kind is not nodes.Dial)
                ctx.fail_at(
                    verb,
                    None,
                    f"<{verb.tag}> cannot run in {where}: it may contain only {allowed}; "
                    "twimlsim skipped it",
                )
                continue
            run = VerbRun(served, index, clock.now, len(call.transcript))
            call.verb_runs.append(run)
            try:
                outcome = yield from runner(ctx, verb)
            finally:  # a hang-up (or a REST update) ends the verb where it is
                run.ended = clock.now
                run.events_to = len(call.transcript)
            if outcome is not None:
                return outcome
        return End("end")

    def _end(self, call: SimCall, end: End) -> str:
        if end.how == "reject":
            self.engine.mark_ended(call, end.status, by="reject")
        elif not call.answered and not call.ended:
            # Any verb but <Reject> answers (an empty <Response/> included).
            self.engine.answer(call)
        return end.how

    # -- getting documents -----------------------------------------------------------------

    def load_inline(self, call: SimCall, twiml: str) -> Loaded | None:
        """Parse the TwiML given with the call itself (``Twiml`` on create or update)."""
        parsed = self.parse(inline_bytes(twiml), "text/xml")
        if not self._usable(call, parsed, url=None):
            return self._application_error(call)
        assert parsed.document is not None
        return Loaded(parsed.document, None)

    def load(
        self,
        call: SimCall,
        url: str,
        method: str,
        *,
        kind: str,
        params: dict[str, str] | None = None,
        waiting: bool = False,
    ) -> Loaded | None:
        """Fetch and parse a document; on failure try the fallback URL, then give up.

        ``params`` are the request's parameters (default: the call's standard ones).
        ``waiting``: the request is part of a queue's wait loop (a ``<Redirect>`` of a wait
        document), which does not count toward ``MAX_DOCUMENTS_PER_CALL``.
        Returns None when twimlsim's loop bounds stop the call.
        """
        if self._looping(call, url, kind, waiting):
            return None
        if params is None:
            params = call_params(call.record, call.record.status.value)
        fallback = call.record.fallback_url
        has_fallback = fallback is not None and kind != "fallback"
        then = f"twimlsim then requested the FallbackUrl {fallback}" if has_fallback else None
        loaded, code = self._fetch(call, url, method, params, kind=kind, then=then)
        if loaded is not None:
            return loaded
        if fallback is not None and has_fallback:
            fallback_params = dict(params)
            fallback_params["ErrorCode"] = str(code)
            fallback_params["ErrorUrl"] = url
            loaded, _ = self._fetch(
                call, fallback, call.record.fallback_method, fallback_params, kind="fallback"
            )
            if loaded is not None:
                return loaded
        return self._application_error(call)

    def fetch_document(
        self,
        call: SimCall,
        url: str,
        method: str,
        *,
        kind: str,
        then: str,
        params: dict[str, str] | None = None,
        requested_again: bool = True,
    ) -> Loaded | None:
        """Fetch and parse a document with no fallback (a conference's wait music): None
        when it cannot be had (the problem is recorded, ending with ``then``: what
        twimlsim did instead) or the loop bounds stop the call (``loop_bound_met``).
        ``requested_again``: a wait document is requested again each time it ends (an
        ``<Enqueue>``'s), not a conference's, which only its ``<Redirect>`` loops."""
        if self._looping(call, url, kind, then=then, requested_again=requested_again):
            return None
        if params is None:
            params = call_params(call.record, call.record.status.value)
        return self._fetch(call, url, method, params, kind=kind, then=then)[0]

    def _fetch(
        self,
        call: SimCall,
        url: str,
        method: str,
        params: dict[str, str],
        *,
        kind: str,
        then: str | None = None,
    ) -> tuple[Loaded | None, int]:
        """Request a document; on failure record it, saying what twimlsim did next
        (``then``; default: the application-error message)."""
        engine = self.engine
        then = then or APPLICATION_ERROR_THEN
        if not is_absolute_url(url):
            # only TwiML given inline (Twiml=) leaves a URL relative: it has no URL of its own
            written = f"{url!r} is a relative URL" if url else "an empty URL (this document's)"
            message = (
                f"{written} in TwiML given inline (the Twiml parameter of a call create or "
                "update), which has no document URL to resolve it against; write it absolute "
                "(https://...)"
            )
            engine.fail(call, 11100, f"{message}; {then}", url=url or None)
            where = url or "(inline TwiML)"
            call.transcript.append(WebhookFailed(engine.clock.now, where, 11100, message))
            return None, 11100
        result = engine.request(call, url, method, params, kind=kind)
        if _superseded(call):
            # Twilio "will immediately redirect the call to the new TwiML": the answer to a
            # webhook during which the app updated the call is neither checked nor run
            return Loaded(self._own_document(b"<Response/>"), result.final_url), 0
        now = engine.clock.now
        if result.error is not None:
            error = result.error
            # named when a verb of the TwiML gave the URL (an action, a Redirect...), so that
            # the report says which one of the document's requests failed
            element, line = _asking_node(call, url)
            engine.fail(
                call,
                error.code,
                f"{error.message}; {then}",
                url=result.final_url,
                cause=error.__cause__,
                element=element,
                line=line,
            )
            call.transcript.append(WebhookFailed(now, result.final_url, error.code, error.message))
            return None, error.code
        response = result.response
        assert response is not None
        if not 200 <= response.status < 300:
            method = result.requests[-1].method
            message = f"the app answered HTTP {response.status} to {method}"
            explained = explain_result(result, *_delivered_by(engine))
            writer = _writer(call, url)
            if response.status == 404 and writer is not None and writer[2]:
                hint = root_relative_hint(writer[1], writer[2])
                explained += f"; {hint}" if hint is not None else ""
            engine.fail(
                call,
                11200,
                f"{message}; {explained}; {then}",
                url=result.final_url,
                cause=response.app_error,
                element=None if writer is None else writer[0].tag,
                line=None if writer is None else writer[0].line,
            )
            call.transcript.append(WebhookFailed(now, result.final_url, 11200, message))
            return None, 11200
        content_type = response.content_type
        if content_type is None or not content_type.strip():
            message = (
                "the app's answer has no Content-Type header, and Twilio runs no document "
                "without one (its debugger shows 502 Bad Gateway); answer with "
                "Content-Type: text/xml"
            )
            if not response.body.strip():  # a bare 204: the header alone would meet 11770
                message += (
                    " and a body, which it lacks (as a 204 No Content answer does): the "
                    "TwiML the call is to run next, or <Response/> to end it"
                )
            engine.fail(call, 12300, f"{message}; {then}", url=result.final_url)
            call.transcript.append(WebhookFailed(now, result.final_url, 12300, message))
            return None, 12300
        parsed = self.parse(response.body, content_type, source_url=result.final_url)
        if not self._usable(call, parsed, url=result.final_url, then=then):
            fatal = parsed.fatal
            assert fatal is not None
            return None, fatal.code
        assert parsed.document is not None
        return Loaded(parsed.document, result.final_url), 0

    def _usable(
        self, call: SimCall, parsed: ParsedTwiml, *, url: str | None, then: str | None = None
    ) -> bool:
        """Report every problem Twilio's debugger would log (errors and warnings); True
        when the document can run."""
        fatal = parsed.fatal
        for problem in parsed.problems:
            message = problem.message
            if problem is fatal:
                if url is not None and "next=" in url:  # a login page's, perhaps
                    from .login_hints import login_redirect_hint

                    message += login_redirect_hint(url)
                message = f"{message}; {then or APPLICATION_ERROR_THEN}"
            self.engine.fail(
                call,
                problem.code,
                message,
                url=url,
                element=problem.element,
                line=problem.line,
                level=problem.level,
            )
        if fatal is not None:
            where = url or "(inline TwiML)"
            now = self.engine.clock.now
            call.transcript.append(WebhookFailed(now, where, fatal.code, fatal.message))
            return False
        return True

    def loop_bound_met(self, call: SimCall) -> bool:
        """Whether the per-instant loop bound refused ``call``'s last request (the call is
        to end; a document that could not be had leaves it below the bound)."""
        return call.fetch_instant[1] > MAX_FETCHES_WITHOUT_TIME

    def _looping(
        self,
        call: SimCall,
        url: str,
        kind: str,
        waiting: bool = False,
        *,
        then: str = "",
        requested_again: bool = True,
    ) -> bool:
        """Whether the loop bounds stop this request (the problem recorded): the call
        ends, or for a conference's hold or announcement document, which the call outlives,
        twimlsim does ``then`` instead."""
        now = self.engine.clock.micros
        instant, count = call.fetch_instant
        count = count + 1 if instant == now else 1
        call.fetch_instant = (now, count)
        waiting = waiting or kind == "wait"
        if not waiting and kind not in _OUTLIVED:
            # A wait document is meant to loop for as long as the caller waits, requested
            # again as it ends or by its own <Redirect>, and so are a conference's hold
            # music and announcement by their <Redirect>: only the call's TimeLimit (and
            # the per-instant cap) bounds them.
            call.documents += 1
        if count > MAX_FETCHES_WITHOUT_TIME:
            why = (
                "a wait document is requested again each time it ends, and this one takes "
                "no time: give it a <Play>, <Say> or <Pause>"
                if waiting and requested_again
                else _instant_loop(kind)
            )
            instead = then if kind in _OUTLIVED and then else "twimlsim ended the call"
            message = (
                f"{MAX_FETCHES_WITHOUT_TIME} documents fetched without virtual time passing "
                f"({why}); {instead}"
            )
        elif call.documents > MAX_DOCUMENTS_PER_CALL:
            far_end = call.from_ if call.direction == "inbound" else call.to
            gathered = [e for e in call.transcript if isinstance(e, Gathered)]
            silent = bool(gathered) and not any(e.digits or e.speech for e in gathered)
            message = document_loop_message(MAX_DOCUMENTS_PER_CALL, kind, far_end, silent=silent)
        else:
            return False
        # the verb that asked for it again (a <Redirect>, a Gather's or Record's action),
        # when it is in the very document it asked for, as a loop mostly is
        run = next((run for run in reversed(call.verb_runs) if run.ended is None), None)
        here = run is not None and run.served.url == url
        element, line = (run.verb.tag, run.verb.line) if here and run else (None, None)
        self.engine.fail(call, None, message, url=url, element=element, line=line)
        return True

    def _application_error(self, call: SimCall) -> Loaded:
        """The document Twilio plays when it has no usable TwiML: the message, then hang up."""
        xml = f"<Response><Say>{APPLICATION_ERROR_MESSAGE}</Say><Hangup/></Response>"
        return Loaded(self._own_document(xml.encode()), None)

    def _own_document(self, xml: bytes) -> nodes.Response:
        """The parsed document of ``xml``, a document twimlsim runs itself (parsed once)."""
        document = self._own_documents.get(xml)
        if document is None:
            parsed = self.parse(xml, "text/xml").document
            assert parsed is not None  # twimlsim's own documents are valid TwiML
            document = self._own_documents[xml] = parsed
        return document


def _superseded(call: SimCall) -> bool:
    """True when the app updated the call (a redirect or a hang-up, ``calls(sid).update``)
    while answering a webhook of it: the update is pending until the call's next wait.

    Fidelity choice (UNCONFIRMED): Twilio's page says a REST update "will immediately
    redirect the call to the new TwiML", so the webhook's own answer, which comes after,
    is neither run nor checked (an app that answers it with a plain "OK" meets no 12100)."""
    process = call.process
    return process is not None and process.interrupt_pending


def _answers(verb: nodes.Node) -> bool:
    """Whether running ``verb`` answers a call still ringing. An empty ``<Say>`` does not:
    Twilio's TwiML changelog (2024.03.20) gives it "the same behavior as the <Pause> verb"
    on an inbound call, "the call status sent to any following TwiML documents will be
    ringing", so a ``<Redirect>`` (which plays nothing) does not answer either."""
    if isinstance(verb, nodes.Reject | nodes.Pause | nodes.Redirect):
        return False
    if isinstance(verb, nodes.Say) and not verb.spoken_text:
        return False
    return not (isinstance(verb, nodes.Dial) and verb.answer_on_bridge)


#: What a noun Twilio's docs describe only inside a verb, written at the top of the document
#: (twilio-python's ``VoiceResponse`` writes both there: ``response.queue(...)``,
#: ``response.prompt(...)``), was most likely meant as.
_NOUN_AT_THE_TOP = {
    "Queue": (
        "Twilio's docs describe <Queue> only inside <Dial>, which connects this call to the "
        "caller at the front of that queue: <Dial><Queue>name</Queue></Dial> "
        "(twilio-python: response.dial().queue(name); response.queue(...) writes it at the "
        "top); to put this caller in the queue, use <Enqueue>name</Enqueue>"
    ),
    "Prompt": (
        "Twilio's docs describe <Prompt> only inside <Pay>: <Pay><Prompt for=...>...</Prompt>"
        "</Pay> (twilio-python: response.pay().prompt(...); response.prompt(...) writes it at "
        "the top)"
    ),
}

#: Verbs whose ``action`` request has this kind, for naming a loop that takes no time.
_ACTION_VERBS = {
    "sms": "Sms",
    "connect": "Connect",
    "dial": "Dial",
    "enqueue": "Enqueue",
    "pay": "Pay",
}


#: The documents a call outlives: the loop bound stops requesting them, the call goes on.
_OUTLIVED = frozenset({"hold", "announce"})


def _instant_loop(kind: str) -> str:
    """Why documents follow one another without time passing, by the last request."""
    if kind == "update":
        return (
            "a loop of REST updates: the app redirects the call "
            "(client.calls(sid).update(url=...)) while it answers the webhook of the "
            "document it redirects to"
        )
    verb = _ACTION_VERBS.get(kind)
    if verb is None:
        return "a <Redirect> loop?"
    return (
        f"a loop: the last request was a <{verb}> action, which took no time and led back to "
        "a document that runs it again (an empty action= is the document's own URL)"
    )


def _delivered_by(engine: object) -> tuple[object, AccountStore | None]:
    """The transport that delivers webhooks and the accounts, for a failure's hint (verbs
    see the engine through ``Services``, which has neither)."""
    return getattr(engine, "transport", None), getattr(engine, "store", None)


def _writer(call: SimCall, url: str) -> tuple[nodes.Node, str, str] | None:
    """The element of the verb running now (or one nested in it) that gave ``url`` in an
    attribute or as its text (a ``<Redirect>``'s), the value as written, and the URL of
    the document it came from; None when none did. For a dialled leg (a ``<Number url>``'s
    whisper), the verb is the parent's ``<Dial>``. A request for the document's own URL
    that no element wrote is the running verb's: an empty ``<Redirect/>``, a ``<Gather>``
    or ``<Record>`` without ``action``, which request the document again."""
    runs = call.verb_runs or (call.parent.verb_runs if call.parent is not None else [])
    run = next((run for run in reversed(runs) if run.ended is None), None)
    if run is None:
        return None
    base = run.served.url or ""
    pending = [run.verb]
    while pending:
        node = pending.pop(0)
        for value in (*node.attributes.values(), node.text.strip()):
            if value and join_url(base, value) == url:
                return node, value, base
        pending.extend(node.children)
    return (run.verb, "", base) if base and url == base else None


def _asking_node(call: SimCall, url: str) -> tuple[str | None, int | None]:
    """The tag and line of the element that gave ``url`` (see ``_writer``), or Nones."""
    writer = _writer(call, url)
    return (None, None) if writer is None else (writer[0].tag, writer[0].line)
