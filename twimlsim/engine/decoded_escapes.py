"""A 403 to a URL whose escapes a framework's own view of the URL decodes.

werkzeug's ``request.url`` (Flask's) writes the query of the URL it was sent with some
escapes decoded: ``%2C`` as ``,``, ``%3A`` as ``:``, ``%2F`` as ``/``, UTF-8 escapes as
their characters (werkzeug 3). A signature check that validates ``request.url`` then
checks another URL than the one Twilio signed: a URL the app wrote with such an escape (a
``<Gather action="/menu?team=a%2Fb">``, a city in the query) fails, on Twilio as here.
The query Twilio adds to a GET keeps ``,`` and ``:`` as they are, so a GET status
callback's ``Timestamp`` is not one.
"""

from __future__ import annotations

import re

__all__ = ["decoded_escapes_hint"]

#: The escapes werkzeug 3's ``request.url`` decodes in a query (found by sending each
#: printable ASCII character escaped), and every escape of a byte above 0x7F.
_DECODED = re.compile(
    r"%(?:2[12478-9ACF]|3[ABCEF]|40|5[B-E]|60|7[B-D]|[89A-F][0-9A-F])", re.IGNORECASE
)


def decoded_escapes_hint(url: str) -> str:
    """The 403 hint's sentence about ``url``'s escapes, or ``""`` when it has none."""
    query = url.partition("?")[2]
    found = sorted({m.group(0).upper() for m in _DECODED.finditer(query)})
    if not found:
        return ""
    shown = ", ".join(found[:4]) + (", ..." if len(found) > 4 else "")
    return (
        f". This URL's query has escapes ({shown}) that Flask's request.url (werkzeug's) "
        "gives decoded, so a check validating request.url checks another URL than the "
        "one Twilio signed, and fails on Twilio too: validate request.base_url + '?' + "
        "request.query_string.decode() (the query as sent)"
    )
