"""Pacing: each account's queue releases calls at its CPS; queue_time says how long."""

from __future__ import annotations

import pytest

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator


@pytest.mark.parametrize(("cps", "gap_ms"), [(1, 1000), (5, 200)])
def test_100_calls_leave_the_queue_at_the_cps(cps: int, gap_ms: int) -> None:
    with Simulator(cps=cps) as sim:
        sim.number(CALLER_ID)
        client = sim.client()
        created = [
            client.calls.create(to=CALLEE, from_=CALLER_ID, twiml="<Response/>") for _ in range(100)
        ]
        assert [call.queue_time for call in created] == [str(i * gap_ms) for i in range(100)]
        assert {call.status for call in created} == {"queued"}
        sim.run()
        start = sim.clock.start
        initiated = [
            (sim.calls[call.sid].record.start_time - start).total_seconds()  # type: ignore[operator]
            for call in created
        ]
        assert initiated == [i * gap_ms / 1000 for i in range(100)]
        assert initiated[-1] == pytest.approx(99 if cps == 1 else 19.8)
        last = client.calls(created[-1].sid).fetch()
        assert (last.status, last.queue_time) == ("completed", str(99 * gap_ms))


def test_subaccounts_have_their_own_queue(sim: Simulator) -> None:
    sub = sim.subaccount("Tenant", cps=2)
    sim.number("+15005550007", account=sub)  # a number has one owner
    from twilio.rest import Client

    main, tenant = sim.client(), Client(sub.sid, sub.auth_token)
    main_calls = [
        main.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice") for _ in range(2)
    ]
    sub_calls = [
        tenant.calls.create(to=CALLEE, from_="+15005550007", url=f"{APP_URL}/voice")
        for _ in range(3)
    ]
    assert [c.queue_time for c in main_calls] == ["0", "1000"]
    assert [c.queue_time for c in sub_calls] == ["0", "500", "1000"]
    assert {c.account_sid for c in sub_calls} == {sub.sid}
    sim.run()
