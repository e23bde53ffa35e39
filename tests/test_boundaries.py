"""The layer boundaries of DESIGN.md, checked on the source: who may import what."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "twimlsim"
HTTP = {"werkzeug", "requests", "responses", "urllib3", "httpx", "flask"}

#: (modules the rule applies to, top-level packages they must not import)
RULES = [
    ("engine/", HTTP | {"lxml", "freezegun"}),
    ("model/", HTTP | {"lxml", "freezegun"}),
    ("twiml/", HTTP | {"freezegun"}),
    ("clock.py", HTTP | {"lxml", "freezegun"}),
    ("signature.py", HTTP | {"lxml", "freezegun"}),
    ("errors.py", HTTP | {"lxml", "freezegun"}),
    ("simulator.py", HTTP | {"lxml", "freezegun"}),
    ("pytest_plugin.py", HTTP | {"lxml", "freezegun"}),
]
#: Only these may import each library.
OWNERS = {
    "lxml": ("twiml/",),
    "werkzeug": ("rest/", "transports/wsgi.py", "serve.py"),
    "responses": ("transports/responses.py",),
    "freezegun": ("freeze.py",),
    "a2wsgi": ("transports/asgi.py",),
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def modules() -> list[tuple[str, Path]]:
    return [(path.relative_to(PACKAGE).as_posix(), path) for path in PACKAGE.rglob("*.py")]


@pytest.mark.parametrize(("prefix", "forbidden"), RULES)
def test_layer_imports_nothing_forbidden(prefix: str, forbidden: set[str]) -> None:
    offending = {
        name: sorted(imported_packages(path) & forbidden)
        for name, path in modules()
        if name.startswith(prefix) and imported_packages(path) & forbidden
    }
    assert offending == {}


@pytest.mark.parametrize(("library", "owners"), sorted(OWNERS.items()))
def test_only_the_owner_imports_a_library(library: str, owners: tuple[str, ...]) -> None:
    importers = sorted(
        name
        for name, path in modules()
        if library in imported_packages(path) and not name.startswith(owners)
    )
    assert importers == []


def test_import_twimlsim_needs_no_pytest() -> None:
    assert "pytest" not in imported_packages(PACKAGE / "__init__.py")
    assert "pytest" not in imported_packages(PACKAGE / "simulator.py")
