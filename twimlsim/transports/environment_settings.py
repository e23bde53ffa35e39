"""requests' environment settings for a Twilio URL, without reading the whole environment.

Before each request, the twilio client asks its session for the environment's settings
(``Session.merge_environment_settings``): the proxies the environment names, and a CA
bundle. Finding the proxies reads and decodes every environment variable twice over,
which costs more than the simulator's whole answer to a ``calls.create`` (a CI machine's
environment holds a hundred variables or more), for settings only a real connection uses:
a Twilio URL is answered by the simulator, and no connection is made.

While any simulator runs, ``merge_environment_settings`` of a Twilio URL skips that search
when it would find nothing: when no environment variable is named like a proxy setting
(``*_proxy``, in any case) and the platform takes its proxies from the environment alone
(on macOS and Windows, requests also asks the system's settings: there the search always
runs). The settings returned are then exactly requests' own, made from the same session
and arguments (the CA bundle of ``REQUESTS_CA_BUNDLE`` or ``CURL_CA_BUNDLE`` included); any
other URL, a session with ``trust_env`` off (which reads nothing anyway), and an
environment that names a proxy take requests' own way. Like ``direct_answers``, it is put
in place only over requests' own method (not a test's mock or a wrapper) and taken away
when the last simulator stops.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Callable
from typing import Any

import requests
import requests.sessions
import requests.utils

from .session_methods import SessionMethodSwap

__all__ = ["QuickEnvironmentSettings"]

_Merge = Callable[..., dict[str, Any]]
#: requests' merging of a request's setting with the session's (untyped in its stubs).
merge_setting: Callable[[Any, Any], Any] = requests.sessions.merge_setting


def _names_no_proxy() -> bool:
    """Whether requests' search would find no proxy: the platform takes proxies from the
    environment alone, and no variable is named like a proxy setting (a name merely
    containing ``_proxy`` counts too: the search then runs, as it always did)."""
    if getattr(requests.utils, "getproxies", None) is not urllib.request.getproxies_environment:
        return False  # macOS, Windows: the system's settings are read too
    data = getattr(os.environ, "_data", None)
    if type(data) is not dict:
        return False
    try:
        names = b"\0".join(data)  # POSIX keeps the names as bytes
    except TypeError:
        return False
    return b"_proxy" not in names.lower()


class QuickEnvironmentSettings(SessionMethodSwap):
    """Puts the quick ``merge_environment_settings`` in place while any simulator runs
    (``started`` and ``stopped`` are called as ``DirectAnswers``' are).

    ``is_twilio_url`` tells the URLs the simulator answers."""

    def __init__(self, running: list[Any], is_twilio_url: Callable[[str], object]) -> None:
        super().__init__("merge_environment_settings", running)
        self._is_twilio_url = is_twilio_url

    def replacement(self, original: _Merge) -> _Merge:
        """The quick method, around requests' own ``original``."""
        running = self._running
        is_twilio_url = self._is_twilio_url

        def merge_environment_settings(
            session: requests.Session,
            url: str,
            proxies: Any,
            stream: Any,
            verify: Any,
            cert: Any,
        ) -> dict[str, Any]:
            if not (
                running
                and session.trust_env
                and isinstance(url, str)
                and is_twilio_url(url)
                and _names_no_proxy()
            ):
                return original(session, url, proxies, stream, verify, cert)
            # requests' own steps, the proxy search left out: it would have found none
            if verify is True or verify is None:
                verify = (
                    os.environ.get("REQUESTS_CA_BUNDLE")
                    or os.environ.get("CURL_CA_BUNDLE")
                    or verify
                )
            return {
                "proxies": merge_setting(proxies, session.proxies),
                "stream": merge_setting(stream, session.stream),
                "verify": merge_setting(verify, session.verify),
                "cert": merge_setting(cert, session.cert),
            }

        return merge_environment_settings
