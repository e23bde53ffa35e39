"""The fake Twilio REST API: one werkzeug WSGI app served to every entry point."""

from __future__ import annotations

from .app import RestApi as RestApi

__all__ = ["RestApi"]
