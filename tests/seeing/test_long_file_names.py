"""Golden files and timeline pages of tests with very long names (a long parametrized id)
stay within the file system's 255-byte name limit, each its own file."""

from __future__ import annotations

from pathlib import Path

from twimlsim.file_names import file_stem
from twimlsim.golden import Golden


def test_a_short_name_is_kept_as_it_is() -> None:
    assert file_stem("test_x[1-a]") == "test_x-1-a-"


def test_a_long_name_is_cut_and_told_apart_by_a_digest() -> None:
    first, second = "test_x[" + "a" * 300 + "]", "test_x[" + "a" * 299 + "b]"
    stems = file_stem(first), file_stem(second)
    assert [len(stem.encode()) for stem in stems] == [200, 200]
    assert stems[0] != stems[1]
    assert stems[0].startswith("test_x-aaaa")
    assert stems == (file_stem(first), file_stem(second))  # the same name, the same file


def test_a_long_name_of_many_byte_characters_is_cut_on_a_character() -> None:
    stem = file_stem("test_x[" + "é" * 300 + "]")
    assert len(stem.encode()) <= 200
    stem.encode().decode()  # whole characters only


def test_a_golden_file_of_a_long_test_name_is_written(tmp_path: Path) -> None:
    golden = Golden(folder=tmp_path, stem="test_x[" + "é" * 300 + "]", origin="test_x")
    assert golden.check("log\n") == "created"
    assert golden.check("log\n") == "matched"
    assert len(golden.path().name.encode()) <= 255
