"""What ``twimlsim call`` prints after the calls, in the command's own terms: failures with
its options as the advice, input given that no call reached or that a ``<Gather>`` ignored,
each named as the option that gave it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .transports.timing import LIFT_THE_LIMIT

if TYPE_CHECKING:
    from .simulator import Simulator

__all__ = [
    "FAR_END_OPTIONS",
    "credentials_note",
    "for_the_command_line",
    "ignored_input",
    "rest_requests_for_the_command_line",
    "unused_input",
]

#: The command's option that gives each kind of far-end step (``--press 9``, ``--say yes``).
FAR_END_OPTIONS = {"presses": "--press", "says": "--say"}


def unused_input(
    sim: Simulator, far_end: str, far_end_option: str = "--to", *, options_given: bool = True
) -> str:
    """The input given that no call reached, as it was given: ``--press 9`` for the call's
    own far end (when ``options_given``: the command had ``--press`` or ``--say``), the
    ``sim.phone(...)`` step of a ``--phone`` script. A script for a number no call was to
    or from is named as such, with the option that would make it the call's far end
    (``far_end_option``: ``--from`` for an incoming call, ``--to`` otherwise)."""
    import shlex

    on_a_call = {leg.record.to for leg in sim.calls.values()}
    on_a_call |= {leg.record.from_ for leg in sim.calls.values()}
    shown, strangers = [], []
    for phone in sim.engine.phones.values():
        steps = phone.unused()
        for step in steps:
            option = FAR_END_OPTIONS.get(step.action)
            if options_given and phone.number == far_end and option is not None:
                shown.append(f"{option} {shlex.quote(step.value or '')}")
            else:
                shown.append(f"sim.phone({phone.number!r}).{step.describe()}")
        if steps and phone.number not in on_a_call:
            strangers.append(phone.number)
    from .engine.unused_steps import hung_up_first, key_after_record, never_answered

    text = "input given was never reached: " + "; ".join(shown)
    early = [
        why
        for phone in sim.engine.phones.values()
        if (
            why := hung_up_first(phone)
            or key_after_record(phone)
            or never_answered(phone, sim.engine.calls.values())
        )
    ]
    if early:
        text += f" ({'; '.join(early)})"
    if strangers:
        numbers = ", ".join(strangers)
        text += (
            f" (no call was to or from {numbers}, so nothing took its script: this call's far "
            f"end is {far_end} ({far_end_option} {strangers[0]} would make it {strangers[0]}), "
            f"and another number is reached only when the app dials it{_dials_failed(sim)})"
        )
    return text


def _dials_failed(sim: Simulator) -> str:
    """What to add where the app did dial but its ``<Dial>`` called nobody (a refused
    callerId, 13214): when each was, and that the problems listed say why."""
    from .engine.events import Dialed

    at = [
        f"{event.at:%H:%M:%S}"
        for leg in sim.calls.values()
        for event in leg.transcript
        if isinstance(event, Dialed) and event.child_sid is None and event.status == "failed"
    ]
    if not at:
        return ""
    which = "<Dial>" if len(at) == 1 else f"{len(at)} <Dial>s"
    return (
        f"; the app's {which} at {', '.join(at)} called nobody (DialCallStatus=failed): the "
        "problems Twilio would log, above, say why"
    )


def ignored_input(sim: Simulator, call_sid: str) -> list[str]:
    """One line per input a ``<Gather>`` of any leg ignored (speech at a DTMF-only one, keys
    at a speech-only one), naming the option that gave it and what to give instead."""
    from .engine.events import Gathered

    lines = []
    for leg in sim.calls.values():
        if leg.sid == call_sid:  # its far end is scripted by --press and --say
            keys, words = "--press", "--say"
        else:
            keys, words = "presses() in --phone", "says() in --phone"
        for event in leg.transcript:
            if not isinstance(event, Gathered):
                continue
            where = f"call {leg.sid} at {event.at:%H:%M:%S}: "
            if event.ignored_speech is not None:
                lines.append(
                    f"{where}the far end said {event.ignored_speech!r} ({words}) at a <Gather> "
                    'that takes keys only (input="dtmf"): Twilio ignores speech there; give '
                    f'keys instead ({keys}), or let the app take speech (input="dtmf speech")'
                )
            elif event.ignored_digits:
                lines.append(
                    f"{where}the far end pressed {event.ignored_digits!r} ({keys}) at a "
                    '<Gather> that takes speech only (input="speech"): Twilio ignores keys '
                    f'there; give words instead ({words}), or let the app take keys (input="dtmf '
                    'speech")'
                )
    return lines


#: The Python advice of a 32015 (a far end with no hang-up), as ``--phone`` takes it.
_HANG_UP_ADVICE = re.compile(r"script (sim\.phone\('[^']*'\)\.hangs_up\(after=)N\)")


#: The Python advice of a document loop (a far end that never hangs up), a far-end step
#: in brackets, as ``--phone`` takes it.
_LOOP_ADVICE = re.compile(r"\((sim\.phone\('[^']*'\)\.[a-z_]+\([^()]*\))\)")


def for_the_command_line(message: str, url: str) -> str:
    """A failure's Python advice as this command's: a stream is closed at the keyboard, the
    auth token is an option, and so is the method of the call's ``url``."""
    if f" at {url}: the app answered HTTP 405 to POST;" in message:
        message = message.replace(
            "or configure the webhook's method to match it",
            "or request it with GET: twimlsim call --method GET",
        )
    from twimlsim.engine.diagnosis import LITESTAR_DEBUG_IN_TESTS, TOKEN_READ_AT_IMPORT

    message = message.replace(TOKEN_READ_AT_IMPORT, "")
    message = message.replace(
        LITESTAR_DEBUG_IN_TESTS, "make the app with Litestar(..., debug=True) for --app"
    )
    # the far end a call left running for 4 hours: --phone takes the very line
    message = _HANG_UP_ADVICE.sub(
        r"""script it with --phone "\g<1>60)" (the seconds it talks)""", message
    )
    if " documents fetched on one call (" in message:
        message = _LOOP_ADVICE.sub(r"""(--phone "\g<1>")""", message)
    for python, command_line in _COMMAND_LINE_ADVICE:
        message = message.replace(python, command_line)
    message = _NUMBER_ADVICE.sub(
        lambda found: f"{'--verified-caller-id' if found[1] else '--number'} {found[2]}", message
    )
    if " is not an Exception, " in message:  # one the app raised: the command went on
        from twimlsim.engine.abandoned import NEXT_RUN, PASSED_ON

        message = message.replace(
            PASSED_ON,
            "so twimlsim stopped the app's answer there, as a WSGI server ends its thread",
        ).replace(NEXT_RUN, "as the run went on")
    return message


#: A number to own or verify, as a refused create's advice writes it
#: (``sim.verified_caller_id('+15558675310')``), and the option that does it.
_NUMBER_ADVICE = re.compile(r"sim\.(?:number|(verified)_caller_id)\('(\+?[0-9]+)'\)")


#: Advice for a test's client on the test credentials, which this command never uses.
_TEST_CREDENTIALS_ADVICE = re.compile(
    r"; a client on the test credentials \(sim\.test_auth_token\) (?:calls|texts) only from "
    r"Twilio's magic \+15005550006"
)


def rest_requests_for_the_command_line(part: str, url: str) -> str:
    """A report's REST requests about no call with their advice in this command's terms:
    the credentials advice points to the note after the report (``credentials_note``)."""
    from .report import CREDENTIALS_HINT

    part = part.replace(
        CREDENTIALS_HINT,
        "the credentials are not the simulated account's: see the note after the report",
    )
    return for_the_command_line(_TEST_CREDENTIALS_ADVICE.sub("", part), url)


#: Python advice in failures, and what this command takes instead.
_COMMAND_LINE_ADVICE = (
    ("sim.verified_caller_id(...)", "--verified-caller-id NUMBER (or own it: --number NUMBER)"),
    ("sim.number(...)", "--number NUMBER"),
    (
        "the app's server closes it: call.close_stream()",
        "the app's server closes it: take the call with --interactive and press Enter to close it",
    ),
    (
        "give the app the simulator's auth token (sim.auth_token)",
        "give twimlsim call the app's auth token with --auth-token",
    ),
    (
        "set it to the simulator's auth token (sim.auth_token)",
        "set it, and give twimlsim call the same token with --auth-token",
    ),
    (
        LIFT_THE_LIMIT,
        "if the time went by at a debugger breakpoint, or the app is slow only under test, "
        "give --webhook-timeout none (no limit) or more seconds",
    ),
)


#: How many refused REST requests ``credentials_note`` names before counting the rest.
_REFUSED_SHOWN = 3


def credentials_note(sim: Simulator) -> str:
    """What an app run with ``--app`` whose REST requests were refused (401) can do: use
    the simulated account's credentials, the same on every run. The refused requests are
    named (method and URL, so the account SID the app used): a request no call's report
    lists (a ``calls.create`` the app's webhook made, its 500 then the only trace) is
    otherwise nowhere in the output."""
    refused = list(
        dict.fromkeys(
            f"{request.method} {request.url}"
            for request in sim.api_requests
            if request.status == 401
        )
    )
    named = "; ".join(refused[:_REFUSED_SHOWN])
    if len(refused) > _REFUSED_SHOWN:
        named += f"; and {len(refused) - _REFUSED_SHOWN} more"
    return (
        "twimlsim call: the app called the REST API with credentials the simulated account "
        f"does not have, and was answered 401: {named}; give it AccountSid "
        f"{sim.account_sid} and auth token {sim.auth_token} (the same on every run), e.g. as "
        "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN if that is where it reads them"
    )
