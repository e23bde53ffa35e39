"""The layer boundaries of DESIGN.md, checked on the source: who may import what."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "twimlsim"
HTTP = {"werkzeug", "requests", "responses", "urllib3", "httpx", "httpx2", "flask", "aiohttp"}

#: (modules the rule applies to, top-level packages they must not import)
RULES = [
    ("engine/", HTTP | {"lxml", "freezegun"}),
    ("model/", HTTP | {"lxml", "freezegun"}),
    ("twiml/", HTTP | {"freezegun"}),
    ("clock.py", HTTP | {"lxml", "freezegun"}),
    ("signature.py", HTTP | {"lxml", "freezegun"}),
    ("errors.py", HTTP | {"lxml", "freezegun"}),
    ("simulator.py", HTTP | {"lxml", "freezegun"}),
    ("facade/", HTTP | {"lxml", "freezegun"}),
    ("pytest_plugin.py", HTTP | {"lxml", "freezegun"}),
]
#: Only these may import each library.
OWNERS = {
    "lxml": ("twiml/",),
    "werkzeug": ("rest/", "transports/wsgi.py", "transports/wsgi_calls.py", "serve.py"),
    "responses": ("transports/responses.py",),
    "freezegun": ("freeze.py", "freeze_index.py"),
    "a2wsgi": ("transports/asgi.py",),
    "aiohttp": ("transports/aiohttp_answers.py", "transports/aiohttp_web.py"),
}


@cache  # every rule reads every module: parse each once (keeping the names, not the tree)
def imported_packages(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return frozenset(names)


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


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def known_modules() -> frozenset[str]:
    """The dotted name of every twimlsim module."""
    return frozenset(_module_name(p) for _, p in modules())


def project_imports(path: Path) -> set[str]:
    """Every twimlsim module ``path`` imports, relative and ``TYPE_CHECKING`` imports included
    (a name imported from a package counts as its submodule when one exists)."""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("twimlsim"))
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            if not module.startswith("twimlsim"):
                continue
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found & known_modules()


def test_verbs_never_reach_back_to_the_engine() -> None:
    """Verbs see the engine through ``engine/services.py``: nothing a verb module imports,
    directly or through other modules (type-only imports included), is ``engine/engine.py``."""
    graph = {_module_name(p): project_imports(p) for _, p in modules()}
    verbs = sorted(m for m in graph if m.startswith("twimlsim.engine.verbs"))
    assert verbs, "no verb modules found"
    paths: dict[str, str] = {}
    todo = [(m, m) for m in verbs]
    while todo:
        module, via = todo.pop()
        for imported in graph[module]:
            if imported not in paths:
                paths[imported] = f"{via} -> {imported}"
                todo.append((imported, paths[imported]))
    assert "twimlsim.engine.engine" not in paths, paths.get("twimlsim.engine.engine")
    assert "twimlsim.simulator" not in paths, paths.get("twimlsim.simulator")
