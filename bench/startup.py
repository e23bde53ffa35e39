"""Start-up: what installing twimlsim costs a test run that does not use it, and what
importing the simulator costs a run that does.

``pytest`` on an empty test file with the plugin (as installed) against the same with
``-p no:twimlsim``; ``import twimlsim`` against a bare interpreter; and
``from twimlsim import Simulator`` (the simulator and everything it imports, what the
first test that uses the ``twimlsim`` fixture pays) against a bare interpreter; ``pytest``
on one test that uses the fixture as a regular install of twimlsim is seen by pytest, whose
assertion rewriting marks every package of a plugin's distribution (here without a cache of
rewritten modules: the first run after an install, or ``PYTHONDONTWRITEBYTECODE``), against
the same run where pytest marks only the plugin module, as for this checkout's editable
install (under ``bench/compare.py`` both runs are marked as installed: pytest finds the
package on ``PYTHONPATH``), with the number of twimlsim's modules pytest rewrote; and the
command line: ``twimlsim --help``, ``twimlsim lint`` of a small file, ``twimlsim call`` of a
small WSGI app in process (a menu, one key pressed: two webhooks) and ``twimlsim serve`` until
it prints its first line (the server's CPU time then, read from ``/proc``: Linux), against a
bare interpreter.
Each side runs as a fresh subprocess, interleaved, and the median is kept. A run's cost is
the CPU time (user and system) the subprocess used, not its wall time, which on a shared
machine also counts the time it waited for a core.

The measured package is byte-compiled first, as an installed one is (with
``PYTHONDONTWRITEBYTECODE`` set, a module edited since its ``.pyc`` was written would
otherwise be compiled from source at every import).
"""

from __future__ import annotations

import compileall
import importlib.util
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import Row
from bench.per_test import QUIET_PLUGINS

RUNS = 7

#: A plugin that marks the ``twimlsim`` package for assertion rewriting as pytest does for
#: a regular install (an editable install, as a checkout's, marks less).
MARKED_AS_INSTALLED = """
def pytest_addoption(parser, pluginmanager):
    pluginmanager.rewrite_hook.mark_rewrite("twimlsim")
"""
NOT_MARKED = "def pytest_addoption(parser, pluginmanager):\n    pass\n"
ONE_TEST = """
import sys


def test_one(twimlsim):
    twimlsim.number("+15005550006")
    call = twimlsim.client().calls.create(
        to="+15558675310", from_="+15005550006", twiml="<Response><Say>Hi</Say></Response>"
    )
    twimlsim.run()
    assert twimlsim.calls[call.sid].status == "completed"
    rewritten = [
        name
        for name, module in list(sys.modules.items())
        if name.startswith("twimlsim")
        and type(getattr(module, "__loader__", None)).__name__ == "AssertionRewritingHook"
    ]
    with open("rewritten.txt", "w") as file:
        file.write(str(len(rewritten)))
"""
LINTED = b"<Response><Gather numDigits='1' action='/menu'><Say>Press 1</Say></Gather></Response>"
#: The app ``twimlsim call`` runs in process: the menu above, then a goodbye.
CALLED_APP = f"""
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/xml")])
    if environ["PATH_INFO"] == "/voice":
        return [{LINTED!r}]
    return [b"<Response><Say>Bye</Say></Response>"]
"""


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _time(command: list[str], cwd: str, env: dict[str, str] | None = None) -> float:
    start = _children_cpu()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True, env=env)
    return _children_cpu() - start


def _serve_until_ready(folder: str) -> float:
    """The CPU seconds ``twimlsim serve`` has used when it prints its first line (Linux)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "twimlsim", "serve", "--port", "0"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        server.stdout.readline()
        with open(f"/proc/{server.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    finally:
        server.terminate()
        server.communicate(timeout=30)


def _compare(
    ours: list[str], baseline: list[str], cwd: str, env: dict[str, str] | None = None
) -> tuple[float, float]:
    mine: list[float] = []
    base: list[float] = []
    _time(ours, cwd, env)  # warm the file system cache
    for _ in range(RUNS):
        mine.append(_time(ours, cwd, env))
        base.append(_time(baseline, cwd, env))
    return statistics.median(mine), statistics.median(base)


def main() -> list[Row]:
    spec = importlib.util.find_spec("twimlsim")
    assert spec is not None and spec.origin is not None, "twimlsim is not importable"
    compileall.compile_dir(Path(spec.origin).parent, quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "test_empty.py").write_text("def test_nothing():\n    pass\n")
        pytest = [sys.executable, "-m", "pytest", "-q", *QUIET_PLUGINS, "test_empty.py"]
        with_plugin, without = _compare(pytest, [*pytest, "-p", "no:twimlsim"], folder)
        imported, bare = _compare(
            [sys.executable, "-c", "import twimlsim"], [sys.executable, "-c", "pass"], folder
        )
        simulator, bare_again = _compare(
            [sys.executable, "-c", "from twimlsim import Simulator"],
            [sys.executable, "-c", "pass"],
            folder,
        )
        Path(folder, "marked_as_installed.py").write_text(MARKED_AS_INSTALLED)
        Path(folder, "not_marked.py").write_text(NOT_MARKED)
        Path(folder, "test_one.py").write_text(ONE_TEST)
        one_test = [sys.executable, "-m", "pytest", "-q", *QUIET_PLUGINS, "test_one.py"]
        no_rewrite_cache = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        installed, not_marked = _compare(
            [*one_test, "-p", "marked_as_installed"],
            [*one_test, "-p", "not_marked"],
            folder,
            no_rewrite_cache,
        )
        _time([*one_test, "-p", "marked_as_installed"], folder, no_rewrite_cache)
        rewritten = int(Path(folder, "rewritten.txt").read_text())
        Path(folder, "menu.xml").write_bytes(LINTED)
        cli = [sys.executable, "-m", "twimlsim"]
        helped, bare_help = _compare([*cli, "--help"], [sys.executable, "-c", "pass"], folder)
        linted, bare_lint = _compare(
            [*cli, "lint", "menu.xml"], [sys.executable, "-c", "pass"], folder
        )
        Path(folder, "called_app.py").write_text(CALLED_APP)
        call = [*cli, "call", "https://app.test/voice", "--app", "called_app:app", "--press", "1"]
        called, bare_call = _compare(
            [*call, "--no-interactive"], [sys.executable, "-c", "pass"], folder
        )
        _serve_until_ready(folder)  # warm the file system cache
        served = statistics.median(_serve_until_ready(folder) for _ in range(RUNS))
    return [
        Row(
            "start-up: pytest, empty test file, plugin on",
            with_plugin * 1e3,
            "ms",
            baseline=without * 1e3,
            baseline_name="-p no:twimlsim",
        ),
        Row(
            "start-up: python -c 'import twimlsim'",
            imported * 1e3,
            "ms",
            baseline=bare * 1e3,
            baseline_name="python -c pass",
        ),
        Row(
            "start-up: python -c 'from twimlsim import Simulator'",
            simulator * 1e3,
            "ms",
            baseline=bare_again * 1e3,
            baseline_name="python -c pass",
        ),
        Row(
            "start-up: pytest, one twimlsim test, as installed",
            installed * 1e3,
            "ms",
            baseline=not_marked * 1e3,
            baseline_name="plugin only marked",
        ),
        Row("start-up: twimlsim modules rewritten, as installed", rewritten, "  "),
        Row(
            "start-up: twimlsim --help",
            helped * 1e3,
            "ms",
            baseline=bare_help * 1e3,
            baseline_name="python -c pass",
        ),
        Row(
            "start-up: twimlsim lint (one 1-line file)",
            linted * 1e3,
            "ms",
            baseline=bare_lint * 1e3,
            baseline_name="python -c pass",
        ),
        Row(
            "start-up: twimlsim call --app (two webhooks)",
            called * 1e3,
            "ms",
            baseline=bare_call * 1e3,
            baseline_name="python -c pass",
        ),
        Row(
            "start-up: twimlsim serve, until its first line",
            served * 1e3,
            "ms",
            baseline=bare_call * 1e3,
            baseline_name="python -c pass",
        ),
    ]


if __name__ == "__main__":
    for row in main():
        print(row.render())
