"""Shared helpers of the engine tests: exact parameter sets and signature checks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from fixtures.twiml_app import Handler, TwimlApp
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.engine.session import SimCall
from twimlsim.engine.wire_order import wire_order
from twimlsim.model.call_token import inbound_call_token

#: Twilio's default hold music (the twimlet a queue or a room without ``waitUrl`` plays)
#: and the classical bucket it plays, track by track, as Twilio publishes them.
HOLD_MUSIC = "http://twimlets.com/holdmusic?Bucket=com.twilio.music.classical"
CLASSICAL = "http://com.twilio.music.classical.s3.amazonaws.com/"
TRACKS = [
    "BusyStrings.mp3",
    "ClockworkWaltz.mp3",
    "MARKOVICHAMP-Borghestral.mp3",
    "Mellotroniac_-_Flight_Of_Young_Hearts_Flute.mp3",
    "ith_brahms-116-4.mp3",
    "ith_chopin-15-2.mp3",
    "oldDog_-_endless_goodbye_%28instr.%29.mp3",
]


def base(
    sim: Simulator,
    call: SimCall,
    status: str,
    *,
    from_: str = CALLER_ID,
    to: str = CALLEE,
) -> dict[str, str]:
    """The standard parameters of every request about ``call``.

    ``Direction`` and ``ParentCallSid`` are worked out from how the leg came to be (a REST
    create, a ``<Dial>``, a caller dialling in), not read back from the record under test.
    """

    def country(number: str) -> str:
        return "US" if number.startswith("+1") else ""

    if call.parent is not None:
        direction = "outbound-dial"
    elif call.options is not None:
        direction = "outbound-api"
    else:
        direction = "inbound"
    # in the order Twilio puts them in (and writes them, for the names of one hash bucket)
    params = {
        "Called": to,
        "ToState": "",
        "CallerCountry": country(from_),
        "Direction": direction,
        "CallerState": "",
        "ToZip": "",
        "CallSid": call.sid,
        "To": to,
        "CallerZip": "",
        "ToCountry": country(to),
        "CalledZip": "",
        "ApiVersion": "2010-04-01",
        "CalledCity": "",
        "CallStatus": status,
        "From": from_,
        "AccountSid": sim.account_sid,
        "CalledCountry": country(to),
        "CallerCity": "",
        "ToCity": "",
        "FromCountry": country(from_),
        "Caller": from_,
        "FromCity": "",
        "CalledState": "",
        "FromZip": "",
        "FromState": "",
    }
    if call.parent is not None:
        params["ParentCallSid"] = call.parent.sid
    return params


def first_voice(
    sim: Simulator, call: SimCall, *, from_: str = CALLEE, to: str = CALLER_ID
) -> dict[str, str]:
    """The parameters of an inbound call's first voice request: the standard ones while
    ringing, and the call's ``CallToken`` (its exact form is pinned in test_inbound.py)."""
    params = base(sim, call, "ringing", from_=from_, to=to)
    params["CallToken"] = inbound_call_token(call.sid, from_, to, call.record.created_at)
    return params


def assert_signed(sim: Simulator) -> None:
    """Every request of the simulation validates with twilio's RequestValidator."""
    validator = RequestValidator(sim.auth_token)
    for request in sim.requests:
        params = {} if request.method == "GET" else request.params
        signature = request.headers["X-Twilio-Signature"]
        assert validator.validate(request.url, params, signature), request


def get_url(url: str, params: dict[str, str], *, order: str = "hash") -> str:
    """The exact URL of a GET webhook to ``url`` carrying ``params``, in the order Twilio
    writes them (``order``: ``hash`` for ``wire_order``, ``name`` for a ``<Dial>`` action's
    sorted names, both pinned name by name in ``test_wire_order.py``; ``given`` for a
    request kept in the order given), as Twilio writes its query (``urlencode``'s text
    keeping ``!$'()*,;:@/?``): a parameter repeated from an earlier request shows."""
    names = {
        "hash": lambda: wire_order(tuple(params))[0],
        "name": lambda: tuple(sorted(params)),
        "given": lambda: tuple(params),
    }[order]()
    query = urlencode([(name, params[name]) for name in names], safe="!$'()*,;:@/?")
    return f"{url}{'&' if '?' in url else '?'}{query}"


def in_wire_order(params: dict[str, str]) -> dict[str, str]:
    """``params`` in the order Twilio writes a TwiML request's or a call callback's
    (``wire_order``, pinned name by name in ``test_wire_order.py``)."""
    return {name: params[name] for name in wire_order(tuple(params))[0]}


def log(call: SimCall) -> list[tuple[str, str, str]]:
    """``(kind, method, url)`` of each request of ``call``."""
    return [(r.kind, r.method, r.url) for r in call.requests]


def response(body: str) -> str:
    """A TwiML document."""
    return f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>'


@contextmanager
def simulator(
    routes: dict[str, str | Handler], *, strict: bool = True, **kwargs: object
) -> Iterator[tuple[Simulator, TwimlApp]]:
    """A started simulator routing APP_URL to a ``TwimlApp`` of ``routes``; owns CALLER_ID."""
    app = TwimlApp(routes)
    with Simulator(strict=strict, **kwargs) as sim:  # type: ignore[arg-type]
        sim.route(APP_URL, app)  # type: ignore[arg-type]
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice", status_callback=f"{APP_URL}/status")
        yield sim, app
    assert_signed(sim)


def place(sim: Simulator, **kwargs: object) -> SimCall:
    """Create an outbound call to CALLEE with the real twilio client."""
    options: dict[str, object] = {"to": CALLEE, "from_": CALLER_ID, "url": f"{APP_URL}/voice"}
    options.update(kwargs)
    sid = sim.client().calls.create(**options).sid
    return sim.calls[sid]


def completed(sim: Simulator, call: SimCall, seconds: int, **extra: str) -> dict[str, str]:
    """The terminal status callback of an answered call whose only subscribed event is
    ``completed`` (so ``SequenceNumber`` is 0), ``seconds`` after the start of time."""
    params = base(sim, call, "completed")
    params.update(
        CallbackSource="call-progress-events",
        SequenceNumber="0",
        Timestamp=f"Thu, 01 Jan 2026 09:{seconds // 60:02d}:{seconds % 60:02d} +0000",
        CallDuration=str(seconds),
        Duration=str(-(-seconds // 60)),
        SipResponseCode="200",
    )
    params.update(extra)
    return params


def dial_recording_url(sim: Simulator, sid: str) -> str:
    """The ``RecordingUrl`` of recording ``sid`` of the simulator's account."""
    return f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Recordings/{sid}"


def dial_recording_status(
    sim: Simulator,
    call: SimCall,
    recording: Any,
    status: str,
    channels: str,
    track: str,
    started: int,
    seconds: int | None = None,
) -> dict[str, str]:
    """The exact parameters of a ``<Dial>`` recording's status callback (``DialVerb``),
    started ``started`` seconds after 09:00, with ``RecordingDuration`` when given."""
    params = {
        "AccountSid": sim.account_sid,
        "CallSid": call.sid,
        "ErrorCode": "0",
        "RecordingChannels": channels,
        "RecordingSid": recording.sid,
        "RecordingSource": "DialVerb",
        "RecordingStartTime": f"Thu, 01 Jan 2026 09:00:{started:02d} +0000",
        "RecordingStatus": status,
        "RecordingTrack": track,
        "RecordingUrl": dial_recording_url(sim, recording.sid),
    }
    if seconds is not None:
        params["RecordingDuration"] = str(seconds)
    return params


def wrapped_bodies(monkeypatch: Any, module: Any) -> list[object]:
    """The bodies ``module``'s ``until_redirected`` is given from now on (the wrapper that
    takes a REST redirect before a call's Url or a leg's bridge), in order."""
    taken: list[object] = []
    wrapper = module.until_redirected

    def counted(body: Any) -> Any:
        taken.append(body)
        return wrapper(body)

    monkeypatch.setattr(module, "until_redirected", counted)
    return taken
