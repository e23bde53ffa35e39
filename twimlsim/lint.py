"""``twimlsim lint`` (temporary: the TwiML layer's linter replaces it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO, TextIO


def run(paths: Sequence[str], *, stdin: BinaryIO, stdout: TextIO) -> int:
    return 0
