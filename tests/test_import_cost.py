"""What importing the simulator leaves for first use: the REST route tables, werkzeug's
routing package and the REST resources other than calls (built and imported when a
request other than a call create first needs them) and libphonenumber (imported when a
number is first checked); and what it never imports (``xml.sax``, ``wave``: the
twimlets' escaping and the recordings' audio do without them until used); and what the
command line's help imports (none of the simulator)."""

from __future__ import annotations

import subprocess
import sys

PROGRAM = """
import sys
from twimlsim import Simulator
from twimlsim.rest import routes

RESOURCES = ("accounts", "conferences", "payments", "queues", "recordings", "numbers")
OTHERS = ("werkzeug.routing", "xml.sax", "wave")


def loaded():
    resources = [name for name in RESOURCES if f"twimlsim.rest.{name}" in sys.modules]
    others = [name for name in OTHERS if name in sys.modules]
    return routes.url_map.cache_info().currsize, "phonenumbers" in sys.modules, resources, others


print(*loaded())
with Simulator() as sim:
    sim.number("+15005550006")
    sim.client().calls.create(to="+15558675310", from_="+15005550006", url="https://a.test/")
    print(*loaded())
    sim.client().calls.list()
    print(*loaded())
"""


def test_routes_resources_and_libraries_wait_for_first_use() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True
    )
    assert done.stdout.split("\n") == [
        "0 False [] []",
        "0 True [] []",
        "1 True ['accounts', 'conferences', 'payments', 'queues', 'recordings', 'numbers'] "
        "['werkzeug.routing', 'wave']",
        "",
    ]


HELP = """
import sys
from twimlsim.cli import main

for argv in (["--help"], ["call", "--help"], ["serve", "--help"], ["lint", "--help"]):
    try:
        main(argv)
    except SystemExit:
        pass
print(sorted(name for name in sys.modules if name.startswith("twimlsim")))
print([name for name in ("socket", "lxml", "werkzeug", "requests") if name in sys.modules])
"""


def test_the_command_lines_help_imports_no_simulator() -> None:
    done = subprocess.run([sys.executable, "-c", HELP], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-2:] == [
        "['twimlsim', 'twimlsim.call_options', 'twimlsim.cli', 'twimlsim.cli_examples', "
        "'twimlsim.defaults', 'twimlsim.serve_options', 'twimlsim.start_time']",
        "[]",
    ]
