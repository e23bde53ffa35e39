"""Which requests are for Twilio's Lookup API, and the endpoint each names.

Lookup lives on its own host, ``lookups.twilio.com`` (and its edge and region forms,
``lookups.dublin.ie1.twilio.com``), beside ``api.twilio.com``; a ``twimlsim serve`` client
reaches it on the server's own host, where its paths (``/v1/...``, ``/v2/...``) cannot be
mistaken for API 2010-04-01's. Only ``GET /v2/PhoneNumbers/{PhoneNumber}`` and ``GET
/v1/PhoneNumbers/{PhoneNumber}`` are simulated; Lookup's other resources (bulk queries,
jobs, rate limits, overrides) are named as unsimulated (501), any other path is a 404.
Kept apart from ``lookups.py`` so that routing a request does not import the views.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from twimlsim.errors import TwilioApiError

from .render import not_found

__all__ = ["LookupRoute", "is_lookups_host", "lookup_route"]

#: Lookup's resources that twimlsim does not simulate, by their paths.
_UNSIMULATED = (
    (r"/v2/PhoneNumbers/[^/]+/Overrides(/.*)?", "PhoneNumbers Overrides"),
    (r"/v2/batch/query/?", "batch query"),
    (r"/v2/Jobs(/.*)?", "Jobs"),
    (r"/v2/RateLimits(/.*)?", "RateLimits"),
)


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], tuple[tuple[re.Pattern[str], str], ...]]:
    """The host, phone number and unsimulated resources' patterns, compiled on first use
    (about 1.5 ms, which a run that never looks a number up need not pay)."""
    return (
        re.compile(r"lookups(\.[a-z0-9-]+){0,2}\.twilio\.com"),
        re.compile(r"/(v1|v2)/PhoneNumbers/([^/]+)/?"),
        tuple((re.compile(pattern), resource) for pattern, resource in _UNSIMULATED),
    )


@dataclass(frozen=True, slots=True)
class LookupRoute:
    """A request for Lookup: the ``endpoint`` it names (``lookups.v2.fetch``,
    ``lookups.v1.fetch``) and its ``phone_number``; no endpoint when it names a resource
    twimlsim does not simulate (``unsimulated`` says which) or none at all."""

    endpoint: str | None
    phone_number: str = ""
    unsimulated: str | None = None

    def refusal(self, method: str, path: str, hint: str) -> TwilioApiError:
        """Twilio's answer to a path of no simulated endpoint: a 501 naming the resource
        twimlsim does not simulate (``hint`` says how to go on), else a 404."""
        if self.unsimulated is None:
            return not_found(path)
        return TwilioApiError(
            501,
            20500,
            f"{method} {path} is a Twilio Lookup API endpoint ({self.unsimulated}) that "
            "twimlsim does not simulate; twimlsim simulates GET /v2/PhoneNumbers/{PhoneNumber} "
            "and GET /v1/PhoneNumbers/{PhoneNumber}" + hint,
        )


def is_lookups_host(host: str) -> bool:
    """Whether ``host`` (with or without a port) is Lookup's."""
    name = host.rsplit(":", 1)[0].lower()
    return name.startswith("lookups.") and bool(_patterns()[0].fullmatch(name))


def lookup_route(host: str, path: str) -> LookupRoute | None:
    """The Lookup request ``path`` on ``host`` makes, or None when it is not one: a path of
    another host of Twilio's, or one of the API's on ``twimlsim serve``'s own host."""
    lookups_host = is_lookups_host(host)
    if not lookups_host and (
        not path.startswith(("/v1/", "/v2/"))
        or host.rsplit(":", 1)[0].lower().endswith("twilio.com")
    ):
        return None
    _, phone_number, unsimulated = _patterns()
    for pattern, resource in unsimulated:
        if pattern.fullmatch(path):
            return LookupRoute(None, unsimulated=resource)
    found = phone_number.fullmatch(path)
    if found is not None:
        return LookupRoute(f"lookups.{found[1]}.fetch", found[2])
    return LookupRoute(None) if lookups_host else None
