"""TwiML parsing and validation: the only package of twimlsim that imports lxml.

`parse_twiml(body, content_type)` returns a `ParsedTwiml` holding typed, immutable nodes
(`twimlsim.twiml.nodes`) and every `Problem` Twilio would log, with Twilio's codes.
"""

from __future__ import annotations

from .nodes import Node as Node
from .nodes import Response as Response
from .nodes import Unknown as Unknown
from .parser import AUDIO_TYPES as AUDIO_TYPES
from .parser import MAX_BYTES as MAX_BYTES
from .parser import MAX_DEPTH as MAX_DEPTH
from .parser import parse_twiml as parse_twiml
from .parser import play_media_problem as play_media_problem
from .problems import ParsedTwiml as ParsedTwiml
from .problems import Problem as Problem

__all__ = [
    "AUDIO_TYPES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "Node",
    "ParsedTwiml",
    "Problem",
    "Response",
    "Unknown",
    "parse_twiml",
    "play_media_problem",
]
