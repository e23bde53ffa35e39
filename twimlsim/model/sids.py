"""Deterministic SIDs: the same seed gives the same SIDs in the same order, on any machine."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from functools import lru_cache

__all__ = ["SidFactory"]


class SidFactory:
    """Makes Twilio-shaped SIDs (two-letter prefix + 32 lower-case hex digits).

    Each prefix has its own counter, so creating a recording does not change the SID of the
    next call. The hex part is a hash of ``(seed, prefix, n)``.
    """

    def __init__(self, seed: int | str = 0) -> None:
        self.seed = seed
        self._counters: defaultdict[str, int] = defaultdict(int)

    def new(self, prefix: str) -> str:
        """The next SID with this prefix (``"CA"``, ``"RE"``, ...)."""
        if len(prefix) != 2 or not prefix.isalpha() or not prefix.isupper():
            raise ValueError(f"a SID prefix is two upper-case letters, got {prefix!r}")
        self._counters[prefix] += 1
        return prefix + self.hex(f"{prefix}:{self._counters[prefix]}")

    def hex(self, label: str, length: int = 32) -> str:
        """A deterministic hex string for ``label`` under this factory's seed."""
        return _digest(f"{self.seed}:{label}")[:length]


@lru_cache(maxsize=128)
def _digest(text: str) -> str:
    # Every test's simulator with the same seed makes the same account, tokens and first
    # SIDs: they are hashed once per process. Few are kept: a long run's SIDs never repeat,
    # and a cache of thousands would weigh on every call (about 1 kB a call at 1,000).
    return hashlib.blake2b(text.encode(), digest_size=32).hexdigest()
