"""What ``twimlsim serve`` prints when it stops: how many calls ran, every problem Twilio
would have logged, every REST request the API refused, every scripted far-end step no call
reached and every webhook still waiting for the app's answer, then the exit status."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from .errors import describe_failures
from .transports.timing import LIFT_THE_LIMIT

if TYPE_CHECKING:
    from .serve import Served

__all__ = ["KEPT_REFUSALS", "for_the_server", "summary"]

#: How many refused REST requests the exit summary keeps (the latest; all are counted).
KEPT_REFUSALS = 100


def summary(served: Served) -> list[str]:
    """The lines printed at exit: how many calls ran, every failure, every REST request the
    API refused, every scripted far-end step no call reached and every webhook the app had
    not answered when the server stopped (listed, not counted as a problem: the stop cut it
    short), then the exit status when anything went wrong (and what to do about it)."""
    failures = served.failures
    calls = served.call_count
    head = f"twimlsim serve: stopped after {calls} call{'' if calls == 1 else 's'}"
    live = served.live_count
    if live:
        them = "it" if live == 1 else "them"
        head += f" ({live} still live: the stop cut {them} short)"
    count, refused = served.failure_total, served.refusal_total
    unreached = served.unreached_before_reset + served.unreached_now()
    waiting = served.unanswered
    out = (
        f"{len(waiting)} {'webhook' if len(waiting) == 1 else 'webhooks'} the app had not "
        "answered yet (not waited for)"
    )
    if not count and not refused and not unreached:
        if not waiting:
            return [f"{head}; no problems"]
        return [f"{head}; no problems; {out}:", *(f"  webhook {line}" for line in waiting)]
    parts = []
    if count:
        latest = f" (the latest {len(failures)})" if len(failures) < count else ""
        parts.append(f"{count} {'problem' if count == 1 else 'problems'} Twilio would log{latest}")
    if refused:
        kept = len(served.refusals_kept)
        latest = f" (the latest {kept})" if kept < refused else ""
        parts.append(
            f"{refused} REST {'request' if refused == 1 else 'requests'} the API refused{latest}"
        )
    if unreached:
        shown = f" (the first {KEPT_REFUSALS})" if len(unreached) > KEPT_REFUSALS else ""
        noun = "step" if len(unreached) == 1 else "steps"
        parts.append(f"{len(unreached)} scripted far-end {noun} no call reached{shown}")
    if waiting:
        parts.append(out)
    lines = [f"{head}; {' and '.join(parts)}:"]
    # a problem a call met again and again (a warning on each document of a loop) is one
    # line with its count, as a failing test's error gives it
    lines += [f"  {for_the_server(line)}" for line in describe_failures(failures, limit=None)]
    lines += [f"  {refusal}" for refusal in served.refusals_kept]
    lines += [f"  {step}" for step in unreached[:KEPT_REFUSALS]]
    lines += [f"  webhook {line}" for line in waiting]
    if served.blocking_total:
        lines.append(
            "twimlsim serve: exit status 1; give --allow-code CODE for a code the app meets "
            "on purpose (a test of its error handling)"
        )
    elif unreached:
        lines.append(
            "twimlsim serve: exit status 1; a step no call reached means a call went another "
            "way than scripted (POST /twimlsim/phones): check the steps against the app's menus"
        )
    else:
        allowed = " ".join(f"--allow-code {code}" for code in sorted(served.allowed_codes))
        lines.append(f"twimlsim serve: exit status 0: every code above is allowed ({allowed})")
    return lines


#: A far-end script step a failure advises, as Python: ``sim.phone('+1...').hangs_up(after=N)``.
_SCRIPT_STEP = re.compile(r"sim\.phone\('(\+?[0-9A-Za-z:@._-]*)'\)\.([a-z_]+)\(([^()]*)\)")

#: The field a step's first positional argument fills, as ``POST /twimlsim/phones`` names it.
_POSITIONAL_FIELD = {"presses": "digits", "says": "text", "records": "seconds"}


def _step_as_request(match: re.Match[str]) -> str:
    """``sim.phone('+1...').records(5, hangs_up=True)`` as the control request that scripts
    it; a placeholder value (``N``) is kept as it is."""
    number, action, arguments = match.groups()
    fields = [f'"action": "{action}"']
    for position, argument in enumerate(filter(None, (a.strip() for a in arguments.split(",")))):
        name, _, value = argument.rpartition("=")
        name = name.strip() or _POSITIONAL_FIELD.get(action, f"argument {position + 1}")
        value = value.strip()
        if value in ("True", "False"):
            value = value.lower()
        elif value[:1] in "'\"":
            value = json.dumps(value[1:-1])
        fields.append(f'"{name}": {value}')
    steps = ", ".join(fields)
    return f'POST /twimlsim/phones {{"number": "{number}", "steps": [{{{steps}}}]}}'


#: An account's number or verified caller ID a failure advises adding, as Python:
#: ``sim.verified_caller_id('+1...')``, or ``(...)`` where the message named it already.
_ACCOUNT_NUMBER = re.compile(r"sim\.(verified_caller_id|number)\((?:'(\+?[0-9]*)'|\.\.\.)\)")

#: The control request that adds each.
_ACCOUNT_REQUEST = {"verified_caller_id": "verified-caller-ids", "number": "numbers"}


def _number_as_request(match: re.Match[str]) -> str:
    """``sim.verified_caller_id('+1...')`` as ``POST /twimlsim/verified-caller-ids``."""
    kind, number = match.groups()
    value = "..." if number is None else json.dumps(number)
    return f'POST /twimlsim/{_ACCOUNT_REQUEST[kind]} {{"number": {value}}}'


def for_the_server(message: str) -> str:
    """A failure's Python advice in this server's terms: the auth token is the banner's, the
    read timeout is an option, and a far end's script, a verified caller ID or a number the
    account owns is the control request that sets it."""
    message = _SCRIPT_STEP.sub(_step_as_request, message)
    if "sim." in message:
        message = _ACCOUNT_NUMBER.sub(_number_as_request, message)
    return message.replace(
        "give the app the simulator's auth token (sim.auth_token)",
        "give the app the auth token of twimlsim serve's banner (auth_token)",
    ).replace(
        LIFT_THE_LIMIT,
        "if the time went by at a debugger breakpoint, or the app is slow only under test, "
        "start twimlsim serve with --webhook-timeout none (no limit) or more seconds",
    )
