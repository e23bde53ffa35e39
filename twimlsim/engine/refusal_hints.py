"""The hint for a webhook a framework's protection refused: its authentication (Twilio sends
no credentials) or its rate limit, each framework with its own words and its own way to
leave a route out (its CSRF check: ``engine/csrf_hints.py``)."""

from __future__ import annotations

__all__ = ["UNAUTHORIZED", "auth_hint", "rate_limit_hint"]

_DRF = (
    "Django REST framework refused the webhook: the view's permission classes (the "
    "DEFAULT_PERMISSION_CLASSES setting unless the view sets its own) need an "
    "authenticated user, and Twilio sends no credentials; give the webhook view "
    "permission_classes = [AllowAny] and check X-Twilio-Signature instead"
)
_FASTAPI = (
    "FastAPI's security dependency (HTTPBearer, OAuth2PasswordBearer, APIKeyHeader...) "
    "refused the webhook: Twilio sends no credentials; serve the webhook routes without it "
    "(an APIRouter of their own, not under the app's or router's dependencies=[...]) and "
    "check X-Twilio-Signature instead"
)


#: The hint for a 401 without a Basic challenge, to a request that carried no credentials.
UNAUTHORIZED = (
    "the app refused the webhook as not signed in (401): Twilio sends no credentials (only "
    "those written in the webhook URL, user:password@ before its host, and only after a "
    "WWW-Authenticate: Basic challenge); leave the webhook views out of the app's login or "
    "token check (Flask-Login's @login_required without a login_view answers this 401) and "
    "check X-Twilio-Signature instead"
)


def auth_hint(status: int, body: str, challenge: str | None = None) -> str | None:
    """The hint for a refusal (``status``, ``body``, its ``WWW-Authenticate``) of a
    framework's authentication, naming the framework its words tell, or the way Twilio
    answers a Basic challenge; None for any other answer."""
    if status not in (401, 403):
        return None
    if status == 401 and (challenge or "").lower().startswith("basic"):
        return (
            "the app asks for HTTP Basic authentication (WWW-Authenticate: Basic), and Twilio "
            "answers that challenge only with the credentials written in the webhook URL: "
            "write them into it as user:password@ before its host (the number's voice URL, "
            "the call's Url, the TwiML's action)"
        )
    if "Authentication credentials were not provided" in body:
        return _DRF
    if body.strip() == '{"detail":"Not authenticated"}':
        return _FASTAPI
    return None


def rate_limit_hint(status: int) -> str | None:
    """The hint for the app's rate limit refusing a webhook (429); None for any other."""
    if status != 429:
        return None
    return (
        "the app's rate limit refused the webhook: a limit keyed on the client's address "
        "counts every call's webhooks together, as they come from Twilio's proxies (in a "
        "simulation from one address) and many at once when calls run together; exempt Twilio's "
        "webhook routes from it (Flask-Limiter's and slowapi's @limiter.exempt) and check "
        "X-Twilio-Signature instead, or key it on the call (CallSid)"
    )
