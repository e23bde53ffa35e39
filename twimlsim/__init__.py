"""twimlsim: an offline, exact simulator of Twilio Programmable Voice for Python tests.

Start with ``Simulator`` (or the ``twimlsim`` pytest fixture).
"""

from __future__ import annotations

from .clock import VirtualClock as VirtualClock
from .engine.caller import Phone as Phone
from .engine.session import SimCall as SimCall
from .engine.webhooks import WebhookRequest as WebhookRequest
from .engine.webhooks import WebhookResponse as WebhookResponse
from .errors import CallFailure as CallFailure
from .errors import ConfigurationError as ConfigurationError
from .errors import SimulationError as SimulationError
from .errors import TwilioApiError as TwilioApiError
from .errors import TwimlsimError as TwimlsimError
from .model.call import CallStatus as CallStatus
from .signature import compute_signature as compute_signature
from .simulator import Simulator as Simulator
from .twiml import parse_twiml as parse_twiml

__version__ = "0.1.0"

__all__ = [
    "CallFailure",
    "CallStatus",
    "ConfigurationError",
    "Phone",
    "SimCall",
    "SimulationError",
    "Simulator",
    "TwilioApiError",
    "TwimlsimError",
    "VirtualClock",
    "WebhookRequest",
    "WebhookResponse",
    "compute_signature",
    "parse_twiml",
]
