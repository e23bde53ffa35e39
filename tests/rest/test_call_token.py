"""``CallToken``: forwarding an inbound call with its caller's own number as ``From``."""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioRestException

from tests.engine.helpers import response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.engine.session import SimCall

AGENT = "+15551230001"


def rang_in(sim: Simulator) -> tuple[SimCall, str]:
    """An inbound call from CALLEE to the account's CALLER_ID, and its CallToken."""
    call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
    sim.run()
    return call, call.requests[0].params["CallToken"]


def test_a_forwarded_call_may_show_the_callers_number() -> None:
    """The Call resource page: pass the incoming call's token as ``CallToken`` and the
    forwarded call "should bear the same CallerID of the original incoming call"."""
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        call, token = rang_in(sim)
        forwarded = sim.client().calls.create(
            to=AGENT, from_=CALLEE, url=f"{APP_URL}/voice", call_token=token
        )
        sim.run()
    assert (forwarded._from, forwarded.status) == (CALLEE, "queued")
    assert sim.calls[forwarded.sid].record.from_ == CALLEE


def test_without_the_token_the_callers_number_is_not_the_accounts() -> None:
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        rang_in(sim)
        with pytest.raises(TwilioRestException) as raised:
            sim.client().calls.create(to=AGENT, from_=CALLEE, url=f"{APP_URL}/voice")
    assert (raised.value.status, raised.value.code) == (400, 21210)


@pytest.mark.parametrize(
    "change",
    [
        lambda token: token.replace("eyJjYWxsU2lk", "eyJjYWxsU2lj"),  # the payload edited
        lambda token: "not a token",
        lambda token: token[:-20],  # cut short
    ],
)
def test_a_token_twimlsim_did_not_issue_allows_nothing(change: object) -> None:
    assert callable(change)
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        _, token = rang_in(sim)
        with pytest.raises(TwilioRestException) as raised:
            sim.client().calls.create(
                to=AGENT, from_=CALLEE, url=f"{APP_URL}/voice", call_token=change(token)
            )
    assert (raised.value.status, raised.value.code) == (400, 21210)


def test_the_token_allows_only_the_original_caller() -> None:
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        _, token = rang_in(sim)
        with pytest.raises(TwilioRestException) as raised:
            sim.client().calls.create(
                to=AGENT, from_="+15557654321", url=f"{APP_URL}/voice", call_token=token
            )
    assert (raised.value.status, raised.value.code) == (400, 21210)


def test_a_participant_create_takes_the_token_too() -> None:
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        _, token = rang_in(sim)
        sim.phone(AGENT).hangs_up(after=5)
        participant = (
            sim.client()
            .conferences("Room")
            .participants.create(from_=CALLEE, to=AGENT, call_token=token)
        )
        sim.run()
    assert sim.calls[participant.call_sid].record.from_ == CALLEE
