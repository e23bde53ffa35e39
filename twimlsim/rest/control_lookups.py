"""``POST /twimlsim/lookups``: what Twilio's Lookup API reports about a number, for a
``twimlsim serve`` client (``sim.phone(number).line_type(...)`` and ``.caller_name(...)``).

A body with ``line_type`` sets the line (its ``carrier_name``, ``mobile_country_code`` and
``mobile_network_code`` with it), one with ``caller_name`` the caller name (and its
``caller_type``); a refused body changes nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .control_input import Kind, fields, invalid

if TYPE_CHECKING:
    from twimlsim.simulator import Simulator

__all__ = ["set_lookup_facts"]

_LINE_FIELDS = ("carrier_name", "mobile_country_code", "mobile_network_code")
_KINDS: dict[str, Kind] = {
    "number": str,
    "line_type": str,
    **dict.fromkeys(_LINE_FIELDS, str),
    "caller_name": str,
    "caller_type": str,
}


def set_lookup_facts(sim: Simulator, body: Mapping[str, Any]) -> dict[str, object]:
    """Set the facts ``body`` gives; the number's facts as they now are."""
    given = fields(body, "lookups", _KINDS, frozenset({"number"}))
    line = {name: given[name] for name in _LINE_FIELDS if name in given}
    if line and "line_type" not in given:
        verb = "needs" if len(line) == 1 else "need"
        raise invalid(
            f'lookups: {", ".join(line)} {verb} a line_type; add one, such as "line_type": "mobile"'
        )
    if "caller_type" in given and "caller_name" not in given:
        raise invalid(
            'lookups: caller_type needs a caller_name; add one, such as "caller_name": "Jane Doe"'
        )
    if "line_type" not in given and "caller_name" not in given:
        raise invalid(
            f"lookups: the facts of {given['number']} give no line_type and no caller_name; "
            'give either or both, such as "line_type": "mobile"'
        )
    phone = sim.phone(given["number"])
    before = dataclasses.replace(phone.facts)
    try:
        if "line_type" in given:
            phone.line_type(given["line_type"], **line)
        if "caller_name" in given:
            phone.caller_name(given["caller_name"], caller_type=given.get("caller_type"))
    except BaseException:
        phone.facts = before
        raise
    return {"number": phone.number, **dataclasses.asdict(phone.facts)}
