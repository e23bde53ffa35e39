"""The app's clock on a machine set to another time zone than UTC (``TZ``): a naive
``datetime.now()`` reads virtual time in UTC, the same on every machine, while
``time.localtime()`` and a naive time's ``astimezone()`` apply the machine's zone, as
freezegun's fakes do; an aware time is right everywhere. The README says so."""

from __future__ import annotations

import json
import os
import subprocess
import sys

SCRIPT = """
import json
import time
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from twimlsim import Simulator

seen = {}


def app(environ, start_response):
    seen["naive now"] = datetime.now().isoformat()
    seen["utc now"] = datetime.now(timezone.utc).isoformat()
    seen["new york now"] = datetime.now(ZoneInfo("America/New_York")).isoformat()
    seen["strftime"] = time.strftime("%H:%M")
    seen["naive now, astimezone"] = datetime.now().astimezone().isoformat()
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Hangup/></Response>"]


with Simulator() as sim:
    sim.route("https://app.test", app)
    sim.number("+15005550006", voice_url="https://app.test/voice")
    sim.incoming_call(from_="+15558675310", to="+15005550006")
    sim.run()
print(json.dumps(seen))
"""


def test_a_machine_in_new_york_reads_naive_virtual_time_as_utc_and_local_time_as_its_own() -> None:
    environment = {**os.environ, "TZ": "America/New_York"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(result.stdout) == {
        "naive now": "2026-01-01T09:00:00",
        "utc now": "2026-01-01T09:00:00+00:00",
        "new york now": "2026-01-01T04:00:00-05:00",
        "strftime": "04:00",
        # the naive 09:00 read as New York's: an instant five hours after virtual time
        "naive now, astimezone": "2026-01-01T09:00:00-05:00",
    }
