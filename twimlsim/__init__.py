"""twimlsim: an offline, exact simulator of Twilio Programmable Voice for Python tests."""

from __future__ import annotations

__version__ = "0.1.0"
