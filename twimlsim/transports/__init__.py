"""How bytes move: the app in process (WSGI), and the twilio client through ``responses``."""

from __future__ import annotations
