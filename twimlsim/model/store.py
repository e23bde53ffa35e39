"""Everything the fake Twilio account holds: accounts, owned numbers and calls."""

from __future__ import annotations

from dataclasses import dataclass, field

from .call import Call
from .recording import Recording
from .sids import SidFactory

__all__ = ["Account", "AccountStore", "PhoneNumber"]


@dataclass(slots=True)
class PhoneNumber:
    """A number the account owns (an IncomingPhoneNumber) and its voice configuration."""

    sid: str
    number: str
    voice_url: str | None = None
    voice_method: str = "POST"
    voice_fallback_url: str | None = None
    voice_fallback_method: str = "POST"
    status_callback: str | None = None
    status_callback_method: str = "POST"


@dataclass(slots=True)
class Account:
    """One Twilio account: credentials and its outbound call pacing (calls per second)."""

    sid: str
    auth_token: str
    cps: float = 1.0
    #: Virtual instant (microseconds) at which the next queued call may leave the queue.
    next_slot_us: int = 0
    numbers: dict[str, PhoneNumber] = field(default_factory=dict)
    calls: dict[str, Call] = field(default_factory=dict)
    recordings: dict[str, Recording] = field(default_factory=dict)

    def take_slot(self, now_us: int) -> int:
        """Reserve the next departure instant at this account's CPS and return it."""
        slot = max(now_us, self.next_slot_us)
        self.next_slot_us = slot + round(1_000_000 / self.cps)
        return slot


class AccountStore:
    """All accounts of one simulator, with their numbers and calls, keyed by SID."""

    def __init__(self, sids: SidFactory, default_cps: float = 1.0) -> None:
        self.sids = sids
        self.default_cps = default_cps
        self.accounts: dict[str, Account] = {}
        self.calls: dict[str, Call] = {}
        self.recordings: dict[str, Recording] = {}

    def create_account(self, cps: float | None = None) -> Account:
        """Open a new account with fresh deterministic credentials."""
        sid = self.sids.new("AC")
        token = self.sids.hex(f"token:{sid}")
        account = Account(sid=sid, auth_token=token, cps=cps or self.default_cps)
        self.accounts[sid] = account
        return account

    def adopt_account(self, sid: str, auth_token: str) -> Account:
        """Open an account under a SID and token the caller chose (``pytest --twimlsim``)."""
        account = Account(sid=sid, auth_token=auth_token, cps=self.default_cps)
        self.accounts[sid] = account
        return account

    def add_call(self, call: Call) -> None:
        """Record a new call under its account."""
        self.calls[call.sid] = call
        self.accounts[call.account_sid].calls[call.sid] = call

    def add_recording(self, recording: Recording) -> None:
        """Record a new recording under its account."""
        self.recordings[recording.sid] = recording
        self.accounts[recording.account_sid].recordings[recording.sid] = recording
