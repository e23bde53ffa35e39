"""``twimlsim call --phone LINE``: a far end scripted by the line a test writes."""

from __future__ import annotations

import re

import pytest

from twimlsim.cli import main
from twimlsim.engine.caller import Phone
from twimlsim.phone_script import PhoneScript, parse_phone_script

EXAMPLE = 'sim.phone("+15551230000").answers(after=2).hangs_up(after=30)'


def test_the_line_is_parsed_into_its_number_and_steps() -> None:
    script = parse_phone_script(
        "sim.phone('+15558675310').presses(\"9#\", barge_in=True).records(12, key='#')"
    )
    assert script == PhoneScript(
        "+15558675310",
        (("presses", ("9#",), {"barge_in": True}), ("records", (12,), {"key": "#"})),
    )
    phone = script.apply(Phone(script.number))
    assert [step.describe() for step in phone.steps] == [
        "presses('9#', barge_in=True)",
        "records(12, key='#')",
    ]
    assert parse_phone_script('sim.phone("+15551230000")') == PhoneScript("+15551230000", ())


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("sim.phone(", f"'sim.phone(' is not a far-end script; write it as {EXAMPLE}"),
        (
            'os.system("ls")',
            f"'os.system(\"ls\")' does not start with sim.phone(NUMBER); write it as {EXAMPLE}",
        ),
        (
            "sim.phone(15551230000)",
            "sim.phone() takes the number as a string, in 'sim.phone(15551230000)'; write it "
            f"as {EXAMPLE}",
        ),
        (
            'sim.phone("+1555").presses(open("x"))',
            'the steps of \'sim.phone("+1555").presses(open("x"))\' take literal values only, '
            "their keywords written out (after=2)",
        ),
        (
            'sim.phone("+1555").press("1")',
            "unknown far-end step 'press' in 'sim.phone(\"+1555\").press(\"1\")' (did you mean "
            "presses?); one of answers, busy, caller_name, fails, hangs_up, hangs_up_at_wait, "
            "line_type, located, machine, no_answer, presses, records, says, silence",
        ),
        (
            'sim.phone("+1555").answers(after=2).busy',
            "in 'sim.phone(\"+1555\").answers(after=2).busy': the step 'busy' has no brackets; "
            "each step is a call, such as .answers(after=2) or .busy()",
        ),
        (
            'sim.phone("+1555").answers.hangs_up()',
            "in 'sim.phone(\"+1555\").answers.hangs_up()': the step 'answers' has no brackets; "
            "each step is a call, such as .answers(after=2) or .busy()",
        ),
        (
            "os.path.sep",
            f"'os.path.sep' does not start with sim.phone(NUMBER); write it as {EXAMPLE}",
        ),
        (
            'sim.phone("+1555").jumps()',
            "unknown far-end step 'jumps' in 'sim.phone(\"+1555\").jumps()'; one of answers, "
            "busy, caller_name, fails, hangs_up, hangs_up_at_wait, line_type, located, machine, "
            "no_answer, presses, records, says, silence",
        ),
        (
            'sim.phone("+1555").answers(**{"after": 2})',
            'the steps of \'sim.phone("+1555").answers(**{"after": 2})\' take literal '
            "values only, their keywords written out (after=2)",
        ),
        (
            'sim.phone(**{"number": "+1555"}).busy()',
            'the steps of \'sim.phone(**{"number": "+1555"}).busy()\' take literal '
            "values only, their keywords written out (after=2)",
        ),
        (
            'sim.phone("+1555").answers(after=' + "-" * 300 + "1)",
            'the steps of \'sim.phone("+1555").answers(after=' + "-" * 300 + "1)' take "
            "literal values only, their keywords written out (after=2)",
        ),
        (
            'sim.phone("+1555").answers(after=1, after=2)',
            "in 'sim.phone(\"+1555\").answers(after=1, after=2)': the keyword after= is given "
            "twice in one step; give it once",
        ),
        (
            'sim.phone("+1555").hangs_up(after=-1)',
            "in 'sim.phone(\"+1555\").hangs_up(after=-1)': sim.phone('+1555').hangs_up(): "
            "after must be 0 or more seconds; got -1",
        ),
    ],
)
def test_a_line_that_is_not_a_script_says_what_to_write(line: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_phone_script(line)
    assert str(raised.value) == message


def test_call_scripts_the_party_the_app_dials(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        [
            "call",
            "https://ivr.test/voice",
            "--app",
            "bench.ivr_app:app",
            "--press",
            "1",
            "--phone",
            EXAMPLE,
        ]
    )
    out = capsys.readouterr().out
    assert status == 0  # the agent hangs up: no 4-hour call, nothing for Twilio to log
    dialed = [line for line in out.splitlines() if "dialed targets" in line]
    # The Dial starts at 09:00:05 (after "Connecting you."), rings 2 s, talks 30 s.
    expected = re.escape(
        "  09:00:37  dialed targets=('+15551230000',), status='completed', child_sid='CA@', "
        "bridged=True, seconds=30"
    ).replace("@", "[0-9a-f]{32}")
    assert len(dialed) == 1 and re.fullmatch(expected, dialed[0]), dialed


def test_call_refuses_a_bad_phone_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["call", "https://ivr.test/voice", "--phone", 'sim.phone("+1555").jumps()'])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "twimlsim call: error: argument --phone: unknown far-end step 'jumps' in "
        "'sim.phone(\"+1555\").jumps()'; one of answers, busy, caller_name, fails, hangs_up, "
        "hangs_up_at_wait, line_type, located, machine, no_answer, presses, records, says, "
        "silence"
    )


def test_a_script_too_deep_to_read_is_a_value_error_not_a_recursion_error() -> None:
    line = 'sim.phone("+15551230000")' + '.presses("1")' * 3000
    with pytest.raises(ValueError) as raised:
        parse_phone_script(line)
    assert str(raised.value) == (
        "the far-end script of 39,025 characters nests too deep to read; script at most a few "
        "hundred steps in one line"
    )


def test_the_depth_a_script_may_reach_is_the_same_on_every_python() -> None:
    """Python's parser gives up at a depth that differs between versions (3.13 reads 3,000
    chained steps that 3.11 cannot): the limit is twimlsim's own, 1,000 brackets."""
    head = 'sim.phone("+15551230000")'
    most = parse_phone_script(head + '.presses("1")' * 999)
    assert len(most.steps) == 999
    with pytest.raises(ValueError) as raised:
        parse_phone_script(head + '.presses("1")' * 1000)
    assert str(raised.value) == (
        "the far-end script of 13,025 characters nests too deep to read; script at most a few "
        "hundred steps in one line"
    )
