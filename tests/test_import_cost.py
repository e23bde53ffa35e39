"""What importing the simulator leaves for first use: the REST route tables, werkzeug's
routing package and the REST resources other than calls (built and imported when a
request other than a call create first needs them) and libphonenumber (imported when a
number is first checked); and what it never imports (``xml.sax``: the twimlets'
escaping does without it until used; ``wave``: the recordings' audio writes its own WAV
header); and what the
command line's help imports (none of the simulator), and that ``twimlsim call`` needs
no twilio package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROGRAM = """
import sys
from pathlib import Path
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
        "['werkzeug.routing']",
        "",
    ]


HELP = """
import sys
from pathlib import Path
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


WSGI_APP = """
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>Hello</Say></Response>"]
"""

WITHOUT_TWILIO = """
import sys
from pathlib import Path

sys.modules["twilio"] = None  # as if the twilio package were not installed
from twimlsim.cli import main

status = main(["call", "https://app.test/voice", "--app", "voice_app:app", "--no-interactive"])
print(status, [name for name in sys.modules if name.startswith("twilio.")])
"""


def test_the_command_line_places_a_call_without_the_twilio_package(tmp_path: Path) -> None:
    (tmp_path / "voice_app.py").write_text(WSGI_APP)
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_TWILIO],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert (done.stderr, done.stdout.splitlines()[-1]) == ("", "0 []")
    assert done.stdout.splitlines()[:5] == [
        "Call CAee4a56ad3092da64d5ba892549669298 outbound-api +15005550006 -> +15558675310: "
        "completed, 1s",
        "",
        "Transcript:",
        "  09:00:00  answered",
        "  09:00:00  said 'Hello'",
    ]
