"""What to say when a webhook ended on a login page: the app sent Twilio's request to sign
in (Django's ``LoginRequiredMiddleware`` or ``@login_required``, Flask-Login's
``@login_required``: a redirect to the login view with ``?next=``), and Twilio, which never
signs in, got its HTML form for TwiML."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

__all__ = ["login_redirect_hint"]

_HINT = (
    "; the webhook was redirected to a login page (?next=): Twilio never signs in, so leave "
    "the webhook views out of the login requirement (Django 5.1's LoginRequiredMiddleware: "
    "@login_not_required, on a class-based view @method_decorator(login_not_required, "
    "name='dispatch'); LoginRequiredMixin, @login_required, Flask-Login's @login_required: "
    "not on the webhook views) and check X-Twilio-Signature there instead"
)


def login_redirect_hint(url: str | None) -> str:
    """The hint's addition for a document that failed at ``url`` when that URL is a login
    page's (a ``next`` parameter in its query, where Django and Flask-Login send the URL
    to come back to), else ""."""
    if not url or "next=" not in url:
        return ""
    return _HINT if "next" in parse_qs(urlsplit(url).query) else ""
