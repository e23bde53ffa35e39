"""The 403 hint's words on the account whose auth token signed the refused webhook: one
``pytest --twimlsim`` opened from the app's own credentials (its token, or, opened from an
API key, the one it took from the environment or made up), or one with an API key whose
secret an app may validate with (it signs no webhook, on Twilio either); and on a Sanic
app served over ASGI, which builds its URLs with ``http://``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twimlsim.model.store import Account

__all__ = ["django_middleware_hint", "sanic_scheme_hint", "signing_account_hint"]


def signing_account_hint(account: Account | None) -> str:
    """What to add to a 403's hint about ``account``, the refused webhook's; "" when
    nothing is to be said of it."""
    if account is None:
        return ""
    if account.any_caller_id and account.opened_by_key:
        opened = (
            f"; this call's account, {account.sid}, was opened from the API key "
            f"{account.opened_by_key} the app's own Twilio client presented (pytest "
            "--twimlsim), and a key does not carry the account's auth token, which Twilio "
            "signs webhooks with"
        )
        if account.token_from_environment:
            return (
                f"{opened}: they are signed with TWILIO_AUTH_TOKEN, read from the environment "
                "when the key was first presented; have the app validate with that token"
            )
        return (
            f"{opened}: set TWILIO_AUTH_TOKEN in the environment to the token the app "
            "validates with, before the app's first request to Twilio (monkeypatch.setenv "
            "in an autouse fixture, or the suite's .env), and the account takes it; without "
            f"it they are signed with one twimlsim made up, {account.auth_token}"
        )
    if account.any_caller_id:
        # pytest --twimlsim opened it: sim.auth_token is another account's token
        return (
            f"; this call's account, {account.sid}, was opened from the credentials the "
            "app's own Twilio client presented (pytest --twimlsim), so its webhooks are "
            "signed with that client's auth token, not sim.auth_token: have the app "
            "validate with the token its client uses"
        )
    if account.api_keys:
        # a key's secret authenticates REST requests only: validating with it (an app
        # configured with a key and no auth token) fails on Twilio too
        key = next(iter(account.api_keys))
        return (
            f"; the account has API key {key}, whose secret authenticates REST requests "
            "but signs no webhook: Twilio signs them with the account's auth token "
            "(sim.auth_token) whatever credentials placed the call, so an app that "
            "validates with the key's secret fails there too"
        )
    return ""


def sanic_scheme_hint(app: object) -> str:
    """What to add to a 403's hint when ``app`` (as routed) is a Sanic app: served over
    ASGI (in process, or by uvicorn) it reads no TLS from the scope and builds
    ``request.url`` with ``http://``, so a check over it fails unless the app names its
    public URL; "" for any other app."""
    for _ in range(4):  # through the mount, the proxy and the ASGI wrappers
        if type(app).__module__.partition(".")[0] == "sanic":
            return (
                ". A Sanic app served over ASGI, as here and under uvicorn, builds "
                "request.url with http:// whatever the scheme Twilio used (it reads no TLS "
                "from an ASGI scope): give it its public base URL, app.config.SERVER_NAME = "
                "'https://app.test' (the routed one), and request.url is the URL Twilio signed"
            )
        app = getattr(app, "app", None)
    return ""


def django_middleware_hint(app: object) -> str:
    """What to add to a 403's hint when ``app`` (as routed) is Django's WSGI handler, which
    makes the project's middleware once, when it is made: a signature middleware that
    reads the auth token in its ``__init__`` keeps the token of that moment, before the
    test's own fixture (or ``setUp``) gave the app the simulator's; "" for any other app."""
    for _ in range(4):  # through the mount and the proxy wrappers
        if type(app).__module__ == "django.core.handlers.wsgi":
            return (
                ". Django makes its middleware when its WSGI handler is made "
                "(get_wsgi_application(), which a twimlsim_app fixture or a TwimlsimMixin "
                "class attribute calls before the test sets the token): a middleware that "
                "reads the token in its __init__ keeps the one it read then; make the "
                "handler after setting it, routing it where the test sets "
                "settings.TWILIO_AUTH_TOKEN (twimlsim.route(base_url, "
                "get_wsgi_application()) in that fixture, or in setUp after "
                "override_settings)"
            )
        app = getattr(app, "app", None)
    return ""
