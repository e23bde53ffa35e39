"""TwiML given inline (``Twiml`` on a call create or update) is text, already characters:
an encoding its XML declaration names is not applied to it again, as an XML parser reading
a string ignores it (an ISO-8859-1 declaration read 'café' as 'cafÃ©', a UTF-16 one failed
with 12100)."""

from __future__ import annotations

import pytest

from tests.engine.helpers import place, response, simulator
from tests.support import CALLEE

SAID = "Café, 5 € each."


@pytest.mark.parametrize("encoding", ["ISO-8859-1", "windows-1252", "UTF-16", "utf-8", "bogus"])
def test_a_declared_encoding_does_not_change_inline_text(encoding: str) -> None:
    twiml = f"<?xml version='1.0' encoding='{encoding}'?><Response><Say>{SAID}</Say></Response>"
    with simulator({}) as (sim, _):
        call = place(sim, url=None, twiml=twiml)
        sim.run()
    assert (call.said, sim.failures) == ([SAID], [])


def test_a_rest_update_to_inline_twiml_reads_its_text_too() -> None:
    routes = {"/voice": response('<Pause length="60"/>')}
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=30)
        call = place(sim)
        sim.advance(10)
        twiml = f'<?xml version="1.0" encoding="ISO-8859-1"?><Response><Say>{SAID}</Say></Response>'
        sim.client().calls(call.sid).update(twiml=twiml)
        sim.run()
    assert (call.said, sim.failures) == ([SAID], [])
