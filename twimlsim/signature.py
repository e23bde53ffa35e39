"""``X-Twilio-Signature``: HMAC-SHA1 of the URL plus the sorted POST parameters.

The algorithm is the one twilio-python's ``RequestValidator`` checks: the full URL Twilio
requested, then, for a form POST, every parameter name followed by its value, sorted by
name (and by value for repeated names), HMAC-SHA1 keyed with the account's auth token,
base64-encoded.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
from binascii import b2a_base64
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .arguments import describe

__all__ = ["compute_signature", "signature_of"]


def _sha1_maker() -> Callable[[bytes], Any]:
    """CPython's own SHA-1 (a state of about a hundred bytes), else hashlib's: copying
    OpenSSL's digest contexts for every webhook goes through its provider tables, which
    touch far more memory (bench/README.md, "Sixth round")."""
    try:
        maker: Callable[[bytes], Any] = importlib.import_module("_sha1").sha1
    except ImportError:  # pragma: no cover - a CPython built without its own hashes
        return hashlib.sha1
    return maker


_sha1 = _sha1_maker()

_BLOCK = 64  # SHA-1's block size
_INNER = bytes(byte ^ 0x36 for byte in range(256))
_OUTER = bytes(byte ^ 0x5C for byte in range(256))


@functools.lru_cache(maxsize=64)
def _keyed(auth_token: str) -> tuple[Any, Any]:
    """HMAC-SHA1's inner and outer hashes with the key already fed (RFC 2104), to be
    copied for each message: an account signs every webhook with the same token, and
    ``hmac.digest`` sets up OpenSSL's digest afresh on each call (several times slower)."""
    key = auth_token.encode()
    if len(key) > _BLOCK:
        key = _sha1(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    return _sha1(key.translate(_INNER)), _sha1(key.translate(_OUTER))


def compute_signature(
    auth_token: str, url: str, params: Mapping[str, str] | Iterable[tuple[str, str]] = ()
) -> str:
    """Return the ``X-Twilio-Signature`` value for a request to ``url`` with form ``params``.

    For a GET request pass no ``params``: its parameters are already in the URL's query.
    """
    try:
        if type(params) is dict:
            # names are unique in a dict: sorting them sorts the pairs (and is cheaper)
            payload = url + "".join([name + params[name] for name in sorted(params)])
        else:
            pairs = params.items() if isinstance(params, Mapping) else params
            payload = url + "".join([name + value for name, value in sorted(pairs)])
        return signature_of(auth_token, payload)
    except (TypeError, AttributeError, ValueError):  # checked only when it failed: no cost
        raise TypeError(_misuse(auth_token, url, params)) from None


def _misuse(auth_token: object, url: object, params: object) -> str:
    """Which argument of ``compute_signature`` is not what it takes."""
    where = "compute_signature(auth_token, url, params)"
    if not isinstance(auth_token, str):
        return f"{where}: auth_token must be the auth token as a str; got {describe(auth_token)}"
    if not isinstance(url, str):
        return f"{where}: url must be the URL requested, as a str; got {describe(url)}"
    return (
        f"{where}: params must be the form's parameters (a dict, or (name, value) pairs) of "
        f"str, as they were sent, such as {{'Digits': '1'}}; got {describe(params)}"
    )


def signature_of(auth_token: str, text: str) -> str:
    """The ``X-Twilio-Signature`` value of the signed text itself: the URL, then the
    sorted names and values (``compute_signature`` builds it from the parameters)."""
    inner_keyed, outer_keyed = _keyed(auth_token)
    inner = inner_keyed.copy()
    inner.update(text.encode())
    outer = outer_keyed.copy()
    outer.update(inner.digest())
    return b2a_base64(outer.digest(), newline=False).decode("ascii")
