"""Everything the fake Twilio accounts hold: accounts and subaccounts, owned numbers, verified
caller IDs, API keys, calls and recordings."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from .application import Application
from .call import Call
from .conference import Conference
from .credentials import ApiKey, OutgoingCallerId
from .messages import Message
from .queue import Queue
from .recording import Recording, RecordingStatus
from .sids import SidFactory
from .sip_domain import SipDomain
from .transcription import Transcription

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
    friendly_name: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    #: A TwiML App whose voice URLs answer the number's calls instead of its own.
    voice_application_sid: str | None = None
    #: Settings twimlsim keeps and shows but does not act on (``sms_url``,
    #: ``voice_receive_mode``, ``trunk_sid``...), by their JSON key.
    settings: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class Account:
    """One Twilio account: credentials and its outbound call pacing (calls per second).

    ``test_auth_token`` is the account's test credential (Twilio's "test credentials"):
    requests made with it place no call and answer the magic test numbers.
    ``owner_sid`` is the parent's SID for a subaccount, the account's own SID otherwise.
    ``trial`` makes it a trial account: calls may go only to its verified caller IDs.
    """

    sid: str
    auth_token: str
    cps: float = 1.0
    friendly_name: str = "My first Twilio account"
    owner_sid: str = ""
    status: str = "active"
    test_auth_token: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    #: Any ``From`` is allowed: an account adopted from a suite's own credentials
    #: (``pytest --twimlsim``), whose numbers twimlsim cannot know.
    any_caller_id: bool = False
    #: The API key an adopted account was opened from (its path named the account), whose
    #: auth token the suite never sent: ``token_from_environment`` when it was read from
    #: ``TWILIO_AUTH_TOKEN``, else made up (``rest/adoption.py``).
    opened_by_key: str = ""
    token_from_environment: bool = False
    #: Virtual instant (microseconds) at which the next queued call may leave the queue.
    next_slot_us: int = 0
    numbers: dict[str, PhoneNumber] = field(default_factory=dict)
    calls: dict[str, Call] = field(default_factory=dict)
    recordings: dict[str, Recording] = field(default_factory=dict)
    #: Recordings the REST API deleted, by SID: their metadata, status ``deleted``
    #: (``GET /Recordings.json?IncludeSoftDeleted=true``).
    deleted_recordings: dict[str, Recording] = field(default_factory=dict)
    caller_ids: dict[str, OutgoingCallerId] = field(default_factory=dict)
    api_keys: dict[str, ApiKey] = field(default_factory=dict)
    #: The account's call queues by name (created on demand by ``<Enqueue>``): the queue a
    #: name leads to, the oldest of that name when several share it.
    queues: dict[str, Queue] = field(default_factory=dict)
    #: The account's TwiML Applications by SID, oldest first.
    applications: dict[str, Application] = field(default_factory=dict)
    trial: bool = False
    #: Every queue by SID, oldest first (the REST Queues resource).
    queues_by_sid: dict[str, Queue] = field(default_factory=dict)
    #: Every conference room by SID, oldest first.
    conferences: dict[str, Conference] = field(default_factory=dict)
    #: The messages the app created (``POST /Messages.json``) by SID, oldest first.
    messages: dict[str, Message] = field(default_factory=dict)
    #: The transcriptions of the account's recordings by SID, oldest first.
    transcriptions: dict[str, Transcription] = field(default_factory=dict)
    #: The account's SIP Domains by name (``office.sip.twilio.com``).
    sip_domains: dict[str, SipDomain] = field(default_factory=dict)

    @property
    def is_subaccount(self) -> bool:
        """True for a subaccount (its owner is another account)."""
        return bool(self.owner_sid) and self.owner_sid != self.sid

    def may_call_from(self, number: str) -> bool:
        """True when ``number`` is owned (IncomingPhoneNumber) or a verified caller ID."""
        if self.any_caller_id:
            return True
        return number in self.numbers or any(
            caller.phone_number == number for caller in self.caller_ids.values()
        )

    def is_verified(self, number: str) -> bool:
        """True when ``number`` is one of the account's verified caller IDs."""
        return any(caller.phone_number == number for caller in self.caller_ids.values())

    def add_queue(self, queue: Queue) -> None:
        """Keep a new queue; its name leads to it unless an older queue has that name."""
        self.queues_by_sid[queue.sid] = queue
        self.queues.setdefault(queue.name, queue)

    def rename_queue(self, queue: Queue, name: str) -> None:
        """Give ``queue`` a new name (REST update); each name leads to its oldest queue."""
        old, queue.name = queue.name, name
        self._point_name(old)
        self._point_name(name)

    def remove_queue(self, queue: Queue) -> None:
        """Forget ``queue`` (REST delete); its name leads to the next oldest, if any."""
        del self.queues_by_sid[queue.sid]
        self._point_name(queue.name)

    def _point_name(self, name: str) -> None:
        oldest = next((q for q in self.queues_by_sid.values() if q.name == name), None)
        if oldest is None:
            self.queues.pop(name, None)
        else:
            self.queues[name] = oldest

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

        self.api_keys: dict[str, ApiKey] = {}

    def create_account(
        self,
        cps: float | None = None,
        *,
        friendly_name: str | None = None,
        owner: Account | None = None,
        created_at: datetime | None = None,
        trial: bool = False,
    ) -> Account:
        """Open a new account (a subaccount of ``owner`` when given) with fresh credentials."""
        sid = self.sids.new("AC")
        if friendly_name is None:
            friendly_name = "My first Twilio account" if owner is None else f"SubAccount {sid}"
        account = Account(
            sid=sid,
            auth_token=self.sids.hex(f"token:{sid}"),
            cps=cps or self.default_cps,
            friendly_name=friendly_name,
            owner_sid=owner.sid if owner is not None else sid,
            test_auth_token=self.sids.hex(f"test-token:{sid}"),
            created_at=created_at,
            updated_at=created_at,
            trial=trial,
        )
        self.accounts[sid] = account
        return account

    def adopt_account(
        self,
        sid: str,
        auth_token: str,
        *,
        opened_by_key: str = "",
        token_from_environment: bool = False,
    ) -> Account:
        """Open an account under a SID and token the caller chose (``pytest --twimlsim``;
        ``opened_by_key``: the API key whose request named it)."""
        account = Account(
            sid=sid,
            auth_token=auth_token,
            cps=self.default_cps,
            friendly_name="My first Twilio account",
            owner_sid=sid,
            test_auth_token=self.sids.hex(f"test-token:{sid}"),
            any_caller_id=True,
            opened_by_key=opened_by_key,
            token_from_environment=token_from_environment,
        )
        self.accounts[sid] = account
        return account

    def subaccounts(self, owner: Account) -> list[Account]:
        """The subaccounts ``owner`` created, oldest first."""
        return [a for a in self.accounts.values() if a.is_subaccount and a.owner_sid == owner.sid]

    def create_api_key(
        self, account: Account, friendly_name: str | None = None, *, at: datetime | None = None
    ) -> ApiKey:
        """Give ``account`` a new Standard API key (``SK...``) with a fresh secret."""
        sid = self.sids.new("SK")
        key = ApiKey(
            sid=sid,
            account_sid=account.sid,
            secret=self.sids.hex(f"secret:{sid}"),
            friendly_name=friendly_name if friendly_name is not None else sid,
            created_at=at,
            updated_at=at,
        )
        self.api_keys[sid] = key
        account.api_keys[sid] = key
        return key

    def adopt_api_key(self, account: Account, sid: str, secret: str) -> ApiKey:
        """Give ``account`` a Standard API key under a SID and secret the caller chose
        (``pytest --twimlsim``: a suite's own ``SK...`` key)."""
        key = ApiKey(sid=sid, account_sid=account.sid, secret=secret, friendly_name=sid)
        self.api_keys[sid] = key
        account.api_keys[sid] = key
        return key

    def create_caller_id(
        self,
        account: Account,
        phone_number: str,
        friendly_name: str | None = None,
        *,
        at: datetime | None = None,
    ) -> OutgoingCallerId:
        """Verify ``phone_number`` as a caller ID of ``account``."""
        caller = OutgoingCallerId(
            sid=self.sids.new("PN"),
            account_sid=account.sid,
            phone_number=phone_number,
            friendly_name=friendly_name if friendly_name is not None else phone_number,
            created_at=at,
            updated_at=at,
        )
        account.caller_ids[caller.sid] = caller
        return caller

    def create_application(
        self, account: Account, *, at: datetime | None = None, **fields: object
    ) -> Application:
        """Give ``account`` a new TwiML Application (``AP...``) with ``fields``."""
        application = Application(
            sid=self.sids.new("AP"),
            account_sid=account.sid,
            created_at=at,
            updated_at=at,
            **fields,  # type: ignore[arg-type]
        )
        account.applications[application.sid] = application
        return application

    def adopt_application(
        self, account: Account, sid: str, *, at: datetime | None = None
    ) -> Application:
        """Open in ``account``, an account adopted from a suite's own credentials
        (``pytest --twimlsim``), the TwiML App ``sid`` that the suite's settings name: the
        real account's, whose URLs twimlsim cannot know, so it has none."""
        application = Application(sid=sid, account_sid=account.sid, created_at=at, updated_at=at)
        account.applications[sid] = application
        return application

    def remove_api_key(self, key: ApiKey) -> None:
        """Revoke an API key."""
        self.api_keys.pop(key.sid, None)
        self.accounts[key.account_sid].api_keys.pop(key.sid, None)

    def remove_call(self, call: Call) -> None:
        """Delete a call record (its recordings stay, as on Twilio)."""
        self.calls.pop(call.sid, None)
        self.accounts[call.account_sid].calls.pop(call.sid, None)

    def remove_recording(self, recording: Recording) -> None:
        """Delete a recording and its media."""
        self.recordings.pop(recording.sid, None)
        self.accounts[recording.account_sid].recordings.pop(recording.sid, None)

    def delete_recording(self, recording: Recording) -> None:
        """Delete a recording as a REST ``DELETE`` does: its media goes; its metadata stays
        readable with ``IncludeSoftDeleted=true``, status ``deleted`` (Twilio keeps it 40
        days; twimlsim until its call is forgotten)."""
        self.remove_recording(recording)
        deleted = replace(recording, status=RecordingStatus.DELETED)
        self.accounts[recording.account_sid].deleted_recordings[recording.sid] = deleted

    def add_call(self, call: Call) -> None:
        """Record a new call under its account."""
        self.calls[call.sid] = call
        self.accounts[call.account_sid].calls[call.sid] = call

    def add_recording(self, recording: Recording) -> None:
        """Record a new recording under its account."""
        self.recordings[recording.sid] = recording
        self.accounts[recording.account_sid].recordings[recording.sid] = recording
