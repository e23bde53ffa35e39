"""The README's install section works: the wheel, built and installed as it says in a fresh
virtual environment without the dev extra, runs the README's first example."""

from __future__ import annotations

import re
import subprocess
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from tests.test_readme import readme_files

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def install_commands() -> list[str]:
    """The shell lines of the README's install section."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Install (for using it)", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None, "the install section has no sh block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_the_install_section_builds_installs_and_checks_the_version() -> None:
    assert install_commands() == [
        "python -m pip wheel --no-deps --wheel-dir dist /path/to/twimlsim",
        "python -m pip install dist/twimlsim-0.1.0-py3-none-any.whl twilio flask",
        "twimlsim --version",
    ]


def test_the_install_section_names_the_versions_pyproject_asks_for() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    section = " ".join(
        README.read_text(encoding="utf-8")
        .split("## Install (for using it)", 1)[1]
        .split("\n## ", 1)[0]
        .split()
    )
    assert project["requires-python"] == ">=3.11"
    assert "It needs Python 3.11 or later" in section
    named = [re.fullmatch(r"([a-z]+)>=([0-9.]+)", d) for d in project["dependencies"]]
    versions = {m.group(1): m.group(2) for m in named if m is not None}
    assert len(versions) == len(project["dependencies"]) == 7
    said = re.search(r"at these versions or later: (.*?) \(a project", section)
    assert said is not None
    listed = dict(item.rsplit(" ", 1) for item in said.group(1).replace(" and ", ", ").split(", "))
    assert listed == versions


def run(args: list[str], cwd: Path) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.install
def test_the_wheel_installs_in_a_fresh_venv_and_runs_the_first_example(tmp_path: Path) -> None:
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    outputs = []
    for line in install_commands():
        command = line.replace("/path/to/twimlsim", str(ROOT)).split()
        if command[0] == "python":
            command[0] = str(bin_dir / "python")
        else:
            command[0] = str(bin_dir / command[0])
        if "install" in command:  # quietly, compiling no bytecode ahead of its first use
            at = command.index("install") + 1
            command[at:at] = ["--quiet", "--no-compile"]
        outputs.append(run(command, tmp_path))
    assert outputs[-1] == "twimlsim 0.1.0\n"

    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "twimlsim-0.1.0.dist-info/licenses/LICENSE" in names
    assert "twimlsim/py.typed" in names
    assert [name for name in names if name.startswith(("tests/", "fixtures/", "bench/"))] == []
    package = ROOT / "twimlsim"  # every file of the package ships, data files included
    shipped = {
        path.relative_to(ROOT).as_posix()
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert sorted(shipped - set(names)) == []

    installed = run([str(bin_dir / "python"), "-m", "pip", "list", "--format=freeze"], tmp_path)
    dev_only = {"django", "fastapi", "mypy", "ruff", "hypothesis", "a2wsgi"}
    assert {line.split("==")[0].lower() for line in installed.splitlines()} & dev_only == set()

    files = readme_files()
    (tmp_path / "app.py").write_text(files["app.py"])
    (tmp_path / "test_app.py").write_text(files["test_app.py"])
    result = run(
        [str(bin_dir / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"], tmp_path
    )
    assert result.splitlines()[-1].startswith("1 passed")


def test_make_demo_installs_only_the_light_demo_extra() -> None:
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert sorted(re.split(r"[<>=\[]", dep)[0] for dep in extras["demo"]) == ["flask", "twilio"]
    makefile = (ROOT / "Makefile").read_text()
    demo_install = [
        line.strip() for line in makefile.splitlines() if "$(DEMO_VENV)/bin/python" in line
    ]
    assert demo_install[-1] == "$(DEMO_VENV)/bin/python -m pip install --quiet -e '.[demo]'"
    assert "demo: $(DEMO_STAMP)" in makefile
