"""The call-flow engine: runs calls on the virtual clock and talks to the app by webhooks.

It imports no HTTP library and no XML library: it builds ``WebhookRequest`` values, hands
them to a ``Transport`` and reads parsed TwiML nodes.
"""

from __future__ import annotations
