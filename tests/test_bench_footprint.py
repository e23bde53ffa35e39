"""``bench/footprint.py --bytecode`` counts twimlsim's own code apart from the libraries'
(its code is not run here: only whose each code object is)."""

from __future__ import annotations

import os

import twimlsim
from bench.footprint import _owner

OWN = os.path.dirname(os.path.abspath(twimlsim.__file__))


def test_whose_code_goes_by_the_package_directory_not_a_twimlsim_in_the_path() -> None:
    # a checkout cloned as twimlsim holds the virtual environment and the benchmarks
    clone = "/home/dev/twimlsim"
    files = [
        os.path.join(OWN, "engine", "delivery.py"),
        f"{clone}/.venv/lib/python3.11/site-packages/werkzeug/routing/map.py",
        f"{clone}/bench/ivr_app.py",
        "<string>",
    ]
    assert [_owner(compile("", name, "exec")) for name in files] == [
        "twimlsim",
        "libraries",
        "libraries",
        "generated",
    ]
