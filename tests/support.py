"""Constants the tests share: where the example app lives and who calls whom."""

from __future__ import annotations

APP_URL = "https://app.test"
CALLER_ID = "+15005550006"
CALLEE = "+15558675310"
