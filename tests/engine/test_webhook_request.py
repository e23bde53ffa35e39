"""A logged webhook request keeps its parameters compactly and gives them back whole."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twimlsim.engine.webhooks import (
    WebhookRequest,
    WebhookResponse,
    form_encode,
    query_encode,
    sign_request,
)
from twimlsim.engine.wire_order import wire_order
from twimlsim.signature import compute_signature

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
    assert first._layout is second._layout
    assert first.body == b"CallSid=CA1&Digits=1%202&Empty="


def test_params_are_a_snapshot_of_what_was_sent() -> None:
    sent = {"CallSid": "CA1"}
    request = _request(sent)
    sent["CallSid"] = "changed"
    request.params["CallSid"] = "changed too"
    assert request.params == {"CallSid": "CA1"}
    assert "params={'CallSid': 'CA1'}" in repr(request)
    assert request == _request({"CallSid": "CA1"})
    assert request != _request({"CallSid": "CA2"})


SIGNED = {
    "User-Agent": "TwilioProxy/1.1",
    "Accept": "*/*",
    "Accept-Encoding": "gzip",
    "I-Twilio-Idempotency-Token": "0",
    "Content-Type": "application/x-www-form-urlencoded",
    "X-Twilio-Signature": "0",
}


def _signed(params: dict[str, str], token: str, signature: str) -> WebhookRequest:
    headers = SIGNED | {"I-Twilio-Idempotency-Token": token, "X-Twilio-Signature": signature}
    return WebhookRequest("POST", "https://app.test/s", params, headers, "status", "CA1", AT)


def _call(n: int, status: str = "completed") -> dict[str, str]:
    return {
        "AccountSid": "AC" + "a" * 32,
        "CallSid": f"CA{n:032d}",
        "CallStatus": status,
        "From": "+15005550006",
        "FromCity": "",
        "FromCountry": "US",
        "To": "+15558675310",
        "ToCity": "",
        "ToCountry": "US",
        "Direction": "outbound-api",
        "CallDuration": "5",
        "Timestamp": f"Thu, 01 Jan 2026 09:00:{n % 60:02d} +0000",
    }


def test_each_request_reads_back_exactly_what_was_sent_however_it_is_kept() -> None:
    sent = [(_call(n), f"token-{n}", f"sig-{n}=") for n in range(6)]
    other = {name: f"other {value}" for name, value in _call(6).items()}
    sent.append((other, "t", "s"))
    sent.append((other | {"CallStatus": "busy"}, "t", "s2"))
    requests = [_signed(params, token, signature) for params, token, signature in sent]
    for request, (params, token, signature) in zip(requests, sent, strict=True):
        headers = SIGNED | {"I-Twilio-Idempotency-Token": token, "X-Twilio-Signature": signature}
        assert list(request.params.items()) == list(params.items())
        assert list(request.headers.items()) == list(headers.items())
        assert request.body == form_encode(params).encode()
    first, second, *_, different, busy = requests
    # the first is kept whole; the next keep the parameters that changed: SID and time
    assert first._positions == () and first._base == tuple(_call(0).values())
    assert second._base is first._base
    assert (second._positions, second._changed) == (
        (1, 11),
        ("CA" + "1".rjust(32, "0"), "Thu, 01 Jan 2026 09:00:01 +0000"),
    )
    assert second._positions is requests[2]._positions  # the same positions, shared
    assert second._layout is first._layout  # and the same names
    # one too different is kept whole and becomes the base of the next
    assert different._positions == () and busy._base is different._base
    assert (busy._positions, busy._changed) == ((2,), ("busy",))
    assert busy.headers["X-Twilio-Signature"] == "s2"


def test_headers_are_a_new_dict_each_time_and_an_added_header_is_sent_in_order() -> None:
    request = _signed(_call(1), "token", "sig")
    request.headers["X-Twilio-Signature"] = "forged"
    assert request.headers["X-Twilio-Signature"] == "sig"
    request.add_header("Cookie", "session=1")
    request.add_header("Authorization", "Basic dTpw")
    request.add_header("Cookie", "session=2")
    assert list(request.headers.items()) == [
        ("User-Agent", "TwilioProxy/1.1"),
        ("Accept", "*/*"),
        ("Accept-Encoding", "gzip"),
        ("I-Twilio-Idempotency-Token", "token"),
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("X-Twilio-Signature", "sig"),
        ("Cookie", "session=2"),
        ("Authorization", "Basic dTpw"),
    ]
    assert request.params == _call(1)


def test_requests_compare_by_what_was_sent_not_by_how_it_is_kept() -> None:
    whole = _signed(_call(3), "token", "sig")  # may be kept whole or as changes
    for n in range(3):
        _signed(_call(n), f"t{n}", f"s{n}")
    again = _signed(_call(3), "token", "sig")
    assert again == whole
    assert again != _signed(_call(3), "token", "other sig")
    assert again != _signed(_call(4), "token", "sig")
    headers = SIGNED | {"I-Twilio-Idempotency-Token": "token", "X-Twilio-Signature": "sig"}
    assert repr(again) == (
        f"WebhookRequest(method='POST', url='https://app.test/s', params={_call(3)!r}, "
        f"headers={headers!r}, kind='status', call_sid='CA1', at={AT!r}, response=None)"
    )
    with pytest.raises(TypeError):
        hash(again)


def test_answers_share_repeated_headers_and_short_bodies_and_read_back_as_sent() -> None:
    document = b"<Response><Say>Hi</Say></Response>"
    long_body = b"<Response>" + b"<Pause/>" * 200 + b"</Response>"
    first, second, first_long, second_long = (
        WebhookResponse(200, (("Content-Type", "text/xml"),), bytes(bytearray(body)))
        for body in (document, document, long_body, long_body)
    )
    assert (second.status, second.headers, second.body) == (
        200,
        (("Content-Type", "text/xml"),),
        document,
    )
    assert second.headers is first.headers and second.body is first.body
    assert second_long.body == long_body and second_long.body is not first_long.body
    listed = WebhookResponse(200, [("Content-Type", "text/xml")], b"")  # type: ignore[arg-type]
    assert listed.headers == [("Content-Type", "text/xml")]


NAMES = st.sampled_from(["CallSid", "CallStatus", "From", "To", "Digits", "Timestamp", "x y"])
VALUES = st.sampled_from(["", "US", "completed", "+15005550006", "1", "é &="]) | st.text()


@settings(max_examples=60, deadline=None)
@given(
    sent=st.lists(
        st.tuples(
            st.dictionaries(NAMES, VALUES, max_size=7),
            st.dictionaries(st.sampled_from(list(SIGNED)), VALUES, max_size=6),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_any_run_of_requests_reads_back_exactly(
    sent: list[tuple[dict[str, str], dict[str, str]]],
) -> None:
    requests = [
        WebhookRequest("POST", "https://app.test/v", params, headers, "voice", "CA1", AT)
        for params, headers in sent
    ]
    for request, (params, headers) in zip(requests, sent, strict=True):
        assert list(request.params.items()) == list(params.items())
        assert list(request.headers.items()) == list(headers.items())
        assert request.body == form_encode(params).encode()


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(NAMES, min_size=1, max_size=7, unique=True),
    rows=st.lists(st.lists(VALUES, min_size=7, max_size=7), min_size=1, max_size=12),
)
def test_requests_of_one_layout_read_back_exactly(names: list[str], rows: list[list[str]]) -> None:
    sent = [dict(zip(names, row, strict=False)) for row in rows]
    requests = [
        WebhookRequest("POST", "https://app.test/v", params, SIGNED, "voice", "CA1", AT)
        for params in sent
    ]
    for request, params in zip(requests, sent, strict=True):
        assert list(request.params.items()) == list(params.items())
        assert list(request.headers.items()) == list(SIGNED.items())
    assert len({id(request._layout) for request in requests}) == 1


def test_a_request_matches_by_its_public_fields_in_order() -> None:
    match _request({"CallSid": "CA1"}):
        case WebhookRequest("POST", url, {"CallSid": sid}, kind="voice"):
            assert (url, sid) == ("https://app.test/voice", "CA1")
        case _:
            pytest.fail("the request did not match")


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(NAMES, min_size=1, max_size=7, unique=True),
    rows=st.lists(st.lists(VALUES, min_size=7, max_size=7), min_size=1, max_size=12),
    method=st.sampled_from(["POST", "GET"]),
)
def test_signed_requests_of_one_layout_carry_the_signature_and_body_of_their_own_values(
    names: list[str], rows: list[list[str]], method: str
) -> None:
    # the body and the signed text are built from the layout's pieces, patched where a
    # request differs from it: each must still be exactly its own request's
    sent = [dict(zip(names, row, strict=False)) for row in rows]
    requests = [
        sign_request(
            method=method,
            url="https://app.test/v?x=1",
            params=params,
            auth_token="secret",
            kind="voice",
            call_sid="CA1",
            at=AT,
            idempotency_token=f"token-{number}",
        )
        for number, params in enumerate(sent)
    ]
    for number, (request, asked) in enumerate(zip(requests, sent, strict=True)):
        # a voice request's parameters go in Twilio's order (pinned in test_wire_order.py)
        params = {name: asked[name] for name in wire_order(tuple(asked))[0]}
        if method == "POST":
            expected_url, body = "https://app.test/v?x=1", form_encode(params).encode()
            signature = compute_signature("secret", expected_url, params)
        else:
            expected_url, body = f"https://app.test/v?x=1&{query_encode(params)}", b""
            signature = compute_signature("secret", expected_url)
        assert (request.url, request.body) == (expected_url, body)
        assert list(request.headers.items()) == [
            ("User-Agent", "TwilioProxy/1.1"),
            ("Accept", "*/*"),
            ("Accept-Encoding", "gzip"),
            ("I-Twilio-Idempotency-Token", f"token-{number}"),
            *([("Content-Type", "application/x-www-form-urlencoded")] if method == "POST" else []),
            ("X-Home-Region", "us1"),
            ("X-Twilio-Signature", signature),
        ]
        assert list(request.params.items()) == list(params.items())
