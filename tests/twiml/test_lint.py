"""`twimlsim lint`: one line per problem, exit 1 on errors, 2 on unreadable files."""

from __future__ import annotations

import io
from pathlib import Path

from twimlsim.lint import run

#: The 12102 hint of a document that is a <Say> alone.
LONE_SAY = (
    "; the document is a <Say> alone, and every verb goes inside <Response>: the helper "
    "libraries' builders return the element they add (VoiceResponse().dial().conference(...) "
    "is the <Conference>; str() of it writes that element alone), so keep the VoiceResponse "
    "and answer it whole (response = VoiceResponse(); response.dial().conference(...); "
    "str(response))"
)


def lint(paths: list[str], stdin: bytes = b"") -> tuple[int, str]:
    out = io.StringIO()
    status = run(paths, stdin=io.BytesIO(stdin), stdout=out)
    return status, out.getvalue()


def test_clean_file_prints_nothing_and_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "ok.xml"
    path.write_bytes(b"<Response><Say>Hi</Say></Response>")
    assert lint([str(path)]) == (0, "")


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    path = tmp_path / "warn.xml"
    path.write_bytes(b'<Response>\n<Pause length="0"/>\n</Response>')
    assert lint([str(path)]) == (
        0,
        f"{path}:2: warning 13910 <Pause> length='0' is invalid: expected a positive integer; "
        "using 1\n",
    )


def test_errors_exit_1_and_stdin_is_dash(tmp_path: Path) -> None:
    path = tmp_path / "ok.xml"
    path.write_bytes(b"<Response/>")
    status, out = lint([str(path), "-"], stdin=b"<?xml version='1.0'?>\n<Say>Hi</Say>")
    assert (status, out) == (
        1,
        f"-:2: error 12102 The root element must be <Response>, not <Say>{LONE_SAY}\n",
    )


def test_problem_without_a_line_names_the_file_alone() -> None:
    assert lint(["-"], stdin=b"") == (
        1,
        "-: error 11770 TwiML response body is empty (as a 204 No Content answer is): answer "
        "the TwiML the call is to run next, or <Response/> to end it\n",
    )


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "missing.xml"
    good = tmp_path / "bad.xml"
    good.write_bytes(b"<Response><Say>")
    status, out = lint([str(missing), str(good)])
    assert status == 2
    assert out.splitlines()[0] == f"{missing}: cannot read file: No such file or directory"
    assert out.splitlines()[1].startswith(f"{good}:1: error 12100 Document parse failure: ")


def test_a_directory_says_to_give_the_files_in_it(tmp_path: Path) -> None:
    assert lint([str(tmp_path)]) == (
        2,
        f"{tmp_path}: is a directory: give the TwiML files in it "
        f"(twimlsim lint {tmp_path}/*.xml)\n",
    )


def test_standard_input_given_twice_is_read_once() -> None:
    # the second - read as empty: an 11770 about no document at all
    assert lint(["-", "-"], stdin=b"<Response><Say>Hi</Say></Response>") == (
        2,
        "-: standard input was given twice; it was read for the first -\n",
    )


def test_an_empty_file_name_is_named_and_the_next_file_is_still_linted(tmp_path: Path) -> None:
    """An empty argument (twimlsim lint "$FILE" with FILE unset) was reported as
    ": cannot read file: No such file or directory", a line naming no file."""
    path = tmp_path / "bad.xml"
    path.write_bytes(b"<Say>Hi</Say>")
    assert lint(["", str(path)]) == (
        2,
        "'': an empty file name (an unset shell variable?): give the path of a TwiML file, "
        "or - for standard input\n"
        f"{path}:1: error 12102 The root element must be <Response>, not <Say>{LONE_SAY}\n",
    )
