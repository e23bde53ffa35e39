"""``Match`` on its own: its repr, and each way a request can differ from it (the method,
a repeated REST parameter, a parameter a webhook sends once), word for word as a failure
report shows them."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import pytest

from twimlsim.assertions import Match, assert_heard
from twimlsim.engine.webhooks import WebhookRequest
from twimlsim.model.api_log import ApiRequest, ParamPairs

AT = datetime(2026, 1, 1, 9, tzinfo=UTC)
CALLS = "https://api.twilio.com/2010-04-01/Accounts/AC123/Calls.json"


def status_webhook(**params: str) -> WebhookRequest:
    return WebhookRequest("POST", "https://app.test/status", params, {}, "status", "CA1", AT)


def parse_form(raw: bytes) -> ParamPairs:
    return tuple(parse_qsl(raw.decode()))


def calls_create(form: bytes) -> ApiRequest:
    return ApiRequest(
        "POST", CALLS, "calls.create", "CA1", AT, 201, b"{}", form, parse_params=parse_form
    )


def test_repr_names_kind_method_path_and_each_expected_parameter() -> None:
    match = Match(
        "status",
        "/status",
        method="get",
        CallStatus="completed",
        CallDuration=re.compile(r"\d+"),
        StatusCallbackEvent=["initiated", "completed"],
    )
    assert repr(match) == (
        "Match(status GET /status CallStatus='completed' CallDuration=/\\d+/ "
        "StatusCallbackEvent=['initiated', 'completed'])"
    )
    assert repr(Match()) == "Match(* *)"


def test_a_wrong_method_is_named_with_both_methods() -> None:
    match = Match("status", method="GET")
    assert match.differences(status_webhook(CallStatus="completed")) == [
        "method: expected GET, got POST"
    ]
    assert match.score(status_webhook()) == (1, 1, 0, 0)


def test_a_repeated_rest_parameter_is_matched_as_every_value_in_order() -> None:
    sent = calls_create(
        b"To=%2B15558675310&StatusCallbackEvent=initiated&StatusCallbackEvent=completed"
    )
    assert Match("calls.create", StatusCallbackEvent=["initiated", "completed"]).matches(sent)
    assert Match("calls.create", StatusCallbackEvent=("completed",)).differences(sent) == [
        "StatusCallbackEvent: expected ['completed'], got ['initiated', 'completed']"
    ]


def test_a_list_against_a_webhook_parameter_compares_its_one_value() -> None:
    webhook = status_webhook(CallStatus="completed")
    assert Match("status", CallStatus=["completed"]).matches(webhook)
    assert Match("status", CallStatus=[], Digits=["1"]).differences(webhook) == [
        "CallStatus: expected [], got ['completed']",
        "Digits: expected ['1'], got []",
    ]


def test_match_refuses_a_kind_that_is_not_text() -> None:
    with pytest.raises(TypeError) as refused:
        Match(3)  # type: ignore[arg-type]
    assert str(refused.value) == (
        "Match(...): kind must be a string (or None: not checked), such as 'gather'; got 3 (int)"
    )


def test_assert_heard_refuses_what_is_not_a_call() -> None:
    with pytest.raises(TypeError) as refused:
        assert_heard([], "Welcome")  # type: ignore[arg-type]
    assert str(refused.value) == "assert_heard() takes a call (sim.calls[sid]), got [] (list)"
