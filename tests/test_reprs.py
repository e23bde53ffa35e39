"""What an interactive session (a notebook, a debugger, a failing hypothesis example) shows
of a simulator and of its REST log: its state, and what a test reads, not how it is kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from twilio.base.exceptions import TwilioRestException

from twimlsim import ConfigurationError, Simulator, VirtualClock

ACCOUNT = "ACd45321710a9937d57a6f595c7099cd0b"


def test_a_simulator_shows_its_state_time_calls_problems_and_account(example_app: object) -> None:
    sim = Simulator(strict=False)
    assert repr(sim) == (
        f"<Simulator not started at 2026-01-01 09:00:00+00:00: 0 calls, 0 problems, "
        f"account {ACCOUNT}>"
    )
    with sim:
        assert repr(sim) == (
            f"<Simulator running at 2026-01-01 09:00:00+00:00: 0 calls, 0 problems, "
            f"account {ACCOUNT}>"
        )
        sim.route("https://app.test", example_app)
        sim.number("+15005550006")
        sim.phone("+15558675310").presses("1")
        sim.client().calls.create(
            to="+15558675310", from_="+15005550006", url="https://app.test/nowhere"
        )
        sim.run()
    assert repr(sim) == (
        f"<Simulator stopped at 2026-01-01 09:00:04+00:00: 1 call, 1 problem, account {ACCOUNT}>"
    )


def test_a_simulator_its_init_refused_shows_so_in_a_debugger() -> None:
    # pytest --showlocals, or a debugger at the raise, reprs the half-made self
    with pytest.raises(ConfigurationError) as raised:
        Simulator(max_calls_per_run=0)
    (half_made,) = (e.frame.f_locals["self"] for e in raised.traceback if e.name == "__init__")
    assert repr(half_made) == "<Simulator not made: its __init__ raised or is under way>"


def test_a_rest_request_shows_its_params_and_body_not_their_storage() -> None:
    missing = "CA" + "0" * 32
    with Simulator() as sim, pytest.raises(TwilioRestException):
        sim.client().calls(missing).update(status="completed")
    (updated,) = sim.api_requests
    assert repr(updated) == (
        "ApiRequest(method='POST', url='https://api.twilio.com/2010-04-01/Accounts/"
        f"{ACCOUNT}/Calls/{missing}.json', kind='calls.update', call_sid='{missing}', "
        "at=datetime.datetime(2026, 1, 1, 9, 0, tzinfo=datetime.timezone.utc), status=404, "
        "params={'Status': 'completed'}, body=b'{\"code\": 20404, \"message\": \"The "
        f"requested resource /2010-04-01/Accounts/{ACCOUNT}/Calls/{missing}.json was not "
        'found", "more_info": "https://www.twilio.com/docs/errors/20404", '
        '"status": 404}\')'
    )


def test_a_long_body_is_shown_cut_with_its_length() -> None:
    with Simulator() as sim:
        sim.number("+15005550006")
        sim.client().calls.create(to="+15558675310", from_="+15005550006", twiml="<Response/>")
        sim.phone("+15558675310")
    created = sim.api_requests[0]
    body = created.body
    assert len(body) > 300
    assert repr(created).endswith(
        f"params={{'To': '+15558675310', 'From': '+15005550006', 'Twiml': '<Response/>'}}, "
        f"body={body[:300]!r}... ({len(body)} bytes))"
    )


def test_the_virtual_clock_shows_where_it_is_and_since_when() -> None:
    clock = VirtualClock(datetime(2026, 1, 5, 14, tzinfo=UTC))
    clock.move_to(2_500_000)
    assert repr(clock) == (
        "<VirtualClock at 2026-01-05 14:00:02.500000+00:00, 2.5 s after 2026-01-05 14:00:00+00:00>"
    )


def test_the_virtual_clock_shows_days_of_seconds_exactly() -> None:
    clock = VirtualClock(datetime(2026, 1, 5, 14, tzinfo=UTC))
    clock.move_to(1_036_800_000_001)
    assert repr(clock) == (
        "<VirtualClock at 2026-01-17 14:00:00.000001+00:00, 1036800.000001 s after "
        "2026-01-05 14:00:00+00:00>"
    )
    clock.move_to(1_036_801_000_000)
    assert repr(clock).split(", ")[1] == "1036801 s after 2026-01-05 14:00:00+00:00>"
