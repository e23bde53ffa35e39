"""The webhook builder's fast encoders give exactly what the standard library gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import quote, urlencode

from hypothesis import given
from hypothesis import strategies as st

from twimlsim.engine.dates import rfc2822
from twimlsim.engine.webhooks import form_encode, query_encode


@given(st.datetimes(timezones=st.just(UTC)))
def test_rfc2822_is_format_datetime_to_the_second(moment: datetime) -> None:
    assert rfc2822(moment) == format_datetime(moment.replace(microsecond=0))


def test_rfc2822_of_another_zone_keeps_its_offset() -> None:
    moment = datetime(2026, 2, 12, 11, 48, 25, 999, tzinfo=timezone(timedelta(hours=-5)))
    assert rfc2822(moment) == "Thu, 12 Feb 2026 11:48:25 -0500"
    assert rfc2822(datetime(2026, 2, 12, 11, 48, 25, tzinfo=UTC)) == (
        "Thu, 12 Feb 2026 11:48:25 +0000"
    )


def test_rfc2822_writes_one_instant_with_the_offset_of_its_own_zone_each_time() -> None:
    # the UTC texts are cached: an equal instant (equal datetimes) in another zone is not
    utc = datetime(2026, 2, 12, 16, 48, 25, tzinfo=UTC)
    eastern = utc.astimezone(timezone(timedelta(hours=-5)))
    assert utc == eastern
    assert [rfc2822(utc), rfc2822(eastern), rfc2822(utc)] == [
        "Thu, 12 Feb 2026 16:48:25 +0000",
        "Thu, 12 Feb 2026 11:48:25 -0500",
        "Thu, 12 Feb 2026 16:48:25 +0000",
    ]


@given(st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=6))
def test_form_encode_is_urlencode_with_a_space_as_percent_20(params: dict[str, str]) -> None:
    assert form_encode(params) == urlencode(params, quote_via=quote)


def test_form_encode_writes_a_timestamp_as_twilios_status_callbacks_carried_one() -> None:
    """Raw status-callback bodies Twilio sent (captured in public code) carried
    ``Timestamp=Fri%2C%2012%20Mar%202021%2016%3A29%3A59%20%2B0000`` and
    ``CalledCity=S%C3%A3o%20Paulo``."""
    moment = datetime(2021, 3, 12, 16, 29, 59, tzinfo=UTC)
    assert form_encode({"Timestamp": rfc2822(moment), "CalledCity": "São Paulo"}) == (
        "Timestamp=Fri%2C%2012%20Mar%202021%2016%3A29%3A59%20%2B0000&CalledCity=S%C3%A3o%20Paulo"
    )


def test_query_encode_writes_a_get_status_callback_as_twilios_debugger_showed_one() -> None:
    """The Request URI of a GET status callback in Twilio's debugger (2023):
    ``Timestamp=Mon,+17+Jul+2023+18:58:55+%2B0000``, ``CallerState=Qu%C3%A9bec``."""
    moment = datetime(2023, 7, 17, 18, 58, 55, tzinfo=UTC)
    params = {"Timestamp": rfc2822(moment), "CallerState": "Québec", "Called": "+18555446362"}
    assert query_encode(params) == (
        "Timestamp=Mon,+17+Jul+2023+18:58:55+%2B0000&CallerState=Qu%C3%A9bec&Called=%2B18555446362"
    )


@given(st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=6))
def test_query_encode_is_urlencode_keeping_a_query_parameters_characters(
    params: dict[str, str],
) -> None:
    assert query_encode(params) == urlencode(params, safe="!$'()*,;:@/?")
