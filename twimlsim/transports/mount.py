"""Mounting a WSGI app under a path prefix, the WSGI way.

``sim.route("https://host.test/myivr", app)`` serves ``https://host.test/myivr/...`` by
``app`` as a server or werkzeug's ``DispatcherMiddleware`` would mount it there: the
prefix moves from ``PATH_INFO`` to ``SCRIPT_NAME`` (``SCRIPT_NAME=/myivr``,
``PATH_INFO=/ivr/welcome``), so the app's own routes (``/ivr/welcome``) match, and the URLs
it builds (Flask's ``url_for``, Django's ``reverse``, ``request.url``) keep the prefix.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["BehindProxy", "PrefixMount", "mounted"]


class PrefixMount:
    """``app`` served under ``prefix`` (a URL path without a trailing ``/``)."""

    def __init__(self, prefix: str, app: WSGIApplication) -> None:
        self.app = app
        #: The prefix as it appears in PATH_INFO: percent-decoded, UTF-8 bytes as latin-1.
        self.script_name = unquote(prefix).encode("utf-8").decode("latin-1")

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        prefix = self.script_name
        if path == prefix or path.startswith(prefix + "/"):
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
            environ["PATH_INFO"] = path[len(prefix) :]
        return self.app(environ, start_response)


class BehindProxy:
    """``app`` behind a TLS-terminating reverse proxy (a PaaS router, a load balancer, a
    tunnel such as ngrok): the request reaches it over plain HTTP on port 80, with the
    ``Host`` Twilio used and the scheme Twilio used in ``X-Forwarded-Proto``, as such a
    proxy forwards it. An app deployed so reads the public URL Twilio signed from that
    header (werkzeug's ``ProxyFix``, Django's ``SECURE_PROXY_SSL_HEADER``, by hand); one that
    forgot to fails its signature check here as it would there. Only ``Host`` and
    ``X-Forwarded-Proto`` are set, as ``twimlsim call --tunnel`` sends them."""

    #: Read by the 403 hint of an app that failed its signature check here.
    behind_proxy = True

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        environ["HTTP_X_FORWARDED_PROTO"] = environ["wsgi.url_scheme"]
        environ["wsgi.url_scheme"] = "http"
        environ["SERVER_PORT"] = "80"
        return self.app(environ, start_response)


def mounted(path: str, app: Any, *, behind_proxy: bool = False) -> Any:
    """``app`` mounted at the URL path ``path`` (``app`` itself at the root), behind a
    reverse proxy when ``behind_proxy``."""
    prefix = path.rstrip("/")
    served = PrefixMount(prefix, app) if prefix else app
    return BehindProxy(served) if behind_proxy else served
