"""The REST API's form parser reads bodies exactly as werkzeug's ``request.form`` does."""

from __future__ import annotations

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from twimlsim.rest.params import parse_form


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"To=%2B15558675310&From=%2B15005550006&Url=https%3A%2F%2Fapp.test%2Fvoice",
        b"StatusCallbackEvent=initiated&StatusCallbackEvent=answered&StatusCallbackEvent=completed",
        b"Empty=&Twiml=%3CResponse%3E%3CSay%3EHi+there%3C%2FSay%3E%3C%2FResponse%3E",
        b"Name=%C3%A9t%C3%A9&Plus=a%2Bb&Space=a+b&Bare",
        b"A=1&&B=2&A=3",
    ],
)
def test_same_pairs_as_werkzeug(body: bytes) -> None:
    builder = EnvironBuilder(
        method="POST", data=body, content_type="application/x-www-form-urlencoded"
    )
    expected = list(Request(builder.get_environ()).form.items(multi=True))
    assert list(parse_form(body).items(multi=True)) == expected


def test_malformed_bytes_are_replaced_not_raised() -> None:
    assert list(parse_form(b"D=\xc3\xa9&E=\xff&C=%ZZ").items(multi=True)) == [
        ("D", "é"),
        ("E", "\ufffd"),
        ("C", "%ZZ"),
    ]
