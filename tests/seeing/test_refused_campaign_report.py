"""A failing test's report of a campaign whose every create was refused (a client made
with the suite's own credentials): the REST requests about no call are cut as the other
parts of a report are, and a refusal's advice given word for word before is shortened.
A golden log keeps them all, each with its advice."""

from __future__ import annotations

import contextlib

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from twimlsim import Simulator
from twimlsim.golden import golden_text
from twimlsim.report import CREDENTIALS_HINT, format_simulator

PLACEHOLDER = "AC" + "0" * 32
PATH = f"/2010-04-01/Accounts/{PLACEHOLDER}/Calls.json"


def refused_campaign(sim: Simulator, contacts: int) -> None:
    client = Client(PLACEHOLDER, "placeholder-token")
    for n in range(contacts):
        with contextlib.suppress(TwilioRestException):  # the app logs it and goes on
            client.calls.create(to=f"+1415555{n:04d}", from_="+15005550006", url="https://a.test/")


def entry(n: int, advice: str) -> str:
    return (
        f"  09:00:00  calls.create POST {PATH} -> 401\n"
        f"      To=+1415555{n:04d}, From=+15005550006, Url=https://a.test/\n"
        f"      Twilio error 20003: Authenticate ({advice})"
    )


def test_the_refusals_are_cut_and_their_repeated_advice_shortened() -> None:
    with Simulator() as sim:
        refused_campaign(sim, 8)
        again = "the same advice as above"
        assert format_simulator(sim, max_entries=4) == "\n".join(
            [
                "REST requests about no call (8):",
                entry(0, CREDENTIALS_HINT),
                entry(1, again),
                "  ... 4 more REST requests ...",
                entry(6, again),
                entry(7, again),
            ]
        )
        # a golden log, read as a diff, keeps every request and its advice
        assert (
            golden_text(sim)
            == "\n".join(
                [
                    "REST requests about no call (8):",
                    *(entry(n, CREDENTIALS_HINT) for n in range(8)),
                ]
            )
            + "\n"
        )


def test_a_refusal_with_other_advice_keeps_it() -> None:
    with Simulator() as sim:
        refused_campaign(sim, 1)
        with contextlib.suppress(TwilioRestException):
            sim.client().calls.create(
                to="+14155550001", from_="+15551112222", url="https://a.test/"
            )
        refused_campaign(sim, 1)
        text = format_simulator(sim, max_entries=60)
    assert text.count(CREDENTIALS_HINT) == 1
    assert text.count("(give the account the From number: sim.number('+15551112222')") == 1
    assert text.endswith(entry(0, "the same advice as above"))


def test_advice_cut_from_the_report_is_not_called_the_same_as_above() -> None:
    """A refusal's first advice among the requests left out: the first one shown gives it
    whole (it read "the same advice as above" with no advice above)."""
    with Simulator() as sim:
        client = sim.client()
        for _ in range(6):
            client.calls.list(limit=1)  # the app's own look-ups, shown first
        refused_campaign(sim, 4)
        listing = f"/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
        shown = format_simulator(sim, params=False, max_entries=4)
    assert shown.splitlines() == [
        "REST requests about no call (10):",
        f"  09:00:00  calls.list GET {listing} -> 200",
        f"  09:00:00  calls.list GET {listing} -> 200",
        "  ... 6 more REST requests ...",
        f"  09:00:00  calls.create POST {PATH} -> 401",
        f"      Twilio error 20003: Authenticate ({CREDENTIALS_HINT})",
        f"  09:00:00  calls.create POST {PATH} -> 401",
        "      Twilio error 20003: Authenticate (the same advice as above)",
    ]
