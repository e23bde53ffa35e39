"""TwiML parsing (temporary minimal version; the full parser replaces it)."""

from __future__ import annotations

from .nodes import Hangup as Hangup
from .nodes import Node as Node
from .nodes import Pause as Pause
from .nodes import Redirect as Redirect
from .nodes import Response as Response
from .nodes import Say as Say
from .nodes import Unknown as Unknown
from .parser import ParsedTwiml as ParsedTwiml
from .parser import Problem as Problem
from .parser import parse_twiml as parse_twiml

__all__ = [
    "Hangup",
    "Node",
    "ParsedTwiml",
    "Pause",
    "Problem",
    "Redirect",
    "Response",
    "Say",
    "Unknown",
    "parse_twiml",
]
