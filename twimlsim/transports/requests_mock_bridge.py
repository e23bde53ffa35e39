"""Let a test's own ``requests_mock`` and a running simulator share the twilio client.

requests-mock (its ``Mocker``, decorator and pytest fixture) answers every request a
``requests`` session sends with its own adapter, so the simulator's patch of requests'
HTTP adapter is never reached: a Twilio URL the test did not register fails with
``NoMockAddress``. While a simulator runs, requests-mock's adapter asks the test's
registrations first, as always; a Twilio URL none of them matches is sent on to the
simulator through requests' own adapter, as ``real_http=True`` would send it (and, as
there, it is in the mocker's ``request_history``). Any other unmatched URL still raises
``NoMockAddress``, and a test's registration for a Twilio URL still wins.

requests-mock is patched only once it is loaded (now, or when first imported while a
simulator runs): a suite without it pays nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

import requests

from .import_watch import WhenImported

__all__ = ["ADAPTER_MODULE", "RequestsMockBridge"]

ADAPTER_MODULE = "requests_mock.adapter"

#: The bridges running now, innermost last; requests-mock's adapter is patched while any
#: runs.
_RUNNING: list[RequestsMockBridge] = []
#: (requests-mock's ``Adapter`` class, its own ``send``) while patched.
_patched: list[tuple[type[Any], Callable[..., Any]]] = []


def _is_twilio(url: str) -> bool:
    from .responses import TWILIO_URL  # the one definition of a Twilio URL

    return TWILIO_URL.match(url) is not None


def _patch(module: ModuleType) -> None:
    adapter_class = getattr(module, "Adapter", None)
    no_mock = getattr(sys.modules.get("requests_mock.exceptions"), "NoMockAddress", None)
    if adapter_class is None or no_mock is None or _patched or not _RUNNING:
        return  # pragma: no cover - another requests-mock, or already patched
    own_send = adapter_class.send

    def send(adapter: Any, request: requests.PreparedRequest, **kwargs: Any) -> Any:
        try:
            return own_send(adapter, request, **kwargs)
        except no_mock:
            if not _RUNNING or not _is_twilio(str(request.url)):
                raise
        # requests' own adapter, which the simulator intercepts
        return _RUNNING[-1].http_adapter().send(request, **kwargs)

    adapter_class.send = send
    _patched.append((adapter_class, own_send))


def _unpatch() -> None:
    if _patched:
        adapter_class, own_send = _patched.pop()
        adapter_class.send = own_send


class RequestsMockBridge:
    """Sends the Twilio requests a test's requests-mock does not answer to the simulator."""

    def __init__(self) -> None:
        self._http_adapter: requests.adapters.HTTPAdapter | None = None
        self._when_imported = WhenImported(ADAPTER_MODULE)

    def http_adapter(self) -> requests.adapters.HTTPAdapter:
        """requests' own adapter (made on first use: most simulators never need it)."""
        if self._http_adapter is None:
            self._http_adapter = requests.adapters.HTTPAdapter()
        return self._http_adapter

    def start(self) -> None:
        """Patch requests-mock now if it is loaded, else when it is first imported."""
        _RUNNING.append(self)
        self._when_imported.start(_patch, watch=len(_RUNNING) == 1)

    def stop(self) -> None:
        """Restore requests-mock once no simulator runs, and stop watching imports."""
        self._when_imported.stop()
        if self in _RUNNING:
            _RUNNING.remove(self)
        if not _RUNNING:
            _unpatch()
