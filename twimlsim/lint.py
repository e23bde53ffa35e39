"""`twimlsim lint FILE...`: report every problem Twilio would log for TwiML files.

One line per problem, `FILE:LINE: LEVEL CODE message` (LEVEL is `error` or `warning`).
`-` reads standard input and is reported as `-` (given twice, the second is refused: the
input was read). A problem without a line (such as an empty body) is reported as
`FILE: LEVEL CODE message`. Files are read as bytes and parsed as XML TwiML (Content-Type
`text/xml`).

Exit status: 2 when a file cannot be read, else 1 when any error-level problem was found
(Twilio would fail the call), else 0 (warnings alone pass).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import BinaryIO, TextIO

from .model.sip_domain import dial_refusal
from .twiml import nodes, parse_twiml
from .twiml.parser import MAX_BYTES
from .twiml.problems import Problem
from .twiml.stream_tracks import connect_track_problem
from .twiml.stream_urls import url_problem

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_UNREADABLE = 2


def run(paths: Sequence[str], *, stdin: BinaryIO | None, stdout: TextIO) -> int:
    """Lint each path (`-` = standard input; None when it is closed) and return the exit
    status."""
    status = EXIT_OK
    stdin_read = False
    for path in paths:
        # one byte past Twilio's limit is enough to report 11750: /dev/zero or an endless
        # pipe is not read for ever
        if path == "-" and stdin_read:  # it would read as empty: 11770, about nothing
            stdout.write("-: standard input was given twice; it was read for the first -\n")
            status = EXIT_UNREADABLE
            continue
        if not path:  # open('') fails as a missing file, reported as ": cannot read file"
            stdout.write(
                "'': an empty file name (an unset shell variable?): give the path of a "
                "TwiML file, or - for standard input\n"
            )
            status = EXIT_UNREADABLE
            continue
        if path == "-":
            if stdin is None:
                stdout.write("-: cannot read standard input: it is closed (<&-); give a file\n")
                status = EXIT_UNREADABLE
                continue
            stdin_read = True
            body = stdin.read(MAX_BYTES + 1)
        else:
            try:
                with open(path, "rb") as handle:
                    body = handle.read(MAX_BYTES + 1)
            except IsADirectoryError:
                stdout.write(
                    f"{path}: is a directory: give the TwiML files in it "
                    f"(twimlsim lint {path.rstrip('/')}/*.xml)\n"
                )
                status = EXIT_UNREADABLE
                continue
            except OSError as exc:
                stdout.write(f"{path}: cannot read file: {exc.strerror or exc}\n")
                status = EXIT_UNREADABLE
                continue
        parsed = parse_twiml(body, "text/xml")
        problems = parsed.problems
        if parsed.document is not None:
            document = parsed.document
            extra = (*_stream_url_problems(document), *_undiallable_sip_uris(document))
            problems = tuple(sorted(problems + extra, key=lambda problem: problem.line or 0))
        for problem in problems:
            # a problem of the whole document (an empty body) has no line to point at
            where = f"{path}:{problem.line}" if problem.line else path
            stdout.write(f"{where}: {problem.level} {problem.code} {problem.message}\n")
        if any(problem.level == "error" for problem in problems) and status == EXIT_OK:
            status = EXIT_ERRORS
    return status


def _stream_url_problems(node: nodes.Node) -> Iterator[Problem]:
    """Twilio's 31922/31923 for each ``<Stream>`` or ``<ConversationRelay>`` started with a
    URL it cannot connect to (``twiml/stream_urls.py``), and its 31941 for a
    ``<Connect><Stream>`` asking for a track other than the caller's
    (``twiml/stream_tracks.py``); a ``<Stop>`` connects to nothing."""
    for child in node.children:
        if isinstance(child, nodes.Stop):
            continue
        if isinstance(child, nodes.Stream | nodes.ConversationRelay):
            found = url_problem(child)
            if found is not None:
                code, message = found
                yield Problem(code, "error", message, child.tag, "url", child.line)
            elif isinstance(node, nodes.Connect) and isinstance(child, nodes.Stream):
                track = connect_track_problem(child)
                if track is not None:
                    code, message = track
                    yield Problem(code, "error", message, child.tag, "track", child.line)
        yield from _stream_url_problems(child)


def _undiallable_sip_uris(node: nodes.Node) -> Iterator[Problem]:
    """Twilio's error 32220 for each ``<Dial><Sip>`` naming a registered endpoint at one of
    its SIP Domain's edges, and 32223 for one naming a SIP Domain with no username: their
    legs fail at once (``engine/verbs/dial.py``)."""
    for child in node.children:
        if isinstance(child, nodes.Sip):
            refusal = dial_refusal(
                child.uri.strip(), "the leg fails at once (DialCallStatus=failed)"
            )
            if refusal is not None:
                code, message = refusal
                yield Problem(code, "error", message, child.tag, None, child.line)
        yield from _undiallable_sip_uris(child)
