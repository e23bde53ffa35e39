"""The werkzeug converters of the REST routes' SIDs (``<sid("CA"):call_sid>``).

Imported when a route table is first built (``routes.url_map()``), with werkzeug's routing
package: a run that only places calls needs neither.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import BaseConverter, Map

from .routes import PLACEHOLDER_SID

__all__ = ["PlaceholderAccountConverter", "SidConverter"]


class SidConverter(BaseConverter):
    """A SID with a given two-letter prefix and 32 hex digits."""

    def __init__(self, url_map: Map, prefix: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(url_map, *args, **kwargs)
        self.regex = prefix + r"[0-9a-fA-F]{32}"


class PlaceholderAccountConverter(SidConverter):
    """Like ``SidConverter``, but an account SID may be any placeholder (``PLACEHOLDER_SID``),
    and an application SID ``AP`` and 32 letters or digits: an account opened for a suite's
    credentials takes such a placeholder as its number's TwiML App (``rest/numbers.py``),
    which the suite then reaches to give it its URLs."""

    def __init__(self, url_map: Map, prefix: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(url_map, prefix, *args, **kwargs)
        if prefix == "AC":
            self.regex = PLACEHOLDER_SID
        elif prefix == "AP":
            self.regex = r"AP[0-9A-Za-z]{32}"
