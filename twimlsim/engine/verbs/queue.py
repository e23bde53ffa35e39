"""``<Enqueue>``, ``<Leave>`` and ``<Dial><Queue>``: callers wait in a named queue of the
account until another call takes them (see ``engine/queues.py``).

``<Enqueue>`` (text: the queue's name, created on demand):

- An ``<Enqueue>`` in error, with no queue name (14204, or 14220: a ``workflowSid`` that
  is no SID, and no name) or one over 64 characters (14205), puts the caller in no queue:
  its action is requested with ``QueueResult=error`` and neither ``QueueSid`` nor
  ``QueueTime`` (Twilio's table: "The TwiML contained an error, either in the <Enqueue>
  verb itself or ..."), else the next verb runs.
- A full queue (``maxQueueSize`` when given, else the queue's size limit,
  ``model.queue.DEFAULT_MAX_SIZE``) gives ``QueueResult=queue-full`` at once, without
  ``QueueSid`` and ``QueueTime`` (the call was never enqueued), and Twilio's warning 14207.
- An inbound call still ringing is answered by its ``<Enqueue>``, so its wait requests
  carry ``CallStatus=in-progress`` (fidelity choice: Twilio's TwiML changelog, 2024.03.20,
  says the status sent to a waitUrl is now ``ringing``, without saying when the caller is
  answered).
- Waiting, the caller runs the ``waitUrl`` document (requested with ``QueuePosition``,
  ``QueueSid``, ``QueueTime``, ``AvgQueueTime``, ``CurrentQueueSize``, ``MaxQueueSize``);
  when it runs out of verbs it is requested again. When it cannot be had (the request
  fails, a non-2xx answer, no TwiML), the caller leaves the queue with ``QueueResult=error``
  (Twilio's table: "an error ... in the TwiML retrieved from a waitUrl") and the call goes
  on with the action, or the next verb (fidelity choice: Twilio does not say what the
  caller hears; the call's ``FallbackUrl`` is not tried for wait music). Without
  ``waitUrl`` the caller hears Twilio's default hold music, its classical playlist
  (``http://twimlets.com/holdmusic?Bucket=com.twilio.music.classical``, answered by
  twimlsim itself: ``engine/hosted.py``), requested with GET as the ``<Enqueue>`` page
  says (``waitUrlMethod`` applies to a ``waitUrl`` given); with ``waitUrl=""`` the
  caller waits in silence and nothing is requested (the page: "If you don't wish
  anything to be played ..., set waitUrl to an empty string").
- The caller leaves when taken by a ``<Dial><Queue>`` (``bridged``, reported once the
  bridged conversation ends), on ``<Leave>`` (``leave``), when it hangs up (``hangup``),
  when a REST update redirects it (``redirected``; ``redirected-from-bridged`` once
  taken). With ``action`` the action is requested with ``QueueResult``, ``QueueSid`` and
  ``QueueTime`` (whole seconds queued, rounded down; fidelity choice); without, the next
  verb runs. After a hang-up or a redirect the action is still requested but its TwiML is
  not run (as for ``<Dial>`` and ``<Record>``; fidelity choice). A ``<Hangup>`` in the
  wait document ends the call like a caller hang-up (``QueueResult=hangup``; fidelity
  choice). A caller that hangs up after being bridged reports ``bridged``; one that hangs
  up once taken, while the ``<Queue url>`` document runs before the bridge, reports
  ``bridging-in-process`` (fidelity choice: Twilio's table says only "Twilio has been
  instructed to bridge the enqueued party"; its ``hangup``, "hung up before connecting to
  a dequeued call", could be read to cover it too, and ``bridged`` cannot).
- The wait document may use Play, Say, Pause, Hangup, Redirect, Leave and Gather (Twilio's
  ``<Enqueue>`` page); any other verb (another ``<Enqueue>``, a ``<Dial>``...) is reported
  as an error and skipped. Twilio documents no error code for it (a conference's wait
  document has 13238), so the failure carries none (fidelity choice). A ``<Redirect>``
  in the wait document carries the queue parameters too, where the caller stands then
  (fidelity choice: Twilio lists them for the ``waitUrl`` request only, but its own
  samples redirect a wait document to itself and read ``QueuePosition`` there).
- ``workflowSid`` (TaskRouter) is not simulated: reported, and the caller waits in a queue
  named after the workflow SID (as Flex's queue is: Twilio's TaskRouter TwiML page finds
  it by that ``FriendlyName``), its wait document playing as in any queue, but no worker is
  ever assigned; a ``<Dial><Queue>`` naming that SID may take it (fidelity choice, Twilio
  does not say). One that is not a ``WW`` SID is error 14220 and ignored: the caller joins
  the queue the text names, else none, as an ``<Enqueue>`` in error (above).

``<Leave>`` outside a queue's wait document does nothing (fidelity choice).

``<Dial><Queue>`` takes the caller waiting longest and runs the ``<Queue url>`` document
on that caller's leg (``QueueSid``, ``QueueTime``, ``DequeingCallSid`` added to the
standard parameters) before bridging; that document may use Play, Say, Pause and Redirect
(Twilio's ``<Queue>`` page), another verb is reported without a code and skipped. The
two stay bridged until one hangs up, the Dial's ``timeLimit`` passes (counted from the
bridge), or, with ``hangupOnStar``, the dialling call's far end presses ``*``: the caller
taken then goes on after its ``<Enqueue>`` (``QueueResult=bridged``), as when the
dialling call hangs up. An empty
queue: the Dial waits up to its ``timeout`` (5 to 600 seconds) for a caller, then reports
``DialCallStatus=no-answer`` (fidelity choice). A queue that does not exist:
``DialCallStatus=failed`` at once, and so is a ``<Queue reservationSid>`` without a name
(TaskRouter's form: not simulated, reported without a code; with a name, the
``reservationSid`` is ignored and the named queue is dialled). The action reports
``DialCallStatus``
(``completed`` once a caller was taken), ``DialCallSid`` (the caller), ``DialCallDuration``
(seconds bridged), ``DialBridged``, and, once a caller was taken, ``QueueSid`` and
``QueueTime`` (the caller's wait). The Dial's ``record`` records the dialling call
(``engine/dial_recording.py``): from the bridge with ``record-from-answer``, from the Dial's
start with ``record-from-ringing``, until the Dial ends; the action carries the recording
(fidelity choice: Twilio's ``<Dial>`` page excludes no noun from ``record``).
"""

from __future__ import annotations

from collections.abc import Generator
from contextlib import suppress
from typing import Any

from twimlsim.engine import dial_recording
from twimlsim.engine.caller import FarEndInput
from twimlsim.engine.dialing import cut_short_status, ring_seconds
from twimlsim.engine.events import Dequeued, Dialed, Enqueued, LeftQueue
from twimlsim.engine.flow import Context, End, Goto, Loaded, Outcome
from twimlsim.engine.hosted import DEFAULT_WAIT_URL
from twimlsim.engine.params import (
    dial_action_params,
    dial_queue_params,
    enqueue_action_params,
    queue_url_params,
    queue_wait_params,
)
from twimlsim.engine.process import Interrupt, Listen, Step, Waiting
from twimlsim.engine.queues import Bridge, BridgeOver, Dequeue, Waiter
from twimlsim.engine.recordings import ActiveRecording
from twimlsim.engine.webhooks import call_params
from twimlsim.model.call import CallStatus
from twimlsim.model.queue import Queue
from twimlsim.twiml import nodes
from twimlsim.twiml.validate import QUEUE_NAME_MAX

__all__ = ["dial_queue", "enqueue", "leave", "wait_redirect_params"]

_MICROS = 1_000_000
#: What a queue's wait document may contain (Twilio's ``<Enqueue>`` page).
_WAIT_VERBS = (
    nodes.Play,
    nodes.Say,
    nodes.Pause,
    nodes.Hangup,
    nodes.Redirect,
    nodes.Leave,
    nodes.Gather,
)

#: What a ``<Queue url>`` document may contain (Twilio's ``<Queue>`` page).
_QUEUE_URL_VERBS = (nodes.Play, nodes.Say, nodes.Pause, nodes.Redirect)


#: What twimlsim does when a queue's wait document cannot be had.
_WAIT_FAILED = (
    "twimlsim then took the caller out of the queue with QueueResult=error (Twilio's "
    "<Enqueue> page: an error in the TwiML retrieved from a waitUrl) and went on with the "
    "<Enqueue> action, or the next verb"
)

#: Twilio's warning "Enqueue: The targeted queue reached max queue size".
QUEUE_FULL = 14207


#: What a test of a TaskRouter app meets at its ``<Enqueue workflowSid>``.
TASKROUTER_NOT_SIMULATED = (
    "<Enqueue workflowSid> (TaskRouter) is not simulated by twimlsim yet: twimlsim holds the "
    "caller there as Twilio would, in a queue named after the workflow SID, its waitUrl "
    "(Twilio's hold music by default) playing meanwhile, but no worker is ever assigned, so "
    "only a REST update of the call (the app's own handling of a workflow.timeout event), a "
    "<Leave> in the wait document, a hang-up or the call's time limit ends the wait. twimlsim "
    "answers no TaskRouter API either (taskrouter.twilio.com): test the flow with "
    "strict=False (call.served holds this document, <Task> included), and the app's "
    "TaskRouter callbacks (assignment, events) by requesting them from the test"
)


#: What a test of a TaskRouter app meets at its ``<Dial><Queue reservationSid>``.
RESERVATION_NOT_SIMULATED = (
    "<Dial><Queue reservationSid> (TaskRouter) is not simulated by twimlsim yet: no "
    "reservation's call can be taken, so the <Dial> ends at once with "
    "DialCallStatus=failed, as for a queue that does not exist. Test the flow with "
    "strict=False, or give the <Queue> the name of a queue the caller joined with "
    "<Enqueue>name</Enqueue>"
)


def enqueue(ctx: Context, verb: nodes.Enqueue) -> Generator[Step, Any, Outcome]:
    """Run one ``<Enqueue>``."""
    engine, call = ctx.engine, ctx.call
    name = verb.text.strip()
    if verb.workflow_sid:
        # the caller waits in the workflow's queue, where no worker ever takes it
        ctx.fail_at(verb, None, TASKROUTER_NOT_SIMULATED)
        name = verb.workflow_sid
    elif not name:  # error 14204 (14220: a workflowSid that is no SID) was logged already
        return _in_error(ctx, verb, name)
    if len(name) > QUEUE_NAME_MAX:  # error 14205 was logged already
        return _in_error(ctx, verb, name)
    queues = engine.queues
    queue = queues.create(call.record.account_sid, name, verb.max_queue_size)
    limit = verb.max_queue_size if verb.max_queue_size is not None else queue.max_size
    if queue.size >= limit:
        raise_it = (
            "the <Enqueue>'s maxQueueSize"
            if verb.max_queue_size is not None
            else f"the queue's MaxSize (POST /Queues/{queue.sid}.json)"
        )
        ctx.fail_at(
            verb,
            QUEUE_FULL,
            f"queue {name!r} is full ({queue.size} of {limit} callers): Twilio rejects the "
            f"<Enqueue> (QueueResult=queue-full) and logs this warning; raise {raise_it} "
            f"(up to 5000), or allow code {QUEUE_FULL} in a test of a full queue",
            level="warning",
        )
        return _after(ctx, verb, queue, "queue-full", 0, enqueued=False)
    call.transcript.append(Enqueued(engine.clock.now, name, queue.sid, queue.size + 1))
    bridge = queues.join(queue, call)
    # a cut short wait is handled after the except clauses (process.Interrupt says why)
    cut: Interrupt | None = None
    try:
        if bridge is None:
            waited = yield from _wait(ctx, verb, queue)
            if isinstance(waited, Bridge):
                bridge = waited
                queues.told(call.sid)
            else:
                seconds, taken = queues.leave(call.sid)
                if taken is not None and waited.how in ("leave", "error"):
                    bridge = taken  # taken at this very instant: the bridge wins
                    seconds, waited = taken.queue_seconds, End("end")
                elif waited.how in ("leave", "error"):
                    return _after(ctx, verb, queue, waited.how, seconds)
                if bridge is None:
                    if taken is not None:
                        taken.end_by_caller()
                    if waited.how == "hangup":
                        engine.mark_ended(call, CallStatus.COMPLETED, by="twiml")
                        _notify(ctx, verb, queue, "hangup", seconds)
                    return waited
        call.transcript.append(
            Dequeued(engine.clock.now, name, bridge.agent.sid, bridge.queue_seconds)
        )
        end = yield from _bridged(ctx, bridge)
        if end is not None:
            engine.mark_ended(call, CallStatus.COMPLETED, by="twiml")
            _notify(ctx, verb, queue, "bridged", bridge.queue_seconds)
            return end
    except Interrupt as interrupted:
        cut = interrupted
    except GeneratorExit:  # a REST update redirected the call (engine/control.py)
        pass
    except BaseException:  # out of the app (KeyboardInterrupt): the call ends (abandoned.py)
        if bridge is not None:
            bridge.end_by_caller()  # the agent's Dial goes on at the next run
        raise
    else:
        return _after(ctx, verb, queue, "bridged", bridge.queue_seconds)
    if cut is not None:
        seconds, taken = _quit(ctx, bridge)
        engine.mark_ended(call, CallStatus.COMPLETED, by=cut.reason)
        _notify(ctx, verb, queue, _cut_short_result(bridge or taken), seconds)
        raise cut
    with suppress(ReferenceError):  # or the collector closed it, its simulator gone
        seconds, taken = _quit(ctx, bridge)
        how = "redirected" if bridge is None and taken is None else "redirected-from-bridged"
        _notify(ctx, verb, queue, how, seconds)
    raise GeneratorExit


def _cut_short_result(bridge: Bridge | None) -> str:
    """``QueueResult`` of a caller whose call ended: ``hangup`` in the queue,
    ``bridging-in-process`` once taken but before the bridge (its ``<Queue url>`` document
    running: Twilio's table, "Twilio has been instructed to bridge the enqueued party"),
    ``bridged`` once bridged."""
    if bridge is None:
        return "hangup"
    return "bridging-in-process" if bridge.bridged_at is None else "bridged"


def _quit(ctx: Context, bridge: Bridge | None) -> tuple[int, Bridge | None]:
    """The caller leaves its queue or bridge now; seconds queued and a bridge it ended."""
    if bridge is not None:
        bridge.end_by_caller()
        return bridge.queue_seconds, bridge
    seconds, taken = ctx.engine.queues.leave(ctx.call.sid)
    if taken is not None:
        taken.end_by_caller()
    return seconds, taken


def leave(ctx: Context, verb: nodes.Leave) -> Generator[Step, Any, Outcome]:
    """``<Leave>``: end the wait of a queued caller (its ``<Enqueue>`` goes on)."""
    yield from ()
    if ctx.engine.queues.queued(ctx.call.sid) is None:
        return None
    return End("leave")


def _wait(ctx: Context, verb: nodes.Enqueue, queue: Queue) -> Generator[Step, Any, Bridge | End]:
    """Wait in the queue until taken (the bridge) or the wait document ends the wait. Only
    another call, the app or time ends that wait, so call.run() stops there
    (``SimCall.waiting_for``)."""
    ctx.call.held = (
        Waiting("Enqueue", (), None, details={"workflowSid": verb.workflow_sid})
        if verb.workflow_sid
        else _HELD
    )
    try:
        return (yield from _wait_in_queue(ctx, verb, queue))
    finally:
        ctx.call.held = None


def _wait_in_queue(
    ctx: Context, verb: nodes.Enqueue, queue: Queue
) -> Generator[Step, Any, Bridge | End]:
    if verb.wait_url == "":
        try:
            yield Listen(None)
        except Dequeue as taken:
            return taken.bridge
        raise AssertionError("nothing is delivered to a silent queue wait")  # pragma: no cover
    inner = _wait_documents(ctx, verb, queue)
    value: Any = None
    pending: Interrupt | None = None
    try:
        while True:
            try:
                step = inner.send(value) if pending is None else inner.throw(pending)
            except StopIteration as finished:
                ended: End = finished.value
                return ended
            value = pending = None
            try:
                value = yield step
            except Dequeue as taken:
                return taken.bridge
            except Interrupt as other:
                pending = other
    finally:
        inner.close()


#: A caller waiting in its queue (``SimCall.held``).
_HELD = Waiting("Enqueue", (), None)


def _wait_documents(ctx: Context, verb: nodes.Enqueue, queue: Queue) -> Generator[Step, Any, End]:
    """Request and run the wait document again and again; how the wait ended. Without a
    ``waitUrl`` it is Twilio's default hold music, requested with GET (its ``<Enqueue>``
    page: "GET to Twilio's default classical playlist")."""
    call, interpreter = ctx.call, ctx.interpreter
    if verb.wait_url is None:
        url, method = DEFAULT_WAIT_URL, "GET"
    else:
        url, method = ctx.resolve(verb.wait_url), verb.wait_url_method
    while True:
        params = _where_in(ctx, queue)
        loaded = interpreter.fetch_document(
            call, url, method, kind="wait", then=_WAIT_FAILED, params=params
        )
        if loaded is None:
            return End("stop" if interpreter.loop_bound_met(call) else "error")
        end = yield from _run(ctx, loaded, only=_WAIT_VERBS)
        if end.how != "end":
            return end


def _where_in(ctx: Context, queue: Queue) -> dict[str, str]:
    """The parameters of a request of the call's wait document: the standard ones and
    where the caller stands in ``queue`` now."""
    call, now = ctx.call, ctx.engine.clock.micros
    return queue_wait_params(
        call_params(call.record, call.record.status.value),
        position=queue.position(call.sid),
        queue_sid=queue.sid,
        seconds=(now - queue.joined_at(call.sid)) // _MICROS,
        average=queue.average_wait(now),
        size=queue.size,
        max_size=queue.max_size,
    )


def wait_redirect_params(ctx: Context) -> dict[str, str] | None:
    """The parameters of a ``<Redirect>`` the call runs while it waits in a queue (in its
    wait document): the queue's, as for the ``waitUrl`` itself; None for a call in no
    queue (the standard parameters then)."""
    queue = ctx.engine.queues.queued(ctx.call.sid)
    return None if queue is None else _where_in(ctx, queue)


def _run(
    ctx: Context,
    loaded: Loaded | None,
    *,
    only: tuple[type[nodes.Node], ...],
    where: str = "an <Enqueue>'s waitUrl document",
) -> Generator[Step, Any, End]:
    """Run ``loaded`` and each document control moves to; how they ended. Verbs other than
    ``only`` (what ``where``, the kind of document, may hold) are reported and skipped."""
    while loaded is not None:
        outcome = yield from ctx.interpreter.run_document(ctx.call, loaded, only=only, where=where)
        if isinstance(outcome, End):
            return outcome
        assert isinstance(outcome, Goto)
        loaded = outcome.loaded
    return End("stop")


def _bridged(ctx: Context, bridge: Bridge) -> Generator[Step, Any, End | None]:
    """The taken caller: the ``<Queue url>`` document, then the conversation until the
    other call leaves (None). The document may use Play, Say, Pause and Redirect (Twilio's
    ``<Queue>`` page); any other verb is reported, without a code (Twilio documents none),
    and skipped, as in a wait document."""
    call = ctx.call
    if bridge.over:
        bridge.caller_left = True
        return None
    try:
        if bridge.url is not None:
            params = queue_url_params(
                call_params(call.record, call.record.status.value),
                queue_sid=bridge.queue.sid,
                seconds=bridge.queue_seconds,
                dequeuing_sid=bridge.agent.sid,
            )
            loaded = ctx.interpreter.load(
                call, bridge.url, bridge.method, kind="queue", params=params
            )
            end = yield from _run(
                ctx, loaded, only=_QUEUE_URL_VERBS, where="a <Queue url> document"
            )
            if end.how == "stop":  # the document loop bound ended the call
                bridge.end_by_caller()
                return end
        bridge.start()
        yield Listen(None)
    except BridgeOver:
        return None
    finally:
        bridge.caller_left = True
    raise AssertionError("nothing is delivered to a bridged caller")  # pragma: no cover


def _after(
    ctx: Context,
    verb: nodes.Enqueue,
    queue: Queue,
    result: str,
    seconds: int,
    *,
    enqueued: bool = True,
) -> Outcome:
    """The caller left the queue for ``result``: request the action, or go on."""
    return _left(ctx, verb, queue.name, queue.sid if enqueued else None, result, seconds)


def _in_error(ctx: Context, verb: nodes.Enqueue, name: str) -> Outcome:
    """An ``<Enqueue>`` in error (no queue name, one over 64 characters, a ``workflowSid``
    that is no SID): the caller joins no queue, and the action is requested with
    ``QueueResult=error`` and neither ``QueueSid`` nor ``QueueTime``, as Twilio's table
    says of ``error`` ("The TwiML contained an error, either in the <Enqueue> verb itself
    or ..."); without an action the next verb runs."""
    return _left(ctx, verb, name, None, "error", 0)


def _left(
    ctx: Context, verb: nodes.Enqueue, name: str, queue_sid: str | None, result: str, seconds: int
) -> Outcome:
    """The caller left queue ``name`` (``queue_sid`` None: it was never in it) for
    ``result``: request the action, or go on."""
    ctx.call.transcript.append(LeftQueue(ctx.engine.clock.now, name, result, seconds))
    if verb.action is None:
        return None
    record = ctx.call.record
    params = enqueue_action_params(
        call_params(record, record.status.value),
        result=result,
        queue_sid=queue_sid,
        seconds=seconds,
    )
    return ctx.goto(ctx.resolve(verb.action), verb.method, params, kind="enqueue")


def _notify(ctx: Context, verb: nodes.Enqueue, queue: Queue, result: str, seconds: int) -> None:
    """The caller left the queue and its TwiML is over: report to the action, run nothing."""
    ctx.call.transcript.append(LeftQueue(ctx.engine.clock.now, queue.name, result, seconds))
    if verb.action is None:
        return
    record = ctx.call.record
    params = enqueue_action_params(
        call_params(record, record.status.value),
        result=result,
        queue_sid=queue.sid,
        seconds=seconds,
    )
    ctx.engine.notify(
        ctx.call, ctx.resolve(verb.action), verb.method, params, kind="enqueue", warning_code=11200
    )


def dial_queue(ctx: Context, verb: nodes.Dial, noun: nodes.Queue) -> Generator[Step, Any, Outcome]:
    """``<Dial><Queue>``: take a caller from the queue and bridge it."""
    engine, call = ctx.engine, ctx.call
    name = noun.text.strip()
    if "reservationSid" in noun.attributes and not name:
        ctx.fail_at(noun, None, RESERVATION_NOT_SIMULATED)
    queue = engine.queues.find(call.record.account_sid, name)
    url = ctx.resolve(noun.url) if noun.url else None
    bridge: Bridge | None = None
    waiter: Waiter | None = None
    # a cut short wait is handled after the except clauses (process.Interrupt says why)
    cut: Interrupt | None = None
    closed = False
    recording = (
        dial_recording.start(ctx, verb) if verb.record.startswith("record-from-ringing") else None
    )
    try:
        if queue is not None:
            bridge = engine.queues.dequeue(queue, call, url, noun.method)
            if bridge is None:
                waiter = engine.queues.wait(queue, call, url, noun.method)
                yield Listen(float(ring_seconds(verb.timeout)))
                waiter.gone = True
                bridge = waiter.bridge
        star = Waiting("Dial", ("dtmf",), None)
        while bridge is not None and not bridge.over:
            talking = bridge.bridged_at is not None
            if talking and not call.answered:
                engine.answer(call)  # answerOnBridge
            if talking and recording is None:  # record-from-answer: from the bridge
                recording = dial_recording.start(ctx, verb)
            left = _time_left(engine.clock.micros, bridge, verb.time_limit)
            listening = talking and verb.hangup_on_star
            woke = yield Listen(left, star if listening else None)
            if woke is None and talking:
                bridge.end_by_agent()
            elif isinstance(woke, FarEndInput) and listening and "*" in woke.digits:
                bridge.end_by_agent()  # hangupOnStar: the caller taken goes on
    except Interrupt as interrupted:
        cut = interrupted
    except GeneratorExit:  # a REST update redirected the call (engine/control.py)
        closed = True
    if cut is not None:
        if waiter is not None:
            waiter.gone = True
        if bridge is not None:
            bridge.end_by_agent()
        # completed, or (answerOnBridge, no caller taken) as dialing.cut_short_status says
        engine.mark_ended(call, cut_short_status(call), by=cut.reason)
        request = _dial_action(ctx, verb, name, queue, bridge, recording)
        if request is not None:
            engine.notify(call, *request, kind="dial", warning_code=11200)
        dial_recording.report(ctx, recording)
        raise cut
    if closed:
        if waiter is not None:
            waiter.gone = True
        with suppress(ReferenceError):  # or the collector closed it, its simulator gone
            if bridge is not None:
                bridge.end_by_agent()
            # the Dial's action is requested, its TwiML not run (TwiML changelog, Dial
            # 2021.05.13)
            request = _dial_action(ctx, verb, name, queue, bridge, recording)
            if request is not None:
                engine.notify(call, *request, kind="dial", warning_code=11200)
            dial_recording.report(ctx, recording)
        raise GeneratorExit
    request = _dial_action(ctx, verb, name, queue, bridge, recording)
    outcome = None if request is None else ctx.goto(*request, kind="dial")
    dial_recording.report(ctx, recording)  # after the action, as Twilio sends them
    return outcome


def _time_left(now_us: int, bridge: Bridge, time_limit: int) -> float | None:
    """Seconds left of the Dial's ``timeLimit``, counted from the bridge (None before)."""
    if bridge.bridged_at is None:
        return None
    return max(0.0, time_limit - (now_us - bridge.bridged_at) / _MICROS)


def _dial_action(
    ctx: Context,
    verb: nodes.Dial,
    name: str,
    queue: Queue | None,
    bridge: Bridge | None,
    recording: ActiveRecording | None,
) -> tuple[str, str, dict[str, str]] | None:
    """Close the Dial's recording, note the Dial in the transcript, and give its action
    request (None without an action)."""
    dial_recording.close(ctx, recording)
    status = "completed" if bridge is not None else "no-answer" if queue is not None else "failed"
    bridged = bridge is not None and bridge.bridged_at is not None
    seconds = bridge.seconds if bridge is not None else 0
    child = bridge.caller.sid if bridge is not None else None
    call = ctx.call
    call.transcript.append(Dialed(ctx.engine.clock.now, (name,), status, child, bridged, seconds))
    if verb.action is None:
        return None
    params = dial_action_params(
        call_params(call.record, call.record.status.value),
        status=status,
        child_sid=child,
        seconds=seconds,
        bridged=bridged,
        recording=recording.recording if recording is not None else None,
    )
    if bridge is not None:
        params = dial_queue_params(params, queue_sid=bridge.queue.sid, seconds=bridge.queue_seconds)
    return ctx.resolve(verb.action), verb.method, params
