"""The options of ``twimlsim call`` (``cli.py`` places the call they describe)."""

from __future__ import annotations

import argparse
import json
import re
from datetime import datetime
from typing import TYPE_CHECKING

from .defaults import DEFAULT_WEBHOOK_TIMEOUT
from .serve_options import TUNNEL_HELP, tunnel_option, webhook_timeout_option
from .start_time import parse_start

if TYPE_CHECKING:
    from .phone_script import PhoneScript

__all__ = ["CALL_EVENTS", "add_call_arguments", "default_numbers"]


#: The events of ``StatusCallbackEvent``, in the order a call meets them.
CALL_EVENTS = ("initiated", "ringing", "answered", "completed")


#: The two numbers of a call when ``--to``/``--from`` are not given: the far end and the
#: account's number, whichever way the call goes.
_FAR_END, _OWNED = "+15558675310", "+15005550006"


def default_numbers(args: argparse.Namespace) -> None:
    """``--to`` and ``--from`` not given: an outbound call goes from the account's number to
    the far end; with ``--incoming`` the far end calls the account's number (so the app
    reads the caller in ``From``, as Twilio sends it)."""
    if args.to is None:
        args.to = _OWNED if args.incoming else _FAR_END
    if args.from_ is None:
        args.from_ = _FAR_END if args.incoming else _OWNED


def _phone_script(text: str) -> PhoneScript:
    """``--phone``: a far end scripted with the line a test writes (``sim.phone(...)...``)."""
    from .phone_script import parse_phone_script

    try:
        return parse_phone_script(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _start_option(text: str) -> datetime:
    """``--start``: an ISO 8601 date and time; one without a UTC offset is read as UTC."""
    try:
        return parse_start(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _html_file(text: str) -> str:
    """An ``--html`` file name: an empty one (an unset shell variable) is refused before
    the call runs, not after it as "cannot write the timeline page to : Is a directory"."""
    if not text.strip():
        raise argparse.ArgumentTypeError(
            f"{text!r} is an empty file name (an unset shell variable?); give the file to "
            "write the timeline page to, such as call.html"
        )
    return text


#: A parameter's name as Twilio sends them (``StirVerstat``, ``SipHeader_X-Customer``).
_PARAM_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")


def _param_option(text: str) -> tuple[str, str]:
    """``--param NAME=VALUE``: a parameter of an incoming call's first voice request."""
    from .arguments import shown  # here: the command line's help imports this module

    name, equals, value = text.partition("=")
    if not equals or not name:
        raise argparse.ArgumentTypeError(
            f"{shown(text)} is not NAME=VALUE: give a parameter Twilio adds to an incoming call's "
            'first voice request, such as AddOns=\'{"status": "successful", ...}\' or '
            "StirVerstat=TN-Validation-Passed-A"
        )
    if not _PARAM_NAME.fullmatch(name):
        raise argparse.ArgumentTypeError(
            f"{shown(name)} is not the name of a parameter Twilio sends (a letter, then letters, "
            "digits, _, - or .): give one such as StirVerstat, CallerName or "
            "SipHeader_X-Customer"
        )
    if name == "AddOns":
        _check_add_ons(value)
    return name, value


#: A JSON value's kind, by its Python type.
_JSON_KINDS = {"str": "string", "list": "array", "int": "number", "float": "number"}


def _no_number(digits: str) -> int:
    """A JSON integer, read only as one (its value is not needed)."""
    return 0


def _check_add_ons(value: str) -> None:
    """``AddOns``: the Add-ons' results Twilio sends are a JSON object (``status``,
    ``results``...); a value that is not one is most often JSON the shell unquoted."""
    from .arguments import shown

    try:
        # an integer's digits are not read: Python refuses more than 4,300 of them, which
        # JSON allows (and the app is sent the text as given)
        parsed = json.loads(value, parse_int=_no_number)
    except json.JSONDecodeError as error:
        reason = error.msg
    except RecursionError:
        raise argparse.ArgumentTypeError(
            f"AddOns {shown(value)} is nested too deeply to read (more levels of arrays "
            "and objects than Python can follow); the Add-ons' results Twilio sends are a "
            'JSON object a few levels deep: give one such as --param AddOns=\'{"status": '
            '"successful", "results": {...}}\''
        ) from None
    else:
        if isinstance(parsed, dict):
            return
        kind = _JSON_KINDS.get(type(parsed).__name__, json.dumps(parsed))
        reason = f"a JSON {kind}, not an object"
    raise argparse.ArgumentTypeError(
        f"AddOns {shown(value)} is not a JSON object ({reason}), which the Add-ons' results "
        "Twilio sends always are: quote the whole value for the shell, such as --param "
        'AddOns=\'{"status": "successful", "results": {...}}\''
    )


def add_call_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``twimlsim call``'s arguments to its parser."""
    parser.add_argument("url", help="the TwiML URL the call fetches when answered")
    parser.add_argument(
        "--app",
        help="run this WSGI/ASGI app (module:attribute, the module dotted or its file, "
        "app.py:app) in process; without it the webhooks "
        "go over HTTP to the app running at URL",
    )
    parser.add_argument(
        "--incoming",
        action="store_true",
        help="the far end calls in, to the account's number --to whose voice URL is URL (as "
        "an app configured under 'A call comes in' is reached): Direction=inbound, the caller "
        "in From; without it the account places an outbound-api call to the far end",
    )
    parser.add_argument(
        "--to",
        metavar="NUMBER",
        help=f"the number called (default {_FAR_END}; with --incoming the account's number, "
        f"default {_OWNED}, or a SIP URI at a SIP Domain whose voice URL is URL, such as "
        "sip:+15551234567@office.sip.twilio.com, for a call a PBX or softphone sends)",
    )
    parser.add_argument(
        "--from",
        dest="from_",
        metavar="NUMBER",
        help=f"the caller ID, an owned number (default {_OWNED}), or client:NAME when --to is "
        f"a client or SIP address; with --incoming the caller (default {_FAR_END}, or a Voice "
        "SDK client's client:NAME)",
    )
    parser.add_argument(
        "--method",
        default="POST",
        choices=["GET", "POST"],
        help="how the URL is requested (default POST, as Twilio's; GET for an app whose "
        "voice route takes GET only)",
    )
    parser.add_argument(
        "--number",
        dest="numbers",
        action="append",
        default=[],
        metavar="E164",
        help="another number the account owns (a callerId the app dials with) (repeat)",
    )
    parser.add_argument(
        "--verified-caller-id",
        dest="verified_caller_ids",
        action="append",
        default=[],
        metavar="E164",
        help="a verified caller ID of the account (repeat)",
    )
    parser.add_argument(
        "--param",
        dest="params",
        action="append",
        default=[],
        type=_param_option,
        metavar="NAME=VALUE",
        help="with --incoming, a parameter Twilio adds to the call's first voice request for "
        "the number's configuration: AddOns (its Add-ons' results, a JSON text, which a "
        "spam-blocking app reads), StirVerstat, CallerName (repeat)",
    )
    parser.add_argument(
        "--status-callback",
        metavar="URL",
        help="status callback URL (every event, or those of --status-callback-event; with "
        "--incoming the number's, which Twilio sends the completed event only)",
    )
    parser.add_argument(
        "--status-callback-event",
        dest="status_callback_events",
        action="append",
        default=[],
        choices=CALL_EVENTS,
        metavar="EVENT",
        help="an event --status-callback is sent: initiated, ringing, answered or completed "
        "(repeat; default all four; Twilio's own default, when the app gives none, is "
        "completed only)",
    )
    parser.add_argument(
        "--machine-detection",
        choices=("Enable", "DetectMessageEnd"),
        help="ask for answering machine detection, as the app's calls.create does: "
        "AnsweredBy is sent (human, unless --phone scripts the far end's "
        '.machine("machine_start"), a fax, ...); not with --incoming',
    )
    parser.add_argument(
        "--auth-token",
        metavar="TOKEN",
        help="sign the webhooks with TOKEN, the auth token the app validates "
        "X-Twilio-Signature with (default: the simulated account's, printed on standard error "
        "for an app over HTTP)",
    )
    parser.add_argument(
        "--webhook-timeout",
        type=webhook_timeout_option,
        default=DEFAULT_WEBHOOK_TIMEOUT,
        metavar="SECONDS",
        help="how long the app may take to answer a webhook, in wall seconds (default 15, "
        "Twilio's read timeout; none: no limit, to stop the app at a debugger breakpoint)",
    )
    parser.add_argument(
        "--tunnel",
        dest="tunnels",
        action="append",
        type=tunnel_option,
        default=[],
        metavar="PUBLIC=LOCAL",
        help=TUNNEL_HELP + "; without --app only",
    )
    parser.add_argument(
        "--start",
        type=_start_option,
        metavar="WHEN",
        help="when the call is placed, in ISO 8601 (2026-01-03T20:30, read as UTC, or with an "
        "offset): the webhooks' Timestamp, and with --app the app's clock, as an app open "
        "only in business hours reads it (default 2026-01-01T09:00Z, a Thursday)",
    )
    parser.add_argument(
        "--html",
        type=_html_file,
        metavar="FILE",
        help="also write the call's timeline page (HTML) to FILE",
    )
    parser.add_argument(
        "--press",
        dest="far_end",
        action="append",
        type=lambda digits: ("presses", digits),
        default=[],
        metavar="DIGITS",
        help="the far end presses DIGITS at the next wait (repeat, in order)",
    )
    parser.add_argument(
        "--say",
        dest="far_end",
        action="append",
        type=lambda text: ("says", text),
        metavar="TEXT",
        help="the far end says TEXT at the next wait (repeat, in order)",
    )
    parser.add_argument(
        "--phone",
        dest="phones",
        action="append",
        type=_phone_script,
        default=[],
        metavar="LINE",
        help="script another far end (a party the app dials), or the call's own beyond "
        "--press and --say (its hang-up, a recording), with the line a test writes: "
        "'sim.phone(\"+15551230000\").answers(after=2).hangs_up(after=30)' (repeat)",
    )
    parser.add_argument(
        "--interactive",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="take the call yourself: hear it as it runs, answer each Gather and Record at "
        "the keyboard (the default when no --press/--say is given and standard input is a "
        "terminal)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print every leg (transcript and webhooks), each conference room and the "
        "failures as JSON, for scripts",
    )
