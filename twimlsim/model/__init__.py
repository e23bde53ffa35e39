"""Calls, accounts, numbers and SIDs as plain data: no I/O, no HTTP, no XML."""

from __future__ import annotations
