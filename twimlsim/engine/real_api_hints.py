"""The hint for an app over HTTP whose answer is an error from its own request to the
real Twilio REST API: its client was not pointed at ``twimlsim serve`` (or the app runs
under ``twimlsim call``, which serves no REST API), and offline the real host's name does
not resolve, so the request failed and the app answered 500 with that failure in its body
(Node's ``getaddrinfo ENOTFOUND api.twilio.com`` on Express's error page, a Python
traceback's ``Failed to resolve 'api.twilio.com'``, Ruby's, Go's, PHP's, Java's words).
"""

from __future__ import annotations

import re

__all__ = ["real_api_hint"]

#: A Twilio API host (api.twilio.com, lookups.twilio.com, an edge or region's
#: api.sydney.au1.twilio.com) within a short distance of a resolver's or a connection's
#: failure words, in either order.
_HOST = r"\b(?:api|lookups)(?:\.[\w-]+)*\.twilio\.com\b"
_FAILED = (
    r"ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|NameResolution|[Ff]ailed to "
    r"resolve|[Cc]ould not resolve|[Nn]ame or service not known|[Nn]o such host|"
    r"UnknownHost|[Tt]emporary failure in name resolution|[Nn]ame does not resolve"
)
_REAL_API_FAILED = re.compile(
    rf"(?:{_HOST}).{{0,200}}?(?:{_FAILED})|(?:{_FAILED}).{{0,200}}?(?:{_HOST})", re.DOTALL
)


def real_api_hint(body: str) -> str | None:
    """The hint for a 5xx ``body`` that shows the app's request to the real Twilio API
    failing to connect, or None."""
    found = _REAL_API_FAILED.search(body)
    if found is None:
        return None
    host = re.search(_HOST, found.group(0))
    assert host is not None
    return (
        f"the app's request to Twilio's REST API went to the real {host.group(0)} and failed "
        "to connect, as its body says: run the app against twimlsim serve with its Twilio "
        "client pointed there (README: twimlsim serve, Twilio's helper libraries: "
        "TWIMLSIM_URL and the Node preload, sitecustomize.py, ...); twimlsim call serves no "
        "REST API"
    )
