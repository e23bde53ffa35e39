"""File names made from test names (golden logs, timeline pages).

A test's name may be longer than a file name may be (a parametrized id of a long string:
most file systems allow 255 bytes): a name past ``MAX_STEM_BYTES`` keeps its start, cut on
a whole character, and ends with a digest of the whole name, so that two long names
sharing their start still make two files, and the same name always makes the same file.
"""

from __future__ import annotations

import hashlib
import re

__all__ = ["MAX_STEM_BYTES", "file_stem"]

#: The longest stem made, in UTF-8 bytes: room left for a suffix (``.name.txt``).
MAX_STEM_BYTES = 200
_DIGEST_CHARACTERS = 16


def file_stem(name: str, *, unsafe: str = r"[^\w.-]", replacement: str = "-") -> str:
    """``name`` with each character a file name should not hold (each match of ``unsafe``)
    replaced, cut to ``MAX_STEM_BYTES`` with a digest of ``name`` when longer."""
    stem = re.sub(unsafe, replacement, name)
    if len(stem.encode("utf-8")) <= MAX_STEM_BYTES:
        return stem
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()
    room = MAX_STEM_BYTES - _DIGEST_CHARACTERS - 1
    kept = stem.encode("utf-8")[:room].decode("utf-8", "ignore")
    return f"{kept}-{digest[:_DIGEST_CHARACTERS]}"
