"""The Applications resource (TwiML Apps): create, list, fetch, update, delete.

Invalid URLs get 21402 and invalid methods 21403, as on IncomingPhoneNumbers (Twilio's
"Invalid Url"/"Invalid Method"); a ``FriendlyName`` over 64 characters and a non-boolean
flag get 20422. Deleting an application takes it off the numbers that used it (their
own URLs answer again; fidelity choice: Twilio does not document it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.engine.call_params import API_VERSION
from twimlsim.errors import TwilioApiError
from twimlsim.model.application import Application

from .paging import list_response
from .params import Param, apply_params, sent_empty
from .render import found, json_response, no_content
from .serialize import account_path, date

if TYPE_CHECKING:
    from twimlsim.model.store import Account, AccountStore

    from .app import Context

__all__ = [
    "APPLICATION_PARAMS",
    "application_json",
    "check_not_foreign",
    "create_application",
    "delete_application",
    "fetch_application",
    "list_applications",
    "update_application",
]

#: Every parameter of Twilio's create and update, in the spec's order.
APPLICATION_PARAMS: tuple[Param, ...] = (
    Param("FriendlyName", "friendly_name", "text", high=64),
    Param("ApiVersion", "api_version", "enum", choices=("2010-04-01", "2008-08-01")),
    Param("VoiceUrl", "voice_url", "url", 21402),
    Param("VoiceMethod", "voice_method", "method", 21403),
    Param("VoiceFallbackUrl", "voice_fallback_url", "url", 21402),
    Param("VoiceFallbackMethod", "voice_fallback_method", "method", 21403),
    Param("StatusCallback", "status_callback", "url", 21402),
    Param("StatusCallbackMethod", "status_callback_method", "method", 21403),
    Param("VoiceCallerIdLookup", "voice_caller_id_lookup", "bool"),
    Param("SmsUrl", "sms_url", "url", 21402),
    Param("SmsMethod", "sms_method", "method", 21403),
    Param("SmsFallbackUrl", "sms_fallback_url", "url", 21402),
    Param("SmsFallbackMethod", "sms_fallback_method", "method", 21403),
    Param("SmsStatusCallback", "sms_status_callback", "url", 21402),
    Param("MessageStatusCallback", "message_status_callback", "url", 21402),
    Param("PublicApplicationConnectEnabled", "public_application_connect_enabled", "bool"),
)


def check_not_foreign(store: AccountStore, account: Account, wire: str, sid: str) -> None:
    """21218 naming the account that holds TwiML App ``sid`` when it is another account's
    of the simulation (a subaccount naming its main account's, an app whose client holds a
    suite's placeholders naming the one the test made): a TwiML App serves its own
    account only, and its SID names one application (fidelity choice of code, as for an
    unknown application)."""
    if sid in account.applications:
        return
    holder = next((a for a in store.accounts.values() if sid in a.applications), None)
    if holder is not None:
        raise TwilioApiError(
            400,
            21218,
            f"{wire} {sid} is not an application of this account ({account.sid}) but of "
            f"account {holder.sid}; a TwiML App serves only its own account: send the "
            "request with that account's credentials (an app whose client was made with "
            "other credentials, such as a suite's placeholders, takes the simulator's: "
            "sim.account_sid and sim.auth_token, or sim.client())",
        )


def application_json(application: Application) -> dict[str, object]:
    """The Application resource as Twilio returns it."""
    return {
        "account_sid": application.account_sid,
        "api_version": application.api_version or API_VERSION,
        "date_created": date(application.created_at),
        "date_updated": date(application.updated_at or application.created_at),
        "friendly_name": application.friendly_name,
        "message_status_callback": application.message_status_callback,
        "sid": application.sid,
        "sms_fallback_method": application.sms_fallback_method,
        "sms_fallback_url": application.sms_fallback_url,
        "sms_method": application.sms_method,
        "sms_status_callback": application.sms_status_callback,
        "sms_url": application.sms_url,
        "status_callback": application.status_callback,
        "status_callback_method": application.status_callback_method,
        "uri": f"{account_path(application.account_sid)}/Applications/{application.sid}.json",
        "voice_caller_id_lookup": application.voice_caller_id_lookup,
        "voice_fallback_method": application.voice_fallback_method,
        "voice_fallback_url": application.voice_fallback_url,
        "voice_method": application.voice_method,
        "voice_url": application.voice_url,
        "public_application_connect_enabled": application.public_application_connect_enabled,
    }


def _application(ctx: Context, args: dict[str, str]) -> Application:
    return found(ctx.account.applications, args["sid"], ctx.request.path)


def create_application(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Applications.json``: a new TwiML App (201)."""
    fields = apply_params(ctx.form, APPLICATION_PARAMS)
    application = ctx.store.create_application(ctx.account, at=ctx.now, **fields)
    return json_response(application_json(application), 201)


def list_applications(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Applications.json``: oldest first, filtered by ``FriendlyName`` (exact), paged."""
    query = ctx.request.args
    name = query.get("FriendlyName") or None
    applications = [
        application
        for application in ctx.account.applications.values()
        if name is None or application.friendly_name == name
    ]
    return list_response(
        ctx,
        applications,
        "Applications.json",
        key="applications",
        render=application_json,
    )


def fetch_application(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Applications/{Sid}.json``."""
    return json_response(application_json(_application(ctx, args)), 200)


def update_application(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Applications/{Sid}.json``: change the given fields; calls placed from now on
    use them. A URL sent empty (``VoiceUrl=``) is taken off the application, null again
    (UNCONFIRMED: Twilio's answer for a cleared URL is not documented; null is what an
    application without one shows)."""
    application = _application(ctx, args)
    changes = apply_params(ctx.form, APPLICATION_PARAMS)
    for param in APPLICATION_PARAMS:
        if param.kind == "url" and sent_empty(ctx.form, param.wire):
            changes[param.field] = None
    for field, value in changes.items():
        setattr(application, field, value)
    application.updated_at = ctx.now
    return json_response(application_json(application), 200)


def delete_application(ctx: Context, args: dict[str, str]) -> Response:
    """``DELETE /Applications/{Sid}.json``: 204; numbers that used it fall back to their
    own voice URLs."""
    application = _application(ctx, args)
    del ctx.account.applications[application.sid]
    for number in ctx.account.numbers.values():
        if number.voice_application_sid == application.sid:
            number.voice_application_sid = None
    return no_content()
