"""The SIP Domains resource, read only: list and fetch the account's SIP Domains, those a
test gave it (``sim.sip_domain(...)``, ``POST /twimlsim/sip-domains``). An app that builds
the SIP URI it dials from its domain's name (``client.sip.domains(sid).fetch()``, as
Twilio's SIP quickstart Functions do) reads it here. Creating, changing and deleting a
domain, and its credential and IP access control lists, stay Twilio's 501.

``auth_type`` is ``""``: no authentication is mapped to a simulated domain, which lets
every call in (UNCONFIRMED: the value Twilio gives a domain without any is not
documented; its Trunking API writes an unset one so); ``sip_registration``, ``secure`` and
``emergency_calling_enabled`` are false, as Twilio creates a domain by default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.engine.call_params import API_VERSION
from twimlsim.model.sip_domain import SipDomain

from .paging import list_response
from .render import json_response, not_found
from .serialize import account_path, date

if TYPE_CHECKING:
    from .app import Context

__all__ = ["fetch_sip_domain", "list_sip_domains", "sip_domain_json"]


def sip_domain_json(domain: SipDomain) -> dict[str, object]:
    """The SipDomain resource as Twilio returns it, in its spec's field order."""
    path = f"{account_path(domain.account_sid)}/SIP/Domains/{domain.sid}"
    return {
        "account_sid": domain.account_sid,
        "api_version": API_VERSION,
        "auth_type": "",
        "date_created": date(domain.created_at),
        "date_updated": date(domain.created_at),
        "domain_name": domain.domain_name,
        "friendly_name": domain.friendly_name,
        "sid": domain.sid,
        "uri": f"{path}.json",
        "voice_fallback_method": domain.voice_fallback_method,
        "voice_fallback_url": domain.voice_fallback_url,
        "voice_method": domain.voice_method,
        "voice_status_callback_method": domain.voice_status_callback_method,
        "voice_status_callback_url": domain.voice_status_callback_url,
        "voice_url": domain.voice_url,
        "subresource_uris": {
            "credential_list_mappings": f"{path}/CredentialListMappings.json",
            "ip_access_control_list_mappings": f"{path}/IpAccessControlListMappings.json",
        },
        "sip_registration": False,
        "emergency_calling_enabled": False,
        "secure": False,
        "byoc_trunk_sid": None,
        "emergency_caller_sid": None,
    }


def list_sip_domains(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /SIP/Domains.json``: oldest first, paged."""
    return list_response(
        ctx,
        list(ctx.account.sip_domains.values()),
        "SIP/Domains.json",
        key="domains",
        render=sip_domain_json,
    )


def fetch_sip_domain(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /SIP/Domains/{Sid}.json``."""
    for domain in ctx.account.sip_domains.values():
        if domain.sid == args["sid"]:
            return json_response(sip_domain_json(domain), 200)
    raise not_found(ctx.request.path)
