"""A webhook that a web framework's CSRF protection refused names the framework and its
exemption: Laravel's 419, Rails' 422 (its debug page and its public 422.html). Twilio
sends no CSRF token, so the first webhook of a new PHP or Ruby app fails this way; a Rails
app in development mode also refuses a Host it was not told of (403, "Blocked hosts"), and
so do a Sinatra 4.1 app (403, "Host not permitted") and Vite's dev server (403, "Blocked
request"), where the 403's hint spoke of signature checks, and Flask 3.1's TRUSTED_HOSTS
(400, "Host '...' is not trusted."), and Pyramid's require_csrf (400, "Bad CSRF Origin",
"Bad CSRF token")."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from tests.support import APP_URL, BLANK_VALUES_SIGNED, CALLEE, CALLER_ID
from twimlsim import SimulationError, Simulator

#: Laravel's 419 error view (resources/views/errors/419.blade.php on the minimal layout).
LARAVEL_419 = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>Page Expired</title>\n</head>\n<body>\n'
    '<div class="px-4 text-lg">419</div>\n<div class="ml-4 text-lg uppercase">Page Expired'
    "</div>\n</body>\n</html>\n"
)
#: Rails' public/422.html, what a production app answers for InvalidAuthenticityToken.
RAILS_422_PAGE = (
    "<!DOCTYPE html>\n<html>\n<head>\n<title>The change you wanted was rejected (422)</title>"
    '\n</head>\n<body>\n<div class="dialog">\n<h1>The change you wanted was rejected.</h1>\n'
    "<p>Maybe you tried to change something you didn't have access to.</p>\n</div>\n</body>"
    "\n</html>\n"
)
#: The start of Rails' development-mode exception page.
RAILS_DEBUG = (
    "<!DOCTYPE html>\n<html>\n<head>\n<title>Action Controller: Exception caught</title>\n"
    "</head>\n<body>\n<header>\n<h1>ActionController::InvalidAuthenticityToken</h1>\n"
    "</header>\n<main><h2>Can't verify CSRF token authenticity.</h2></main>\n</body>\n</html>"
)

#: Rails 7's page for a Host that config.hosts does not list (development mode).
RAILS_BLOCKED_HOST = (
    "<!DOCTYPE html>\n<html>\n<head>\n<title>Action Dispatch: Blocked hosts</title>\n</head>"
    "\n<body>\n<header>\n<h1>Blocked hosts: app.test</h1>\n</header>\n<main>\n<h2>To allow "
    "requests to these hosts, make sure they are valid hostnames (containing only numbers, "
    "letters, dashes and dots), then add the following to your environment configuration:"
    '</h2>\n<pre>config.hosts &lt;&lt; "app.test"</pre>\n</main>\n</body>\n</html>\n'
)

#: Pyramid's plain-text 400 for BadCSRFOrigin (an https request without Origin or Referer).
PYRAMID_ORIGIN = (
    "400 Bad Request\n\nBad CSRF Origin. Access is denied. This server can not verify that "
    "the origin or referrer of your request matches the current site. Either your browser "
    "supplied the wrong Origin or Referrer or it did not supply one at all.\n\n\nOrigin "
    "checking failed - missing Origin or Referer.\n\n"
)
#: Pyramid's plain-text 400 for BadCSRFToken (a request without the token), its start.
PYRAMID_TOKEN = (
    "400 Bad Request\n\nBad CSRF token received. Access is denied. This server can not "
    "verify that your cross-site request forgery token belongs to your login session.\n\n\n"
    "check_csrf_token(): Invalid token\n\n"
)
PYRAMID_FIX = (
    "; hint: Pyramid's CSRF check (require_csrf, set by config.set_default_csrf_options) "
    "refused the webhook (Twilio sends no CSRF token, Origin or Referer): turn it off for "
    "the webhook views, require_csrf=False in their @view_config (or config.add_view), and "
    "check X-Twilio-Signature instead"
)

RAILS_FIX = (
    "(protect_from_forgery) refused the webhook: Twilio sends no authenticity token. In the "
    "webhook's controller, skip_forgery_protection (or skip_before_action "
    ":verify_authenticity_token), and check X-Twilio-Signature instead (twilio-ruby's "
    "Rack::TwilioWebhookAuthentication middleware)"
)
END = (
    "; twimlsim then played Twilio's application-error message and hung up, as Twilio does "
    "[https://www.twilio.com/docs/errors/11200]"
)

App = Callable[[dict[str, object], Callable[..., object]], Iterable[bytes]]


def answering(status: str, body: str) -> App:
    def app(environ: dict[str, object], start_response: Callable[..., object]) -> list[bytes]:
        start_response(status, [("Content-Type", "text/html; charset=UTF-8")])
        return [body.encode()]

    return app


@pytest.mark.parametrize(
    ("status", "body", "path", "message"),
    [
        (
            "419 unknown status",
            LARAVEL_419,
            "/twilio/voice",
            "the app answered HTTP 419 to POST; its body: 'Page Expired 419 Page Expired'; "
            "hint: Laravel's CSRF protection (419 Page Expired) refused the webhook: Twilio "
            "sends no CSRF token. Exclude the webhook routes from it: in Laravel 11 and "
            "later, in bootstrap/app.php, ->withMiddleware(fn (Middleware $middleware) => "
            "$middleware->validateCsrfTokens(except: ['twilio/voice'])); before, protected "
            "$except = ['twilio/voice'] in app/Http/Middleware/VerifyCsrfToken.php (a pattern "
            "such as 'twilio/*' covers a prefix). Then check X-Twilio-Signature instead "
            "(twilio/sdk's RequestValidator)",
        ),
        (
            "422 Unprocessable Entity",
            RAILS_DEBUG,
            "/voice",
            'the app answered HTTP 422 to POST; its body: "Action Controller: Exception '
            "caught ActionController::InvalidAuthenticityToken Can't verify CSRF token "
            f"authenticity.\"; hint: Rails' CSRF protection {RAILS_FIX}",
        ),
        (
            "422 Unprocessable Entity",
            RAILS_422_PAGE,
            "/voice",
            'the app answered HTTP 422 to POST; its body: "The change you wanted was rejected '
            "(422) The change you wanted was rejected. Maybe you tried to change something "
            "you didn't have access to.\"; hint: Rails answers this page for a 422, most "
            f"often because its CSRF protection {RAILS_FIX}",
        ),
        (
            "403 Forbidden",
            RAILS_BLOCKED_HOST,
            "/voice",
            "the app answered HTTP 403 to POST; its body: 'Action Dispatch: Blocked hosts "
            "Blocked hosts: app.test To allow requests to these hosts, make sure they are "
            "valid hostnames (containing only numbers, letters, dashes and dots), then add the "
            'following to your environment configuration: config.hosts << "app.test"\'; hint: '
            "Rails' host authorization (config.hosts, on in development) refused the Host "
            'app.test: add config.hosts << "app.test" to config/environments/development.rb '
            '(a tunnel\'s every address: config.hosts << ".ngrok.app")',
        ),
        (
            # Sinatra 4.1's rack-protection HostAuthorization, in development
            "403 Forbidden",
            "Host not permitted",
            "/voice",
            "the app answered HTTP 403 to POST; its body: 'Host not permitted'; hint: "
            "Sinatra's host authorization (rack-protection's HostAuthorization, on in "
            "development since Sinatra 4.1) refused the Host app.test: permit it, set "
            ":host_authorization, { permitted_hosts: ['app.test', 'localhost'] } (a tunnel's "
            "every address: '.ngrok.app'), or run the app with APP_ENV=production, where "
            "every Host is permitted",
        ),
        (
            # Vite's dev server (server.allowedHosts), under a SvelteKit or Nuxt server route
            "403 Forbidden",
            'Blocked request. This host ("app.test") is not allowed.\nTo allow this host, '
            'add "app.test" to `server.allowedHosts` in vite.config.js.',
            "/voice",
            "the app answered HTTP 403 to POST; its body: 'Blocked request. This host "
            '("app.test") is not allowed. To allow this host, add "app.test" to '
            "`server.allowedHosts` in vite.config.js.'; hint: Vite's dev server (under "
            "SvelteKit, Nuxt or Astro server routes) refused the Host app.test, as its page "
            "says: add 'app.test' to server.allowedHosts in vite.config (a tunnel's every "
            "address: '.ngrok.app')",
        ),
        (
            # Flask 3.1's TRUSTED_HOSTS (werkzeug's SecurityError, on Flask's HTML page)
            "400 Bad Request",
            "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad "
            "Request</h1>\n<p>Host &#39;app.test&#39; is not trusted.</p>\n",
            "/voice",
            'the app answered HTTP 400 to POST; its body: "400 Bad Request Bad Request Host '
            "'app.test' is not trusted.\"; hint: Flask's TRUSTED_HOSTS (Flask 3.1 and later) "
            "does not list the Host app.test: add 'app.test' to app.config['TRUSTED_HOSTS'] "
            "(a tunnel's every address: '.ngrok.app')",
        ),
        (
            "400 Bad Request",
            PYRAMID_ORIGIN,
            "/voice",
            "the app answered HTTP 400 to POST; its body: '400 Bad Request Bad CSRF Origin. "
            "Access is denied. This server can not verify that the origin or referrer of your "
            "request matches the current site. Either your browser supplied the wrong Origin "
            "or Referrer or it did not supply one at all. Origin checking failed - missing "
            f"Origin or Referer.'{PYRAMID_FIX}",
        ),
        (
            "400 Bad Request",
            PYRAMID_TOKEN,
            "/voice",
            "the app answered HTTP 400 to POST; its body: '400 Bad Request Bad CSRF token "
            "received. Access is denied. This server can not verify that your cross-site "
            "request forgery token belongs to your login session. check_csrf_token(): "
            f"Invalid token'{PYRAMID_FIX}",
        ),
        (
            "422 Unprocessable Entity",
            "<h1>Invalid</h1>",
            "/voice",
            "the app answered HTTP 422 to POST; its body: 'Invalid'",
        ),
    ],
)
def test_a_webhook_a_csrf_check_refused_names_the_framework_and_its_exemption(
    status: str, body: str, path: str, message: str
) -> None:
    with Simulator() as sim:
        sim.route(APP_URL, answering(status, body))
        sim.number(CALLER_ID)
        url = f"{APP_URL}{path}"
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=url).sid
        with pytest.raises(SimulationError) as raised:
            sim.run()
    assert str(raised.value.failures[0]) == (
        f"call {sid}: Twilio error 11200 (HTTP retrieval failure) at {url}: {message}{END}"
    )


#: Spring Boot's error JSON, as Spring Security's CSRF refusal of a POST answers it.
SPRING_403 = (
    '{"timestamp":"2026-01-01T09:00:00.000+00:00","status":403,"error":"Forbidden","path":"/voice"}'
)


def test_a_403_spring_boot_answered_names_spring_securitys_csrf_protection() -> None:
    with Simulator() as sim:
        sim.route(APP_URL, answering("403 Forbidden", SPRING_403))
        sim.number(CALLER_ID)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        with pytest.raises(SimulationError) as raised:
            sim.run()
    assert raised.value.failures[0].message == (
        "the app answered HTTP 403 to POST; its body: "
        f"{SPRING_403!r}; hint: a 403 is most often the app's own X-Twilio-Signature check "
        "failing: give the app the simulator's auth token (sim.auth_token) and validate the "
        "URL as requested (this one, scheme and all); twimlsim signs every webhook as "
        "Twilio does. Spring Boot answered it: Spring Security's CSRF protection refuses "
        "every POST without a token, and Twilio sends none; exempt the webhook paths "
        '(http.csrf(csrf -> csrf.ignoringRequestMatchers("/voice/**"))) and check '
        "X-Twilio-Signature instead"
        f"{BLANK_VALUES_SIGNED}. A token the app read once, at import (django-twilio's "
        "@twilio_view does), stays the one it read first, whatever settings a later test "
        "gives: patch it where the app keeps it (monkeypatch.setattr("
        "'django_twilio.decorators.TWILIO_AUTH_TOKEN', sim.auth_token)); twimlsim then played "
        "Twilio's application-error message and hung up, as Twilio does"
    )
