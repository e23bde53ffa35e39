"""The profanity filter of ``<Gather>`` speech (``profanityFilter``, on by default).

Twilio's ``<Gather>`` page: "When set to ``true``, Twilio replaces all but the initial
character in each filtered profane word with asterisks like ``f***``". Which words the
speech provider filters is not documented: twimlsim filters the common English swear
words of ``PROFANE_WORDS`` (and their ``-ing``, ``-ed``, ``-er``, ``-s`` forms), whole
words only, whatever their case.
"""

from __future__ import annotations

import re

__all__ = ["PROFANE_WORDS", "filter_profanity"]

#: The words twimlsim's filter masks (a choice: the provider's list is not published).
PROFANE_WORDS = frozenset(
    {
        "arsehole",
        "asshole",
        "bastard",
        "bitch",
        "bullshit",
        "cock",
        "cunt",
        "dick",
        "fuck",
        "motherfucker",
        "pussy",
        "shit",
        "slut",
        "whore",
    }
)

_PROFANE = re.compile(
    r"\b(?:" + "|".join(sorted(PROFANE_WORDS, key=len, reverse=True)) + r")(?:ing|ed|er|s)?\b",
    re.IGNORECASE,
)


def filter_profanity(text: str) -> str:
    """``text`` with each profane word masked as Twilio masks it: ``fuck`` -> ``f***``."""
    return _PROFANE.sub(lambda found: found[0][0] + "*" * (len(found[0]) - 1), text)
