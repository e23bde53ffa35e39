"""The ``twimlsim`` command: ``lint`` TwiML files, ``call`` an app and print the transcript
(or take the call yourself, ``--interactive``), ``serve`` the fake REST API."""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import io
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TextIO

from . import __version__
from .call_options import add_call_arguments, default_numbers
from .cli_examples import CALL_EXAMPLES, SERVE_EXAMPLES
from .serve_options import add_arguments

__all__ = ["main"]


def _call(args: argparse.Namespace) -> int:
    """``twimlsim call``: an argument the simulator or the fake API refuses is a usage
    error (exit status 2, one line on standard error), not a traceback; Ctrl-C is one line
    and exit status 130, as a shell gives an interrupted command; a run stopped because
    calls keep placing calls (``RunawayCalls``) is its message and exit status 1."""
    from .cli_call import Refused, place_call
    from .errors import RunawayCalls

    default_numbers(args)
    report_to = sys.stdout
    try:
        if not args.json:
            return place_call(args, report_to)
        # what the app prints (an app in process shares this standard output) goes to
        # standard error, so that standard output stays one JSON document
        with _stdout_to_stderr() as report_to, contextlib.redirect_stdout(sys.stderr):
            return place_call(args, report_to)
    except Refused as error:
        print(f"twimlsim call: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C while a slow app keeps a webhook waiting
        print("twimlsim call: interrupted (Ctrl-C) before the call ended", file=sys.stderr)
        return 130
    except RunawayCalls as error:  # each call places another (no max_calls_per_run here)
        advice = str(error).replace(", or allow more with Simulator(max_calls_per_run=...)", "")
        print(f"twimlsim call: {advice}", file=sys.stderr)
    gc.collect()  # the live calls end now: at exit each printed an ImportError traceback
    return 1


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[TextIO]:
    """Standard output for the JSON document alone: file descriptor 1 points at standard
    error meanwhile, so that what the app writes there below Python's ``sys.stdout`` (a
    subprocess it runs, ``os.write(1, ...)``, a C library) does not break the document.
    Yields where the document goes: standard output as it was. Started with standard
    error closed (``2>&-``), what the app writes there is thrown away instead."""
    try:
        out = sys.stdout.fileno()
        err = -1 if sys.stderr is None else sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # not files (a test captures them)
        yield sys.stdout
        return
    sys.stdout.flush()
    saved = os.dup(out)
    report = open(saved, "w", encoding=sys.stdout.encoding, buffering=1)  # noqa: SIM115
    if err < 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out)
        os.close(devnull)
    else:
        os.dup2(err, out)
    try:
        yield report
    finally:
        os.dup2(saved, out)
        with contextlib.suppress(OSError):  # a reader gone was told where the write failed
            report.close()


def _lint(args: argparse.Namespace) -> int:
    from . import lint

    stdin = None if sys.stdin is None else sys.stdin.buffer  # None: closed (<&-)
    return lint.run(args.files, stdin=stdin, stdout=sys.stdout)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="twimlsim", description="Offline simulator of Twilio Programmable Voice."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    lint = commands.add_parser("lint", help="check TwiML files the way Twilio checks them")
    lint.add_argument("files", nargs="+", metavar="FILE", help="TwiML file, or - for stdin")
    lint.set_defaults(handler=_lint)

    call = commands.add_parser(
        "call",
        help="place one simulated call against an app (running, or a WSGI/ASGI app in "
        "process) and print what happened",
        description="Place one simulated call against an app and print its transcript, "
        "webhooks,\nREST requests and the problems Twilio would log.",
        epilog=CALL_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_call_arguments(call)
    call.set_defaults(handler=_call)

    # serve: the fake REST API on a local port (twimlsim/serve.py)
    serve = commands.add_parser(
        "serve",
        help="serve the fake Twilio REST API on a local port, webhooks over HTTP",
        description="Serve the fake Twilio REST API and its control API on a local port, "
        "for an app in\nits own process; webhooks go to the app over HTTP. It prints one "
        "JSON line first:\nurl, account_sid and auth_token for the app's Twilio client, "
        "control_url to drive it.",
        epilog=SERVE_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(serve)
    serve.set_defaults(handler=_serve)
    return parser


def _serve(args: argparse.Namespace) -> int:
    """``twimlsim serve`` (its server and HTTP stack are imported only to run it)."""
    from . import serve as serving

    try:
        return serving.run(args)
    except SystemExit as refused:  # an option refused after parsing: 2, as argparse's are
        if not isinstance(refused.code, str):  # (1 is a served call's problem)
            raise
        print(refused.code, file=sys.stderr)
        return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    if sys.stdout is None:  # started with standard output closed (``>&-``)
        if sys.stderr is not None:
            print(
                f"twimlsim {args.command}: standard output is closed, so nothing it prints "
                "could be read; send it to a file or to /dev/null (> out.txt) instead",
                file=sys.stderr,
            )
        return 2
    _escape_what_cannot_be_printed(sys.stdout)
    status = _run_command(args)
    if argv is None and args.command == "call":  # the process is the command's own
        from .app_threads import exit_without_app_threads

        exit_without_app_threads(status)
    return status


#: What writing to an output whose device is full or failing raises: ``OSError``s with
#: these numbers (the command writes no file but its standard output and error).
_WRITE_FAILED = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _run_command(args: argparse.Namespace) -> int:
    """The command's exit status; a reader gone or an output that cannot be written ends
    it with one line, not a traceback."""
    try:
        status: int = args.handler(args)
        sys.stdout.flush()
    except BrokenPipeError:
        return _reader_gone()
    except OSError as error:
        if error.errno not in _WRITE_FAILED:
            raise
        with contextlib.suppress(OSError, ValueError, AttributeError):
            print(
                f"twimlsim {args.command}: cannot write to standard output: "
                f"{error.strerror} (errno {error.errno}); send it where it can be written "
                "(a disk with space, another file) and run the command again",
                file=sys.stderr,
            )
        _reader_gone()  # Python's own flush at exit would fail again
        return 2
    return status


def _escape_what_cannot_be_printed(stream: TextIO) -> None:
    """Print a character the output's encoding lacks (what an app said in Japanese, a file
    name with an accent, on Windows' cp1252 when the output is redirected to a file or a
    CI log) as a backslash escape, as Python prints one to standard error, rather than end
    the command with a ``UnicodeEncodeError`` traceback and exit status 1, which reads as
    a problem of the call. An error handler the user chose (``PYTHONIOENCODING``) stays."""
    if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
        stream.reconfigure(errors="backslashreplace")


#: The exit status of a command whose reader went away (``twimlsim lint *.xml | head``): a
#: shell's for a process ended by SIGPIPE, 128 + 13.
READER_GONE = 141


def _reader_gone() -> int:
    """What the output was piped into stopped reading: stop quietly, as Unix tools do (no
    traceback), and keep Python from failing again on flushing standard output at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # standard output is not a file (a test captures it)
        pass
    return READER_GONE
