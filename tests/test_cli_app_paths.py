"""``twimlsim call --app`` given a file path (``app.py``, ``src/app.py``, a package's
module file), as Flask's own ``--app`` takes one, and the module names it cannot import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from twimlsim import app_loading
from twimlsim.cli import main

APP_SOURCE = (
    "from flask import Flask\n\n"
    "app = Flask(__name__)\n"
    "app.post('/voice')(lambda: ('<Response><Say>' + __name__ + '</Say></Response>', 200))\n"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A project folder, the working directory, holding ``web.py`` and ``shop/voice.py``
    (``shop`` a package); neither module imported yet, and none of the folder's modules
    left imported after the test (a ``factory`` left in ``sys.modules`` was imported in
    place of another test's own ``factory.py`` later in the same process)."""
    (tmp_path / "web.py").write_text(APP_SOURCE)
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "voice.py").write_text(APP_SOURCE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in {"", str(tmp_path)}])
    for name in ("web", "shop", "shop.voice"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    yield tmp_path
    for name, module in list(sys.modules.items()):
        if str(getattr(module, "__file__", None) or "").startswith(str(tmp_path)):
            del sys.modules[name]


@pytest.mark.parametrize(
    ("spec", "module"),
    [
        ("web.py", "web"),
        ("web.py:app", "web"),
        ("./web.py", "web"),
        ("shop/voice.py:app", "shop.voice"),
        ("./shop/voice.py", "shop.voice"),
    ],
)
def test_a_file_path_is_imported_as_its_module(
    project: Path, capsys: pytest.CaptureFixture[str], spec: str, module: str
) -> None:
    assert main(["call", "https://app.test/voice", "--no-interactive", "--app", spec]) == 0
    assert f"  09:00:00  said {module!r}" in capsys.readouterr().out.splitlines()
    assert sys.path[0] == str(project)


def test_an_absolute_path_from_elsewhere_puts_its_folder_on_the_path(
    project: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    spec = str(project / "shop" / "voice.py")
    assert main(["call", "https://app.test/voice", "--no-interactive", "--app", spec]) == 0
    assert "  09:00:00  said 'shop.voice'" in capsys.readouterr().out.splitlines()
    assert sys.path[0] == str(project)


@pytest.mark.parametrize("spec", ["C:/voice.py", "C:/voice.py:app"])
def test_a_path_that_starts_with_a_drive_keeps_its_colon(
    project: Path, capsys: pytest.CaptureFixture[str], spec: str
) -> None:
    # a folder named ``C:`` stands in for a Windows drive: its colon starts a path, not the
    # attribute, as Flask's own --app reads C:\\project\\app.py
    (project / "shop").rename(project / "C:")
    (project / "C:" / "__init__.py").unlink()
    assert main(["call", "https://app.test/voice", "--no-interactive", "--app", spec]) == 0
    assert "  09:00:00  said 'voice'" in capsys.readouterr().out.splitlines()
    assert sys.path[0] == str(project / "C:")


@pytest.mark.parametrize(
    ("spec", "split"),
    [
        ("C:\\project\\app.py", ("C:\\project\\app.py", "")),
        ("C:\\project\\app.py:app", ("C:\\project\\app.py", "app")),
        ("C:/project/app.py:create_app('a:b')", ("C:/project/app.py", "create_app('a:b')")),
        ("app:create_app('C:/x')", ("app", "create_app('C:/x')")),
        ("shop.voice:app", ("shop.voice", "app")),
        ("web", ("web", "")),
    ],
)
def test_the_spec_is_split_at_the_first_colon_that_starts_no_path(
    spec: str, split: tuple[str, str]
) -> None:
    assert app_loading._split(spec) == split


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "missing.py",
            "--app missing.py: there is no file 'missing.py' (from {cwd}); give the path of "
            "the app's module file, or its dotted name",
        ),
        (
            "shop/__init__.txt:app",
            "--app shop/__init__.txt:app: there is no file 'shop/__init__.txt' (from {cwd}); "
            "give the path of the app's module file, or its dotted name",
        ),
        (
            ".web",
            "--app .web: '.web' is a relative module name, which has no package to be "
            "relative to; give the module's full dotted name (--app package.module:app) or "
            "its file (--app path/to/module.py)",
        ),
        (
            "..:app",
            "--app ..:app: '..' is a relative module name, which has no package to be "
            "relative to; give the module's full dotted name (--app package.module:app) or "
            "its file (--app path/to/module.py)",
        ),
    ],
)
def test_a_path_or_name_that_names_no_module_is_refused_in_one_line(
    project: Path, capsys: pytest.CaptureFixture[str], spec: str, message: str
) -> None:
    assert main(["call", "https://app.test/voice", "--app", spec]) == 2
    expected = message.format(cwd=project)
    assert capsys.readouterr().err == f"twimlsim call: error: {expected}\n"


def test_a_file_that_is_not_python_is_refused_in_one_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "settings.toml").write_text("")
    assert main(["call", "https://app.test/voice", "--app", "./settings.toml"]) == 2
    assert capsys.readouterr().err == (
        "twimlsim call: error: --app ./settings.toml: './settings.toml' is neither a Python "
        "file (.py) nor a package folder; give the app's module file (--app app.py) or its "
        "dotted name (--app app)\n"
    )


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("import sys\nsys.exit(3)\n", "3"),
        ("raise SystemExit('set TWILIO_AUTH_TOKEN')\n", "'set TWILIO_AUTH_TOKEN'"),
    ],
)
def test_a_module_that_exits_as_it_is_imported_is_refused_saying_so(
    project: Path, capsys: pytest.CaptureFixture[str], source: str, code: str
) -> None:
    # twimlsim ended with the module's exit status and, for sys.exit(3), said nothing
    (project / "checks.py").write_text(source)
    sys.modules.pop("checks", None)
    assert main(["call", "https://app.test/voice", "--app", "checks.py"]) == 2
    assert capsys.readouterr().err == (
        f"twimlsim call: error: importing 'checks' for --app exited (sys.exit({code})) "
        "before it made an app: it checks something as it is imported (an environment "
        "variable, a setting?); make that check pass, or give --app another module\n"
    )


def test_a_module_that_parses_the_command_line_as_it_is_imported_is_told_where(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``args = parser.parse_args()`` at the top of the app's module read twimlsim's own
    arguments and exited 2; the refusal spoke of an environment variable or a setting."""
    (project / "cli_app.py").write_text(
        "import argparse\n"
        "parser = argparse.ArgumentParser()\n"
        "parser.add_argument('--port', type=int, default=5000)\n"
        "args = parser.parse_args()\n"
    )
    sys.modules.pop("cli_app", None)
    argv = ["call", "https://app.test/voice", "--app", "cli_app.py"]
    monkeypatch.setattr(sys, "argv", ["twimlsim", *argv])  # as the command has them
    assert main(argv) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "twimlsim call: error: importing 'cli_app' for --app exited (sys.exit(2)) in argparse "
        "before it made an app: the module reads the command line as it is imported, and got "
        "twimlsim's own arguments; read it only when the module is run (under if __name__ == "
        "'__main__':), as a WSGI server imports it too"
    )


def test_with_json_what_the_app_prints_goes_to_standard_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # it was mixed into the JSON document on standard output
    (project / "noisy.py").write_text(
        "import sys\n"
        "print('imported')\n"
        "def app(environ, start_response):\n"
        "    print('answering', environ['PATH_INFO'])\n"
        "    sys.stdout.write('written\\n')\n"
        "    start_response('200 OK', [('Content-Type', 'text/xml')])\n"
        "    return [b'<Response><Say>Hi</Say></Response>']\n"
    )
    sys.modules.pop("noisy", None)
    assert main(["call", "https://app.test/voice", "--app", "noisy.py", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["calls"][0]["said"] == ["Hi"]
    assert err == "imported\nanswering /voice\nwritten\n"


FACTORY_SOURCE = (
    "from flask import Flask\n\n"
    "def create_app(config_name, *, greeting='Hello'):\n"
    "    if config_name not in ('testing', 'production'):\n"
    "        raise KeyError(config_name)\n"
    "    app = Flask(__name__)\n"
    "    said = f'<Response><Say>{greeting} from {config_name}</Say></Response>'\n"
    "    app.post('/voice')(lambda: (said, 200))\n"
    "    return app\n"
)


@pytest.mark.parametrize(
    ("spec", "said"),
    [
        ("factory:create_app('testing')", "Hello from testing"),
        ("factory.py:create_app( 'production', greeting='Hi' )", "Hi from production"),
    ],
)
def test_a_factory_called_with_literal_arguments_makes_the_app(
    project: Path, capsys: pytest.CaptureFixture[str], spec: str, said: str
) -> None:
    """Flask's own --app takes "module:create_app('testing')": a factory that needs its
    configuration's name was refused as a module with no such name."""
    (project / "factory.py").write_text(FACTORY_SOURCE)
    sys.modules.pop("factory", None)
    assert main(["call", "https://app.test/voice", "--no-interactive", "--app", spec]) == 0
    assert f"  09:00:00  said {said!r}" in capsys.readouterr().out.splitlines()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "factory:create_app(config_name)",
            "--app factory:create_app(config_name): the arguments of create_app() must be "
            "literal values (strings, numbers, lists, dicts, True, None...), as Flask's own "
            "--app takes them",
        ),
        (
            "factory:create_app('staging')",
            "--app factory:create_app('staging'): create_app('staging') raised KeyError: 'staging'",
        ),
        (
            "factory:make_app('testing')",
            "module 'factory' has no function 'make_app'; did you mean --app factory:create_app?",
        ),
        (
            "factory:create_app('testing'",
            "--app factory:create_app('testing': \"create_app('testing'\" is neither a name "
            "nor a call of one; give the app (--app module:app) or its factory, alone or "
            "called with literal arguments (--app \"module:create_app('testing')\")",
        ),
    ],
)
def test_a_factory_call_that_cannot_make_the_app_is_refused_in_one_line(
    project: Path, capsys: pytest.CaptureFixture[str], spec: str, message: str
) -> None:
    (project / "factory.py").write_text(FACTORY_SOURCE)
    sys.modules.pop("factory", None)
    assert main(["call", "https://app.test/voice", "--app", spec]) == 2
    assert capsys.readouterr().err == f"twimlsim call: error: {message}\n"


MANAGE_SOURCE = (
    "import os\nimport sys\n\n\ndef main():\n"
    "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', '{settings}')\n"
    "    from django.core.management import execute_from_command_line\n"
    "    execute_from_command_line(sys.argv)\n\n\n"
    "if __name__ == '__main__':\n    main()\n"
)


@pytest.mark.parametrize(
    ("settings", "packages", "wsgi"),
    [
        ("site_conf.settings", ["site_conf"], "site_conf.wsgi"),
        # cookiecutter-django's layout: settings in a package of their own
        ("config.settings.local", ["config", "config/settings"], "config.wsgi"),
        ("gone.settings", [], "PROJECT.wsgi"),
    ],
)
def test_django_manage_py_is_refused_naming_the_wsgi_module(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    settings: str,
    packages: list[str],
    wsgi: str,
) -> None:
    # a Django IVR sample given as --app manage.py was told only to name an app in 'manage'
    (project / "manage.py").write_text(MANAGE_SOURCE.replace("{settings}", settings))
    for package in packages:
        (project / package).mkdir()
        (project / package / "__init__.py").write_text("")
    if packages:
        (project / packages[0] / "wsgi.py").write_text("application = None\n")
    assert main(["call", "https://app.test/voice/", "--app", "manage.py"]) == 2
    assert capsys.readouterr().err == (
        "twimlsim call: error: --app manage.py: module 'manage' is Django's command script, "
        "which makes no app; give the project's WSGI module (the one its settings' "
        f"WSGI_APPLICATION names): --app {wsgi}\n"
    )


def test_a_flask_app_run_at_the_modules_top_is_ignored_as_flask_run_ignores_it(
    tmp_path: Path,
) -> None:
    """``app.run()`` without ``if __name__ == '__main__':`` started Flask's development
    server as the module was imported, and the command waited for ever."""
    (tmp_path / "served.py").write_text(APP_SOURCE + "app.run(port=0)\n")
    result = subprocess.run(
        [sys.executable, "-m", "twimlsim", "call", "https://app.test/voice"]
        + ["--app", "served.py", "--json"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (call,) = json.loads(result.stdout)["calls"]
    assert [entry.get("text") for entry in call["transcript"]][1] == "served"
    assert " * Ignoring a call to 'app.run()' that would block" in result.stderr


def test_an_import_that_takes_long_is_told_with_what_may_hold_it(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_loading, "SLOW_IMPORT_SECONDS", 0.05)
    (project / "slow.py").write_text("import time\ntime.sleep(0.5)\n" + APP_SOURCE)
    sys.modules.pop("slow", None)
    assert main(["call", "https://app.test/voice", "--app", "slow.py"]) == 0
    assert capsys.readouterr().err.splitlines()[0] == (
        "twimlsim call: importing 'slow' for --app has taken more than 0.05 s: a module "
        "that starts its server as it is imported (uvicorn.run(app), socketio.run(app), "
        "serve_forever() at its top level) never returns; start it only when the module is "
        "run (under if __name__ == '__main__':), as a WSGI server imports it too (Ctrl-C "
        "stops this command)"
    )


@pytest.mark.parametrize(
    ("spec", "missing", "named"),
    [
        ("voice_pkg.main:app", "voice_pkg", "src/voice_pkg/main.py:app"),
        ("voice_pkg", "voice_pkg", "src/voice_pkg/__init__.py"),
        ("voice_mod:app", "voice_mod", "src/voice_mod.py:app"),
        # the folder named too: its module imports its package by its own name
        ("src.voice_pkg.main:app", "voice_pkg", "src/voice_pkg/main.py:app"),
    ],
)
def test_a_src_layout_module_not_installed_is_named_with_its_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    spec: str,
    missing: str,
    named: str,
) -> None:
    # a src layout's package is not importable from the project's root until installed
    (tmp_path / "src" / "voice_pkg").mkdir(parents=True)
    (tmp_path / "src" / "voice_pkg" / "__init__.py").write_text("")
    (tmp_path / "src" / "voice_pkg" / "main.py").write_text("import voice_pkg\n\napp = None\n")
    (tmp_path / "src" / "voice_mod.py").write_text("app = None\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in {"", str(tmp_path)}])
    module = spec.partition(":")[0]
    try:
        assert main(["call", "https://app.test/voice", "--app", spec]) == 2
    finally:
        for name in ("src", "src.voice_pkg", "src.voice_pkg.main"):
            sys.modules.pop(name, None)
    assert capsys.readouterr().err == (
        f"twimlsim call: error: cannot import {module!r} for --app: No module named "
        f"{missing!r}; {missing!r} is under src/ (a src layout, not installed here): install "
        "the project where twimlsim runs (pip install -e .), give --app the module's file "
        f"({named}), or add src to PYTHONPATH\n"
    )


def test_a_module_reading_an_unset_environment_variable_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # an app making its Twilio client as it is imported, from the environment
    (tmp_path / "env_app.py").write_text("import os\n\nSID = os.environ['TWIMLSIM_TEST_SID']\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TWIMLSIM_TEST_SID", raising=False)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in {"", str(tmp_path)}])
    try:
        assert main(["call", "https://app.test/voice", "--app", "env_app:app"]) == 2
    finally:
        sys.modules.pop("env_app", None)
    assert capsys.readouterr().err.splitlines()[-1] == (
        "twimlsim call: error: importing 'env_app' for --app raised KeyError: "
        "'TWIMLSIM_TEST_SID' (the traceback above shows where); it reads TWIMLSIM_TEST_SID "
        "from the environment (os.environ), where it is unset: set it in twimlsim's "
        "environment (for Twilio's credentials any value will do at first: when the app "
        "presents others than the simulated account's, the call prints that account's SID "
        "and token to give it)"
    )


def test_a_django_settings_module_the_project_lacks_is_named_as_the_setting(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # a container's environment set for production, the project run by hand: no package
    # to install, the variable to change
    (project / "shop" / "wsgi.py").write_text(
        "import os, importlib\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"
        "importlib.import_module(os.environ['DJANGO_SETTINGS_MODULE'])\n"
    )
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "shop.settings_production")
    assert main(["call", "https://app.test/voice", "--app", "shop/wsgi.py"]) == 2
    assert capsys.readouterr().err == (
        "twimlsim call: error: cannot import 'shop.wsgi' for --app: No module named "
        "'shop.settings_production'; DJANGO_SETTINGS_MODULE names it, and no such module is "
        "in the project: set DJANGO_SETTINGS_MODULE to a settings module the project has, or "
        "unset it where the WSGI module sets its default\n"
    )


def test_a_module_its_own_package_lacks_is_no_package_to_install(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "shop" / "calls.py").write_text("import shop.telephny\n")
    assert main(["call", "https://app.test/voice", "--app", "shop.calls:app"]) == 2
    assert capsys.readouterr().err == (
        "twimlsim call: error: cannot import 'shop.calls' for --app: No module named "
        "'shop.telephny'; the project's package 'shop' has no module 'telephny': correct the "
        "name where the app imports it\n"
    )


def _install_staticwrap(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, *modules: str
) -> None:
    """An installed package ``staticwrap`` 6.1.0 (a site-packages of its own on the path,
    with its dist-info), holding ``modules``."""
    site = tmp_path_factory.mktemp("venv") / "lib" / "site-packages"
    (site / "staticwrap").mkdir(parents=True)
    for module in ("__init__", *modules):
        (site / "staticwrap" / f"{module}.py").write_text("")
    info = site / "staticwrap-6.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: staticwrap\nVersion: 6.1.0\n")
    (info / "top_level.txt").write_text("staticwrap\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, "staticwrap", raising=False)


def test_a_module_an_installed_package_lacks_asks_for_the_version_the_app_was_written_for(
    project: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # a sample's wsgi.py written for an older release of a package whose module it imports
    # was since removed (whitenoise.django, gone in whitenoise 4): the package is there
    _install_staticwrap(tmp_path_factory, monkeypatch)
    (project / "shop" / "wsgi.py").write_text("from staticwrap.django import Static\n")
    try:
        assert main(["call", "https://app.test/voice", "--app", "shop/wsgi.py"]) == 2
    finally:
        sys.modules.pop("staticwrap", None)
    assert capsys.readouterr().err == (
        "twimlsim call: error: cannot import 'shop.wsgi' for --app: No module named "
        "'staticwrap.django'; 'staticwrap' is installed (staticwrap 6.1.0) but has no module "
        "'django': the app was written for another version of it; install the version the "
        "app's requirements name\n"
    )


def test_a_misspelt_module_of_an_installed_package_is_named_with_the_one_it_has(
    project: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # twilio.twiml.voice_responses for twilio.twiml.voice_response: no other version of the
    # package is wanted, the name is wrong
    _install_staticwrap(tmp_path_factory, monkeypatch, "voice_response", "messaging")
    (project / "shop" / "wsgi.py").write_text("from staticwrap.voice_responses import Say\n")
    try:
        assert main(["call", "https://app.test/voice", "--app", "shop/wsgi.py"]) == 2
    finally:
        sys.modules.pop("staticwrap", None)
    assert capsys.readouterr().err == (
        "twimlsim call: error: cannot import 'shop.wsgi' for --app: No module named "
        "'staticwrap.voice_responses'; 'staticwrap' is installed (staticwrap 6.1.0) but has no "
        "module 'voice_responses'; it has 'voice_response': correct the name where the app "
        "imports it (or, if the app was written for another version of it, install the "
        "version the app's requirements name)\n"
    )


def test_a_name_a_found_module_lacks_is_no_directory_to_run_from(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "shop" / "calls.py").write_text("from shop import telephny\n")
    assert main(["call", "https://app.test/voice", "--app", "shop.calls:app"]) == 2
    assert capsys.readouterr().err == (
        "twimlsim call: error: cannot import 'shop.calls' for --app: cannot import name "
        "'telephny' from 'shop' (" + str(project / "shop" / "__init__.py") + "); 'shop' was "
        "imported but has no such name: correct the name where the app imports it\n"
    )


def test_a_name_an_installed_package_lacks_may_need_another_version(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "shop" / "calls.py").write_text("from werkzeug import no_such_name_here\n")
    assert main(["call", "https://app.test/voice", "--app", "shop.calls:app"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "twimlsim call: error: cannot import 'shop.calls' for --app: cannot import name "
        "'no_such_name_here' from 'werkzeug' ("
    )
    assert err.endswith(
        "); 'werkzeug' was imported but has no such name: correct the name where the app "
        "imports it, or install the version that has it\n"
    )
