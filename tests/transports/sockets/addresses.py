"""Where the WebSocket tests' app is served and whom their calls are between."""

from __future__ import annotations

APP = "https://agent.test"
NUMBER = "+15005550006"
CALLER = "+15558675310"
