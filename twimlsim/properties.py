"""Properties every voice app should keep, checked on a simulator after its calls ran.

Each check reads what the simulator saw (calls, transcripts, webhook requests, failures) and
raises ``AssertionError`` naming the call, the URL and what went wrong; it passes silently
otherwise. They fit any test, and are made for property-based tests with
``twimlsim.strategies.callers()``, where a caller drawn at random meets the app::

    from twimlsim import properties

    properties.ends_before_time_limit(sim)
    properties.no_webhook_errors(sim)
    properties.no_twiml_problems(sim)
    properties.gathers_have_a_way_out(sim)
    properties.recordings_reported(sim)
    properties.check_all(sim)          # all five

They need no extra package (hypothesis is needed only for the strategies). Run the simulator
with ``strict=False`` when a property test draws callers, so that a problem is kept in
``sim.failures`` for the property to report rather than raised by ``run()``, and so that
script steps a caller never reached (a hang-up before the menu) are not an error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from twimlsim.arguments import describe, raised_text
from twimlsim.engine.events import Gathered, HungUp, Recorded
from twimlsim.engine.interpreter import MAX_DOCUMENTS_PER_CALL, MAX_FETCHES_WITHOUT_TIME

if TYPE_CHECKING:
    from twimlsim.engine.session import SimCall
    from twimlsim.simulator import Simulator

__all__ = [
    "check_all",
    "ends_before_time_limit",
    "gathers_have_a_way_out",
    "no_twiml_problems",
    "no_webhook_errors",
    "recordings_reported",
]

#: Twilio's TwiML error and warning codes: 12xxx (documents), 13xxx (verbs), 14xxx (nouns).
_TWIML_CODES = range(12000, 15000)
#: Codes Twilio logs for what a caller did, not for the document: a recording too short or
#: too long to transcribe (13617), a full queue (14207). They stay in ``sim.failures``.
_CALLER_OUTCOME_CODES = frozenset({13617, 14207})
#: Kinds of request that load a document the caller then hears.
_DOCUMENT_KINDS = frozenset({"voice", "redirect", "gather", "record", "dial", "fallback"})


def ends_before_time_limit(sim: Simulator) -> None:
    """Every call ended on its own: not at its time limit, not stopped by twimlsim's loop
    bounds (documents fetched without time passing, or too many on one call), and not still
    live when the simulation stopped."""
    __tracebackhide__ = True
    _check_simulator(sim, "ends_before_time_limit")
    problems: list[str] = []
    for call in sim.calls.values():
        if not call.ended:
            problems.append(f"{_name(call)} is still {call.status}: call sim.run() first")
            continue
        ended = [event for event in call.transcript if isinstance(event, HungUp)]
        if ended and ended[-1].by == "time-limit":
            limit = call.record.time_limit
            problems.append(
                f"{_name(call)} ran to its time limit of {limit} s; the last document "
                f"was {call.document_url}"
            )
        elif call.fetch_instant[1] > MAX_FETCHES_WITHOUT_TIME:
            problems.append(
                f"{_name(call)} fetched {MAX_FETCHES_WITHOUT_TIME} documents without time "
                f"passing (a <Redirect> loop) and was stopped; the last was {call.document_url}"
            )
        elif call.documents > MAX_DOCUMENTS_PER_CALL:
            problems.append(
                f"{_name(call)} fetched {MAX_DOCUMENTS_PER_CALL} documents and was stopped "
                f"(a loop); most fetched: {_most_fetched(call)}"
            )
    _report("a call did not end on its own", problems)


def no_webhook_errors(sim: Simulator) -> None:
    """Every webhook the app received was answered, with a status below 400."""
    __tracebackhide__ = True
    _check_simulator(sim, "no_webhook_errors")
    problems: list[str] = []
    raised: BaseException | None = None
    for request in sim.requests:
        response = request.response
        if response is None:
            problems.append(
                f"{request.kind} webhook {request.method} {request.url} of call "
                f"{request.call_sid} got no answer"
            )
        elif response.status >= 400:
            error = response.app_error
            body = response.body[:200].decode("utf-8", "replace").strip()
            problems.append(
                f"{request.kind} webhook {request.method} {request.url} of call "
                f"{request.call_sid} answered {response.status}"
                + (f"; it raised {raised_text(error)}" if error is not None else "")
                + (f": {body!r}" if body and error is None else "")
            )
            raised = raised or error
    # the first exception the app raised is the cause, so that pytest prints its traceback,
    # as a strict simulator's failure does: its body alone is an error page
    _report("a webhook failed", problems, cause=raised)


def no_twiml_problems(sim: Simulator) -> None:
    """No document the app returned had a TwiML problem (Twilio's 12xxx-14xxx codes).

    What a caller brought about is not the document's problem: a recording too brief or too
    long to transcribe (13617) and a full queue (14207) are left out."""
    __tracebackhide__ = True
    _check_simulator(sim, "no_twiml_problems")
    problems = [
        str(failure)
        for failure in sim.failures
        if failure.code not in _CALLER_OUTCOME_CODES
        and (
            failure.element is not None
            or (failure.code is not None and failure.code in _TWIML_CODES)
        )
    ]
    _report("the app returned TwiML with problems", problems)


def gathers_have_a_way_out(sim: Simulator, *, max_timeouts: int = 5) -> None:
    """No call heard a ``<Gather>`` time out more than ``max_timeouts`` times: a caller who
    stays silent (or keeps pressing wrong keys) must be led somewhere else, not around the
    same menu until the call's time limit."""
    __tracebackhide__ = True
    _check_simulator(sim, "gathers_have_a_way_out")
    if type(max_timeouts) is not int or max_timeouts < 0:  # bool is not a count either
        raise TypeError(
            "properties.gathers_have_a_way_out(max_timeouts=...) takes how many <Gather> "
            f"timeouts a call may hear, a whole number such as 5 (0 for none); got "
            f"{describe(max_timeouts)}"
        )
    problems: list[str] = []
    for call in sim.calls.values():
        timeouts = sum(
            1 for event in call.transcript if isinstance(event, Gathered) and event.timed_out
        )
        if timeouts > max_timeouts:
            problems.append(
                f"{_name(call)}: a <Gather> timed out {timeouts} times (more than "
                f"{max_timeouts}); most fetched: {_most_fetched(call)}"
            )
    _report("a <Gather> has no way out", problems)


def recordings_reported(sim: Simulator) -> None:
    """Every recording a call made reached the app: its RecordingSid was sent in at least
    one request (the ``<Record>`` action or a recording status callback)."""
    __tracebackhide__ = True
    _check_simulator(sim, "recordings_reported")
    told = {request.params.get("RecordingSid") for request in sim.requests}
    problems: list[str] = []
    for call in sim.calls.values():
        for event in call.transcript:
            if isinstance(event, Recorded) and event.recording_sid not in told:
                advice = (
                    _REDIRECTED_ADVICE
                    if event.ended_by == "redirect"
                    else "give the <Record> an action that is requested, or a "
                    "recordingStatusCallback"
                )
                problems.append(
                    f"{_name(call)}: recording {event.recording_sid} ({event.seconds} s, ended "
                    f"by {event.ended_by}) was never reported to the app; {advice}"
                )
    _report("a recording was never reported", problems)


#: The advice for a recording a REST update cut short, whose action is never requested.
_REDIRECTED_ADVICE = (
    "a REST update redirected the call while it recorded, so the <Record>'s action was not "
    "requested: give the <Record> a recordingStatusCallback"
)


def check_all(sim: Simulator) -> None:
    """Every property of this module, in turn."""
    __tracebackhide__ = True
    _check_simulator(sim, "check_all")
    ends_before_time_limit(sim)
    no_webhook_errors(sim)
    no_twiml_problems(sim)
    gathers_have_a_way_out(sim)
    recordings_reported(sim)


def _check_simulator(sim: object, check: str) -> None:
    """A ``TypeError`` saying what to pass when ``sim`` is not a simulator (a call, a
    dict of calls): the checks read its calls, requests and failures."""
    if all(hasattr(sim, name) for name in ("calls", "requests", "failures")):
        return
    kind = type(sim).__name__
    one = " (one call)" if kind == "SimCall" else ""
    raise TypeError(
        f"properties.{check}() checks every call of a simulator, so it takes the Simulator "
        f"they ran in (sim), got a {kind}{one}; pass sim itself, after sim.run()"
    )


def _name(call: SimCall) -> str:
    return f"call {call.sid} ({call.record.from_} -> {call.record.to})"


def _most_fetched(call: SimCall) -> str:
    paths = Counter(
        urlsplit(request.url).path for request in call.requests if request.kind in _DOCUMENT_KINDS
    )
    if not paths:
        return "(no document)"
    path, count = paths.most_common(1)[0]
    return f"{path} ({count} times)"


def _report(what: str, problems: Iterable[str], cause: BaseException | None = None) -> None:
    __tracebackhide__ = True
    found = list(problems)
    if found:
        raise AssertionError(what + ":\n  " + "\n  ".join(found)) from cause
