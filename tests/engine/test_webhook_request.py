"""A logged webhook request keeps its parameters compactly and gives them back whole."""

from __future__ import annotations

from datetime import UTC, datetime

from twimlsim.engine.webhooks import WebhookRequest

AT = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def _request(params: dict[str, str]) -> WebhookRequest:
    return WebhookRequest(
        method="POST",
        url="https://app.test/voice",
        params=params,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        kind="voice",
        call_sid="CA" + "1" * 32,
        at=AT,
    )


def test_params_come_back_in_order_and_requests_with_the_same_names_share_them() -> None:
    first = _request({"CallSid": "CA1", "Digits": "1 2", "Empty": ""})
    second = _request({"CallSid": "CA2", "Digits": "#", "Empty": ""})
    assert list(first.params.items()) == [("CallSid", "CA1"), ("Digits", "1 2"), ("Empty", "")]
    assert second.params == {"CallSid": "CA2", "Digits": "#", "Empty": ""}
    assert first._names is second._names
    assert first.body == b"CallSid=CA1&Digits=1+2&Empty="


def test_params_are_a_snapshot_of_what_was_sent() -> None:
    sent = {"CallSid": "CA1"}
    request = _request(sent)
    sent["CallSid"] = "changed"
    request.params["CallSid"] = "changed too"
    assert request.params == {"CallSid": "CA1"}
    assert "params={'CallSid': 'CA1'}" in repr(request)
    assert request == _request({"CallSid": "CA1"})
    assert request != _request({"CallSid": "CA2"})
