"""Hints for a webhook a web framework's protection refused before the app's code ran.

Twilio's webhook is a form POST from another site with no CSRF token, which Django,
Rails and Laravel refuse by default (Flask-WTF's ``CSRFProtect`` and Litestar's
``csrf_config`` too, where an app turns them on), each with its own status and page: the
first webhook of a new app fails before its code runs. Pyramid's ``require_csrf`` answers
400, "Bad CSRF Origin" over https (Twilio sends no ``Origin`` or ``Referer``), "Bad CSRF
token" over plain http. The hint names the framework's way
to exempt the webhook routes (signature validation then stands in for the token). Rails'
development mode also refuses a Host it was not told of (an ngrok address, ``--tunnel``'s
public side), and so does Sinatra's since 4.1 (rack-protection's ``HostAuthorization``,
which in development permits only ``localhost``, ``.localhost``, ``.test`` and IP
addresses, and answers 403 "Host not permitted"), and Vite's dev server, under the
server routes of SvelteKit, Nuxt or Astro (403 "Blocked request. This host ... is not
allowed"), and Flask's ``TRUSTED_HOSTS`` (Flask 3.1: 400 "Host '...' is not trusted.").
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["csrf_hint", "spring_security_note"]

_DJANGO = (
    "Django's CSRF protection refused the webhook (Twilio sends no CSRF token): "
    "decorate the webhook view with @csrf_exempt "
    "(from django.views.decorators.csrf import csrf_exempt); a class-based view "
    "takes @method_decorator(csrf_exempt, name='dispatch') on the class, or "
    "csrf_exempt(TheView.as_view()) in the URLconf. A view that reads its "
    "parameters from the query string (request.GET) needs the webhook configured "
    "with GET instead, which CSRF does not check"
)

_RAILS = (
    "Rails' CSRF protection (protect_from_forgery) refused the webhook: Twilio sends no "
    "authenticity token. In the webhook's controller, skip_forgery_protection (or "
    "skip_before_action :verify_authenticity_token), and check X-Twilio-Signature instead "
    "(twilio-ruby's Rack::TwilioWebhookAuthentication middleware)"
)

_FLASK_WTF = (
    "Flask-WTF's CSRFProtect refused the webhook (Twilio sends no CSRF token): exempt "
    "the webhook views, @csrf.exempt on each (csrf = CSRFProtect(app)) or "
    "csrf.exempt(blueprint) for a blueprint of them, and check X-Twilio-Signature "
    "instead"
)
_LITESTAR = (
    "Litestar's CSRF protection (its csrf_config) refused the webhook (Twilio sends no CSRF "
    "token): leave the webhook routes out of it, CSRFConfig(..., exclude=['/voice', ...]) "
    "or opt={'exclude_from_csrf': True} on each route handler, and check "
    "X-Twilio-Signature instead"
)
_PYRAMID = (
    "Pyramid's CSRF check (require_csrf, set by config.set_default_csrf_options) refused "
    "the webhook (Twilio sends no CSRF token, Origin or Referer): turn it off for the "
    "webhook views, require_csrf=False in their @view_config (or config.add_view), and "
    "check X-Twilio-Signature instead"
)
_ANY = (
    "the app's CSRF protection refused the webhook (Twilio sends no CSRF token): leave the "
    "webhook routes out of it and check X-Twilio-Signature instead"
)

#: Rails' public/422.html, which a production app answers for InvalidAuthenticityToken (and
#: for the rarer other 422s: the hint says "most often").
_RAILS_422_PAGE = "The change you wanted was rejected"


def _laravel(url: str) -> str:
    path = urlsplit(url).path.strip("/") or "/"
    return (
        "Laravel's CSRF protection (419 Page Expired) refused the webhook: Twilio sends no "
        "CSRF token. Exclude the webhook routes from it: in Laravel 11 and later, in "
        "bootstrap/app.php, ->withMiddleware(fn (Middleware $middleware) => "
        f"$middleware->validateCsrfTokens(except: ['{path}'])); before, protected $except = "
        f"['{path}'] in app/Http/Middleware/VerifyCsrfToken.php (a pattern such as "
        "'twilio/*' covers a prefix). Then check X-Twilio-Signature instead (twilio/sdk's "
        "RequestValidator)"
    )


#: Hints for a Host the app's framework refused (``{host}``: the webhook URL's host).
_BLOCKED_HOST = (
    "Rails' host authorization (config.hosts, on in development) refused the Host "
    '{host}: add config.hosts << "{host}" to config/environments/development.rb (a '
    'tunnel\'s every address: config.hosts << ".ngrok.app")'
)
_SINATRA_HOST = (
    "Sinatra's host authorization (rack-protection's HostAuthorization, on in development "
    "since Sinatra 4.1) refused the Host {host}: permit it, set :host_authorization, "
    "{{ permitted_hosts: ['{host}', 'localhost'] }} (a tunnel's every address: "
    "'.ngrok.app'), or run the app with APP_ENV=production, where every Host is permitted"
)
_VITE_HOST = (
    "Vite's dev server (under SvelteKit, Nuxt or Astro server routes) refused the Host "
    "{host}, as its page says: add '{host}' to server.allowedHosts in vite.config (a "
    "tunnel's every address: '.ngrok.app')"
)
_FLASK_TRUSTED = (
    "Flask's TRUSTED_HOSTS (Flask 3.1 and later) does not list the Host {host}: add "
    "'{host}' to app.config['TRUSTED_HOSTS'] (a tunnel's every address: '.ngrok.app')"
)


def _host_hint(template: str, url: str) -> str:
    return template.format(host=urlsplit(url).hostname or "")


def csrf_hint(status: int, body: str, url: str) -> str | None:
    """The hint for a webhook to ``url`` that ``status`` and ``body`` show a CSRF check
    refused, naming the framework its words tell; None for any other answer."""
    if status == 400 and "The CSRF token is missing." in body:
        return _FLASK_WTF
    if status == 400 and ("Bad CSRF Origin." in body or "Bad CSRF token received." in body):
        return _PYRAMID
    if status == 403 and "CSRF" in body:
        if "CSRF verification failed" in body:
            return _DJANGO
        if '"status_code":403' in body:  # Litestar's JSON error body
            return _LITESTAR
        return _ANY
    if status == 403 and "Blocked host" in body:  # Rails 6: "Blocked host:", 7: "hosts:"
        return _host_hint(_BLOCKED_HOST, url)
    if status == 403 and body.strip() == "Host not permitted":  # rack-protection's words
        return _host_hint(_SINATRA_HOST, url)
    if status == 403 and body.startswith("Blocked request. This host"):  # Vite 6's words
        return _host_hint(_VITE_HOST, url)
    # werkzeug's words, its quotes escaped in Flask's HTML page (Host &#39;x&#39;)
    if status == 400 and "Host " in body and " is not trusted." in body:
        return _host_hint(_FLASK_TRUSTED, url)
    if status == 422 and "InvalidAuthenticityToken" in body:
        return _RAILS
    if status == 422 and _RAILS_422_PAGE in body:
        return (
            "Rails answers this page for a 422, most often because its CSRF protection "
            + (_RAILS[len("Rails' CSRF protection ") :])
        )
    if status == 419:  # no other framework uses the status
        return _laravel(url)
    return None


#: Spring Boot's error JSON for a 403 (``{"timestamp": ..., "status": 403, "error":
#: "Forbidden", "path": "/voice"}``), which Spring Security's CSRF refusal answers too.
_SPRING_403 = ('"error":"Forbidden"', '"path":')


def spring_security_note(body: str) -> str:
    """The 403 hint's addition when Spring Boot answered it: its CSRF protection refuses
    a POST without a token as the app's own signature check would ("" otherwise)."""
    compact = body.replace(" ", "")
    if not all(mark in compact for mark in _SPRING_403):
        return ""
    return (
        ". Spring Boot answered it: Spring Security's CSRF protection refuses every POST "
        "without a token, and Twilio sends none; exempt the webhook paths "
        '(http.csrf(csrf -> csrf.ignoringRequestMatchers("/voice/**"))) and check '
        "X-Twilio-Signature instead"
    )
