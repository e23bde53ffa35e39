"""``twimlsim call``: check its arguments, place the call against the app (in process with
``--app``, over HTTP otherwise), run it and print what happened."""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import TYPE_CHECKING, Any, TextIO

from .arguments import clipped, shown
from .call_options import CALL_EVENTS

if TYPE_CHECKING:
    from .simulator import Simulator

__all__ = ["Refused", "place_call"]


class Refused(Exception):
    """An argument of ``twimlsim call`` the simulator or the fake API refuses."""


def _loaded_app(spec: str) -> Any:
    """``--app``'s app, or ``Refused`` saying why it cannot be loaded."""
    from .app_loading import AppNotLoaded, load_app

    try:
        return load_app(spec)
    except AppNotLoaded as error:
        raise Refused(str(error)) from None


def _sip_domain_name(uri: str) -> str:
    """The SIP Domain ``--incoming --to URI`` is sent to, or a usage error saying what a
    SIP Domain's address looks like."""
    from .model.sip_domain import domain_of_uri

    name = domain_of_uri(uri)
    if name is None:
        raise Refused(
            f"--to {uri}: a call a PBX or softphone sends reaches the app through a SIP "
            "Domain, a SIP URI at NAME.sip.twilio.com (such as "
            "sip:+15551234567@office.sip.twilio.com)"
        )
    return name


def _voice_url(url: str) -> tuple[str, str]:
    """The scheme and host of the call's URL, or ``Refused``."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port refuses one that is not a number
    except ValueError as error:
        raise Refused(
            f"URL {url!r} is not a usable URL ({error}); give the app's voice URL, such as "
            "https://myapp.test/voice"
        ) from None
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise Refused(
            f"URL {url!r} is not an absolute http(s) URL; give the app's voice URL, "
            "such as https://myapp.test/voice"
        )
    return parts.scheme, parts.netloc


def _check_utf8(args: argparse.Namespace) -> None:
    """``Refused`` for a text argument holding bytes that are not UTF-8: Python reads the
    command line as UTF-8 and keeps such a byte as a lone surrogate, which no request can
    carry (an outbound call's URL ended in a ``UnicodeEncodeError`` traceback)."""
    from .call_report import FAR_END_OPTIONS

    texts = [("URL", args.url), ("--to", args.to), ("--from", args.from_)]
    texts += [("--status-callback", args.status_callback or "")]
    texts += [("--number", number) for number in args.numbers]
    texts += [("--verified-caller-id", number) for number in args.verified_caller_ids]
    texts += [(FAR_END_OPTIONS[kind], value) for kind, value in args.far_end]
    texts += [(f"--param {name}", value) for name, value in args.params]
    for option, text in texts:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as failed:
            byte = ord(text[failed.start]) - 0xDC00
            written = f"the byte {byte:#04x}" if 0x80 <= byte <= 0xFF else "a lone surrogate"
            raise Refused(
                f"{option} {text!r} holds {written} at position {failed.start}, which is not "
                "UTF-8 (a terminal or script writing another encoding, such as Latin-1); "
                "give the argument in UTF-8"
            ) from None


def place_call(args: argparse.Namespace, report_to: TextIO) -> int:
    """Run ``twimlsim call`` with its parsed arguments, printing the transcript (or the
    JSON document) to ``report_to``; its exit status. An argument the simulator or the
    fake API refuses raises ``Refused``."""
    from urllib.parse import urlsplit

    from . import call_report
    from .arguments import LOCALHOST
    from .errors import TwimlsimError, describe_failures
    from .report import (
        SHOWN_ENTRIES,
        about_no_call,
        format_calls,
        format_conference,
        rest_requests_about_no_call,
    )
    from .simulator import Simulator

    _check_utf8(args)
    scheme, host = _voice_url(args.url)
    if args.app is not None and urlsplit(args.url).hostname == LOCALHOST:
        # in process the host is the test's choice: one Twilio refuses would hide the
        # refusal of every URL the app builds from it
        raise Refused(
            f"--app runs the app in process at the URL's host, and {args.url} is on "
            "localhost, which Twilio cannot reach and refuses in a webhook URL (21205 'Url "
            "is not a valid URL'); give the URL on the host the app has on the internet, or "
            "a stand-in such as https://myapp.test/voice (without --app, a URL on localhost "
            "reaches the app running there over HTTP)"
        )
    if args.app is not None and args.tunnels:
        raise Refused(
            "--tunnel sends webhooks to an app over HTTP; with --app the app runs in process "
            "and is reached at the URL's host: drop --tunnel, or --app and start the app"
        )
    if args.machine_detection and args.incoming:
        raise Refused(
            "--machine-detection is a request of an outbound call's calls.create; a call "
            "coming in (--incoming) is answered by the app: drop one of them"
        )
    if args.params and not args.incoming:
        raise Refused(
            f"--param {clipped('='.join(args.params[0]))} is a parameter Twilio adds to an "
            "incoming call's first voice request (the number's Add-ons, STIR/SHAKEN, caller name): "
            "give --incoming too"
        )
    _refuse_a_param_twice(args.params)
    if args.status_callback_events and (args.incoming or not args.status_callback):
        raise Refused(
            "--status-callback-event chooses the events of the call's --status-callback: "
            + (
                "with --incoming the callback is the number's, which Twilio sends the "
                "completed event only; drop --status-callback-event"
                if args.incoming
                else "give --status-callback URL too"
            )
        )
    # An app run in process reads virtual time, as under the pytest fixture, so that what
    # it says agrees with the transcript; one over HTTP runs in its own process.
    with Simulator(
        strict=False,
        freeze_time=args.app is not None,
        webhook_timeout=args.webhook_timeout,
        start=args.start,
    ) as sim:
        try:
            if args.app is None:
                # A running app: webhooks go to it over real HTTP.
                from .transports.http import HTTPTransport

                sim.engine.transport = HTTPTransport(
                    read_timeout=args.webhook_timeout, tunnels=args.tunnels, api_served=False
                )
            else:
                sim.route(f"{scheme}://{host}", _loaded_app(args.app))
            if args.auth_token is not None:
                sim.account.auth_token = _auth_token(args.auth_token)
            if args.incoming and args.to[:4].lower() == "sip:":
                sim.sip_domain(
                    _sip_domain_name(args.to),
                    voice_url=args.url,
                    voice_method=args.method,
                    voice_status_callback_url=args.status_callback,
                )
            elif args.incoming and args.to[:7].lower() == "client:":
                raise Refused(
                    f"--to {args.to}: with --incoming, --to is the account's number the call "
                    "comes in to (or a SIP URI at a SIP Domain); a Voice SDK client calling "
                    f"the app is --from {args.to}"
                )
            elif args.incoming:
                sim.number(
                    args.to,
                    voice_url=args.url,
                    voice_method=args.method,
                    status_callback=args.status_callback,
                )
            elif args.from_[:7].lower() != "client:":  # a client's is no number to own
                sim.number(args.from_)
            for number in args.numbers:
                sim.number(number)
            for number in args.verified_caller_ids:
                sim.verified_caller_id(number)
            phone = sim.phone(args.from_ if args.incoming else args.to)
            for kind, value in args.far_end:
                getattr(phone, kind)(value)
            for script in args.phones:
                script.apply(sim.phone(script.number))
        except (TwimlsimError, TypeError, ValueError) as error:
            raise Refused(str(error)) from None
        if args.app is None:
            print(_signing_note(sim, args), file=sys.stderr)
        if args.incoming:
            try:
                params = dict(args.params) if args.params else None
                call_sid = sim.incoming_call(from_=args.from_, to=args.to, params=params).sid
            except TwimlsimError as error:
                text = str(error)
                if params:
                    text = _in_param_words(text).replace("(sim.sip_domain)", f"(--to {args.to})")
                raise Refused(text) from None
        else:
            call_sid = _create(sim, args)
        if _interactive(args):
            from .interactive import Keyboard, Screen, take_call

            # with --json standard output stays one JSON document: the call is heard on
            # standard error
            screen = Screen.on(sys.stderr if args.json else sys.stdout)
            try:
                take_call(sim, sim.calls[call_sid], Keyboard(sys.stdin), screen)
            except (Exception, KeyboardInterrupt, SystemExit):
                raise
            except BaseException:  # out of the app: its call has ended (_run_through)
                _run_through(sim)
        else:
            _run_through(sim)
        unused = list(sim.engine.unused_steps())
        # a room's status callbacks are about the room: no call's webhooks list them
        rooms = [room for room in sim.conferences.values() if room.requests]
        ignored = call_report.ignored_input(sim, call_sid)
        if args.json:
            from . import as_json

            failures = [as_json.failure_json(failure) for failure in sim.failures]
            for listed in failures:  # the advice in this command's terms, as printed
                for key in ("message", "text"):
                    listed[key] = call_report.for_the_command_line(str(listed[key]), args.url)
            report = {
                "calls": [as_json.call_json(leg) for leg in sim.calls.values()],
                "conferences": [as_json.conference_json(room) for room in rooms],
                "failures": failures,
                "unused_steps": [f"sim.phone({number!r}).{step}" for number, step in unused],
                "ignored_input": ignored,
                "api_requests_about_no_call": [
                    as_json.api_request_json(request)
                    for request in rest_requests_about_no_call(sim)
                ],
            }
            print(json.dumps(report, indent=2), file=report_to)
        else:
            # every leg, the call first: a dialed party's own webhooks (its status callbacks);
            # a long part (a caller alone in a conference until the time limit: thousands of
            # hold-music entries) is cut as pytest's report cuts it, --json keeping it whole
            print(
                format_calls(
                    [
                        sim.calls[call_sid],
                        *(leg for leg in sim.calls.values() if leg.sid != call_sid),
                    ],
                    max_entries=SHOWN_ENTRIES,
                )
            )
            for room in rooms:
                print(f"\n{format_conference(room, max_entries=SHOWN_ENTRIES)}")
            for part in about_no_call(sim, max_entries=SHOWN_ENTRIES):
                print(f"\n{call_report.rest_requests_for_the_command_line(part, args.url)}")
        if args.app is not None and any(request.status == 401 for request in sim.api_requests):
            print(call_report.credentials_note(sim), file=sys.stderr)
        if args.html is not None:
            from .timeline import write_page

            try:
                page = write_page(
                    args.html,
                    sim.calls.values(),
                    title=f"twimlsim call {args.url}",
                    conferences=rooms,
                    problems=[
                        call_report.for_the_command_line(line, args.url)
                        for line in describe_failures(sim.failures, limit=None)
                    ],
                )
            except OSError as error:
                raise Refused(
                    f"--html: cannot write the timeline page to {args.html}: {error.strerror}"
                ) from None
            # standard output stays one JSON document with --json
            print(f"\nTimeline: {page}", file=sys.stderr if args.json else sys.stdout)
        if args.json:
            return 1 if sim.failures or unused or ignored else 0
        if sim.failures:
            # a problem met again and again (a warning of a document a loop fetched 1,000
            # times) is one line with its count, as a failing test's error shows it: the
            # problem that ended the loop is not buried under the others
            print("\nProblems Twilio would log:")
            for line in describe_failures(sim.failures, limit=None):
                print(f"  {call_report.for_the_command_line(line, args.url)}")
        if unused:
            # as a strict test fails on them: the call went another way than the input given
            placed = sim.calls[call_sid].record
            far_end = placed.from_ if args.incoming else placed.to
            far_end_option = "--from" if args.incoming else "--to"
            given = call_report.unused_input(
                sim, far_end, far_end_option, options_given=bool(args.far_end)
            )
            print(
                f"\n{given}; the call did not wait for {'them' if len(unused) > 1 else 'it'} "
                "(check the --press, --say and --phone input against the app's menus)"
            )
        if ignored:
            # as Twilio does, but not what the input was given for: the call went another way
            print("\nInput a <Gather> ignored, as Twilio does (the Gather timed out instead):")
            for line in ignored:
                print(f"  {line}")
        if sim.failures or unused or ignored:
            return 1
    return 0


#: How many times an app in process may raise what is not an ``Exception`` in one run.
_ESCAPES = 100


def _run_through(sim: Simulator) -> None:
    """``sim.run()``; what is not an ``Exception`` out of an app in process (``Failed``
    of a ``pytest.fail()``, a ``CancelledError``) ends the thread answering, as a WSGI
    server's: the call it reached has ended with a failure saying so, and the run goes
    on. Ctrl-C (``KeyboardInterrupt``) stops the command."""
    for _ in range(_ESCAPES):
        try:
            sim.run()
        except (Exception, KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # noqa: S112 - the call's failure already says what
            continue
        return
    sim.run()


def _auth_token(token: str) -> str:
    """``--auth-token``: the token the app validates signatures with, or ``Refused``."""
    if not token or token != token.strip() or not token.isascii() or not token.isprintable():
        raise Refused(
            f"--auth-token {token!r} is not an auth token; give the one the app validates "
            "X-Twilio-Signature with, such as 0123456789abcdef0123456789abcdef"
        )
    return token


def _signing_note(sim: Any, args: argparse.Namespace) -> str:
    """Which credentials sign the webhooks sent over HTTP, for an app that validates them."""
    if args.auth_token is not None:
        return (
            f"twimlsim call: webhooks are signed with the auth token given (--auth-token), "
            f"AccountSid {sim.account_sid}"
        )
    return (
        f"twimlsim call: webhooks are signed with auth token {sim.auth_token} (AccountSid "
        f"{sim.account_sid}); validate X-Twilio-Signature with it, or give the app's own "
        "token with --auth-token"
    )


#: ``sim.incoming_call(...)``'s words for its ``params``, a name or one of them.
_PARAMS_REFUSED = re.compile(r"^sim\.incoming_call\(.*?\): params(?:\['([^']*)'\])? ")


def _in_param_words(text: str) -> str:
    """``sim.incoming_call``'s refusal of its ``params`` in ``--param``'s words."""
    found = _PARAMS_REFUSED.match(text)
    if found is None:
        return text
    name = "" if found.group(1) is None else f"{found.group(1)} "
    return f"--param {name}{text[found.end() :]}"


def _refuse_a_param_twice(params: list[tuple[str, str]]) -> None:
    """A ``--param`` name given twice: Twilio sends each parameter once."""
    seen: dict[str, str] = {}
    for name, value in params:
        if name in seen:
            raise Refused(
                f"--param {clipped(name)} is given twice ({shown(seen[name])}, then "
                f"{shown(value)}); Twilio sends each parameter once: give it once"
            )
        seen[name] = value


def _create(sim: Any, args: argparse.Namespace) -> str:
    """Place the call through the fake API and give its SID; a refusal is ``Refused`` with
    Twilio's code and message.

    The request is the twilio client's ``calls.create`` (the same form, in the same order),
    sent with ``requests``, which the simulator answers in process: the command needs no
    twilio package (an app in another language, run over HTTP, has none) and starts
    without importing the client."""
    import requests

    form = [("To", args.to), ("From", args.from_), ("Method", args.method)]
    if args.status_callback:
        events = args.status_callback_events or list(CALL_EVENTS)
        form += [("StatusCallback", args.status_callback)]
        form += [("StatusCallbackEvent", event) for event in events]
    if args.machine_detection:
        form.append(("MachineDetection", args.machine_detection))
    form.append(("Url", args.url))
    answer = requests.post(
        f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json",
        data=form,
        auth=(sim.account_sid, sim.auth_token),
        headers={"Accept": "application/json"},
        timeout=60,
    )
    try:
        body = answer.json()
    except ValueError:  # not JSON: the status line and the text say what failed
        body = None
    if not isinstance(body, dict):
        body = {"code": answer.status_code, "message": answer.text}
    if answer.status_code == 201 and isinstance(body.get("sid"), str):
        return str(body["sid"])
    code, message = body.get("code"), body.get("message")
    hint = ""
    callback = args.status_callback or ""
    if code == 21609 and callback.startswith("/"):
        scheme, host = _voice_url(args.url)
        hint = f" (Twilio takes absolute URLs only: --status-callback {scheme}://{host}{callback})"
    raise Refused(f"the fake Twilio API refused the call: Twilio error {code}: {message}{hint}")


def _interactive(args: argparse.Namespace) -> bool:
    """``--interactive``, ``--no-interactive``, or by default: no inputs given, no ``--json``,
    and standard input is a terminal."""
    if args.interactive and sys.stdin is None:  # started with standard input closed (<&-)
        raise Refused(
            "--interactive takes the call from standard input, which is closed; give the "
            "far end's input with --press or --say instead"
        )
    if args.interactive is not None:
        return bool(args.interactive)
    # closed standard input (<&-, as a cron job or service may start it) is no terminal
    return not args.far_end and not args.json and sys.stdin is not None and sys.stdin.isatty()
