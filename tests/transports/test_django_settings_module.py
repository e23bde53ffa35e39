"""A Django project served with a settings module that is not its own says so."""

from __future__ import annotations

import sys

import pytest

SCRIPT = """
import os

os.environ["DJANGO_SETTINGS_MODULE"] = "proj.settings"  # the package, not proj.settings.local

from django.core.wsgi import get_wsgi_application

from twimlsim import Simulator

with Simulator(strict=False) as sim:
    sim.route("https://ivr.test", get_wsgi_application())
    sim.number("+15005550006", voice_url="https://ivr.test/ivr/welcome/")
    sim.incoming_call(from_="+15558675310", to="+15005550006")
    sim.run()
    print(sim.failures[0].message)
"""


def test_a_settings_package_without_the_settings_names_the_module(
    pytester: pytest.Pytester,
) -> None:
    # a sample's wsgi.py sets DJANGO_SETTINGS_MODULE to 'ivr_recording.settings', whose
    # __init__ is empty, where its manage.py names 'ivr_recording.settings.local'
    pytester.mkpydir("proj")
    pytester.mkpydir("proj/settings")
    (pytester.path / "proj" / "settings" / "local.py").write_text(
        "SECRET_KEY = 'x'\nROOT_URLCONF = 'proj.urls'\nALLOWED_HOSTS = ['*']\n",
        encoding="utf-8",
    )
    pytester.makepyfile(script=SCRIPT)
    result = pytester.run(sys.executable, "script.py", timeout=60)
    assert result.ret == 0, result.errlines
    assert result.outlines == [
        "the app raised AttributeError: 'Settings' object has no attribute 'ROOT_URLCONF' "
        "(Twilio sees HTTP 500); Django's settings module, "
        "DJANGO_SETTINGS_MODULE='proj.settings', does not have it: it names a module without "
        "the project's settings (a settings package's empty __init__, as a wsgi.py's "
        "os.environ.setdefault may name); set DJANGO_SETTINGS_MODULE to the module manage.py "
        "uses before the app is loaded; twimlsim then played Twilio's application-error "
        "message and hung up, as Twilio does"
    ]
