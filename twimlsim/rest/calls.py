"""The Calls resource: create, fetch, list, update (live-call control) and delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.engine import control
from twimlsim.engine.calls_by_sid import note_unplaced
from twimlsim.errors import TwilioApiError
from twimlsim.model.call import Call, CallStatus, Direction
from twimlsim.model.call_token import read_call_token

from .applications import check_not_foreign
from .date_filters import parse_date_filters
from .limits import check_queue_room
from .paging import list_response, status_filter
from .params import form_value, number_filter, parse_create, parse_update
from .render import found, json_response, no_content
from .serialize import call_json

if TYPE_CHECKING:
    from twimlsim.engine.engine import Engine
    from twimlsim.engine.session import SimCall
    from twimlsim.model.store import Account

    from .app import Context
    from .params import Form

__all__ = [
    "create",
    "created_call",
    "delete",
    "fetch",
    "list_calls",
    "may_call_from",
    "update",
    "warn_of_calls_only_amd",
    "warn_of_unnamed_machine_detection",
]

#: The values of ``MachineDetection`` that detect (Twilio's Call resource page).
MACHINE_DETECTION_MODES = frozenset({"Enable", "DetectMessageEnd"})

#: Twilio's code for an invalid Machine Detection value, here a warning (see
#: ``warn_of_unnamed_machine_detection``).
UNNAMED_MACHINE_DETECTION = 21234

#: Twilio's warning for the ``AsyncAmd*`` parameters of ``POST /Calls`` given to ``POST
#: /Participants`` ("Invalid Answering Machine Detection Parameters").
CALLS_ONLY_AMD = 21263
_CALLS_ONLY_AMD_PARAMS = ("AsyncAmd", "AsyncAmdStatusCallback", "AsyncAmdStatusCallbackMethod")

#: Twilio's message when a call that has ended is updated (reference Part II §8).
NOT_IN_PROGRESS = "Call is not in-progress. Cannot redirect."


def create(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Calls.json``: accept a call; it waits ``queued`` for its slot.

    With test credentials the parameters are checked, the magic numbers answered, and a
    ``queued`` call is returned that is neither placed nor kept (as on Twilio).
    """
    created = created_call(ctx.engine, ctx.account, ctx.form, test_credentials=ctx.test_credentials)
    return json_response(created, 201)


def created_call(
    engine: Engine, account: Account, form: Form, *, test_credentials: bool
) -> dict[str, object]:
    """The JSON of the call a create with ``form`` makes in ``account`` (raises
    ``TwilioApiError`` for a refused one): the ``calls.create`` view's work, shared with
    ``RestApi``'s direct way in."""
    try:
        new = parse_create(
            form,
            may_call_from(account, form),
            test_credentials=test_credentials,
            applications=account.applications,
            may_call_to=account.is_verified if account.trial else None,
        )
    except TwilioApiError as refused:
        application_sid = form_value(form, "ApplicationSid")
        if refused.code == 21218 and application_sid is not None:  # off the placing path
            check_not_foreign(engine.store, account, "ApplicationSid", application_sid)
        raise
    if test_credentials:
        record = Call(
            sid=engine.sids.new("CA"),
            account_sid=account.sid,
            to=new.to,
            from_=new.from_,
            direction=Direction.OUTBOUND_API,
            created_at=engine.clock.now,
        )
        note_unplaced(engine.calls, record.sid, record.to)
        return call_json(record)
    check_queue_room(account, engine)
    call = engine.create_call(account, new)
    warn_of_unnamed_machine_detection(engine, call, form)
    return call_json(call.record)


def warn_of_unnamed_machine_detection(engine: Engine, call: SimCall, form: Form) -> None:
    """A ``MachineDetection`` that is neither ``Enable`` nor ``DetectMessageEnd``
    (``true``, as samples write it) is warning 21234, Twilio's code for an invalid Machine
    Detection value: Twilio placed such a call rather than refusing it, and what it detects
    then is UNCONFIRMED; twimlsim places it without detection and says so, since the app
    then never gets the ``AnsweredBy`` it waits for."""
    value = form_value(form, "MachineDetection")
    if value is None or value in MACHINE_DETECTION_MODES:
        return
    engine.fail(
        call,
        UNNAMED_MACHINE_DETECTION,
        f"MachineDetection {value!r} is not one of Twilio's values (Enable, "
        "DetectMessageEnd): the call was placed without answering machine detection, so "
        "no AnsweredBy reaches the app (what Twilio does with it is not documented); pass "
        "Enable, or DetectMessageEnd to wait for the end of a greeting, or allow code "
        f"{UNNAMED_MACHINE_DETECTION}",
        level="warning",
    )


def warn_of_calls_only_amd(engine: Engine, call: SimCall, form: Form) -> None:
    """The ``AsyncAmd*`` parameters of ``POST /Calls`` given to a participant create are
    Twilio's warning 21263 (its page: do not include them in POST requests to
    /Participants); the participant is still placed, and they are ignored: its detection
    reports to ``AmdStatusCallback``."""
    given = [name for name in _CALLS_ONLY_AMD_PARAMS if form_value(form, name) is not None]
    if not given:
        return
    engine.fail(
        call,
        CALLS_ONLY_AMD,
        f"{', '.join(given)} {'is a parameter' if len(given) == 1 else 'are parameters'} "
        "of POST /Calls, not of POST /Participants: ignored. A participant's answering "
        "machine detection is MachineDetection with AmdStatusCallback and "
        "AmdStatusCallbackMethod; drop the AsyncAmd parameters, or allow code "
        f"{CALLS_ONLY_AMD}",
        level="warning",
    )


def may_call_from(account: Account, form: Form) -> Callable[[str], bool]:
    """Whether a create with ``form`` may call from a number: one the account owns or
    verified, or the caller of the account's inbound call whose ``CallToken`` the form
    passes (Twilio's Call resource: a forwarded call "should bear the same CallerID of the
    original incoming call"). A token twimlsim did not issue, or of a call of another
    account, allows nothing more (what Twilio answers to one is not documented)."""
    token = form_value(form, "CallToken")
    claims = read_call_token(token) if token is not None else None
    original = account.calls.get(claims.call_sid) if claims is not None else None
    if original is None or original.direction is not Direction.INBOUND:
        return account.may_call_from
    caller = original.from_
    return lambda number: number == caller or account.may_call_from(number)


def _call(ctx: Context, args: dict[str, str]) -> Call:
    return found(ctx.account.calls, args["call_sid"], ctx.request.path)


def fetch(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Calls/{Sid}.json``: the call as it is now."""
    return json_response(call_json(_call(ctx, args)), 200)


def list_calls(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Calls.json``: newest first, filtered by To, From, ParentCallSid, Status and
    StartTime/EndTime (``<``, ``>``), paged."""
    query = ctx.request.args
    to = number_filter(query.get("To"))
    from_ = number_filter(query.get("From"))
    parent = query.get("ParentCallSid") or None
    status = status_filter(query, [value.value for value in CallStatus])
    dates = parse_date_filters(query)
    calls = [
        call
        for call in reversed(ctx.account.calls.values())
        if (to is None or call.to == to)
        and (from_ is None or call.from_ == from_)
        and (parent is None or call.parent_call_sid == parent)
        and (status is None or call.status.value == status)
        and all(date_filter.matches(getattr(call, date_filter.field)) for date_filter in dates)
    ]
    return list_response(
        ctx,
        calls,
        "Calls.json",
        key="calls",
        render=call_json,
    )


def update(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Calls/{Sid}.json``: redirect, cancel or hang up a live call.

    ``StatusCallback``/``StatusCallbackMethod`` change only together with ``Url`` or
    ``Twiml``, as Twilio's docs warn; with both ``Url`` and ``Twiml`` the ``Url`` is used
    (warning 32019). An ended call cannot be updated (21220). A redirect is answered with
    the call as it stood when the update was accepted, before the new TwiML runs (a choice:
    Twilio fetches the new Url after it answers, so its answer cannot show what that TwiML
    does; README's Fidelity notes).
    """
    record = _call(ctx, args)
    change = parse_update(ctx.form)
    if record.status.is_terminal:
        raise TwilioApiError(400, 21220, NOT_IN_PROGRESS)
    engine = ctx.engine
    call = engine.calls[record.sid]
    if change.fallback_url is not None:
        record.fallback_url = change.fallback_url
    if change.fallback_method is not None:
        record.fallback_method = change.fallback_method
    if change.time_limit is not None:
        control.set_time_limit(engine, call, change.time_limit)
    if change.status == "canceled":
        control.cancel(engine, call)
    elif change.status == "completed":
        control.hang_up(engine, call)
    elif change.redirects:
        if change.twiml_ignored:
            control.warn_twiml_ignored(engine, call, change.url)
        if change.status_callback is not None:
            record.status_callback.url = change.status_callback
        if change.status_callback_method is not None:
            record.status_callback.method = change.status_callback_method
        # Twilio answers a redirect as it accepts it, before the new TwiML runs (it has
        # yet to fetch the Url), so the answer is the call as it stood then: a
        # <Hangup/> there does not make the answer read "completed".
        record.updated_at = ctx.now
        accepted = json_response(call_json(record), 200)
        control.redirect(
            engine, call, url=change.url, method=change.method or "POST", twiml=change.twiml
        )
        return accepted
    record.updated_at = ctx.now
    return json_response(call_json(record), 200)


#: Twilio's 20009, "Cannot delete this resource before it is complete": its page names a
#: call not yet completed ("verify that the call is not still in-progress").
_NOT_COMPLETE = 20009


def delete(ctx: Context, args: dict[str, str]) -> Response:
    """``DELETE /Calls/{Sid}.json``: forget an ended call (its recordings stay). A call not
    ended yet (queued, ringing, in progress) is 20009, as Twilio's page for that code
    says; its HTTP status, 400, is UNCONFIRMED."""
    record = _call(ctx, args)
    if not record.status.is_terminal:
        raise TwilioApiError(
            400,
            _NOT_COMPLETE,
            f"Cannot delete this resource before it is complete: call {record.sid} is "
            f"{record.status.value}; only a call that has ended can be deleted. End it with "
            "Status=completed first (Status=canceled while it is queued or ringing)",
        )
    ctx.store.remove_call(record)
    return no_content()
