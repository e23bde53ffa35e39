"""The options of ``twimlsim serve`` (``serve.py`` runs the server they describe)."""

from __future__ import annotations

import argparse
import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .defaults import DEFAULT_KEEP_CALLS, DEFAULT_KEEP_SECONDS, DEFAULT_WEBHOOK_TIMEOUT
from .start_time import parse_start

if TYPE_CHECKING:
    from collections.abc import Callable

    from .transports.tunnels import Tunnel

__all__ = [
    "TUNNEL_HELP",
    "add_arguments",
    "keep_seconds",
    "tunnel_option",
    "webhook_timeout_option",
]

#: ``--tunnel``'s help, the same for ``twimlsim call`` and ``twimlsim serve``.
TUNNEL_HELP = (
    "send webhooks to the public base URL PUBLIC (what the app builds its URLs from, such as "
    "its ngrok URL or a Twilio Function's https://localhost:3000) to LOCAL, where the app "
    "listens, as a tunnel such as ngrok does: signed over the public URL, with its Host "
    "header and X-Forwarded-Proto (repeat)"
)


def _port(text: str) -> int:
    """A TCP port, 0 to 65535 (the socket layer would wrap 99999 round to 34463)."""
    if not text.isascii() or not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a TCP port: give 0 to 65535 (0 picks a free one)"
        )
    return int(text)


def _number_option(kind: Callable[[str], float], noun: str, advice: str) -> Callable[[str], float]:
    """An argparse type reading ``kind`` (``int`` or ``float``) whose refusal says what to
    give (argparse's own says "invalid float value" alone)."""

    def parse(text: str) -> float:
        try:
            return kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {noun}: give {advice}") from None

    return parse


def _seed(text: str) -> str:
    """``--seed``: any text but an empty one, which an unset variable in a container's
    command line (``--seed $SEED``) gives: its credentials would differ from the default's
    without a word."""
    if not text.strip():
        raise argparse.ArgumentTypeError(
            f"{text!r} is empty: give a number or text (default 0); the same seed gives the "
            "same credentials on every start"
        )
    return text


def webhook_timeout_option(text: str) -> float | None:
    """``--webhook-timeout`` of ``twimlsim call`` and ``serve``: seconds, or ``none``."""
    if text.strip().lower() == "none":
        return None
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0 < seconds <= 10**9:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a read timeout: give seconds such as 15 (Twilio's), or none "
            "for no limit (a webhook stopped at a debugger breakpoint)"
        )
    return seconds


def tunnel_option(text: str) -> Tunnel:
    """``--tunnel PUBLIC=LOCAL`` of ``twimlsim call`` and ``serve``."""
    from .transports.tunnels import parse_tunnel

    try:
        return parse_tunnel(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def public_url_option(text: str) -> str:
    """``--public-url`` of ``twimlsim serve``: the base URL other machines reach the server
    by (``http://twimlsim:8080``, a Docker Compose service's name), without a path, query or
    trailing slash."""
    from urllib.parse import urlsplit

    example = "such as http://twimlsim:8080 (a Docker Compose service's name and the --port)"
    try:
        parts = urlsplit(text.strip())
        parts.port  # noqa: B018 - parsing the port refuses one that is not a number
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a usable URL ({error}); give the server's URL, {example}"
        ) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an absolute http(s) URL with a host; give the server's URL, "
            + example
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise argparse.ArgumentTypeError(
            f"{text!r} has more than a scheme, host and port: the API's paths "
            "(/2010-04-01/..., /twimlsim/...) are served at the server's root; give the "
            f"server's URL alone, {example}"
        )
    return f"{parts.scheme.lower()}://{parts.netloc}"


def start_option(text: str) -> datetime:
    """``--start`` of ``twimlsim serve``: ISO 8601 as ``twimlsim call --start`` reads it, or
    ``now``, the wall clock's time when the option is read (to the second), once: a reset
    goes back to it. An app in another process reads its own clock, the wall clock; with
    ``now`` its "today" and the API's dates (a call's ``start_time``, a list filtered by
    ``StartTime>``, the webhooks' ``Timestamp``) are the same day."""
    if text.strip().lower() == "now":
        return datetime.now(UTC).replace(microsecond=0)
    try:
        return parse_start(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{error}, or now (the wall clock)") from None


def _code(text: str) -> int:
    """A Twilio error code for ``--allow-code``: digits, such as 21211."""
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a Twilio error code: give its digits, such as 21211"
        )
    if len(text.lstrip("0") or "0") != 5:  # a typo (1220 for 12200) would allow nothing
        digits = len(text.lstrip("0") or "0")
        raise argparse.ArgumentTypeError(
            f"{text!r} has {digits} digit{'s' if digits > 1 else ''}: a Twilio error code "
            "has five, such as 21211"
        )
    return int(text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``twimlsim serve``."""
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=0, help="port (default 0: a free port)")
    parser.add_argument(
        "--public-url",
        type=public_url_option,
        default=None,
        metavar="URL",
        help="the URL clients elsewhere reach this server by, such as http://twimlsim:8080 "
        "(a container's service name): RecordingUrls and the recordings' media_url name it "
        "(default: the address bound, http://HOST:PORT)",
    )
    parser.add_argument(
        "--clock",
        choices=["realtime", "manual"],
        default="realtime",
        help="realtime: virtual time follows the wall clock; manual: POST /twimlsim/advance",
    )
    parser.add_argument(
        "--speed",
        type=_number_option(
            float, "a number", "the virtual seconds per real second, such as 1 or 60"
        ),
        default=None,
        help="realtime clock: virtual seconds per second (default 1)",
    )
    parser.add_argument(
        "--start",
        type=start_option,
        default=None,
        metavar="WHEN",
        help="the virtual time the clock starts at: ISO 8601 (2026-01-03T20:30, read as UTC, "
        "or with an offset), or now (the wall clock, which an app in another process reads: "
        "its today is then the API's); default 2026-01-01T09:00Z, a Thursday",
    )
    parser.add_argument(
        "--cps",
        type=_number_option(float, "a number", "calls per second, such as 1 or 0.5"),
        default=1.0,
        help="calls per second (default 1)",
    )
    parser.add_argument(
        "--keep-calls",
        type=_number_option(int, "a whole number", "how many ended calls to keep, such as 1000"),
        default=DEFAULT_KEEP_CALLS,
        metavar="N",
        help=f"ended calls kept (with their requests) before the oldest are forgotten "
        f"(default {DEFAULT_KEEP_CALLS})",
    )
    parser.add_argument(
        "--keep-seconds",
        type=_number_option(
            float, "a number", "how many virtual seconds an ended call is kept, such as 3600"
        ),
        default=None,
        metavar="S",
        help=f"virtual seconds an ended call is kept (default {DEFAULT_KEEP_SECONDS:g} under "
        "--clock realtime; under --clock manual, however old: a test's run or advance jumps "
        "virtual time by hours)",
    )
    parser.add_argument(
        "--seed", type=_seed, default="0", help="seed of SIDs and credentials (default 0)"
    )
    parser.add_argument(
        "--number", action="append", default=[], metavar="E164", help="an owned number"
    )
    parser.add_argument(
        "--verified-caller-id",
        action="append",
        default=[],
        metavar="E164",
        help="a verified caller ID",
    )
    parser.add_argument(
        "--webhook-timeout",
        type=webhook_timeout_option,
        default=DEFAULT_WEBHOOK_TIMEOUT,
        metavar="SECONDS",
        help="how long an app may take to answer a webhook, in wall seconds (default 15, "
        "Twilio's read timeout; none: no limit, to stop the app at a debugger breakpoint; "
        "virtual time stands still meanwhile)",
    )
    parser.add_argument(
        "--tunnel",
        action="append",
        type=tunnel_option,
        default=[],
        metavar="PUBLIC=LOCAL",
        help=TUNNEL_HELP,
    )
    parser.add_argument(
        "--allow-code",
        action="append",
        type=_code,
        default=[],
        metavar="CODE",
        help="a Twilio error code the app meets on purpose: still logged and listed at exit, "
        "but it does not make the exit status 1 (repeatable)",
    )
    parser.add_argument(
        "--log-level",
        choices=["debug", "info", "warning", "error"],
        default="info",
        help="info (default): one line per webhook; debug: also one per HTTP request served",
    )


def keep_seconds(args: argparse.Namespace) -> float:
    """``--keep-seconds``, or its default for the clock: an hour under ``--clock realtime``,
    no age limit under ``--clock manual``.

    A manual clock moves only when a test asks (``/run`` jumps to the end of the longest
    call, an ``/advance`` of two hours tests a reminder): an age limit there would forget
    the calls the test placed a moment before and is about to read (404), while
    ``--keep-calls`` alone already keeps the memory flat.
    """
    if args.keep_seconds is not None:
        return float(args.keep_seconds)
    return math.inf if args.clock == "manual" else DEFAULT_KEEP_SECONDS
