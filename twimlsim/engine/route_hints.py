"""What a 404's hint says of an app routed in process, read from the app itself (Flask's
``url_map``, Starlette's and FastAPI's ``routes``): the paths of its routes that take the
method Twilio used, as a sample's README often names a webhook path its code does not
have (``/webhook`` for a view at ``/handle_call``); or, when one of them matches the path,
that its view answered 404 itself, and the app has the route after all. Imported only
when a webhook was answered 404."""

from __future__ import annotations

from collections.abc import Iterable

#: How many paths the hint names before saying how many more.
_NAMED = 10


class Routes:
    """The routes of an app that take a method: their paths, and the one matching the path
    requested, if any (its view then answered 404 itself)."""

    __slots__ = ("matched", "paths")

    def __init__(self, paths: list[str], matched: str | None) -> None:
        self.paths = paths
        self.matched = matched


def routes_taking(app: object, method: str, path: str) -> Routes | None:
    """The routes of ``app`` that take ``method``, and the one matching ``path``; None when
    the app (seen through the mount, proxy and ASGI wrappers twimlsim puts around it, or a
    middleware's ``app`` attribute) is none whose routes can all be read: a list that
    might leave some out would mislead."""
    for _ in range(6):
        if app is None or hasattr(app, "mounts"):  # werkzeug's DispatcherMiddleware
            return None
        url_map = getattr(app, "url_map", None)
        if url_map is not None and callable(getattr(url_map, "iter_rules", None)):
            paths = sorted(_flask_paths(url_map.iter_rules(), method))
            return Routes(paths, _flask_match(url_map, method, path))
        routes = getattr(app, "routes", None)
        if isinstance(routes, list) and _starlette_made(app):
            found = _starlette_routes(routes, method, path, "")
            return None if found is None else Routes(sorted(found[0]), found[1])
        app = getattr(app, "app", None)
    return None


def routes_note(routes: Routes, method: str) -> str:
    """The sentence a 404's hint ends with when no route matched: the app's routes that
    take ``method``."""
    if not routes.paths:
        return f"; the app has no route that takes {method}"
    named = ", ".join(routes.paths[:_NAMED])
    more = len(routes.paths) - _NAMED
    if more > 0:
        named += f" and {more} more"
    return f"; the app's routes that take {method}: {named}"


def matched_hint(rule: str) -> str:
    """A 404's hint when the app's route ``rule`` matches the path: its view answered it."""
    return (
        f"the app's route {rule} matches this path, so its view answered 404 itself "
        "(abort(404), or a record it looked up with the request's parameters was not "
        "found): check what the view looks up"
    )


_STARLETTE = frozenset({"starlette", "fastapi"})


def _starlette_made(app: object) -> bool:
    """Whether ``app`` is a Starlette or FastAPI app (or router), its class one of theirs
    or an app's own subclass of one (``class VoiceApp(FastAPI)``)."""
    return any(cls.__module__.partition(".")[0] in _STARLETTE for cls in type(app).__mro__)


def _flask_match(url_map: object, method: str, path: str) -> str | None:
    try:
        adapter = url_map.bind("app.test")  # type: ignore[attr-defined]
        rule, _ = adapter.match(path, method=method, return_rule=True)
    except Exception:  # no match, a redirect to the slashed URL, a host-matching map
        return None
    return str(getattr(rule, "rule", "")) or None


def _starlette_routes(
    routes: list[object], method: str, path: str, prefix: str
) -> tuple[list[str], str | None] | None:
    """The paths of Starlette (FastAPI) ``routes`` that take ``method``, below ``prefix``,
    and the one matching ``path``; None when one of them is of a kind whose paths cannot
    be read (a Host route, a mounted app of another framework). A router a newer FastAPI
    included (``_IncludedRouter``) is read through its router and the prefix it was
    included under, as it reads them; another shape of it is not read."""
    paths: list[str] = []
    matched: str | None = None
    scope = {"type": "http", "path": path, "root_path": "", "method": method}
    for route in routes:
        kind = type(route).__name__
        if kind == "WebSocketRoute":
            continue  # webhooks are no WebSocket handshakes
        if kind in ("Route", "APIRoute"):
            if not _takes(route, method):
                continue
            paths.append(prefix + str(getattr(route, "path", "")))
            if matched is None and _full_match(route, scope):
                matched = paths[-1]
            continue
        if kind == "_IncludedRouter":  # a newer FastAPI (0.165): include_router keeps it
            inner = getattr(getattr(route, "original_router", None), "routes", None)
            mount = getattr(getattr(route, "include_context", None), "prefix", None)
            if not isinstance(inner, list) or not isinstance(mount, str):
                return None
            below = path[len(mount) :] if path.startswith(mount) else ""
        else:
            inner = getattr(route, "routes", None) if kind == "Mount" else None
            if not inner:
                return None
            mount = str(getattr(route, "path", "")).rstrip("/")
            below = path[len(mount) :] if path.startswith(mount + "/") else ""
        found = _starlette_routes(list(inner), method, below or "\0", prefix + mount)
        if found is None:
            return None
        paths += found[0]
        matched = matched or found[1]
    return paths, matched


def _takes(route: object, method: str) -> bool:
    """Whether a Starlette ``route`` takes ``method``: its ``methods``, or, where it has
    none (Starlette leaves them unset for an endpoint that is a class or an ASGI app), the
    method's handler on an ``HTTPEndpoint`` class (``async def post``), any method for an
    ASGI app."""
    methods = getattr(route, "methods", None)
    if methods is not None:
        return method in methods
    endpoint = getattr(route, "endpoint", None)
    return not isinstance(endpoint, type) or hasattr(endpoint, method.lower())


def _full_match(route: object, scope: dict[str, str]) -> bool:
    """Whether ``route`` matches the request's path and method."""
    try:
        match, _ = route.matches(scope)  # type: ignore[attr-defined]
    except Exception:  # a route of a kind that reads more of the scope
        return False
    return getattr(match, "name", "") == "FULL"


def _flask_paths(rules: Iterable[object], method: str) -> Iterable[str]:
    for rule in rules:
        methods = getattr(rule, "methods", None) or ()
        endpoint = str(getattr(rule, "endpoint", ""))
        # the app's and its blueprints' static files: no webhook of Twilio's is one
        if method in methods and endpoint != "static" and not endpoint.endswith(".static"):
            yield str(getattr(rule, "rule", ""))
