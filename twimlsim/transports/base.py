"""The one interface every webhook transport offers (defined by the engine)."""

from __future__ import annotations

from twimlsim.engine.webhooks import Transport as Transport
from twimlsim.engine.webhooks import WebhookDeliveryError as WebhookDeliveryError
from twimlsim.engine.webhooks import WebhookRequest as WebhookRequest
from twimlsim.engine.webhooks import WebhookResponse as WebhookResponse

__all__ = [
    "WEBHOOK_PEER",
    "Transport",
    "WebhookDeliveryError",
    "WebhookRequest",
    "WebhookResponse",
]

#: Where a webhook or Twilio's WebSocket comes from, in process (``REMOTE_ADDR`` and
#: ``REMOTE_PORT``, an ASGI scope's ``client``): an address of TEST-NET-2 (RFC 5737) and an
#: ephemeral port, a choice: Twilio publishes no addresses its webhooks come from (only its
#: Static Proxy's, an option of some editions), and a loopback address would pass an app's
#: "local request" shortcut that Twilio's never takes.
WEBHOOK_PEER = ("198.51.100.7", "49152")
