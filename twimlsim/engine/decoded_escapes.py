"""A 403 to a URL whose escapes a framework's own view of the URL decodes.

werkzeug's ``request.url`` (Flask's) writes the query of the URL it was sent with some
escapes decoded: ``%2C`` as ``,``, ``%3A`` as ``:``, ``%2F`` as ``/``, UTF-8 escapes as
their characters (werkzeug 3); its path, from the ``PATH_INFO`` the server decoded, has
them decoded in ``request.base_url`` too (``/men%C3%BC`` is ``/menü``, ``/a%2Fb`` is
``/a/b``). A signature check that validates ``request.url`` then checks another URL than
the one Twilio signed: a URL the app wrote with such an escape (a ``<Gather
action="/menu?team=a%2Fb">``, a city in the query, a path in another alphabet) fails, on
Twilio as here.
The query Twilio adds to a GET keeps ``,`` and ``:`` as they are, so a GET status
callback's ``Timestamp`` is not one.

Starlette's ``request.url`` (FastAPI's) keeps the query as sent, but builds its path from
the ASGI scope's ``path``, which the server decoded: for such an app only a path escape
is named, with Starlette's way to the path as received (the scope's ``raw_path``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["decoded_escapes_hint"]

#: The escapes werkzeug 3's ``request.url`` decodes in a query (found by sending each
#: printable ASCII character escaped), and every escape of a byte above 0x7F.
_DECODED = re.compile(
    r"%(?:2[12478-9ACF]|3[ABCEF]|40|5[B-E]|60|7[B-D]|[89A-F][0-9A-F])", re.IGNORECASE
)

#: The escapes werkzeug 3's ``request.base_url`` gives decoded in a path: every one but a
#: space's, ``#``'s and ``?``'s, which it writes escaped again (found the same way).
_DECODED_IN_PATH = re.compile(r"%(?!20|23|3F)[0-9A-F]{2}", re.IGNORECASE)

#: The escapes Starlette's ``request.url`` gives decoded in a path: every one but ``?``'s,
#: ``#``'s and a backslash's, which it writes escaped again (a space comes back a space).
_DECODED_IN_STARLETTE_PATH = re.compile(r"%(?!23|3F|5C)[0-9A-F]{2}", re.IGNORECASE)


def decoded_escapes_hint(url: str, app: object = None) -> str:
    """The 403 hint's sentence about ``url``'s escapes, or ``""`` when it has none (``app``,
    as routed: a Starlette or FastAPI app decodes those of the path alone)."""
    before_query, _, query = url.partition("?")
    path = urlsplit(before_query).path
    if _starlette(app):
        in_path = _escapes(path, _DECODED_IN_STARLETTE_PATH)
        if not in_path:
            return ""  # its request.url writes the query as it was sent
        return (
            f". This URL's path has escapes ({_shown(in_path)}) that Starlette's request.url "
            "(FastAPI's) gives decoded, as the ASGI scope's path has them, so a check "
            "validating it checks another URL than the one Twilio signed, and fails on "
            "Twilio too: validate the URL with the path as the server received it, "
            "str(request.url.replace(path=request.scope['raw_path'].decode())) (uvicorn and "
            "twimlsim both fill raw_path)"
        )
    in_path = _escapes(path, _DECODED_IN_PATH)
    found = _escapes(query, _DECODED)
    if in_path:
        # werkzeug's request.base_url decodes them too: only the request target the server
        # received keeps them, in the environ key its server fills
        return (
            f". This URL's path has escapes ({_shown(in_path)}) that Flask's request.url and "
            "request.base_url (werkzeug's) give decoded, so a check validating either checks "
            "another URL than the one Twilio signed, and fails on Twilio too: validate the "
            "URL as the server received it, request.host_url.rstrip('/') + "
            "(request.environ.get('RAW_URI') or request.environ['REQUEST_URI']) (gunicorn "
            "fills RAW_URI, waitress and uWSGI REQUEST_URI, werkzeug's server and twimlsim "
            "both)"
        )
    if not found:
        return ""
    return (
        f". This URL's query has escapes ({_shown(found)}) that Flask's request.url "
        "(werkzeug's) gives decoded, so a check validating request.url checks another URL "
        "than the one Twilio signed, and fails on Twilio too: validate request.base_url + "
        "'?' + request.query_string.decode() (the query as sent)"
    )


def _starlette(app: object) -> bool:
    """Whether ``app`` (as routed) is a Starlette app (FastAPI's too): the innermost app,
    through twimlsim's wrappers and the app's own ASGI middleware, each holding the next as
    ``app`` (Starlette's middleware around another framework's app is not one)."""
    for _ in range(8):
        inner = getattr(app, "app", None)
        if inner is None or getattr(inner, "__self__", None) is app:
            break  # none, or its own method (a Starlette Router's ASGI entry is its app())
        app = inner
    return any(kind.__module__.startswith("starlette.") for kind in type(app).__mro__)


def _escapes(part: str, decoded: re.Pattern[str]) -> list[str]:
    """The ``decoded`` escapes in ``part`` of a URL, each once, in order."""
    return sorted({m.group(0).upper() for m in decoded.finditer(part)})


def _shown(escapes: list[str]) -> str:
    return ", ".join(escapes[:4]) + (", ..." if len(escapes) > 4 else "")
