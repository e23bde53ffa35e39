"""Every example in the README runs, and prints what the README says it prints."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"```python\n# file: (?P<name>\S+)\n(?P<code>.*?)```", re.DOTALL)


def readme_files() -> dict[str, str]:
    return {m["name"]: m["code"] for m in BLOCK.finditer(README.read_text(encoding="utf-8"))}


def test_readme_has_the_examples_this_test_runs() -> None:
    assert sorted(readme_files()) == [
        "app.py",
        "script.py",
        "sitecustomize.py",  # run against twimlsim serve in tests/serve
        "test_agent_pay.py",
        "test_app.py",
        "test_async.py",
        "test_by_hand.py",
        "test_fork.py",
        "test_live_transcription.py",
        "test_lookup.py",
        "test_menu_properties.py",
        "test_own_number.py",
        "test_pay.py",
        "test_relay.py",
        "test_seeing.py",
        "test_stream.py",
        "test_unittest_calls.py",
        "twimlsim_client.py",  # run against twimlsim serve in tests/serve
    ]
    every_python_block = README.read_text(encoding="utf-8").count("```python\n")
    assert every_python_block == len(readme_files())  # no example escapes this test
    files = readme_files()
    for name in ("app.py", "test_app.py"):  # the README promises ~15 lines of each
        code_lines = [line for line in files[name].splitlines() if line.strip()]
        assert len(code_lines) <= 15, (name, len(code_lines))


def test_readme_test_examples_pass(pytester: pytest.Pytester) -> None:
    files = readme_files()
    pytester.makepyfile(
        app=files["app.py"],
        test_app=files["test_app.py"],
        test_by_hand=files["test_by_hand.py"],
        test_async=files["test_async.py"],
        test_seeing=files["test_seeing.py"],
        test_stream=files["test_stream.py"],
        test_live_transcription=files["test_live_transcription.py"],
        test_pay=files["test_pay.py"],
        test_agent_pay=files["test_agent_pay.py"],
        test_own_number=files["test_own_number.py"],
        test_lookup=files["test_lookup.py"],
        test_relay=files["test_relay.py"],
        test_fork=files["test_fork.py"],
    )
    result = pytester.runpytest(
        "test_app.py",
        "test_by_hand.py",
        "test_async.py",
        "test_seeing.py",
        "test_stream.py",
        "test_live_transcription.py",
        "test_pay.py",
        "test_agent_pay.py",
        "test_own_number.py",
        "test_lookup.py",
        "test_relay.py",
        "test_fork.py",
    )
    result.assert_outcomes(passed=13)
    golden = pytester.path / "golden" / "test_seeing" / "test_support_line.txt"
    assert "said 'Connecting you to support.'" in golden.read_text(encoding="utf-8")


def test_readme_unittest_example_passes_under_pytest_and_unittest(
    pytester: pytest.Pytester,
) -> None:
    files = readme_files()
    pytester.makepyfile(app=files["app.py"], test_unittest_calls=files["test_unittest_calls.py"])
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
    result = pytester.run(sys.executable, "-m", "unittest", "test_unittest_calls", timeout=60)
    assert (result.ret, result.errlines[-1]) == (0, "OK")
    assert result.errlines[-3].startswith("Ran 1 test in ")


def test_readme_script_prints_what_the_readme_says(pytester: pytest.Pytester) -> None:
    files = readme_files()
    pytester.makepyfile(app=files["app.py"], script=files["script.py"])
    promised = re.search(r"prints `([^`]+)`", README.read_text(encoding="utf-8"))
    assert promised is not None
    result = pytester.run(sys.executable, "script.py", timeout=60)
    assert result.ret == 0, result.stderr.str()
    assert result.stdout.str().strip() == promised.group(1)


def test_readme_property_based_example_passes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_menu_properties=readme_files()["test_menu_properties.py"])
    pytester.runpytest("--hypothesis-seed=0", "-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_readme_names_every_transcript_event() -> None:
    from twimlsim.engine import events

    text = " ".join(README.read_text(encoding="utf-8").split())
    listed = text[text.index("`transcript` (typed events") : text.index("each with its virtual")]
    named = re.findall(r"`(\w+)`", listed.split(":", 1)[1])
    # a slotted dataclass is a new class: the one it replaced is still a subclass, hence the set
    assert sorted(named) == sorted({cls.__name__ for cls in events.Event.__subclasses__()})
    assert len(named) == 26


def test_readme_json_example_gives_what_jq_prints(
    pytester: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    import json
    import shlex

    from twimlsim.cli import main

    text = " ".join(README.read_text(encoding="utf-8").split())
    found = re.search(
        r"`twimlsim call (?P<args>[^`|]+) \| jq -r '\.calls\[0\]\.said\[\]'` prints what the "
        r"caller heard, a line each: `(?P<first>[^`]+)`, then `(?P<second>[^`]+)`",
        text,
    )
    assert found is not None
    pytester.makepyfile(app=readme_files()["app.py"])
    assert main(["call", *shlex.split(found["args"])]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["calls"][0]["said"] == [found["first"], found["second"]]
    assert (document["failures"], document["unused_steps"], document["ignored_input"]) == (
        [],
        [],
        [],
    )
