"""Calls that ring in at once: a caller dialling an owned number (``Engine.incoming_call``),
a PBX or softphone calling a SIP Domain (``sip_domain_call``) or a Voice SDK device
connecting to a TwiML App (``sdk_calls.py``)."""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from twimlsim.errors import ConfigurationError
from twimlsim.model.application import Application
from twimlsim.model.call import Call, CallStatus, Direction, Location, StatusCallbackConfig
from twimlsim.model.call_token import inbound_call_token
from twimlsim.model.sip_domain import domain_of_uri

from .control import redirectable
from .process import Step
from .webhooks import call_params

if TYPE_CHECKING:
    from twimlsim.model.store import Account, AccountStore, PhoneNumber

    from .caller import Phone
    from .engine import Engine
    from .session import SimCall

__all__ = [
    "SIP_SOURCE_IP",
    "VoiceUrls",
    "answering_number",
    "life_with_params",
    "number_owner",
    "refuse_unverified_caller",
    "ring_inbound",
    "sip_domain_call",
    "with_called_via",
    "with_caller_name",
]

#: ``SipSourceIp`` of a call to a SIP Domain: an address of TEST-NET-3 (RFC 5737), as no
#: real PBX sends the simulated INVITE (``params`` may give the app's own).
SIP_SOURCE_IP = "203.0.113.10"

#: The parameters Twilio sets that a Voice SDK device's connect params may replace.
_SDK_OVERRIDABLE = frozenset({"To", "From"})


class VoiceUrls(Protocol):
    """The voice configuration an owned number and a TwiML App both carry."""

    @property
    def voice_url(self) -> str | None: ...
    @property
    def voice_method(self) -> str: ...
    @property
    def voice_fallback_url(self) -> str | None: ...
    @property
    def voice_fallback_method(self) -> str: ...
    @property
    def status_callback(self) -> str | None: ...
    @property
    def status_callback_method(self) -> str: ...


def number_owner(store: AccountStore, account: Account, to: str) -> Account:
    """The account a caller dialling ``to`` reaches: ``account`` when it owns the number,
    else the account of the simulation that does (a subaccount, or one opened for a suite's
    own credentials), as Twilio routes a call to its number's owner; ``account`` when none
    does (``answering_number`` then says so)."""
    if to in account.numbers:
        return account
    return next((a for a in store.accounts.values() if to in a.numbers), account)


def refuse_unverified_caller(owner: Account, main: Account, from_: str) -> None:
    """A ``ConfigurationError`` when ``owner``, the account a caller at ``from_`` reaches,
    is a trial account and ``from_`` is not one of its verified caller IDs; its advice
    names ``owner`` when it is not the ``main`` account."""
    if owner.trial and not owner.is_verified(from_):
        of = "" if owner is main else f", account=<subaccount {owner.sid}>"
        raise ConfigurationError(
            f"incoming call from {from_}: a trial account receives calls only from its "
            f"verified caller IDs; add it with sim.verified_caller_id({from_!r}{of}) first"
        )


def answering_number(account: Account, to: str) -> tuple[PhoneNumber, Application | None]:
    """The account's number ``to`` and the TwiML App that answers it in its place (its
    ``VoiceApplicationSid``), or None; a ``ConfigurationError`` when neither gives Twilio a
    voice URL to request."""
    owned = account.numbers.get(to)
    if owned is None:
        numbers = list(account.numbers)
        owned_list = ", ".join(numbers[:10]) or "none"
        if len(numbers) > 10:
            owned_list += f" and {len(numbers) - 10} more"
        raise ConfigurationError(
            f"incoming call to {to}: the account has no number {to} with a voice URL "
            f"(numbers: {owned_list}); call sim.number({to!r}, voice_url=...) first"
        )
    application = None
    if owned.voice_application_sid is not None:
        application = account.applications.get(owned.voice_application_sid)
    if (application or owned).voice_url is None:
        if application is not None:
            raise ConfigurationError(
                f"incoming call to {to}: the number {to} of account {account.sid} answers "
                f"with its TwiML App {application.sid} (its VoiceApplicationSid), which has "
                "no voice URL, so Twilio has nothing to request; give the application one "
                f"through the REST API (POST /Applications/{application.sid}.json VoiceUrl, "
                "with that account's credentials) or the number a voice URL of its own"
            )
        raise ConfigurationError(
            f"incoming call to {to}: the account's number {to} has no voice URL (nor a "
            "voice application with one), so Twilio has nothing to request; call "
            f"sim.number({to!r}, voice_url=...) or give it one through the REST API"
        )
    return owned, application


def ring_inbound(
    engine: Engine,
    *,
    account_sid: str,
    to: str,
    from_: str,
    voice: VoiceUrls,
    life: Callable[[SimCall], Generator[Step, Any, None]],
    phone_number_sid: str | None = None,
    from_location: Location | None = None,
    to_location: Location | None = None,
    application_sid: str | None = None,
) -> SimCall:
    """Create an inbound call from ``from_`` to ``to`` answered by ``voice``'s URLs and
    reported to its status callback, ringing now, and start ``life`` on it."""
    now = engine.clock.now
    record = Call(
        sid=engine.sids.new("CA"),
        account_sid=account_sid,
        to=to,
        from_=from_,
        direction=Direction.INBOUND,
        created_at=now,
        status=CallStatus.RINGING,
        url=voice.voice_url,
        method=voice.voice_method,
        fallback_url=voice.voice_fallback_url,
        fallback_method=voice.voice_fallback_method,
        status_callback=StatusCallbackConfig(
            url=voice.status_callback, method=voice.status_callback_method
        ),
        phone_number_sid=phone_number_sid,
        start_time=now,
        from_location=from_location,
        to_location=to_location,
        application_sid=application_sid,
    )
    call = engine._add(record, engine.phone(from_), life)
    assert call.process is not None
    call.process.start_at(engine.clock.micros)
    return call


def life_with_params(
    engine: Engine, params: Mapping[str, str], *, call_token: bool = False, sdk: bool = False
) -> Callable[[SimCall], Generator[Step, Any, None]]:
    """The life of a call that rings in, whose first voice request carries ``params`` too:
    a Voice SDK device's connect params, what Twilio adds for a number (Add-on results).

    With ``call_token`` (a call to an owned number) that request also carries the call's
    ``CallToken``, as Twilio's does (``model/call_token.py``; ``params`` may replace it).
    Only the first voice request (and its fallback) has it: every real request seen with it
    is that one (``CallStatus=ringing``), and none of the call's status callbacks.

    With ``sdk`` (a Voice SDK device's connect params) a param named as one Twilio sets
    replaces it only for ``To`` and ``From``; Twilio's own value stays for the others
    (TwiML changelog: "Parameter overrides for Voice SDK calls can only override the To or
    From parameters")."""
    extra = dict(params)

    def life(call: SimCall) -> Generator[Step, Any, None]:
        record = call.record
        voice = call_params(record, record.status.value)
        if call_token:
            voice["CallToken"] = inbound_call_token(
                record.sid, record.from_, record.to, record.created_at
            )
        if sdk:
            voice.update(
                (name, value)
                for name, value in extra.items()
                if name not in voice or name in _SDK_OVERRIDABLE
            )
        else:
            voice.update(extra)
        yield from redirectable(engine, call, engine.interpreter.run_call(call, params=voice))

    return life


def sip_domain_call(
    engine: Engine, from_: str, to: str, params: Mapping[str, str] | None = None
) -> SimCall:
    """A PBX or softphone at ``from_`` sends a call to the SIP URI ``to`` at one of the
    simulation's SIP Domains (``sim.sip_domain``): it rings at once, answered by the
    domain's voice URLs, its ``completed`` event sent to the domain's voice status callback.

    The first voice request (and its fallback) carries what Twilio adds for a SIP call:
    ``SipDomain``, ``SipDomainSid``, ``SipCallId`` (derived from the call's SID, as a
    ``<Sip>`` leg's ``DialSipCallId`` is) and ``SipSourceIp`` (``SIP_SOURCE_IP``), then
    ``params`` (``SipHeader_X-...`` for the INVITE's X- headers, ``SipUsername`` for a
    domain that authenticates with credentials; a ``SipCallId`` or ``SipSourceIp`` there
    replaces twimlsim's). Choice (Twilio's "SIP and TwiML Interaction" page names these
    parameters of "requesting your TwiML" without saying which requests repeat them): only
    that first request has them, as for an owned number's Add-on results; it carries no
    ``CallToken`` (Twilio documents it for calls to phone numbers)."""
    name = domain_of_uri(to)
    domain = None
    if name is not None:
        domain = next(
            (a.sip_domains[name] for a in engine.store.accounts.values() if name in a.sip_domains),
            None,
        )
    if domain is None or domain.voice_url is None:
        known = ", ".join(n for a in engine.store.accounts.values() for n in a.sip_domains)
        what = (
            f"the SIP Domain {name} has no voice URL"
            if domain is not None
            else f"no SIP Domain of the simulation takes {to} (domains: {known or 'none'})"
        )
        example = name or "office.sip.twilio.com"
        raise ConfigurationError(
            f"incoming call to {to}: {what}; call sim.sip_domain({example!r}, voice_url=...) "
            "first, and send the call to a SIP URI at it, such as "
            f"'sip:+15551234567@{example}'"
        )
    sip: dict[str, str] = {"SipDomain": domain.domain_name, "SipDomainSid": domain.sid}

    def life(call: SimCall) -> Generator[Step, Any, None]:
        given = {
            "SipCallId": f"{engine.sids.hex(f'sip-call-id:{call.record.sid}')}@{SIP_SOURCE_IP}",
            "SipSourceIp": SIP_SOURCE_IP,
            **(params or {}),
        }
        yield from life_with_params(engine, {**sip, **given})(call)

    return ring_inbound(
        engine,
        account_sid=domain.account_sid,
        to=to,
        from_=from_,
        voice=domain,
        life=life,
        from_location=engine.phone(from_).location,
        to_location=engine.phone(to).location,
    )


def with_called_via(params: Mapping[str, str] | None) -> Mapping[str, str] | None:
    """``params`` with ``CalledVia``, the legacy duplicate of ``ForwardedFrom``, beside a
    ``ForwardedFrom`` the test gave, as a captured forwarded call carried both with the same
    value (Twilio's Call resource examples also fill ``forwarded_from`` with "calledvia";
    one capture only, so a choice). A ``CalledVia`` the test gave wins."""
    if params is None or "ForwardedFrom" not in params or "CalledVia" in params:
        return params
    return {**params, "CalledVia": params["ForwardedFrom"]}


def with_caller_name(
    params: Mapping[str, str] | None, caller: Phone, voice: PhoneNumber | Application
) -> Mapping[str, str] | None:
    """``params`` with the caller's name as ``CallerName``, when the number (or the TwiML
    App answering it) has caller ID lookup on (``VoiceCallerIdLookup``) and the caller's
    name is known (``sim.phone(number).caller_name(...)``, what Lookup reports too).

    Twilio sends ``CallerName`` "only when the number has VoiceCallerIdLookup=true"; what
    it sends when the lookup finds no name is not documented: twimlsim then sends none (a
    choice). A ``CallerName`` the test gave in ``params`` wins."""
    name = caller.facts.caller_name
    if name is None or (params is not None and "CallerName" in params):
        return params
    if isinstance(voice, Application):
        on = voice.voice_caller_id_lookup
    else:
        on = voice.settings.get("voice_caller_id_lookup") is True
    return {**(params or {}), "CallerName": name} if on else params
