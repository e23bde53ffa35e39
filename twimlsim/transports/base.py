"""The one interface every webhook transport offers (defined by the engine)."""

from __future__ import annotations

from twimlsim.engine.webhooks import Transport as Transport
from twimlsim.engine.webhooks import WebhookDeliveryError as WebhookDeliveryError
from twimlsim.engine.webhooks import WebhookRequest as WebhookRequest
from twimlsim.engine.webhooks import WebhookResponse as WebhookResponse

__all__ = ["Transport", "WebhookDeliveryError", "WebhookRequest", "WebhookResponse"]
