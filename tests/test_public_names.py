"""The names ``twimlsim`` exports: each resolves to what a test is handed."""

from __future__ import annotations

import subprocess
import sys

import twimlsim
from twimlsim import Application, SimCall, SimConference, Simulator


def test_every_exported_name_resolves_to_an_object_of_that_name() -> None:
    for name in twimlsim.__all__:
        assert getattr(getattr(twimlsim, name), "__name__", name) == name
    assert {"Application", "SimConference"} <= set(twimlsim.__all__)


def test_the_objects_a_simulator_hands_out_are_the_exported_types() -> None:
    room = "<Response><Dial><Conference>Support</Conference></Dial></Response>"
    with Simulator() as sim:
        app = sim.application(voice_url="https://app.test/voice")
        sim.number("+15005550006")
        sim.phone("+15558675310").hangs_up(after=5)
        call = sim.client().calls.create(to="+15558675310", from_="+15005550006", twiml=room)
        sim.run()
        assert type(app) is Application and app.sid.startswith("AP")
        assert type(sim.calls[call.sid]) is SimCall
        assert type(sim.conferences["Support"]) is SimConference


def test_a_public_submodule_is_reached_as_an_attribute_after_import_twimlsim() -> None:
    # a fresh interpreter: in this one the plugin has imported twimlsim.report already
    script = (
        "import sys, twimlsim\n"
        "assert 'twimlsim.report' not in sys.modules\n"
        "print(twimlsim.report.format_simulator.__name__, twimlsim.testcase.__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "format_simulator twimlsim.testcase\n",
        "",
    )
