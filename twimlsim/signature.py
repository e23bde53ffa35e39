"""``X-Twilio-Signature``: HMAC-SHA1 of the URL plus the sorted POST parameters.

The algorithm is the one twilio-python's ``RequestValidator`` checks: the full URL Twilio
requested, then, for a form POST, every parameter name followed by its value, sorted by
name (and by value for repeated names), HMAC-SHA1 keyed with the account's auth token,
base64-encoded.
"""

from __future__ import annotations

import functools
import hmac
from binascii import b2a_base64
from collections.abc import Iterable, Mapping

__all__ = ["compute_signature"]


@functools.lru_cache(maxsize=64)
def _key(auth_token: str) -> bytes:
    return auth_token.encode()


def compute_signature(
    auth_token: str, url: str, params: Mapping[str, str] | Iterable[tuple[str, str]] = ()
) -> str:
    """Return the ``X-Twilio-Signature`` value for a request to ``url`` with form ``params``.

    For a GET request pass no ``params``: its parameters are already in the URL's query.
    """
    if type(params) is dict:
        # names are unique in a dict: sorting them sorts the pairs (and is cheaper)
        payload = url + "".join([name + params[name] for name in sorted(params)])
    else:
        pairs = params.items() if isinstance(params, Mapping) else params
        payload = url + "".join([name + value for name, value in sorted(pairs)])
    digest = hmac.digest(_key(auth_token), payload.encode(), "sha1")
    return b2a_base64(digest, newline=False).decode("ascii")
