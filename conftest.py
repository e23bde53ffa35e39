"""Test-suite wide settings: every test sees UTC, whatever the machine's zone."""

from __future__ import annotations

import os
import time

os.environ["TZ"] = "UTC"
time.tzset()
