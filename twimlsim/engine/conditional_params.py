"""Twilio's webhook parameters that only some calls carry, named when an app answered a
request without one as if it had read a key the request lacked (Flask's 400 for
``request.form['CallerName']``): the app cannot say which key it was, and these are the
ones a view written against a real call's request most often expects.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

__all__ = ["missing_conditional_params", "redirect_has_no_input", "unbound_form_fields"]

#: Each parameter, the calls it may come on (their ``Direction``) and when Twilio sends it.
_SENT_ONLY = (
    (
        "CallerName",
        "inbound",
        "when the called number has caller ID lookup on: sim.number(n, "
        "voice_caller_id_lookup=True)",
    ),
    ("AnsweredBy", "outbound", "on a call placed with machine detection"),
    (
        "ForwardedFrom",
        "inbound",
        "when a carrier forwarded the call and said so: sim.incoming_call(..., "
        "params={'ForwardedFrom': ...})",
    ),
)


def missing_conditional_params(params: Mapping[str, str]) -> str:
    """``"; ... this request has no X (sent when ...)"`` for each parameter of
    ``_SENT_ONLY`` that a call of this request's direction may carry and it lacks, or
    ``""``."""
    direction = params.get("Direction", "")
    missing = [
        f"{name} (sent {when})"
        for name, on, when in _SENT_ONLY
        if direction.startswith(on) and name not in params
    ]
    if not missing:
        return ""
    return "; of the parameters Twilio sends only on some calls, this request has no " + (
        ", no ".join(missing)
    )


def redirect_has_no_input(kind: str, params: Mapping[str, str]) -> str:
    """``"; this request came from a <Redirect> ..."`` when a request a ``<Redirect>`` made
    lacks the caller's input, or ``""``: an IVR's "back to the menu" redirect to the URL its
    ``<Gather>`` posts to reaches a view that reads ``Digits``, which only the
    ``<Gather>``'s own request carries."""
    if kind != "redirect" or "Digits" in params or "SpeechResult" in params:
        return ""
    return (
        "; this request came from a <Redirect>, which sends the call's parameters only: no "
        "Digits or SpeechResult (a <Gather>'s action request alone carries them), so a "
        "view that reads them fails when redirected to; redirect to the URL that answers "
        "with the <Gather>, or read them with request.form.get"
    )


def unbound_form_fields(body: str, params: Mapping[str, str]) -> str:
    """``"; Digits was sent empty ..."`` for each body field a FastAPI 422 names as missing,
    said of this request: sent empty (FastAPI takes an empty form value as missing, and
    Twilio sends ``Digits=`` from a ``<Gather actionOnEmptyResult>`` with no input), one
    Twilio sends only on some calls, or absent; ``""`` when the body names none."""
    try:
        detail = json.loads(body).get("detail")
    except (ValueError, AttributeError):
        return ""
    if not isinstance(detail, list):
        return ""
    direction = params.get("Direction", "")
    sometimes = {name: when for name, on, when in _SENT_ONLY if direction.startswith(on)}
    said = []
    for error in detail:
        location = error.get("loc") if isinstance(error, dict) else None
        if error.get("type") != "missing" or not isinstance(location, list) or len(location) != 2:
            continue
        name = str(location[1])
        if params.get(name) == "":
            said.append(
                f"{name} was sent empty ({name}=), which FastAPI takes as missing: give it a "
                "default (Form(''))"
            )
        elif name in params:
            continue
        elif name in sometimes:
            said.append(f"this request has no {name} (sent {sometimes[name]})")
        else:
            said.append(f"this request has no {name}")
    return "".join(f"; {text}" for text in said)
