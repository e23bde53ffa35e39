"""WebSockets from Twilio to ASGI apps routed in process: ``<Connect><ConversationRelay>``
and ``<Connect><Stream>``."""
