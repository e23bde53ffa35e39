"""A suite type-checked with mypy --strict against twimlsim's public names, as the README's
"Type checking a suite" writes it: the fixture annotated ``Simulator``, ``said`` read as a
``Sequence[str]``, and the one annotation mypy refuses (``list[str]``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parent.parent

SUITE = """\
from __future__ import annotations

from collections.abc import Sequence

from twimlsim import ApiRequest, SimCall, Simulator, WebhookRequest
from twimlsim.engine.events import SaidText


def last_said(texts: Sequence[str]) -> str:
    return texts[-1]


def menu_request(call: SimCall) -> WebhookRequest:
    return call.requests[-1]


def test_menu(twimlsim: Simulator) -> None:
    twimlsim.number("+15005550006", voice_url="https://app.test/voice")
    call = twimlsim.incoming_call(from_="+15558675310", to="+15005550006")
    twimlsim.run()
    assert last_said(call.said) == "Connecting you to sales."
    cut: list[SaidText] = [text for text in call.said if text.interrupted]
    digits: str = menu_request(call).params["Digits"]
    created: list[ApiRequest] = twimlsim.api_requests
    assert (cut, digits, created) == ([], "1", [])
    said: list[str] = call.said
"""

#: The README's override for twilio-python, which ships no type information.
PYPROJECT = """\
[[tool.mypy.overrides]]
module = ["twilio.*"]
ignore_missing_imports = true
"""


def test_a_suite_typed_as_the_readme_says_passes_mypy_strict_but_a_list_of_str(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "test_menu.py").write_text(SUITE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MYPYPATH", str(ROOT))  # the checkout, as an installed wheel has it
    out, err, status = api.run(
        ["--strict", "--no-incremental", "--hide-error-context", "--no-pretty", "test_menu.py"]
    )
    assert (out.splitlines()[0], out.splitlines()[-1], err, status) == (
        "test_menu.py:26: error: Incompatible types in assignment (expression has type "
        '"list[SaidText]", variable has type "list[str]")  [assignment]',
        "Found 1 error in 1 file (checked 1 source file)",
        "",
        1,
    )
