"""``X-Twilio-Signature``: HMAC-SHA1 of the URL plus the sorted POST parameters.

The algorithm is the one twilio-python's ``RequestValidator`` checks: the full URL Twilio
requested, then, for a form POST, every parameter name followed by its value, sorted by
name (and by value for repeated names), HMAC-SHA1 keyed with the account's auth token,
base64-encoded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping

__all__ = ["compute_signature"]


def compute_signature(
    auth_token: str, url: str, params: Mapping[str, str] | Iterable[tuple[str, str]] = ()
) -> str:
    """Return the ``X-Twilio-Signature`` value for a request to ``url`` with form ``params``.

    For a GET request pass no ``params``: its parameters are already in the URL's query.
    """
    pairs = params.items() if type(params) is dict or isinstance(params, Mapping) else params
    payload = url + "".join([name + value for name, value in sorted(pairs)])
    digest = hmac.new(auth_token.encode(), payload.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")
