"""A webhook URL's connection override ``rc`` written with thousands of digits asks for as
many retries as the most there are (5), as ``rc=99`` does: Python's ``int()`` refuses such
a string, and the ``ValueError`` escaped from ``sim.run()`` as a failure of twimlsim."""

from __future__ import annotations

import pytest

from fixtures.twiml_app import TwimlApp
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator


@pytest.mark.parametrize("count", ["99", "9" * 5000])
def test_a_retry_count_beyond_the_limit_is_the_limit(count: str) -> None:
    redirect = f"<Response><Redirect>/next#rc={count}&amp;rp=5xx</Redirect></Response>"
    failing = (500, [("Content-Type", "text/plain")], "down")
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, TwimlApp({"/voice": redirect, "/next": lambda form: failing}))
        sim.number(CALLER_ID)
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        sim.run()
    requests = sim.calls[sid].requests
    assert [(r.kind, r.url, r.response.status) for r in requests] == [
        ("voice", f"{APP_URL}/voice", 200),
        *[("redirect", f"{APP_URL}/next", 500)] * 6,  # the request and its 5 retries
    ]
    assert [(f.code, f.url) for f in sim.failures] == [(11200, f"{APP_URL}/next")]
