"""User Defined Messages of a live call: the server's messages to the Voice SDK end user
are kept on the call; subscriptions to the SDK's messages are made and deleted."""

from __future__ import annotations

from tests.rest.test_edges import api, assert_error
from tests.rest.test_streams import live_call
from twimlsim import Simulator
from twimlsim.model.user_defined_message import UserDefinedMessage

CONTENT = '{"event": "ticket", "id": 42}'


def test_a_message_to_the_sdk_is_kept_on_the_call_once_per_idempotency_key(
    sim: Simulator,
) -> None:
    call_sid = live_call(sim)
    sim.advance(4)
    sent = (
        sim.client()
        .calls(call_sid)
        .user_defined_messages.create(content=CONTENT, idempotency_key="k1")
    )
    path = f"/2010-04-01/Accounts/{{ac}}/Calls/{call_sid}/UserDefinedMessages.json"
    again = api(sim, "POST", path, {"Content": "other", "IdempotencyKey": "k1"})
    assert sent.sid.startswith("KX") and (sent.account_sid, sent.call_sid) == (
        sim.account_sid,
        call_sid,
    )
    assert (again.status_code, again.json()) == (
        201,
        {
            "account_sid": sim.account_sid,
            "call_sid": call_sid,
            "sid": sent.sid,
            "date_created": "Thu, 01 Jan 2026 09:00:04 +0000",
        },
    )
    assert sim.calls[call_sid].user_defined_messages == [
        UserDefinedMessage(
            sent.sid, sim.account_sid, call_sid, CONTENT, sim.clock.at(4_000_000), "k1"
        )
    ]
    assert_error(
        api(sim, "POST", path, {}),
        400,
        20001,
        "Missing required parameter Content in the post body",
    )
    sim.run()
    ended = api(sim, "POST", path, {"Content": CONTENT})
    assert (ended.status_code, ended.json()["code"]) == (400, 21220)


def test_a_subscription_is_made_and_deleted(sim: Simulator) -> None:
    call_sid = live_call(sim)
    calls = sim.client().calls(call_sid)
    subscription = calls.user_defined_message_subscriptions.create(
        callback="https://app.test/sdk-messages", method="GET"
    )
    base = f"/2010-04-01/Accounts/{sim.account_sid}/Calls/{call_sid}"
    assert subscription.sid.startswith("ZY")
    assert subscription.uri == f"{base}/UserDefinedMessageSubscriptions/{subscription.sid}.json"
    [kept] = sim.calls[call_sid].user_defined_message_subscriptions or []
    assert (kept.callback, kept.method, kept.deleted) == (
        "https://app.test/sdk-messages",
        "GET",
        False,
    )
    assert calls.user_defined_message_subscriptions(subscription.sid).delete() is True
    assert kept.deleted
    gone = api(sim, "DELETE", f"{base}/UserDefinedMessageSubscriptions/{subscription.sid}.json")
    assert (gone.status_code, gone.json()["code"]) == (404, 20404)
    path = f"/2010-04-01/Accounts/{{ac}}/Calls/{call_sid}/UserDefinedMessageSubscriptions.json"
    assert_error(
        api(sim, "POST", path, {"Callback": "not a url"}),
        400,
        21609,
        "The Callback URL not a url is not a valid URL.",
    )
    sim.run()
