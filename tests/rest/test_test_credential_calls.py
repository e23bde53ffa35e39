"""A call created with the test credentials is answered ``queued`` and never placed, as on
Twilio: a lookup of it in ``sim.calls``, and a far end scripted for it, say so instead of
"no call was made"."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from twilio.rest import Client

from twimlsim import ConfigurationError, Simulator
from twimlsim.engine.calls_by_sid import UNPLACED_KEPT, CallsBySid, note_unplaced, unplaced_calls
from twimlsim.serve import _SERVE_HINTS as SERVE_HINTS

CALLEE = "+14155551212"
URL = "https://app.test/voice"
TEST_CREDENTIALS = (
    "was created with the account's test credentials (sim.test_auth_token), with which "
    "Twilio answers queued and places no call"
)


def test_looking_the_call_up_says_it_was_never_placed() -> None:
    with Simulator() as sim:
        client = Client(sim.account_sid, sim.test_auth_token)
        call = client.calls.create(to=CALLEE, from_="+15005550006", url=URL)
        sim.run()
        with pytest.raises(KeyError) as raised:
            sim.calls[call.sid]
        assert raised.value.args == (
            f"no call {call.sid!r} in this simulation (it {TEST_CREDENTIALS}: no call to "
            f"{CALLEE} ran; give the app sim.auth_token to place it)",
        )
        assert (dict(sim.calls), sim.requests) == ({}, [])


def test_a_far_end_scripted_for_it_is_told_why_it_was_never_called() -> None:
    sim = Simulator().start()
    try:
        sim.phone(CALLEE).presses("1")
        client = Client(sim.account_sid, sim.test_auth_token)
        client.calls.create(to=CALLEE, from_="+15005550006", url=URL)
        sim.run()
    finally:
        sim.stop()
    with pytest.raises(ConfigurationError) as raised:
        sim.check()
    assert str(raised.value) == (
        f"scripted far-end steps were never reached: sim.phone('{CALLEE}').presses('1'); "
        f"the call to {CALLEE} {TEST_CREDENTIALS}: give the app sim.auth_token to place it, "
        "or script no far end for a test of the magic numbers. Remove them, or pass "
        "strict=False to allow unused steps."
    )


def test_a_call_the_live_credentials_placed_to_the_number_is_reason_enough() -> None:
    sim = Simulator().start()
    try:
        sim.route("https://app.test", _says_hello)
        sim.number("+15005550006")
        sim.phone(CALLEE).presses("1")
        Client(sim.account_sid, sim.test_auth_token).calls.create(
            to=CALLEE, from_="+15005550006", url=URL
        )
        sim.client().calls.create(to=CALLEE, from_="+15005550006", url=URL)
        sim.run()
    finally:
        sim.stop()
    with pytest.raises(ConfigurationError) as raised:
        sim.check()
    assert str(raised.value) == (
        f"scripted far-end steps were never reached: sim.phone('{CALLEE}').presses('1'); no "
        f"call with {CALLEE} listened to it: its TwiML ran to its end with no <Gather>, "
        "<Record>, <Pay>, <Dial>, <Conference> or <Enqueue>, the only places a far end's "
        "presses(), says() and records() are given (twimlsim does not simulate talk during a "
        "<Say>, <Play> or <Pause>, which a real-time transcription or stream on Twilio would "
        "hear): give the call such a verb. Remove them, or pass strict=False to allow unused "
        "steps."
    )


def _says_hello(environ: dict[str, object], start_response: Callable[..., object]) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>Hello.</Say></Response>"]


def test_a_refused_from_on_the_test_credentials_is_told_the_magic_from() -> None:
    from twilio.base.exceptions import TwilioRestException

    from twimlsim.report import format_api_request

    with Simulator() as sim:
        sim.number("+15551230000")  # the account's own number: test credentials refuse it
        with pytest.raises(TwilioRestException):
            Client(sim.account_sid, sim.test_auth_token).calls.create(
                to=CALLEE, from_="+15551230000", url=URL
            )
    assert format_api_request(sim.api_requests[0], params=False)[1] == (
        "      Twilio error 21210: The source phone number provided, +15551230000, is not yet "
        "verified for your account. You may only make calls from phone numbers that you've "
        "verified or purchased from Twilio. (give the account the From number: "
        "sim.number('+15551230000'), or sim.verified_caller_id('+15551230000'); a client on "
        "the test credentials (sim.test_auth_token) calls only from Twilio's magic "
        "+15005550006)"
    )


def test_a_refused_text_from_on_the_test_credentials_is_told_the_magic_from() -> None:
    from twilio.base.exceptions import TwilioRestException

    from twimlsim.report import format_api_request

    with Simulator() as sim:
        sim.number("+15551230000")
        with pytest.raises(TwilioRestException):
            Client(sim.account_sid, sim.test_auth_token).messages.create(
                to=CALLEE, from_="+15551230000", body="Your code is 1234"
            )
    assert format_api_request(sim.api_requests[0], params=False)[1] == (
        "      Twilio error 21606: The From phone number +15551230000 is not a valid, "
        "SMS-capable inbound phone number or short code for your account. (give the account "
        "the From number: sim.number('+15551230000'); a client on the test credentials "
        "(sim.test_auth_token) texts only from Twilio's magic +15005550006)"
    )
    # twimlsim serve logs it with its own advice
    assert format_api_request(sim.api_requests[0], params=False, hints=SERVE_HINTS)[1] == (
        "      Twilio error 21606: The From phone number +15551230000 is not a valid, "
        "SMS-capable inbound phone number or short code for your account. (give the account "
        "the From number: --number +15551230000, or POST /twimlsim/numbers; a client on the "
        "banner's test_auth_token texts only from Twilio's magic +15005550006)"
    )


def test_only_the_newest_unplaced_calls_are_remembered() -> None:
    # twimlsim serve under steady load on the test credentials keeps its memory flat
    calls = CallsBySid()
    sids = [f"CA{n:032x}" for n in range(UNPLACED_KEPT + 1)]
    for sid in sids:
        note_unplaced(calls, sid, CALLEE)
    assert (len(calls.unplaced), next(iter(calls.unplaced)), unplaced_calls(calls)[sids[-1]]) == (
        UNPLACED_KEPT,
        sids[1],
        CALLEE,
    )
    with pytest.raises(KeyError) as forgotten:
        calls[sids[0]]
    assert forgotten.value.args == (
        f"no call {sids[0]!r} in this simulation (it has no calls yet)",
    )
