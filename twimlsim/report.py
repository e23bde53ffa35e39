"""Plain-text reports of simulated calls: the transcript and the webhooks, for people."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .arguments import check_flag, describe
from .engine import events
from .engine.session import SimCall
from .engine.webhooks import WebhookRequest
from .model.api_log import ApiRequest

if TYPE_CHECKING:
    from .engine.conferences import SimConference
    from .simulator import Simulator

#: How many calls of one simulator a failing test's report shows (a load test may place
#: thousands).
SHOWN_CALLS = 20
#: How many transcript events, webhooks and REST requests of one call it shows (a call
#: that loops through a thousand documents would print thousands of lines).
SHOWN_ENTRIES = 60

__all__ = [
    "about_no_call",
    "app_clock_note",
    "format_api_request",
    "format_call",
    "format_calls",
    "format_conference",
    "format_simulator",
    "ignored_input",
    "rest_requests_about_no_call",
    "rooms_with_callbacks",
    "transcript_line",
]


def _describe(event: events.Event) -> str:
    match event:
        case events.Answered():
            return "answered"
        case events.Said(text=text, loop=loop, interrupted=interrupted):
            looped = f" x{loop}" if loop != 1 else ""
            return f"said {text!r}{looped}" + _CUT_OFF[interrupted]
        case events.Paused(seconds=seconds, interrupted=interrupted):
            return f"paused {seconds}s" + _CUT_OFF[interrupted]
        case events.Redirected(url=url, method=method):
            return f"redirected to {method} {url}"
        case events.WebhookFailed(url=url, code=code, message=message):
            return f"webhook failed ({code}) {url}: {message}"
        case events.HungUp(by=by, status=status):
            return f"hung up by {by}: {status}"
        case events.StreamConnected(url=url, name=name, parameters=parameters):
            named = f" ({name})" if name else ""
            given = "".join(f", {key}={value!r}" for key, value in parameters)
            return f"connected to the stream {url}{named}{given}"
        case events.StreamClosed(seconds=seconds):
            return f"stream closed by the app's server after {seconds}s"
        case events.StreamStarted(url=url, name=name, track=track, parameters=parameters):
            named = f" ({name})" if name else ""
            given = "".join(f", {key}={value!r}" for key, value in parameters)
            return f"started streaming {track} to {url}{named}{given}"
        case events.StreamStopped(url=url, name=name, seconds=seconds):
            named = f" ({name})" if name else ""
            return f"stopped streaming to {url}{named} after {seconds}s"
        case events.PaymentInput(for_=step, attempt=attempt, entered=entered, error=error):
            got = repr(entered) if entered else "nothing"
            return f"pay {step} (attempt {attempt}): {got}" + (f", {error}" if error else "")
        case events.PaymentEnded(payment_method=method, result=result):
            return f"pay ended ({method}): {result}"
        case events.Gathered(ignored_digits=keys, ignored_speech=words) if (
            keys or words is not None
        ):
            return f"{_fields(event, hidden=_IGNORED)}; {ignored_input(event)}"
    return _fields(event, hidden=_IGNORED if isinstance(event, events.Gathered) else ())


#: What a transcript line adds to a prompt or pause the far end did not hear to its end
#: (a barge-in, a hang-up, a REST update cut it), as ``SaidText``'s repr does.
_CUT_OFF = {False: "", True: " (cut off)"}

#: The fields of ``Gathered`` a transcript line shows only when they say something.
_IGNORED = ("ignored_digits", "ignored_speech")


def _fields(event: events.Event, hidden: tuple[str, ...]) -> str:
    """Any event as its name and the fields it carries (but ``at`` and ``hidden``)."""
    details = ", ".join(
        f"{field.name}={getattr(event, field.name)!r}"
        for field in dataclasses.fields(event)
        if field.name != "at" and field.name not in hidden
    )
    return f"{_words(type(event).__name__)} {details}".rstrip()


#: Where a word starts inside an event class's CamelCase name.
_WORD_START = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _words(class_name: str) -> str:
    """An event class's name as the words a transcript prints: ``JoinedConference`` as
    ``joined conference``."""
    return _WORD_START.sub(" ", class_name).lower()


def ignored_input(event: events.Gathered) -> str:
    """What a ``Gathered`` event's ignored input was, in words: ``"ignored the speech
    'sales': this Gather takes keys only (input="dtmf"), as on Twilio"``; empty when none."""
    if event.ignored_speech is not None:
        return (
            f"ignored the speech {event.ignored_speech!r}: this Gather takes keys only "
            '(input="dtmf"), as on Twilio'
        )
    if event.ignored_digits:
        return (
            f"ignored the keys {event.ignored_digits!r}: this Gather takes speech only "
            '(input="speech"), as on Twilio'
        )
    return ""


def app_clock_note(sim: Simulator) -> str:
    """A first paragraph for a failing test whose simulator was given its start and never
    froze the app's clock: code the test called read the wall clock, not that start; or
    whose app's clock was the test's own, set after the simulator was made (a
    ``@freeze_time`` decorator with the fixture), which virtual time never moved."""
    won_at = sim._test_clock_won_at
    if won_at is not None:
        return (
            "The app's clock was the test's own: a clock the test set after this simulator "
            "was made (freezegun's freeze_time, such as a @freeze_time decorator with the "
            "twimlsim fixture, pytest-freezer's freezer, time-machine's travel) was in force "
            f"when calls ran, at {won_at:%Y-%m-%d %H:%M:%S} UTC, so the app read that time "
            f"while virtual time ran on (now {sim.now:%Y-%m-%d %H:%M:%S} UTC): sim.advance() "
            "and the calls moved no clock the app reads. Give that time as the simulation's "
            f'start, @pytest.mark.twimlsim(start="{won_at:%Y-%m-%dT%H:%M:%S}") '
            "(Simulator(start=...)), and leave freezing to twimlsim; or set the test's clock "
            "before the simulator is made (a fixture listed before twimlsim), which the "
            "simulation then starts from and the app's clock follows.\n\n"
        )
    if not sim._start_given or sim._freeze is None or sim._calls_ran:
        return ""
    start = sim._world.start.astimezone(UTC)
    return (
        f"The app's clock never read the simulation's time: the start given, "
        f"{start:%Y-%m-%d %H:%M} UTC, is what the app's datetime.now() reads from the first "
        "sim.run() (or sim.advance(), call.run()) on, and none ran. Code the test calls "
        "before its calls run (a job that picks the appointments due, a check of business "
        "hours) reads the wall clock until then: call sim.run() first, which freezes the "
        "app's clock at the start.\n\n"
    )


def transcript_line(event: events.Event, who: str = "") -> str:
    """One transcript event as ``format_call`` prints it: ``  09:00:03  said 'Hi'``
    (``who``, such as ``"[+15551230000] "``, goes before what happened)."""
    return f"  {event.at:%H:%M:%S}  {who}{_describe(event)}"


#: Parameters every request about a call carries; the report shows only the others.
_COMMON = frozenset(
    {"AccountSid", "ApiVersion", "CallSid", "Called", "Caller", "Direction", "From", "To"}
    | {
        f"{side}{part}"
        for side in ("From", "To", "Called", "Caller")
        for part in ("City", "State", "Zip", "Country")
    }
)


def _check_options(where: str, params: object, max_entries: object) -> None:
    """A ``TypeError`` for options a report cannot honour (``params='no'`` is true)."""
    check_flag(where, "params", params)
    if max_entries is not None and (
        isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1
    ):
        raise TypeError(
            f"{where}: max_entries must be a whole number of entries, 1 or more (or None for "
            f"all); got {describe(max_entries)}"
        )


def _given(value: object) -> str:
    """``value`` named for a refusal: ``a SimCall``, or its repr and type."""
    if isinstance(value, SimCall):
        return "a SimCall"
    return describe(value)


def format_call(call: SimCall, *, params: bool = True, max_entries: int | None = None) -> str:
    """A readable account of one call, as ``twimlsim call`` prints it: a header line (SID,
    direction, numbers, final status and duration), what the far end heard (``Transcript``),
    every webhook with the parameters that are particular to it (the identity and geo ones
    are left out; ``params=False`` leaves them all out), then the app's REST requests about
    the call, if any. With ``max_entries``, a part longer than that (a call that looped
    through a thousand documents) shows its first and last entries and counts the rest."""
    if not isinstance(call, SimCall):
        raise TypeError(f"format_call() takes a call (sim.calls[sid]); got {describe(call)}")
    _check_options("format_call()", params, max_entries)
    record = call.record
    lines = [
        f"Call {call.sid} {record.direction.value} {record.from_} -> {record.to}: "
        f"{call.status}" + (f", {call.duration}s" if call.duration is not None else ""),
        "",
        "Transcript:",
    ]
    lines += _elided(
        [[f"  {event.at:%H:%M:%S}  {_describe(event)}"] for event in call.transcript],
        max_entries,
        "events",
    )
    lines += ["", f"Webhooks ({len(call.requests)}):"]
    lines += _elided(_webhooks(call.requests, params), max_entries, "webhooks")
    if call.api_requests:
        lines += ["", f"REST requests ({len(call.api_requests)}):"]
        lines += _elided(
            [
                format_api_request(
                    api_request, params=params, hints=_hints_about(call, api_request)
                )
                for api_request in call.api_requests
            ],
            max_entries,
            "REST requests",
        )
    return "\n".join(lines)


#: The account a REST path names (``/2010-04-01/Accounts/AC.../Calls/CA...json``).
_PATH_ACCOUNT = re.compile(r"/Accounts/([^/]+)/")


def _hints_about(call: SimCall, request: ApiRequest) -> Mapping[int, str] | None:
    """The refusal hints for ``request`` about ``call``: with a 20404 for a call of
    another account than the one the path names, whose credentials the app presented."""
    if request.status != 404:
        return None
    found = _PATH_ACCOUNT.search(urlsplit(request.url).path)
    owner = call.record.account_sid
    if found is None or found.group(1) == owner:
        return None
    named = found.group(1)
    return {
        **_REFUSAL_HINTS,
        20404: f"call {call.sid} is of account {owner}, not of {named}, the account this "
        "request's path names: as on Twilio, an account reaches only its own calls; the "
        "client that sent it was made with the credentials of another account than the "
        "call's (under pytest --twimlsim an account opened from them, when they are the "
        "suite's own: a call the test placed with sim.incoming_call or sim.client() is the "
        "simulator's account's); give the app sim.account_sid and sim.auth_token, or "
        "sim.client(), where it makes its client",
    }


def _webhooks(
    requests: Iterable[WebhookRequest], params: bool, common: frozenset[str] = _COMMON
) -> list[list[str]]:
    """The lines of each webhook request: time, kind, method, URL, the app's status, then
    (with ``params``) the parameters particular to it (all but ``common``)."""
    webhooks: list[list[str]] = []
    for request in requests:
        status = request.response.status if request.response is not None else "no answer"
        entry = [
            f"  {request.at:%H:%M:%S}  {request.kind:<9} {request.method} {request.url} -> {status}"
        ]
        if params:
            entry += _params(request.params.items(), common)
        webhooks.append(entry)
    return webhooks


def format_conference(
    room: SimConference, *, params: bool = True, max_entries: int | None = None
) -> str:
    """A conference room's status callbacks (its ``statusCallback`` events, sent about
    the room rather than one call), as ``twimlsim call`` prints them after the calls
    (``max_entries`` as for ``format_call``)."""
    _check_options("format_conference()", params, max_entries)
    lines = [
        f"Conference {room.friendly_name!r} {room.sid}: {room.status}",
        "",
        f"Webhooks ({len(room.requests)}):",
    ]
    lines += _elided(_webhooks(room.requests, params, _ROOM_COMMON), max_entries, "webhooks")
    return "\n".join(lines)


#: Parameters every callback of a room carries that its header line already gives (a
#: participant event's ``CallSid`` is shown: it tells whose event it is).
_ROOM_COMMON = frozenset({"AccountSid", "ConferenceSid", "FriendlyName"})


def rooms_with_callbacks(rooms: Iterable[SimConference]) -> list[SimConference]:
    """The rooms that sent status callbacks, which no call's webhooks list (a room
    without any has nothing to show that its calls' transcripts do not)."""
    return [room for room in rooms if room.requests]


def _elided(entries: list[list[str]], max_entries: int | None, what: str) -> list[str]:
    """The lines of ``entries``; beyond ``max_entries``, the first ones and the last five,
    with a line counting those left out between them."""
    cut = _head_and_tail(len(entries), max_entries)
    if cut is None:
        return [line for entry in entries for line in entry]
    head, tail = cut
    left_out = len(entries) - head - tail
    kept = entries[:head] + [[f"  ... {left_out} more {what} ..."]] + entries[len(entries) - tail :]
    return [line for entry in kept for line in entry]


def _head_and_tail(count: int, max_entries: int | None) -> tuple[int, int] | None:
    """How many of ``count`` entries ``_elided`` shows first and last, or None: all."""
    if max_entries is None or count <= max_entries:
        return None
    tail = min(5, max_entries // 2)
    return max_entries - tail, tail


def format_api_request(
    request: ApiRequest, *, params: bool = True, hints: Mapping[int, str] | None = None
) -> list[str]:
    """The lines of one request the app made to the REST API: time, endpoint, path, the
    API's status, then every parameter sent; for a refused request, Twilio's error code and
    message, and what the test may be missing (``hints``: other advice by code, with
    ``{From}``, ``{To}`` and ``{Url}`` filled in)."""
    path = urlsplit(request.url).path
    lines = [f"  {request.at:%H:%M:%S}  {request.kind} {request.method} {path} -> {request.status}"]
    if params and request.pairs:
        lines.append(f"      {', '.join(f'{name}={value}' for name, value in request.pairs)}")
    if request.status >= 400:
        lines.append(f"      {_refusal(request, _REFUSAL_HINTS if hints is None else hints)}")
    return lines


#: The advice on a 20003 (the ``twimlsim call`` report replaces it with its own).
CREDENTIALS_HINT = (
    "the credentials are not the simulator's: use sim.client(), or "
    "Client(sim.account_sid, sim.auth_token); a client made before the test gave the app "
    "those (at import, in an app factory that made it from its config, or in an ASGI app's "
    "lifespan, which starts when it is routed) keeps the ones it was made with, and so do "
    "settings read once and cached (FastAPI's @lru_cache get_settings(): call "
    "get_settings.cache_clear() after setting the environment, or override the "
    "dependency); accept them with @pytest.mark.twimlsim(accept_any_credentials=True), "
    "the ini option twimlsim_accept_any_credentials = true, or pytest --twimlsim"
)

#: What a test usually lacks when the API refuses a request with this code.
_REFUSAL_HINTS = {
    20003: CREDENTIALS_HINT,
    21210: "give the account the From number: sim.number({From!r}), or "
    "sim.verified_caller_id({From!r}); a client on the test credentials "
    "(sim.test_auth_token) calls only from Twilio's magic +15005550006",
    21606: "give the account the From number: sim.number({From!r}); a client on the test "
    "credentials (sim.test_auth_token) texts only from Twilio's magic +15005550006",
    21205: "Twilio takes absolute http(s) URLs only: write the base URL the app is routed "
    "under (sim.route) before {Url!r}",
    21219: "a trial account calls only verified numbers: sim.verified_caller_id({To!r})",
    21608: "a trial account texts only verified numbers: sim.verified_caller_id({To!r})",
}


#: Advice on a refusal that holds wherever the app runs (in a test, against serve): added
#: to either set of hints above. A call's busy or no-answer end is written as an event by
#: many dialler samples (``statusCallbackEvent: ['completed', 'busy', 'no-answer']``).
_ADVICE_EVERYWHERE = {
    21626: "a call's events are initiated, ringing, answered and completed, each its own "
    "StatusCallbackEvent parameter (as the helper libraries send a list) or separated by "
    "spaces; a call that ends busy, no-answer, canceled or failed sends its completed "
    "event, with that CallStatus",
}


#: The account twilio-python writes into the path of a client made without credentials.
_NO_ACCOUNT = "/Accounts/None/"
_NO_CREDENTIALS = (
    "the client that sent it had no credentials: its path names the account None, as "
    "twilio-python's Client() writes it when made without any while TWILIO_ACCOUNT_SID and "
    "TWILIO_AUTH_TOKEN are unset (a client made at the app's import, before the test set "
    "them); set both to the simulator's account SID and auth token before the client is "
    "made, or pass them to Client(account_sid, auth_token)"
)

#: The parameter a refusal is about, where the code says (a '+' turned into a space in the
#: other number is named as a second problem).
_PARAMETER_OF_CODE = {21201: "To", 21211: "To", 21210: "From", 21212: "From", 21213: "From"}
#: The request parameters a hint may name.
_HINT_KEYS = ("From", "To", "Url")

#: Refusals of a required parameter missing: a POST that carried none was likely sent in
#: an encoding Twilio does not read.
_NOTHING_READ_CODES = frozenset({20001, 21201, 21205, 21213, 21603, 21604})


def _refusal(request: ApiRequest, hints: Mapping[int, str]) -> str:
    """``Twilio error CODE: message`` of a refused request's JSON body, with a hint."""
    try:
        answer = json.loads(request.body)
        code, message = int(answer["code"]), str(answer["message"])
    except (ValueError, KeyError, TypeError):
        return f"refused: {request.body[:200]!r}"
    sent = request.params
    if request.method == "POST" and not request.pairs and code in _NOTHING_READ_CODES:
        return (
            f"Twilio error {code}: {message} (the request carried no form parameters: "
            "Twilio reads a POST's parameters from a form-encoded body, Content-Type "
            "application/x-www-form-urlencoded; a JSON body is not read)"
        )
    spaced = next((name for name in ("To", "From") if sent.get(name, "")[:1] == " "), None)
    space_note = (
        f"{spaced} starts with a space: a '+' sent unencoded in a form body reads as one; "
        "send it as %2B, as curl --data-urlencode and every HTTP client's form encoding do"
    )
    concerned = _PARAMETER_OF_CODE.get(code)
    hint = hints.get(code, _ADVICE_EVERYWHERE.get(code))
    if spaced is not None and (concerned == spaced or (concerned is None and hint is None)):
        # "+1555..." sent as is in a form body: the + decodes to a space. A refusal with
        # advice of its own (20003: the credentials) is not the space's doing: both are named
        return f"Twilio error {code}: {message} ({space_note})"
    if code == 20003 and _NO_ACCOUNT in urlsplit(request.url).path:
        return f"Twilio error {code}: {message} ({_NO_CREDENTIALS})"
    if code == 21205 and not sent.get("Url", "").startswith("/"):
        hint = None  # the hint is for a relative Url only
    notes = [] if hint is None else [hint.format(**{k: sent.get(k, "") for k in _HINT_KEYS})]
    if spaced is not None:  # the error is about the other number: both problems are named
        notes.append(f"also, {space_note}")
    return f"Twilio error {code}: {message}" + (f" ({'; '.join(notes)})" if notes else "")


def format_calls(
    calls: Iterable[SimCall], *, params: bool = True, max_entries: int | None = None
) -> str:
    """``format_call`` of each call, a blank line between them."""
    _check_options("format_calls()", params, max_entries)
    return "\n\n".join(format_call(call, params=params, max_entries=max_entries) for call in calls)


def _params(items: Iterable[tuple[str, str]], common: frozenset[str] = _COMMON) -> list[str]:
    shown = [f"{name}={value}" for name, value in items if name not in common]
    return [f"      {', '.join(shown)}"] if shown else []


def format_simulator(
    sim: Simulator,
    *,
    params: bool = True,
    limit: int | None = None,
    max_entries: int | None = None,
) -> str:
    """Every call of ``sim`` (``format_calls``; only the first ``limit`` when given, each
    part of a call cut to ``max_entries``), then each conference room's status callbacks
    (``format_conference``, rooms that sent any; the first ``limit`` too), then the
    webhooks of no call (a caller ID verification's status callback), then the app's REST
    requests that concern none of them (lists, other resources, calls that do not exist)."""
    given: object = sim
    if not isinstance(getattr(given, "calls", None), Mapping):
        also = ": format_call(call) formats one call" if isinstance(given, SimCall) else ""
        raise TypeError(f"format_simulator() takes the Simulator; got {_given(given)}{also}")
    calls = sim.calls
    _check_options("format_simulator()", params, max_entries)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise TypeError(
            "format_simulator(): limit must be a whole number of calls, 0 or more (or None "
            f"for all); got {describe(limit)}"
        )
    shown = list(calls.values())[:limit] if limit is not None else list(calls.values())
    parts = [format_calls(shown, params=params, max_entries=max_entries)] if shown else []
    if len(shown) < len(calls):
        parts.append(f"... and {len(calls) - len(shown)} more calls (--twimlsim-report shows all)")
    rooms = rooms_with_callbacks(sim.conferences.values())
    parts += [
        format_conference(room, params=params, max_entries=max_entries) for room in rooms[:limit]
    ]
    if limit is not None and len(rooms) > limit:
        more = len(rooms) - limit
        parts.append(
            f"... and {more} more conference room{'s' if more > 1 else ''} "
            "(--twimlsim-report shows all)"
        )
    parts += about_no_call(sim, params=params, max_entries=max_entries)
    return "\n\n".join(parts)


def about_no_call(
    sim: Simulator, *, params: bool = True, max_entries: int | None = None
) -> list[str]:
    """The parts of ``format_simulator`` after the calls and rooms: the webhooks of no call
    (a caller ID verification's status callback), then the app's REST requests that
    concern no call of ``sim`` (lists, other resources, a create Twilio refused); empty
    when there are none. ``twimlsim call`` prints them too: a webhook's refused
    ``calls.create`` (a 21210, a 401) is otherwise in no call's report."""
    parts = []
    verifications = [r for r in sim.requests if r.kind == "verification"]
    if verifications:  # a caller ID's verification: Twilio's call, none of the app's
        lines = [f"Webhooks about no call ({len(verifications)}):"]
        lines += _elided(_webhooks(verifications, params), max_entries, "webhooks")
        parts.append("\n".join(lines))
    others = rest_requests_about_no_call(sim)
    if others:
        lines = [f"REST requests about no call ({len(others)}):"]
        entries = [format_api_request(request, params=params) for request in others]
        if max_entries is not None:  # a report to read: each advice once
            cut = _head_and_tail(len(entries), max_entries)
            shown = range(len(entries)) if cut is None else [*range(cut[0]), *range(-cut[1], 0)]
            _advised_once([(others[i], entries[i]) for i in shown])
        lines += _elided(entries, max_entries, "REST requests")
        parts.append("\n".join(lines))
    return parts


def _advised_once(shown: list[tuple[ApiRequest, list[str]]]) -> None:
    """Shorten in place the advice of each refusal ``shown`` (a request and its lines, as
    the report shows them, none of those it leaves out) that an earlier one gave word for
    word: a campaign whose every create was refused (a 20003 for credentials made before
    the test) repeated it a hundred times."""
    seen: set[str] = set()
    for request, entry in shown:
        if request.status < 400:
            continue
        refusal = entry[-1]
        error = _error_of(request)
        if refusal in seen and error and refusal.startswith(f"      {error} ("):
            entry[-1] = f"      {error} (the same advice as above)"
        seen.add(refusal)


def _error_of(request: ApiRequest) -> str:
    """``Twilio error CODE: message`` of a refused request's JSON body, or ``""``."""
    try:
        answer = json.loads(request.body)
        return f"Twilio error {int(answer['code'])}: {answer['message']}"
    except (ValueError, KeyError, TypeError):
        return ""


def rest_requests_about_no_call(sim: Simulator) -> list[ApiRequest]:
    """The app's REST requests that concern no call of ``sim`` (lists, other resources, a
    create Twilio refused, a request about a call it no longer keeps), in order."""
    calls = sim.calls
    return [r for r in sim.api_requests if r.call_sid is None or r.call_sid not in calls]
