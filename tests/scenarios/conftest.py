"""The acceptance scenarios drive the REST API too: every JSON body they see is checked
against Twilio's OpenAPI description, as in ``tests/rest``."""

from __future__ import annotations

from tests.rest.conftest import checked_bodies

__all__ = ["checked_bodies"]
