"""Defaults that the command line prints in its help and the simulator applies.

They live apart, in a module that imports nothing, so that ``twimlsim --help`` and
``twimlsim lint`` need not import the engine and transports that apply them.
"""

from __future__ import annotations

__all__ = [
    "DEFAULT_KEEP_CALLS",
    "DEFAULT_KEEP_SECONDS",
    "DEFAULT_WEBHOOK_TIMEOUT",
    "FIXTURE_BASE_URL",
]

#: Twilio waits at most 15 s for a webhook's answer (error dictionary, 11200).
DEFAULT_WEBHOOK_TIMEOUT = 15.0
#: Ended calls ``twimlsim serve`` keeps by default.
DEFAULT_KEEP_CALLS = 1000
#: How long (virtual seconds) ``twimlsim serve`` keeps an ended call by default.
DEFAULT_KEEP_SECONDS = 3600.0
#: Where the pytest fixture and ``TwimlsimMixin`` route ``twimlsim_app`` by default.
FIXTURE_BASE_URL = "https://app.test"
