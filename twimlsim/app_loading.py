"""``--app`` of ``twimlsim call``: the WSGI/ASGI app a ``module:attribute`` names, found
and imported as Flask's own ``--app`` finds one (a dotted module or its file, a factory
called, alone or with the literal arguments written: ``module:create_app('testing')``)."""

from __future__ import annotations

import ast
import contextlib
import importlib
import importlib.util
import inspect
import os
import re
import sys
import threading
import traceback
from collections.abc import Iterator
from typing import Any

from .arguments import describe, environment_key, raised_text

__all__ = ["AppNotLoaded", "load_app"]


class AppNotLoaded(Exception):
    """``--app`` names no app that can be loaded; the message says why and what to give."""


#: What ``--app module`` looks for, in order, as Flask's own ``--app`` does: an app, then a
#: factory that makes one.
_APP_NAMES = ("app", "application", "create_app", "make_app")


def load_app(spec: str) -> Any:
    """The app ``--app`` names (``module:attribute``, or ``module`` alone, the module
    dotted or a file such as ``app.py``), or ``AppNotLoaded``."""
    module_name, attribute = _split(spec)
    if not module_name:
        raise AppNotLoaded(f"--app takes 'module:attribute' or 'module', got {spec!r}")
    is_file = module_name.endswith(".py") or "/" in module_name or os.sep in module_name
    if module_name.startswith(".") and not is_file:
        raise AppNotLoaded(
            f"--app {spec}: {module_name!r} is a relative module name, which has no package "
            "to be relative to; give the module's full dotted name (--app package.module:app) "
            "or its file (--app path/to/module.py)"
        )
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    if is_file:
        module_name = _module_of_file(module_name, spec)
    try:
        with _importing(module_name):
            module = importlib.import_module(module_name)
    except ImportError as exc:
        missing = exc.name or ""
        advice = _src_layout_advice(module_name, missing, attribute)
        if advice is None and missing in sys.modules and "circular import" not in str(exc):
            advice = (  # from shop import telephny: shop itself was found
                f"{missing!r} was imported but has no such name: correct the name where the "
                "app imports it"
                + (", or install the version that has it" if _installed(missing) else "")
            )
        elif advice is None and (module_name == missing or module_name.startswith(missing + ".")):
            advice = (
                "run twimlsim from the directory that holds it, or add that directory to PYTHONPATH"
            )
        elif advice is None:
            advice = (
                _project_module_advice(missing)
                or _installed_package_advice(missing)
                or (
                    f"install the package that provides {missing or 'what it imports'} where "
                    "twimlsim runs"
                )
            )
        raise AppNotLoaded(f"cannot import {module_name!r} for --app: {exc}; {advice}") from None
    except SystemExit as exc:  # sys.exit("set TWILIO_ACCOUNT_SID") as it is imported
        parser = _command_line_parser(exc)
        if parser is not None:  # args = parser.parse_args() at the module's top level
            raise AppNotLoaded(
                f"importing {module_name!r} for --app exited (sys.exit({exc.code!r})) in "
                f"{parser} before it made an app: the module reads the command line as it is "
                "imported, and got twimlsim's own arguments; read it only when the module "
                "is run (under if __name__ == '__main__':), as a WSGI server imports it too"
            ) from None
        raise AppNotLoaded(
            f"importing {module_name!r} for --app exited (sys.exit({exc.code!r})) before it "
            "made an app: it checks something as it is imported (an environment variable, a "
            "setting?); make that check pass, or give --app another module"
        ) from None
    except Exception as exc:  # the app's module failed as it ran: show where, then say so
        traceback.print_exc()
        variable = environment_key(exc)
        fix = (
            f"it reads {variable} from the environment (os.environ), where it is unset: set "
            "it in twimlsim's environment (for Twilio's credentials any value will do at "
            "first: when the app presents others than the simulated account's, the call "
            "prints that account's SID and token to give it)"
            if variable is not None
            else "fix the module, or give --app another one"
        )
        raise AppNotLoaded(
            f"importing {module_name!r} for --app raised {raised_text(exc)} (the "
            f"traceback above shows where); {fix}"
        ) from None
    if not attribute:
        # an ``app = None`` (made only in production) is no app: look further, as Flask does
        attribute = next(
            (name for name in _APP_NAMES if getattr(module, name, None) is not None), ""
        )
        if not attribute:
            raise AppNotLoaded(
                _django_script_refusal(module, spec)
                or f"--app {spec}: module {module_name!r} has no {', '.join(_APP_NAMES[:-1])} "
                f"or {_APP_NAMES[-1]}; name the app: --app {module_name}:NAME"
            )
    if "(" in attribute:
        return _called(module, attribute, spec)
    try:
        app = getattr(module, attribute)
    except AttributeError:
        raise AppNotLoaded(
            f"module {module_name!r} has no {attribute!r}{_nearest_app(module, attribute)}"
        ) from None
    if _is_factory(app):  # Flask's create_app(), Django's get_wsgi_application()
        if inspect.iscoroutinefunction(app):  # called, it would leave a coroutine unawaited
            raise AppNotLoaded(
                f"--app {spec}: {attribute}() is an async function, which --app does not "
                f"await as an app factory; name the app object itself (--app "
                f"{module_name}:NAME) or a plain (not async) factory that returns it"
            )
        try:
            made = app()
        except Exception as exc:
            raise AppNotLoaded(_factory_failed(spec, attribute, app, exc)) from None
        if not callable(made):  # every WSGI and ASGI app is callable
            raise AppNotLoaded(
                f"--app {spec}: {attribute}() was called as an app factory (it takes no "
                f"arguments) and returned {describe(made)}, not a WSGI or ASGI app; name the "
                f"app object itself (--app {module_name}:NAME) or a factory that returns it"
            )
        app = made
    return app


#: Wall seconds an import of the app's module may take before the command says what may
#: hold it (a server started as it is imported never returns).
SLOW_IMPORT_SECONDS = 10.0


@contextlib.contextmanager
def _importing(module_name: str) -> Iterator[None]:
    """While the app's module is imported: Flask's ``app.run()`` at its top returns at
    once, as under ``flask run`` (``FLASK_RUN_FROM_CLI``; it started its development server,
    which never returned, and the command waited for ever), and an import still running
    after ``SLOW_IMPORT_SECONDS`` is told on standard error, naming what may hold it."""
    given = os.environ.get("FLASK_RUN_FROM_CLI")
    os.environ["FLASK_RUN_FROM_CLI"] = "true"
    told = threading.Timer(SLOW_IMPORT_SECONDS, _tell_slow_import, (module_name,))
    told.daemon = True
    told.start()
    try:
        yield
    finally:
        told.cancel()
        if given is None:
            os.environ.pop("FLASK_RUN_FROM_CLI", None)
        else:
            os.environ["FLASK_RUN_FROM_CLI"] = given


def _tell_slow_import(module_name: str) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):  # standard error closed
        print(
            f"twimlsim call: importing {module_name!r} for --app has taken more than "
            f"{SLOW_IMPORT_SECONDS:g} s: a module that starts its server as it is imported "
            "(uvicorn.run(app), socketio.run(app), serve_forever() at its top level) never "
            "returns; start it only when the module is run (under if __name__ == "
            "'__main__':), as a WSGI server imports it too (Ctrl-C stops this command)",
            file=sys.stderr,
            flush=True,
        )


#: Modules that exit the process on a command line they cannot parse.
_PARSERS = ("argparse", "optparse", "click")


def _command_line_parser(exited: SystemExit) -> str | None:
    """The command-line parser (argparse...) the exit was raised in, or None."""
    frame = exited.__traceback__
    while frame is not None:
        name = str(frame.tb_frame.f_globals.get("__name__", ""))
        if name.partition(".")[0] in _PARSERS:
            return name.partition(".")[0]
        frame = frame.tb_next
    return None


def _installed(name: str) -> bool:
    """Whether the imported module ``name`` comes from an installed distribution (under
    site-packages), not from the project."""
    where = getattr(sys.modules.get(name), "__file__", None) or ""
    return bool({"site-packages", "dist-packages"}.intersection(where.split(os.sep)))


def _project_module_advice(missing: str) -> str | None:
    """What to do about a module missing from a package of the project itself (no package
    to install): most often the one ``DJANGO_SETTINGS_MODULE`` names, set for another
    environment (``mysite.settings.production`` where only ``mysite.settings`` exists)."""
    parent, _, leaf = missing.rpartition(".")
    if missing and os.environ.get("DJANGO_SETTINGS_MODULE") == missing:
        return (
            "DJANGO_SETTINGS_MODULE names it, and no such module is in the project: set "
            "DJANGO_SETTINGS_MODULE to a settings module the project has, or unset it where "
            "the WSGI module sets its default"
        )
    found = sys.modules.get(parent) if parent else None
    where = os.path.realpath(getattr(found, "__file__", None) or "")
    if _installed(parent) or not where.startswith(os.path.realpath(os.getcwd()) + os.sep):
        return None
    return (
        f"the project's package {parent!r} has no module {leaf!r}: correct the name where "
        "the app imports it"
    )


def _installed_package_advice(missing: str) -> str | None:
    """What to do about a module missing from an installed package (``whitenoise.django``,
    which whitenoise 4 removed, imported by a sample that pins whitenoise 2): install the
    version the app was written for, not the package, which is there. None when the
    parent is not an installed package."""
    parent, _, leaf = missing.rpartition(".")
    if not parent or not _installed(parent):
        return None
    top = parent.partition(".")[0]
    import importlib.metadata

    installed = ""
    with contextlib.suppress(Exception):  # metadata that cannot be read names no version
        names = dict.fromkeys(importlib.metadata.packages_distributions().get(top, []))
        installed = ", ".join(f"{name} {importlib.metadata.version(name)}" for name in names)
    lacks = (
        f"{parent!r} is installed"
        + (f" ({installed})" if installed else "")
        + f" but has no module {leaf!r}"
    )
    near = _near_module(parent, leaf)
    if near is not None:  # a misspelt name (voice_responses): the installed one is right
        return (
            f"{lacks}; it has {near!r}: correct the name where the app imports it (or, if "
            "the app was written for another version of it, install the version the app's "
            "requirements name)"
        )
    return (
        f"{lacks}: the app was written for another version of it; install the version the "
        "app's requirements name"
    )


def _near_module(parent: str, leaf: str) -> str | None:
    """The module of package ``parent`` whose name is closest to ``leaf``, when one is
    close enough to be a misspelling of it (``voice_response`` for ``voice_responses``)."""
    import difflib
    import pkgutil

    path = getattr(sys.modules.get(parent), "__path__", None)
    if path is None:
        return None
    names = [module.name for module in pkgutil.iter_modules(path)]
    near = difflib.get_close_matches(leaf, names, n=1, cutoff=0.8)
    return near[0] if near else None


def _src_layout_advice(module_name: str, missing: str, attribute: str) -> str | None:
    """What to do when the module not found (``missing``, the one named or one it imports)
    is the working directory's ``src/`` package (a src layout, not installed where twimlsim
    runs), or None."""
    top = missing.partition(".")[0]
    src = os.path.join("src", top)
    if not top or not (os.path.isdir(src) or os.path.isfile(src + ".py")):
        return None
    parts = module_name.split(".")
    if parts[0] != "src":  # (--app src.shop.voice names the folder itself)
        parts.insert(0, "src")
    file = os.path.join(*parts) + ".py"
    if not os.path.isfile(file):
        file = os.path.join(*parts, "__init__.py")
    named = f"{file}:{attribute}" if attribute else file
    return (
        f"{top!r} is under src/ (a src layout, not installed here): install the project "
        f"where twimlsim runs (pip install -e .), give --app the module's file ({named}), or "
        "add src to PYTHONPATH"
    )


def _factory_failed(spec: str, name: str, factory: Any, error: Exception) -> str:
    """Why ``--app`` could not make the app: the factory, called with no arguments, raised
    ``error``; one whose parameters all have defaults (``prepare_app(environment='production')``)
    is told how to give them in ``--app``, as Flask's own ``--app`` takes a call."""
    signature = list(inspect.signature(factory).parameters.values())
    parameters = [p for p in signature if p.kind is not inspect.Parameter.VAR_KEYWORD]
    keywords = [p.name for p in signature if p.kind is inspect.Parameter.VAR_KEYWORD]
    if not parameters and not keywords:
        return (
            f"--app {spec}: {name}() takes no arguments, so it was called as an app factory, "
            f"and it raised {raised_text(error)}"
        )
    if not parameters:
        kept, argument = f"its **{keywords[0]} got none", "NAME=..."
    else:
        names = ", ".join(parameter.name for parameter in parameters)
        kept = (
            f"its parameter {names} kept its default"
            if len(parameters) == 1
            else f"its parameters {names} kept their defaults"
        )
        first = parameters[0]
        positional = first.kind is inspect.Parameter.POSITIONAL_ONLY
        argument = "..." if positional else f"{first.name}=..."
    return (
        f"--app {spec}: {name}() was called as an app factory with no arguments ({kept}), "
        f"and it raised {raised_text(error)}; to give it arguments, write the call in --app "
        f'with literal values: --app "{_split(spec)[0]}:{name}({argument})"'
    )


def _split(spec: str) -> tuple[str, str]:
    """``--app``'s module (or file) and attribute, split at the first colon that starts no
    path, as Flask's own ``--app`` splits: a Windows drive's (``C:\\app.py:app``,
    ``C:/app.py``) stays in the file's path."""
    for index, character in enumerate(spec):
        if character == ":" and spec[index + 1 : index + 2] not in ("\\", "/"):
            return spec[:index], spec[index + 1 :]
    return spec, ""


def _called(module: Any, call: str, spec: str) -> Any:
    """The app a factory call written in ``--app`` makes (``create_app('testing')``), its
    arguments literal values, as Flask's own ``--app`` reads such a call."""
    try:
        expression = ast.parse(call.strip(), mode="eval").body
    except SyntaxError:
        expression = None
    if not isinstance(expression, ast.Call) or not isinstance(expression.func, ast.Name):
        raise AppNotLoaded(
            f"--app {spec}: {call!r} is neither a name nor a call of one; give the app "
            "(--app module:app) or its factory, alone or called with literal arguments "
            "(--app \"module:create_app('testing')\")"
        )
    name = expression.func.id
    try:
        args = [ast.literal_eval(argument) for argument in expression.args]
        kwargs = {
            keyword.arg: ast.literal_eval(keyword.value)
            for keyword in expression.keywords
            if keyword.arg is not None
        }
    except ValueError:
        raise AppNotLoaded(
            f"--app {spec}: the arguments of {name}() must be literal values (strings, "
            "numbers, lists, dicts, True, None...), as Flask's own --app takes them"
        ) from None
    if len(kwargs) != len(expression.keywords):
        raise AppNotLoaded(f"--app {spec}: {name}() cannot take **arguments here")
    factory = getattr(module, name, None)
    if not callable(factory):
        raise AppNotLoaded(
            f"module {module.__name__!r} has no function {name!r}{_nearest_app(module, name)}"
        )
    try:
        return factory(*args, **kwargs)
    except Exception as exc:
        raise AppNotLoaded(f"--app {spec}: {call.strip()} raised {raised_text(exc)}") from None


def _module_of_file(path: str, spec: str) -> str:
    """The dotted name of the module in the file (or package folder) ``path``, its folder
    (the one above its packages) put first on ``sys.path``, as Flask's own ``--app app.py``
    reads a path; ``AppNotLoaded`` when there is no such file."""
    real = os.path.realpath(path)
    if not os.path.exists(real):
        raise AppNotLoaded(
            f"--app {spec}: there is no file {path!r} (from {os.getcwd()}); give the path "
            "of the app's module file, or its dotted name"
        )
    base, extension = os.path.splitext(real)
    if os.path.isfile(real) and extension == ".py":
        real = base
    elif not os.path.isdir(real):
        raise AppNotLoaded(
            f"--app {spec}: {path!r} is neither a Python file (.py) nor a package folder; "
            "give the app's module file (--app app.py) or its dotted name (--app app)"
        )
    if os.path.basename(real) == "__init__":
        real = os.path.dirname(real)
    names: list[str] = []
    while True:  # up through the packages: each folder with an __init__.py is one
        real, name = os.path.split(real)
        names.append(name)
        if not os.path.isfile(os.path.join(real, "__init__.py")):
            break
    if not sys.path or sys.path[0] != real:
        sys.path.insert(0, real)
    return ".".join(reversed(names))


def _nearest_app(module: Any, attribute: str) -> str:
    """``; did you mean --app module:name?`` for the module's name nearest ``attribute`` (a
    typo), else the app names it has; empty when it has none."""
    import difflib

    public = [name for name in vars(module) if not name.startswith("_")]
    near = (
        difflib.get_close_matches(attribute, public, n=1)
        or [name for name in _APP_NAMES if name in public][:1]
    )
    return f"; did you mean --app {module.__name__}:{near[0]}?" if near else ""


def _is_factory(candidate: Any) -> bool:
    """A plain function every argument of which is optional: no WSGI or ASGI app (they take
    two or three), so a factory that makes one, as Flask's own ``--app`` reads it."""
    if not inspect.isfunction(candidate):
        return False
    # a wrapper taking *args may be an app: only a function that takes no positional
    # argument at all is called
    return all(
        parameter.default is not parameter.empty or parameter.kind is inspect.Parameter.VAR_KEYWORD
        for parameter in inspect.signature(candidate).parameters.values()
    )


def _django_script_refusal(module: Any, spec: str) -> str:
    """Why Django's ``manage.py`` (a script running ``execute_from_command_line``) is no
    app, naming the project's WSGI module, found beside the settings module its
    ``DJANGO_SETTINGS_MODULE`` default names; empty for any other module."""
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return ""
    if "execute_from_command_line" not in source:
        return ""
    settings = re.search(r"DJANGO_SETTINGS_MODULE['\"]\s*,\s*['\"]([\w.]+)['\"]", source)
    wsgi = "PROJECT.wsgi"
    if settings:
        parts = settings.group(1).split(".")
        for end in range(len(parts) - 1, 0, -1):  # config.settings.local: config.wsgi
            candidate = ".".join(parts[:end]) + ".wsgi"
            try:
                found = importlib.util.find_spec(candidate) is not None
            except (ImportError, ValueError):
                found = False
            if found:
                wsgi = candidate
                break
    return (
        f"--app {spec}: module {module.__name__!r} is Django's command script, which makes "
        f"no app; give the project's WSGI module (the one its settings' WSGI_APPLICATION "
        f"names): --app {wsgi}"
    )
