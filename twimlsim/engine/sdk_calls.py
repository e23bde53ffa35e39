"""Calls a Voice SDK device places through a TwiML App (``device.connect(params)``): the
application's ``VoiceUrl`` is requested as for an incoming call, from ``client:<identity>``.

As captured from Twilio (reference Part II §2): ``From``/``Caller`` are
``client:<identity>``, ``To``/``Called`` are the ``To`` the device passed (empty strings
without one), ``ApplicationSid`` is present, ``Direction`` is ``inbound`` and
``CallStatus`` ``ringing``; every parameter the device passed is sent under its own name.
The call is answered by its TwiML as an inbound call is, and the application's status
callback reports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .inbound import life_with_params, ring_inbound

if TYPE_CHECKING:
    from twimlsim.model.application import Application
    from twimlsim.model.store import Account

    from .engine import Engine
    from .session import SimCall

__all__ = ["sdk_call"]


def sdk_call(
    engine: Engine,
    account: Account,
    identity: str,
    application: Application,
    params: Mapping[str, str],
) -> SimCall:
    """The device of ``identity`` connects to ``application`` with ``params``; it rings at
    once."""
    from_ = identity if identity.startswith("client:") else f"client:{identity}"
    return ring_inbound(
        engine,
        account_sid=account.sid,
        to=params.get("To", ""),
        from_=from_,
        voice=application,
        life=life_with_params(engine, params, sdk=True),
        application_sid=application.sid,
    )
