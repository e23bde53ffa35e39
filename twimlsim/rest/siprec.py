"""The Siprec subresource of a live call: ``POST /Calls/{Sid}/Siprec.json`` starts a SIPREC
session (as ``<Start><Siprec>`` does), ``POST /Calls/{Sid}/Siprec/{Sid or name}.json`` with
``Status=stopped`` stops one, whether the REST API or ``<Start><Siprec>`` started it
(Twilio's SIPREC page); a ``StatusCallback`` is told ``siprec-started`` and
``siprec-stopped`` as a ``<Siprec statusCallback>`` is (``engine/siprec.py``). Both answer
200 with the Siprec resource (the spec's only response); Twilio has no list or fetch.

Codes are fidelity choices where Twilio documents none, as for Streams: a call that is not
``in-progress`` cannot fork (21220); an invalid ``Track``, ``StatusCallbackMethod`` or
``Status`` is 20422 and an invalid ``StatusCallback`` 21609. Any ``ConnectorName`` is taken
(the simulation has no installed connectors to check it against) and none is required.
Without ``ConnectorName`` and ``Track`` the session goes through the connector named
``Default`` and carries ``both_tracks``, the defaults of Twilio's ``<Siprec>`` page (the
resource's page gives none; UNCONFIRMED that it defaults alike).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.engine.siprec import find_siprec, start_siprec, stop_siprec
from twimlsim.model.siprec import SiprecSession

from .params import Param, apply_params
from .render import in_progress, json_response
from .serialize import call_fork_json
from .stoppable import stop_by_sid_or_name
from .streams import custom_parameters

if TYPE_CHECKING:
    from .app import Context

__all__ = ["create", "siprec_json", "update"]

_CREATE_PARAMS: tuple[Param, ...] = (
    Param("Name", "name", "text"),
    Param("ConnectorName", "connector_name", "text"),
    Param("Track", "track", "enum", choices=("inbound_track", "outbound_track", "both_tracks")),
    Param("StatusCallback", "status_callback", "callback", 21609),
    Param("StatusCallbackMethod", "status_callback_method", "method"),
)


def siprec_json(session: SiprecSession) -> dict[str, object]:
    """The Siprec resource as Twilio's JSON has it."""
    return call_fork_json(
        "Siprec",
        session.sid,
        session.account_sid,
        session.call_sid,
        session.name,
        session.status,
        session.updated_at,
    )


def create(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Calls/{CallSid}/Siprec.json``: fork the live call to a SIPREC server now."""
    record = in_progress(
        ctx.account.calls, args["call_sid"], ctx.request.path, "forked", "the SIPREC session"
    )
    fields = apply_params(ctx.form, _CREATE_PARAMS)
    name, connector = fields.get("name"), fields.get("connector_name")
    callback = fields.get("status_callback")
    session = start_siprec(
        ctx.engine,
        ctx.engine.calls[record.sid],
        name=str(name) if name is not None else None,
        connector_name=str(connector) if connector is not None else "Default",
        track=str(fields.get("track", "both_tracks")),
        parameters=custom_parameters(ctx),
        status_callback=str(callback) if callback is not None else None,
        status_callback_method=str(fields.get("status_callback_method", "POST")),
    )
    return json_response(siprec_json(session), 200)


def update(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Calls/{CallSid}/Siprec/{Sid}.json``: stop the session with this SID or name."""
    return stop_by_sid_or_name(
        ctx, args["call_sid"], args["siprec"], find_siprec, stop_siprec, siprec_json
    )
