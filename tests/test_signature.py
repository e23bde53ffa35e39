"""``X-Twilio-Signature`` against twilio-python's own test vectors."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from twimlsim import compute_signature

PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675309",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://mycompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
        ("https://mycompany.com:443/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w="),
        ("http://mycompany.com:80/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4="),
        ("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="),
    ],
)
def test_signature_matches_twilio_vectors(url: str, expected: str) -> None:
    assert compute_signature("12345", url, PARAMS) == expected


def test_repeated_parameters_sort_by_value() -> None:
    pairs = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234")]
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert compute_signature("12345", url, pairs) == "IK+Dwps556ElfBT0I3Rgjkr1wJU="


@pytest.mark.parametrize("token", ["", "k", "x" * 64, "y" * 65, "é" * 40, "z" * 200])
def test_any_length_of_token_signs_as_hmac_sha1(token: str) -> None:
    """Keys shorter than, as long as and longer than SHA-1's 64-byte block (RFC 2104)."""
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    payload = url + "".join(name + PARAMS[name] for name in sorted(PARAMS))
    digest = hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()
    assert compute_signature(token, url, PARAMS) == base64.b64encode(digest).decode()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            (None, "https://app.test/voice", {}),
            "compute_signature(auth_token, url, params): auth_token must be the auth token "
            "as a str; got None (NoneType)",
        ),
        (
            ("token", b"https://app.test/voice", {}),
            "compute_signature(auth_token, url, params): url must be the URL requested, as a "
            "str; got b'https://app.test/voice' (bytes)",
        ),
        (
            ("token", "https://app.test/voice", None),
            "compute_signature(auth_token, url, params): params must be the form's "
            "parameters (a dict, or (name, value) pairs) of str, as they were sent, such as "
            "{'Digits': '1'}; got None (NoneType)",
        ),
        (
            ("token", "https://app.test/voice", {"Digits": 1}),
            "compute_signature(auth_token, url, params): params must be the form's "
            "parameters (a dict, or (name, value) pairs) of str, as they were sent, such as "
            "{'Digits': '1'}; got {'Digits': 1} (dict)",
        ),
    ],
)
def test_arguments_of_the_wrong_type_are_named(arguments: tuple[object, ...], message: str) -> None:
    with pytest.raises(TypeError) as refused:
        compute_signature(*arguments)  # type: ignore[arg-type]
    assert str(refused.value) == message
