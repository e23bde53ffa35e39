"""List date filters in the forms Twilio's OpenAPI examples show it answering: besides
``YYYY-MM-DD`` and ISO 8601, ``MM/DD/YYYY HH:MM:SS ZONE`` and RFC 2822 (the form of the
resources' own ``date_*`` fields)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.rest.test_edges import api, assert_error
from tests.support import CALLEE, CALLER_ID
from twimlsim import Simulator

MESSAGES = "/2010-04-01/Accounts/{ac}/Messages.json"


def listed(sim: Simulator, key: str, value: str) -> list[str]:
    response = api(sim, "GET", f"{MESSAGES}?{quote(key)}={quote(value)}")
    assert response.status_code == 200, response.text
    return [message["sid"] for message in response.json()["messages"]]


def test_written_date_forms_filter_as_the_instants_they_name(sim: Simulator) -> None:
    client = sim.client()
    nine = client.messages.create(CALLEE, from_=CALLER_ID, body="at 09:00 UTC").sid
    sim.advance(3600)
    ten = client.messages.create(CALLEE, from_=CALLER_ID, body="at 10:00 UTC").sid
    assert client.messages(nine).fetch().date_created.isoformat() == "2026-01-01T09:00:00+00:00"
    assert {
        value: (listed(sim, "DateSent<", value), listed(sim, "DateSent>", value))
        for value in (
            "Thu, 01 Jan 2026 09:30:00 +0000",
            "Thu, 01 Jan 2026 09:00:00 -0000",
            "1 Jan 2026 10:30 GMT",
            "Thu, 01 Jan 2026 04:30:00 EST",
            "01/01/2026 02:30:00 MST",
            "01/01/2026 03:00:01 MST",
            "1/1/2026 11:30:00 +0200",
            "2026-01-01 09:30:00.000",
        )
    } == {
        "Thu, 01 Jan 2026 09:30:00 +0000": ([nine], [ten]),
        "Thu, 01 Jan 2026 09:00:00 -0000": ([], [ten, nine]),
        "1 Jan 2026 10:30 GMT": ([ten, nine], []),
        "Thu, 01 Jan 2026 04:30:00 EST": ([nine], [ten]),
        "01/01/2026 02:30:00 MST": ([nine], [ten]),
        "01/01/2026 03:00:01 MST": ([ten, nine], []),
        "1/1/2026 11:30:00 +0200": ([nine], [ten]),
        "2026-01-01 09:30:00.000": ([nine], [ten]),
    }
    # a date alone is the UTC day, as YYYY-MM-DD is
    assert listed(sim, "DateSent", "01/01/2026") == [ten, nine]
    assert listed(sim, "DateSent", "01/02/2026") == []
    assert listed(sim, "DateSent>", "01/02/2026") == []


def test_calls_take_the_spec_examples_date_forms(sim: Simulator) -> None:
    """The exact queries of the spec's ``readEmptyDateFunDateFormats`` example answer 200."""
    query = (
        "EndTime%3C=2019-06-11+22%3A05%3A25.000&Status=completed&From=%2B987654321"
        "&To=%2B123456789&StartTime%3C=06%2F11%2F2019+22%3A05%3A25+MST&PageSize=2"
    )
    response = api(sim, "GET", f"/2010-04-01/Accounts/{{ac}}/Calls.json?{query}")
    assert (response.status_code, response.json()["calls"]) == (200, [])
    assert response.json()["uri"] == (
        f"/2010-04-01/Accounts/{sim.account_sid}/Calls.json?{query}&Page=0"
    )


@pytest.mark.parametrize(
    "value",
    [
        "01/01/2026 09:30:00 XYZ",
        "02/30/2026",
        "13/01/2026",
        "Thu, 01 Foo 2026 09:00:00 +0000",
        "Thu, 32 Jan 2026 09:00:00 +0000",
        "01/01/26",
        "1" * 1000,  # read as 1111-11-11T11:11:11.111111 by fromisoformat
        "2026-01-01x09:00",
        "2026-W01-1",
        "2026-01-01T09:00:00.1234567890",
    ],
)
def test_an_unreadable_written_date_is_20422(sim: Simulator, value: str) -> None:
    response = api(sim, "GET", f"{MESSAGES}?DateSent%3E={quote(value)}")
    assert_error(
        response, 400, 20422, f"DateSent> is not a valid date: {value}. Use YYYY-MM-DD (UTC)"
    )


@pytest.mark.parametrize(
    ("path", "key", "value"),
    [
        ("Calls.json", "StartTime>", "9999-12-31T23:59:59-01:00"),
        ("Calls.json", "EndTime", "0001-01-01T00:00:00+01:00"),
        ("Conferences.json", "DateCreated<", "12/31/9999 23:59:59 -0100"),
        ("Recordings.json", "DateCreated", "01/01/0001 00:00 +0100"),
        ("Messages.json", "DateSent>", "Fri, 31 Dec 9999 23:59:59 -2359"),
    ],
)
def test_a_date_whose_utc_instant_is_past_year_9999_or_before_year_1_is_20422(
    sim: Simulator, path: str, key: str, value: str
) -> None:
    """Read in UTC these instants fall outside the years 1-9999: each was a 500 (20500,
    OverflowError) rather than Twilio's 20422 for a date it cannot read."""
    response = api(sim, "GET", f"/2010-04-01/Accounts/{{ac}}/{path}?{quote(key)}={quote(value)}")
    assert_error(response, 400, 20422, f"{key} is not a valid date: {value}. Use YYYY-MM-DD (UTC)")


def test_a_lower_case_z_is_utc_as_an_upper_case_one_is(sim: Simulator) -> None:
    """RFC 3339 allows "t" and "z" in lower case and the ISO forms read take both; a
    lower-case "z" was refused (fromisoformat reads only "Z")."""
    client = sim.client()
    nine = client.messages.create(CALLEE, from_=CALLER_ID, body="at 09:00 UTC").sid
    assert {
        value: (listed(sim, "DateSent<", value), listed(sim, "DateSent>", value))
        for value in ("2026-01-01T09:00:00z", "2026-01-01t09:00:01z", "2026-01-01T08:59:59.5z")
    } == {
        "2026-01-01T09:00:00z": ([], [nine]),
        "2026-01-01t09:00:01z": ([nine], []),
        "2026-01-01T08:59:59.5z": ([], [nine]),
    }
