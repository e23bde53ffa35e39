"""A failure's advice in ``twimlsim serve``'s terms: its clients script far ends with
``POST /twimlsim/phones``, not ``sim.phone(...)``."""

from __future__ import annotations

import pytest

from twimlsim import Simulator
from twimlsim.serve_summary import for_the_server

CALLER = "+15558675310"


@pytest.mark.parametrize(
    ("python", "served"),
    [
        (
            f"script sim.phone('{CALLER}').hangs_up(after=N) or give the <Dial> a timeLimit",
            f'script POST /twimlsim/phones {{"number": "{CALLER}", "steps": [{{"action": '
            '"hangs_up", "after": N}]} or give the <Dial> a timeLimit',
        ),
        (
            f"(sim.phone('{CALLER}').records(5, hangs_up=True)) or give",
            f'(POST /twimlsim/phones {{"number": "{CALLER}", "steps": [{{"action": "records", '
            '"seconds": 5, "hangs_up": true}]}) or give',
        ),
        (
            f"runs (sim.phone('{CALLER}').presses('1')), and",
            f'runs (POST /twimlsim/phones {{"number": "{CALLER}", "steps": [{{"action": '
            '"presses", "digits": "1"}]}), and',
        ),
        (
            "use sim.phone('client:alice').silence()",
            'use POST /twimlsim/phones {"number": "client:alice", "steps": [{"action": '
            '"silence"}]}',
        ),
    ],
)
def test_a_far_end_step_is_advised_as_the_control_request(python: str, served: str) -> None:
    assert for_the_server(python) == served


def test_a_stuck_bridge_is_told_how_to_script_the_hang_up_through_the_control_api() -> None:
    """A Voice SDK quickstart's <Dial> to a number no script hangs up: the 32015 at the
    four-hour limit names the request that scripts the hang-up."""
    with Simulator(allow_codes={32015}) as sim:
        sim.number("+15005550006")
        sim.client().calls.create(
            to="client:alice",
            from_="+15005550006",
            twiml=f"<Response><Dial><Number>{CALLER}</Number></Dial></Response>",
        )
        sim.run()
        [failure] = sim.failures
    assert for_the_server(failure.message).endswith(
        f"whose far end has no hang-up scripted (an unscripted number never hangs up first): "
        f'script POST /twimlsim/phones {{"number": "{CALLER}", "steps": [{{"action": '
        '"hangs_up", "after": N}]} or give the <Dial> a timeLimit'
    )


@pytest.mark.parametrize(
    ("python", "served"),
    [
        (
            "Use one of those numbers, or verify it with sim.verified_caller_id(...)",
            "Use one of those numbers, or verify it with POST /twimlsim/verified-caller-ids "
            '{"number": ...}',
        ),
        (
            f"is not one (add it with sim.verified_caller_id('{CALLER}')): the leg failed",
            f'is not one (add it with POST /twimlsim/verified-caller-ids {{"number": '
            f'"{CALLER}"}}): the leg failed',
        ),
        (
            "buy it with sim.number(...); a verified caller ID cannot text",
            'buy it with POST /twimlsim/numbers {"number": ...}; a verified caller ID cannot text',
        ),
    ],
)
def test_an_account_number_is_advised_as_the_control_request(python: str, served: str) -> None:
    assert for_the_server(python) == served


def test_a_quickstart_s_invalid_caller_id_is_verified_through_the_control_api() -> None:
    """A Voice SDK quickstart dials with callerId '1234567890' (a placeholder): the 13214
    under serve names the control request, not the Python method."""
    with Simulator(allow_codes={13214}) as sim:
        sim.number("+15005550006")
        sim.client().calls.create(
            to="client:alice",
            from_="+15005550006",
            twiml=f'<Response><Dial callerId="1234567890">{CALLER}</Dial></Response>',
        )
        sim.run()
        [failure] = sim.failures
    assert for_the_server(failure.message) == (
        "callerId '1234567890' is not this call's own number (+15005550006 or client:alice), "
        "a number the account owns or a verified caller ID; twimlsim called nobody "
        "(DialCallStatus=failed). Use one of those numbers, or verify it with POST "
        '/twimlsim/verified-caller-ids {"number": ...}'
    )
