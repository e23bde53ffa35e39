"""Inbound calls: the number's voice URL, ``CallStatus=ringing``, answered by the TwiML,
number-level status callbacks."""

from __future__ import annotations

import base64
import json
from urllib.parse import unquote

import pytest

from tests.engine.helpers import base, first_voice, response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import ConfigurationError


def test_inbound_call_requests_the_voice_url_while_ringing() -> None:
    with simulator({"/voice": response("<Say>Hello caller</Say>")}) as (sim, _):
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    assert call.record.direction.value == "inbound"
    voice, status = call.requests
    assert (voice.kind, voice.url) == ("voice", f"{APP_URL}/voice")
    assert voice.params == first_voice(sim, call)
    expected = base(sim, call, "completed", from_=CALLEE, to=CALLER_ID)
    expected.update(
        CallbackSource="call-progress-events",
        SequenceNumber="0",
        Timestamp="Thu, 01 Jan 2026 09:00:01 +0000",
        CallDuration="1",
        Duration="1",
    )  # no SipResponseCode: captured completed callbacks of inbound calls have none
    assert (status.kind, status.url, status.params) == ("status", f"{APP_URL}/status", expected)
    assert call.said == ["Hello caller"]


def test_pause_first_delays_the_answer() -> None:
    with simulator({"/voice": response('<Pause length="4"/><Say>Hi</Say>')}) as (sim, _):
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    assert call.answered_at == sim.clock.at(4_000_000)
    assert call.duration == 1


@pytest.mark.parametrize("first", ['<Pause length="2"/>', "<Say></Say>", "<Say> </Say>"])
def test_a_call_held_ringing_stays_ringing_through_a_redirect(first: str) -> None:
    """Twilio's TwiML changelog (2024.03.20): "Call status for an inbound call with an
    empty <Say> verb will have the same behavior as the <Pause> verb, and the call status
    sent to any following TwiML documents will be ringing and not in-progress; the overall
    call status will be determined by the subsequent TwiML verb"."""
    routes = {
        "/voice": response(f"{first}<Redirect>/next</Redirect>"),
        "/next": response("<Say>Hi</Say>"),
    }
    with simulator(routes, allow_codes={13520}) as (sim, _):
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    paused = "Pause" in first
    held = 2_000_000 if paused else 1_000_000  # an empty <Say> takes a second
    assert [(r.url, r.params["CallStatus"]) for r in call.requests[:2]] == [
        (f"{APP_URL}/voice", "ringing"),
        (f"{APP_URL}/next", "ringing"),
    ]
    assert (call.answered_at, call.status, call.duration, call.said) == (
        sim.clock.at(held),
        "completed",
        1,
        ["Hi"] if paused else ["", "Hi"],
    )


def test_a_call_held_ringing_is_answered_after_its_time_limit_in_all() -> None:
    routes = {"/voice": response('<Pause length="5000"/><Redirect>/voice</Redirect>')}
    with simulator(routes, strict=False) as (sim, _):
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    # 5000 + 5000 + 4400 s of ringing (the default TimeLimit of 14400 s), then answered at
    # the next verb; the TimeLimit then ends it
    assert call.answered_at == sim.clock.at(14_400_000_000)
    assert (call.status, call.duration) == ("completed", 14_400)


def test_voice_method_and_fallback_of_the_number() -> None:
    routes = {"/voice": lambda form: (500, [], "boom"), "/fallback": response("<Say>Backup</Say>")}
    with simulator(routes, strict=False) as (sim, _):
        sim.number(
            CALLER_ID,
            voice_url=f"{APP_URL}/voice",
            voice_method="GET",
            voice_fallback_url=f"{APP_URL}/fallback",
            status_callback=None,  # the helper's number has one: an update keeps it
        )
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    voice, fallback = call.requests
    assert voice.method == "GET"
    expected = first_voice(sim, call)
    expected.update(ErrorCode="11200", ErrorUrl=f"{APP_URL}/voice")
    assert (fallback.kind, fallback.method, fallback.params) == ("fallback", "POST", expected)
    assert call.said == ["Backup"]


def test_incoming_call_to_an_unknown_number_is_refused() -> None:
    with simulator({}) as (sim, _), pytest.raises(ConfigurationError) as raised:
        sim.incoming_call(from_=CALLEE, to="+15550009999")
    assert str(raised.value) == (
        "incoming call to +15550009999: the account has no number +15550009999 with a voice "
        f"URL (numbers: {CALLER_ID}); call sim.number('+15550009999', voice_url=...) first"
    )


def test_an_unknown_number_among_many_names_ten_and_counts_the_rest() -> None:
    with simulator({}) as (sim, _), pytest.raises(ConfigurationError) as raised:
        for line in range(100, 130):
            sim.number(f"+1415555{line:04d}")
        sim.incoming_call(from_=CALLEE, to="+15550009999")
    ten = ", ".join([CALLER_ID, *(f"+1415555{line:04d}" for line in range(100, 109))])
    assert str(raised.value) == (
        "incoming call to +15550009999: the account has no number +15550009999 with a voice "
        f"URL (numbers: {ten} and 21 more); call sim.number('+15550009999', voice_url=...) first"
    )


ADD_ONS = '{"status":"successful","results":{"nomorobo_spamscore":{"result":{"score":1}}}}'


def test_extra_params_reach_the_first_voice_request_only() -> None:
    # a spam-blocking app reads its Add-ons' results from the call's first request
    routes = {
        "/voice": response('<Gather numDigits="1" action="/menu"><Say>Hi</Say></Gather>'),
        "/menu": response("<Say>Bye</Say>"),
    }
    extra = {"AddOns": ADD_ONS, "StirVerstat": "TN-Validation-Passed-A"}
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).presses("1")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID, params=extra)
        sim.run()
    voice, menu, _ = call.requests
    assert voice.params == dict(first_voice(sim, call), **extra)
    assert "AddOns" not in menu.params and menu.params["Digits"] == "1"


def test_extra_params_must_be_text_and_not_standard_ones() -> None:
    where = f"sim.incoming_call(from_={CALLEE!r}, to={CALLER_ID!r})"
    with simulator({"/voice": response("")}) as (sim, _):
        with pytest.raises(TypeError) as wrong_type:
            sim.incoming_call(from_=CALLEE, to=CALLER_ID, params={"AddOns": 1})  # type: ignore[dict-item]
        with pytest.raises(ConfigurationError) as standard:
            sim.incoming_call(from_=CALLEE, to=CALLER_ID, params={"From": "x", "CallSid": "y"})
        with pytest.raises(ConfigurationError) as one:
            sim.incoming_call(from_=CALLEE, to=CALLER_ID, params={"Direction": "inbound"})
    assert str(wrong_type.value) == (
        f"{where}: params must be a dict of parameter names to text such as "
        "{'StirVerstat': 'TN-Validation-Passed-A'}; got {'AddOns': 1} (dict)"
    )
    assert str(standard.value) == (
        f"{where}: params CallSid, From are parameters Twilio sets on every request of the "
        "call; give only the extra ones (AddOns, StirVerstat, ...)"
    )
    assert str(one.value) == (
        f"{where}: params Direction is a parameter Twilio sets on every request of the "
        "call; give only the extra ones (AddOns, StirVerstat, ...)"
    )
    assert sim.calls == {}


def test_a_call_to_a_number_whose_application_was_deleted_says_so() -> None:
    """The number exists, without a voice URL: the message listed it among the numbers and
    said the account had no such number."""
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        application = sim.application(voice_url=f"{APP_URL}/voice")
        sim.number("+15005550007", voice_application_sid=application.sid)
        sim.client().applications(application.sid).delete()
        with pytest.raises(ConfigurationError) as refused:
            sim.incoming_call(from_=CALLEE, to="+15005550007")
        assert sim.calls == {}
    assert str(refused.value) == (
        "incoming call to +15005550007: the account's number +15005550007 has no voice URL "
        "(nor a voice application with one), so Twilio has nothing to request; call "
        "sim.number('+15005550007', voice_url=...) or give it one through the REST API"
    )


def test_the_first_voice_request_carries_the_call_token() -> None:
    """Twilio's request to the app of a call ringing in carries ``CallToken``: the JSON
    ``{"parentCallInfoToken": <JWT>, "identityHeaderTokens": []}`` percent-encoded, the
    JWT's header ``{"alg":"ES256"}`` and payload the call's SID, ends and ringing time."""
    routes = {
        "/voice": response('<Gather numDigits="1" action="/menu"><Say>Hi</Say></Gather>'),
        "/menu": response("<Say>Bye</Say>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).presses("1")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    voice, menu, status = call.requests
    token = voice.params["CallToken"]
    assert token == (
        "%7B%22parentCallInfoToken%22%3A%22eyJhbGciOiJFUzI1NiJ9."
        "eyJjYWxsU2lkIjoiQ0FlZTRhNTZhZDMwOTJkYTY0ZDViYTg5MjU0OTY2OTI5OCIsImZyb20iOiIrMTU1NTg2"
        "NzUzMTAiLCJ0byI6IisxNTAwNTU1MDAwNiIsImlhdCI6IjE3NjcyNTgwMDAifQ."
        "1LegwYsK9XTQuojeQXai3ZtxdlRQ0Hti5hwGodeHhiwDBdsz0ojMKUOmNonI4FW4iSn4jGTVPZtUpjNO0i3UPQ"
        "%22%2C%22identityHeaderTokens%22%3A%5B%5D%7D"
    )
    jwt = json.loads(unquote(token))["parentCallInfoToken"]
    header, payload, signature = jwt.split(".")
    assert json.loads(base64.urlsafe_b64decode(header + "==")) == {"alg": "ES256"}
    assert json.loads(base64.urlsafe_b64decode(payload + "==")) == {
        "callSid": call.sid,
        "from": CALLEE,
        "to": CALLER_ID,
        "iat": "1767258000",  # 2026-01-01 09:00:00 UTC, when it rang
    }
    assert len(base64.urlsafe_b64decode(signature + "==")) == 64  # an ES256 signature's size
    assert "CallToken" not in menu.params and "CallToken" not in status.params


def test_forwarded_from_and_caller_name_are_in_the_call_resource_too() -> None:
    """The Call resource: ``forwarded_from`` is "the forwarding phone number if this call
    was an incoming call forwarded from another number", ``caller_name`` the caller's
    name with caller ID lookup; the REST API reports what the webhook carried."""
    extra = {"ForwardedFrom": "+15558670000", "CallerName": "JANE DOE"}
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        forwarded = sim.incoming_call(from_=CALLEE, to=CALLER_ID, params=extra)
        plain = sim.incoming_call(from_="+15558675311", to=CALLER_ID)
        sim.run()
        client = sim.client()
        got = client.calls(forwarded.sid).fetch()
        other = client.calls(plain.sid).fetch()
    assert (got.forwarded_from, got.caller_name) == ("+15558670000", "JANE DOE")
    assert (other.forwarded_from, other.caller_name) == (None, "")
    assert {k: forwarded.requests[0].params[k] for k in extra} == extra


def test_forwarded_from_comes_with_its_legacy_duplicate_called_via() -> None:
    """A captured forwarded call carried ``ForwardedFrom`` and the legacy ``CalledVia``
    with the same value (as ``Caller``/``Called`` duplicate ``From``/``To``); a
    ``CalledVia`` the test gives is sent as given, and a call not forwarded has neither."""
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        forwarded = sim.incoming_call(
            from_=CALLEE, to=CALLER_ID, params={"ForwardedFrom": "+15558670000"}
        )
        own = sim.incoming_call(
            from_="+15558675311",
            to=CALLER_ID,
            params={"ForwardedFrom": "+15558670000", "CalledVia": "+15558670001"},
        )
        plain = sim.incoming_call(from_="+15558675312", to=CALLER_ID)
        sim.run()
    assert forwarded.requests[0].params == dict(
        first_voice(sim, forwarded), ForwardedFrom="+15558670000", CalledVia="+15558670000"
    )
    assert own.requests[0].params == dict(
        first_voice(sim, own, from_="+15558675311"),
        ForwardedFrom="+15558670000",
        CalledVia="+15558670001",
    )
    assert plain.requests[0].params == first_voice(sim, plain, from_="+15558675312")


def test_caller_id_lookup_adds_the_callers_name_to_the_first_voice_request() -> None:
    """A number with caller ID lookup on (``VoiceCallerIdLookup``): Twilio adds
    ``CallerName`` to the first voice request, and the Call resource reports it; a caller
    whose name is not known gets none (a choice: Twilio does not say), nor does a number
    with the lookup off."""
    named, unknown = "+14155550100", "+14155550101"
    routes = {"/voice": response("<Say>Hi</Say>")}
    with simulator(routes) as (sim, _):
        sim.number("+15005550007", voice_url=f"{APP_URL}/voice")
        client = sim.client()
        (owned,) = client.incoming_phone_numbers.list(phone_number=CALLER_ID)
        client.incoming_phone_numbers(owned.sid).update(voice_caller_id_lookup=True)
        sim.phone(named).caller_name("JANE DOE", caller_type="CONSUMER")
        with_name = sim.incoming_call(from_=named, to=CALLER_ID)
        without = sim.incoming_call(from_=unknown, to=CALLER_ID)
        lookup_off = sim.incoming_call(from_=named, to="+15005550007")
        given = sim.incoming_call(from_=named, to=CALLER_ID, params={"CallerName": "J DOE"})
        sim.run()
        fetched = client.calls(with_name.sid).fetch()
    assert with_name.requests[0].params == dict(
        first_voice(sim, with_name, from_=named), CallerName="JANE DOE"
    )
    assert without.requests[0].params == first_voice(sim, without, from_=unknown)
    assert lookup_off.requests[0].params == first_voice(
        sim, lookup_off, from_=named, to="+15005550007"
    )
    assert given.requests[0].params["CallerName"] == "J DOE"
    assert fetched.caller_name == "JANE DOE"


def test_the_callers_name_and_forwarding_number_come_on_every_request_of_the_call() -> None:
    """Twilio lists ``CallerName`` and ``ForwardedFrom`` among the parameters of every
    TwiML request, and on-call voicemail apps read ``CallerName`` in their ``<Gather>``
    action: a later request and the status callback carry them as the first did (without
    the first request's ``CallToken`` and legacy ``CalledVia``)."""
    routes = {
        "/voice": response('<Gather numDigits="1" action="/menu"><Say>Press 1</Say></Gather>'),
        "/menu": response("<Say>Thanks</Say>"),
    }
    extra = {"ForwardedFrom": "+15558670000", "CallerName": "JANE DOE"}
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).presses("1")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID, params=extra)
        plain = sim.incoming_call(from_="+15558675311", to=CALLER_ID)
        sim.run()
    _, menu, status = call.requests
    assert menu.params == dict(
        base(sim, call, "in-progress", from_=CALLEE, to=CALLER_ID),
        msg="Gather End",
        Digits="1",
        FinishedOnKey="",
        ForwardedFrom="+15558670000",
        CallerName="JANE DOE",
    )
    assert (status.params["ForwardedFrom"], status.params["CallerName"]) == (
        "+15558670000",
        "JANE DOE",
    )
    assert "CalledVia" not in menu.params and "CallToken" not in menu.params
    assert not {"ForwardedFrom", "CallerName"} & set(plain.requests[-1].params)


def test_sim_number_turns_caller_id_lookup_on_and_off() -> None:
    """``sim.number(n, voice_caller_id_lookup=True)`` is the REST update's
    ``VoiceCallerIdLookup=true``: the number's JSON shows it, its calls carry the name;
    a later ``sim.number`` call without it keeps it, ``False`` turns it off."""
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        owned = sim.number(CALLER_ID, voice_caller_id_lookup=True)
        sim.phone("+14155550100").caller_name("JANE DOE")
        on = sim.incoming_call(from_="+14155550100", to=CALLER_ID)
        sim.run()
        shown = sim.client().incoming_phone_numbers(owned.sid).fetch().voice_caller_id_lookup
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        kept = sim.incoming_call(from_="+14155550100", to=CALLER_ID)
        sim.run()
        sim.number(CALLER_ID, voice_caller_id_lookup=False)
        off = sim.incoming_call(from_="+14155550100", to=CALLER_ID)
        sim.run()
        with pytest.raises(TypeError) as refused:
            sim.number(CALLER_ID, voice_caller_id_lookup="yes")  # type: ignore[arg-type]
    assert shown is True
    assert on.requests[0].params["CallerName"] == "JANE DOE"
    assert kept.requests[0].params["CallerName"] == "JANE DOE"
    assert "CallerName" not in off.requests[0].params
    assert str(refused.value) == (
        "sim.number('+15005550006'): voice_caller_id_lookup must be True or False; got 'yes'"
    )


def test_a_twiml_apps_caller_id_lookup_applies_to_the_numbers_it_answers() -> None:
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        client = sim.client()
        application = client.applications.create(
            voice_url=f"{APP_URL}/voice", voice_caller_id_lookup=True
        )
        sim.number("+15005550007", voice_application_sid=application.sid)
        sim.phone("+14155550100").caller_name("JANE DOE")
        call = sim.incoming_call(from_="+14155550100", to="+15005550007")
        sim.run()
    assert call.requests[0].params["CallerName"] == "JANE DOE"


def test_an_invalid_voice_in_a_gathers_say_requests_the_fallback() -> None:
    """Twilio's TwiML changelog: "If the <Say> nested inside of a <Gather> verb provides an
    invalid voice, Twilio will treat this as a failure and hit the fallback URL"."""
    routes = {
        "/voice": response('<Gather action="/menu"><Say voice="robot!">Hi</Say></Gather>'),
        "/fallback": response("<Say>Backup</Say>"),
    }
    with simulator(routes, allow_codes={13321}) as (sim, _):
        sim.number(
            CALLER_ID,
            voice_url=f"{APP_URL}/voice",
            voice_fallback_url=f"{APP_URL}/fallback",
            status_callback=None,  # the helper's number has one: an update keeps it
        )
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    _, fallback = call.requests
    assert (fallback.kind, fallback.params["ErrorCode"], fallback.params["ErrorUrl"]) == (
        "fallback",
        "13321",
        f"{APP_URL}/voice",
    )
    assert call.said == ["Backup"]


@pytest.mark.parametrize("caller", ["anonymous", "Unknown"])
def test_a_withheld_caller_id_rings_in_as_the_carrier_sends_it(caller: str) -> None:
    """Twilio's TwiML changelog: "Incoming call From numbers will no longer contain only
    digits: For example, an incoming caller ID could be anonymous, unknown, etc.", and
    "Twilio will no longer normalize alpha character caller IDs for case"."""
    routes = {
        "/voice": response('<Gather numDigits="1" action="/menu"><Say>Hi</Say></Gather>'),
        "/menu": response("<Say>Bye</Say>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(caller).presses("1")
        call = sim.incoming_call(from_=caller, to=CALLER_ID)
        sim.run()
    voice, menu, _ = call.requests
    assert voice.params == first_voice(sim, call, from_=caller)
    assert (voice.params["From"], voice.params["FromCountry"]) == (caller, "")
    assert (menu.params["Digits"], call.said) == ("1", ["Hi", "Bye"])
