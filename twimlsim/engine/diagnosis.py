"""Why the app answered a webhook with an error: its body, its exception, and a hint.

A bare "HTTP 403" tells a developer little. A failed webhook's message adds the body the
app sent (trimmed, HTML tags removed), the exception behind it when the app logged or
raised one (or the exception of the traceback a framework's debug mode answered with),
and a hint for the usual framework causes: a CSRF check (Django's, Flask-WTF's,
Litestar's, Rails', Laravel's: ``csrf_hints``), Django's ``ALLOWED_HOSTS``, Django REST
framework's permission classes, a Flask view reading a form key Twilio does not send, a
body read as JSON, FastAPI's 422 for parameters it cannot bind, a wrong method or path,
Django's ASGI handler outside the test's database transaction, an object made on another
event loop than the webhook's (an async engine's pooled connection), Litestar's 500
outside its debug mode (which logs nothing), an app over HTTP whose request to the real
Twilio API failed to connect (``real_api_hints``).
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from twimlsim.arguments import raised_text

from . import routed
from .app_exceptions import OTHER_EVENT_LOOP, is_sqlite_lock, made_on_another_loop
from .csrf_hints import csrf_hint, spring_security_note
from .form_hints import (
    blank_values_signed,
    form_read_before_the_endpoint,
    form_refused,
    unprocessable_hint,
)
from .refusal_hints import UNAUTHORIZED, auth_hint, rate_limit_hint
from .signing_hints import django_middleware_hint, sanic_scheme_hint, signing_account_hint
from .webhooks import WebhookRequest, WebhookResponse

if TYPE_CHECKING:
    from twimlsim.model.store import AccountStore

    from .fetch import FetchResult

__all__ = [
    "BODY_LIMIT",
    "LITESTAR_DEBUG_IN_TESTS",
    "TOKEN_READ_AT_IMPORT",
    "explain",
    "explain_result",
    "made_on_another_loop",
    "root_relative_hint",
]

#: Characters of the app's body quoted in a failure.
BODY_LIMIT = 300

#: Ends the 403 hint of an app run in process (a test's: ``twimlsim call`` leaves it out).
TOKEN_READ_AT_IMPORT = (
    ". A token the app read once, at import (django-twilio's @twilio_view does), stays the "
    "one it read first, whatever settings a later test gives: patch it where the app keeps "
    "it (monkeypatch.setattr('django_twilio.decorators.TWILIO_AUTH_TOKEN', sim.auth_token))"
)

#: Node's TypeError for a property read on an undefined body: reading 'From' of req.body.
#: Express's error page escapes the quotes (&#39;).
_UNDEFINED_BODY = re.compile(
    r"Cannot read propert(?:y|ies) of undefined \(reading (?:'|&#39;|&#x27;)[A-Z]\w*"
)
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]+>", re.DOTALL | re.IGNORECASE)
_SPACE = re.compile(r"\s+")
#: A path segment that is a host name (www.example.com, example.org), not a file name.
_HOST_LIKE = re.compile(r"(?i)www\.[a-z0-9.-]+|[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|net|org|io|app|dev)")


def _trimmed(response: WebhookResponse) -> str:
    text = response.text
    if "html" in (response.content_type or "").lower() or text.lstrip().startswith("<!"):
        text = html.unescape(_TAG.sub(" ", text))
    text = _SPACE.sub(" ", text).strip()
    if len(text) > BODY_LIMIT:
        text = text[: BODY_LIMIT - 3].rstrip() + "..."
    return text


#: Where a Python traceback starts, in a body a framework's debug mode answers a 500 with.
_TRACEBACK_START = "Traceback (most recent call last):"
#: A traceback's frame line: ``  File "/app/views.py", line 42, in reminder``.
_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<function>\S+)')
#: How a test gives a Litestar app its debug mode (``twimlsim call --app`` says otherwise).
LITESTAR_DEBUG_IN_TESTS = (
    "give the routed app debug=True in the test (app.debug = True, or Litestar(..., debug=True))"
)
#: The body Litestar answers an exception in a handler with, outside its debug mode.
_LITESTAR_500 = '{"status_code":500,"detail":"Internal Server Error"}'


def _traceback_in(text: str) -> str | None:
    """What the plain-text Python traceback a body holds says: its exception line and the
    innermost frame (``KeyError: 1, raised in reminder (/app/views.py, line 42)``), as a
    framework's debug mode answers a 500 (Litestar's ``debug=True``); None without one."""
    start = text.find(_TRACEBACK_START)
    if start < 0:
        return None
    lines = [line for line in text[start:].splitlines()[1:] if line.strip()]
    frames = [match for line in lines if (match := _FRAME.match(line)) is not None]
    if not frames or _FRAME.match(lines[-1]) or lines[-1].startswith((" ", "\t")):
        return None  # cut short, or not a traceback's shape: quoting the body says more
    inner = frames[-1]
    return (
        f"{lines[-1].strip()}, raised in {inner['function']} ({inner['file']}, "
        f"line {inner['line']})"
    )


#: The addition for a 401 to the request repeated with the credentials written in its URL,
#: and, in process, why an app may refuse the very credentials it wrote (its clock).
REFUSED_URL_CREDENTIALS = (
    "; this was the request repeated with the credentials written in the webhook URL "
    "(user:password@host), as Twilio repeats it after a 401 Basic challenge, and the app "
    "refused them too"
)
SIGNED_BEFORE_VIRTUAL_TIME = (
    ". A password the app signs with a timestamp it checks (itsdangerous' "
    "TimestampSigner, as Flask-Twilio does) is refused when it was signed with the wall "
    "clock, before calls first ran, and is checked in virtual time: call sim.run() once "
    "before the app builds the URL"
)

#: The 403 hint's addition for an https:// webhook sent over HTTP (through ``--tunnel``).
_BEHIND_A_TUNNEL = (
    ". Through --tunnel, as through ngrok, the app is reached over plain HTTP with the "
    "public Host and X-Forwarded-Proto: https; a check that rebuilds the URL from the "
    "request's own scheme checks http:// and fails, on Twilio behind ngrok too: have it "
    "read X-Forwarded-Proto (Express: app.set('trust proxy', true); twilio.webhook({ "
    "protocol: 'https' }); Flask: werkzeug's ProxyFix; Laravel: "
    "$middleware->trustProxies(at: '*'); Spring Boot: "
    "server.forward-headers-strategy=framework; aiohttp: request.clone(scheme="
    "request.headers.get('X-Forwarded-Proto', request.scheme)); Quart under Hypercorn: "
    "hypercorn.middleware.ProxyFixMiddleware(app, mode='legacy'); plain PHP, Go or Java: "
    "the X-Forwarded-Proto header itself) or validate the public URL itself"
)


#: The 403 hint's addition for a URL with a query string, over HTTP: Laravel's
#: ``fullUrl()`` (Symfony's ``normalizeQueryString``) sorts and re-encodes the query, and a
#: check over it fails on Twilio too.
_QUERY_REBUILT = (
    ". The URL has a query string: a check over a URL the framework rebuilt with the query "
    "sorted or re-encoded (Laravel's and Symfony's $request->fullUrl()) fails on Twilio too; "
    "validate the URL as the request line has it (Laravel: $request->getSchemeAndHttpHost() "
    ". $request->getRequestUri())"
)


#: The 403 hint's addition for an app routed with ``sim.route(..., behind_proxy=True)``.
_BEHIND_A_PROXY = (
    ". It is routed behind a proxy (behind_proxy=True): it got the webhook over plain HTTP "
    "with the public Host and X-Forwarded-Proto: https, as behind a load balancer or "
    "ngrok; a check that rebuilds the URL from the request's own scheme checks http:// and "
    "fails there too: have it read X-Forwarded-Proto (Flask: "
    "app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1), werkzeug's; Django: "
    "SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https'); an ASGI app: uvicorn's "
    "ProxyHeadersMiddleware(app, trusted_hosts='*'), --proxy-headers --forwarded-allow-ips "
    "'*') or validate the public URL itself"
)


def _hint(
    response: WebhookResponse,
    method: str,
    url: str,
    over_http: bool,
    from_twiml: bool,
    behind_proxy: bool,
    request: WebhookRequest | None = None,
    app: object = None,
) -> str | None:
    status, body = response.status, response.text
    csrf = csrf_hint(status, body, url)
    if csrf is not None:
        return csrf
    if "next=" in url:  # a login page's URL, where a login check sent the webhook?
        from .login_hints import login_redirect_hint

        login = login_redirect_hint(url)
        if login:
            return login.removeprefix("; ")
    # a request that carried the URL's credentials already has its own words (explain_result)
    sent_credentials = request is not None and "Authorization" in request.headers
    challenge = None if sent_credentials else response.header("WWW-Authenticate")
    refused = auth_hint(status, body, challenge) or rate_limit_hint(status)
    if refused is not None:
        return refused
    if status == 401 and not sent_credentials:
        return UNAUTHORIZED
    if status == 403:
        hint = (
            "a 403 is most often the app's own X-Twilio-Signature check failing: give the "
            "app the simulator's auth token (sim.auth_token) and validate the URL as requested "
            "(this one, scheme and all); twimlsim signs every webhook as Twilio does"
        )
        if method != "GET":  # CSRF protection checks no GET
            hint += spring_security_note(body)
        if method == "GET":
            # django-twilio's @twilio_view validates a GET with request.GET as the
            # parameters, which fails on Twilio too (its issue #83)
            hint += (
                ". Twilio signs a GET over its URL alone, the query string it added "
                "included: a check that also passes the query's parameters to "
                "RequestValidator.validate (django-twilio's @twilio_view passes request.GET) "
                "fails on Twilio as here; validate a GET with no parameters ({}), or configure "
                "the webhook with POST"
            )
        from .decoded_escapes import decoded_escapes_hint  # only a 403 needs it

        hint += decoded_escapes_hint(url, app)
        if over_http and url.startswith("https://"):
            # ngrok (and --tunnel) pass the request on over plain HTTP with the public Host
            # and X-Forwarded-Proto: a check rebuilding the URL from the request's own scheme
            # fails on Twilio behind ngrok too (twilio-node's issue #321)
            hint += _BEHIND_A_TUNNEL
        if over_http and urlsplit(url).query:
            hint += _QUERY_REBUILT
        if behind_proxy:
            hint += _BEHIND_A_PROXY
        if request is not None:
            hint += blank_values_signed(request)
        if over_http:
            return hint
        # django-twilio's @twilio_view reads TWILIO_AUTH_TOKEN once, when first imported:
        # override_settings around a later test changes nothing it checks with.
        return hint + TOKEN_READ_AT_IMPORT
    if status == 400 and ("DisallowedHost" in body or body.strip() == "<h1>Bad Request (400)</h1>"):
        return (
            "Django answers a bare 400 when the request's host is not in ALLOWED_HOSTS: "
            "add the host of the routed base URL (e.g. 'app.test') to ALLOWED_HOSTS"
        )
    if status == 400 and body.strip() == "Invalid host header":
        return (
            "Starlette's TrustedHostMiddleware (FastAPI's) answers this to a host not in its "
            f"allowed_hosts: add the routed host ({urlsplit(url).hostname}) to allowed_hosts"
        )
    if status == 400 and "could not understand" in body:
        if method == "GET":
            # a callback configured with GET (statusCallbackMethod="GET") read as a form: the
            # keys are there, in the query string, and request.form is empty
            return (
                "Flask answers 400 when a view reads a form key the request does not have "
                "(request.form['Key'] raises BadRequestKeyError): Twilio sent this request "
                "with GET, as the webhook's method says, and a GET carries Twilio's "
                "parameters in the query string, so request.form is empty; read them from "
                "request.values (either method) or request.args, or configure the webhook "
                "with POST"
            )
        from .conditional_params import missing_conditional_params, redirect_has_no_input

        hint = (
            "Flask answers 400 when a view reads a form key the request does not have "
            "(request.form['Key'] raises BadRequestKeyError): compare the keys the view "
            "reads with the parameters Twilio sent (sim.requests[-1].params)"
        )
        if request is None:
            return hint
        params = request.params
        return (
            hint + redirect_has_no_input(request.kind, params) + missing_conditional_params(params)
        )
    read_before = form_read_before_the_endpoint(response, request)
    if read_before is not None:
        return read_before
    if status == 422 and '"detail"' in body and '"loc":["body"],' in body:
        # the whole body failed to bind: a pydantic model (or dict) parameter, read as JSON
        return (
            "FastAPI could not read the body as the endpoint's model (422): a pydantic model "
            "(or dict) parameter takes a JSON body, and Twilio sends its parameters "
            "form-encoded; read them with Form(...) parameters (or the model as "
            "Annotated[Model, Form()], FastAPI 0.113 and later) or await request.form()"
        )
    if status == 422 and '"detail"' in body:
        return unprocessable_hint(response, request)
    if status == 415:
        return form_refused(body)
    if status >= 500 and isinstance(response.app_error, json.JSONDecodeError):
        return (
            "the app read the body as JSON (request.json(), json.loads(body)): Twilio sends "
            "its parameters form-encoded (application/x-www-form-urlencoded); read them as a "
            "form (await request.form(), Form(...) parameters, request.POST)"
        )
    if status >= 500 and _validator_without_token(response.app_error):
        return (
            "the app's X-Twilio-Signature check (twilio's RequestValidator) was given no auth "
            "token (None): the setting or environment variable the app reads it from "
            "(TWILIO_AUTH_TOKEN, say) is unset; set it to the simulator's auth token "
            "(sim.auth_token)"
        )
    if status >= 500 and is_sqlite_lock(response.app_error):
        return (
            "the webhook's database connection is not the test's, and SQLite locked a table "
            "the test's transaction wrote to: Django's ASGI handler (get_asgi_application()) "
            "runs the views in a thread of its own, with a connection of its own, outside a "
            "TestCase's (or django_db's) transaction; route get_wsgi_application() instead "
            "(the same URLs and views: Django runs async views under WSGI too)"
        )
    if status >= 500 and not over_http and made_on_another_loop(response.app_error):
        return OTHER_EVENT_LOOP
    if status >= 500 and response.app_error is not None:
        from .async_client_hints import no_running_loop_hint  # only a failure needs it

        no_loop = no_running_loop_hint(response.app_error)
        if no_loop is not None:
            return no_loop
    if status == 405:
        from .method_hints import method_not_allowed_hint  # only a failure needs it

        return method_not_allowed_hint(method, request.kind if request is not None else None)
    if status == 404:
        path = urlsplit(url).path
        if "//" in path:
            # a base URL with a trailing slash joined to a path with a leading one:
            # f"{settings.PUBLIC_URL}/voice" where PUBLIC_URL ends with '/'; sent as
            # written, a choice (Fidelity notes): Twilio does not say it merges slashes
            return (
                f"the app has no route for this path, which has an empty segment (//): "
                f"{path} is what a base URL ending in '/' joined to a path starting with "
                "'/' makes; Twilio requests the URL as written, and a router such as "
                "Starlette's (FastAPI's) does not match it: strip the trailing slash from "
                "the base URL the app builds its webhook URLs from"
            )
        if len(path) > 1 and path.endswith("/"):
            return (
                f"the app has no route for this path, and it ends with a slash: {path} and "
                f"{path.rstrip('/')} are different routes to Flask and many other routers; "
                "write the URL as the app's route is written"
            )
        last = path.rsplit("/", 1)[-1]
        if last.lower() in {"true", "false"}:
            # partialResultCallback="true" and the like, seen in public apps: Twilio takes
            # the boolean as a URL relative to the document's
            return (
                f"the app has no route for this path, which ends with {last!r}: an attribute "
                "that takes a URL (partialResultCallback, statusCallback, action...) was "
                f"given {last!r}, which Twilio resolves as a URL relative to the document's; "
                "give it the URL of the app's route"
            )
        parts = path.split("/")
        at = next((n for n, part in enumerate(parts) if _HOST_LIKE.fullmatch(part)), None)
        if at is not None:
            # recordingStatusCallback='www.myexample.com' in Twilio's own <Conference> sample:
            # without a scheme it is a relative URL, resolved against the document's
            return (
                f"the app has no route for this path, whose segment {parts[at]!r} looks like "
                "a host name: a URL written without its scheme is relative, and Twilio "
                "resolves it against the document's URL; write it with its scheme, "
                f"https://{'/'.join(parts[at:])}, or give the path of the app's route"
            )
        if path in ("", "/") and from_twiml:
            # Twilio's Forward, Simulring and Call Me Funlets write action=".?Dial=true":
            # resolved as any relative URL, from /funlet-forward that is /?Dial=true
            return (
                "the app has no route for the root path /: a relative URL such as '.' or "
                "'.?Dial=true' resolves to the directory of the document that gave it (from "
                "/forward, '.' is /), as Twilio resolves relative URLs; give the route's own "
                "path, such as 'forward?Dial=true' or '/forward?Dial=true'"
            )
        return "the app has no route for this path: check the URL against the app's routes"
    if status >= 500 and response.app_error is None and body.strip() == _LITESTAR_500:
        # Litestar logs a handler's exception only in debug mode, and to its own logger,
        # which does not propagate to the root logger twimlsim listens on
        where = (
            "run it in debug mode (Litestar(..., debug=True), or litestar run --debug)"
            if over_http
            else LITESTAR_DEBUG_IN_TESTS
        )
        return (
            "this is Litestar's answer to an exception in a handler, which it logs only in "
            f"debug mode: {where}, and its 500 then carries the traceback, which twimlsim "
            "reads"
        )
    if status >= 500 and _UNDEFINED_BODY.search(body):
        # Express leaves req.body undefined until a body parser runs; its error page says
        # which parameter the handler reached for
        return (
            "the handler read a parameter from an undefined request body (req.body): Express "
            "parses Twilio's form only with app.use(express.urlencoded({ extended: false })) "
            "(or body-parser's urlencoded()) before the routes"
        )
    if status >= 500 and response.app_error is None:
        if over_http:
            return (
                "the app runs in its own process, so twimlsim cannot see its exception: "
                "its server's log (standard error) says what failed"
            )
        return "the app logged no exception; its own log may say more"
    return None


def explain_result(
    result: FetchResult, transport: object = None, store: AccountStore | None = None
) -> str:
    """``explain`` for the final answer of ``result``, after how it was redirected there
    (``transport``: the one that delivered it, whose routed base URLs tell a mounted app;
    ``store``: the accounts, to tell whose auth token signed a webhook the app refused)."""
    assert result.response is not None
    method = result.requests[-1].method
    first = result.requests[0]
    # after a redirect turned the POST into a GET, "allow GET" would be the wrong advice
    method_changed = first.method != method
    url = result.final_url
    refused = result.response.status == 403
    app = routed.routed_app(transport, url) if refused else None
    text = explain(
        result.response,
        method,
        url,
        method_hint=not method_changed,
        mount=routed.mount_of(url, routed.routed_bases(transport)),
        over_http=routed.over_http(transport),
        api_served=routed.api_served(transport),
        # the voice URL is configured (a number's, the call's Url), never a relative one
        from_twiml=first.kind != "voice",
        behind_proxy=refused and routed.behind_proxy(transport, url),
        request=result.requests[-1],
        app=app,
    )
    if result.response.status == 404:
        text = _with_routes(text, transport, url, method)
    if result.response.status == 401 and "Authorization" in result.requests[-1].headers:
        text += REFUSED_URL_CREDENTIALS
        if not routed.over_http(transport):
            text += SIGNED_BEFORE_VIRTUAL_TIME
    if result.response.status == 403 and store is not None:
        sid = result.requests[-1].params.get("AccountSid", "")
        text += signing_account_hint(store.accounts.get(sid))
    if refused:
        text += sanic_scheme_hint(app)
        if TOKEN_READ_AT_IMPORT in text:  # the signature check's hint, not a CSRF one
            text += django_middleware_hint(app)
    if result.response.status >= 500 and result.response.app_error is not None:
        from .lifespan_hints import with_replaced_state  # only a failure needs it

        text = with_replaced_state(
            text, routed.routed_app(transport, url), result.response.app_error
        )
    status = first.response.status if first.response is not None else 0
    if len(result.requests) < 2 or not 300 <= status < 400:
        return text  # one request, or one repeated with credentials after a 401
    first_url = result.hop_urls[0]
    note = f"it was redirected there: {first.method} {first_url} answered {status}"
    if first.method == "POST" and method == "GET":
        note += (
            " (Twilio follows a 301, 302 or 303 with a GET, the call's parameters in its "
            "query string)"
        )
    if len(result.requests) == 2 and first_url.split("?")[0] + "/" == url:
        note += (
            "; the redirect only added a trailing slash, as Django's APPEND_SLASH does: "
            "write the webhook URL with the slash"
        )
    return f"{note}; {text}"


def _with_routes(text: str, transport: object, url: str, method: str) -> str:
    """A 404's ``text`` with what the app routed in process says of its routes: the paths
    that take ``method``, or, when one matches, that its view answered 404 itself."""
    if routed.mount_of(url, routed.routed_bases(transport)):
        return text  # the app sees another path, and the hint says so
    from .route_hints import matched_hint, routes_note, routes_taking  # only a 404 needs it

    routes = routes_taking(routed.routed_app(transport, url), method, urlsplit(url).path or "/")
    if routes is None:
        return text
    if routes.matched is None:
        return text + routes_note(routes, method)
    said, hint, _ = text.rpartition("; hint: ")
    return f"{said}{hint}{matched_hint(routes.matched)}" if hint else text


def _validator_without_token(error: BaseException | None) -> bool:
    """Whether ``error`` is twilio's ``RequestValidator(None)`` failing on its token."""
    if not isinstance(error, AttributeError) or "'NoneType'" not in str(error):
        return False
    traceback = error.__traceback__
    while traceback is not None and traceback.tb_next is not None:
        traceback = traceback.tb_next
    path = traceback.tb_frame.f_code.co_filename if traceback is not None else ""
    return path.replace("\\", "/").endswith("twilio/request_validator.py")


def explain(
    response: WebhookResponse,
    method: str,
    url: str = "",
    *,
    method_hint: bool = True,
    mount: str = "",
    over_http: bool = False,
    api_served: bool = True,
    from_twiml: bool = True,
    behind_proxy: bool = False,
    request: WebhookRequest | None = None,
    app: object = None,
) -> str:
    """Text to append to a failed webhook's message: the exception, the body, a hint
    (``url``, the URL that answered, tells a path's trailing slash; ``method_hint=False``
    leaves out the advice on a 405; ``mount``, the base URL with a path the app is routed
    at, explains a 404 of an app whose own routes carry that path; ``over_http``: the app
    runs in another process, its exceptions unseen; ``api_served=False``: it has no simulated
    REST API to reach (``twimlsim call``); ``from_twiml=False``: the URL was
    configured, on a number or a call, never resolved from a document's relative URL;
    ``behind_proxy``: the app is routed behind a proxy, which a 403's hint names;
    ``request``: the request answered, whose empty parameters a 403's hint names; ``app``:
    the app routed in process, whose framework a 403's hint on escapes names)."""
    parts: list[str] = []
    error = response.app_error
    traceback = _traceback_in(response.text) if error is None and response.status >= 500 else None
    if error is not None:
        parts.append(f"it raised {raised_text(error)}")
    if traceback is not None:
        parts.append(f"its body is the traceback of {traceback}")
        hint = None
    else:
        body = _trimmed(response)
        parts.append(f"its body: {body!r}" if body else "its body is empty")
        hint = (
            _hint(response, method, url, over_http, from_twiml, behind_proxy, request, app)
            if method_hint or response.status != 405
            else None
        )
    if response.status >= 500 and over_http:
        from .real_api_hints import real_api_hint

        hint = real_api_hint(response.text, api_served=api_served) or hint
    if response.status == 404 and mount:
        prefix = urlsplit(mount).path.rstrip("/")
        seen = urlsplit(url).path[len(prefix) :] or "/"
        root = f"{urlsplit(mount).scheme}://{urlsplit(mount).netloc}"
        hint = (
            f"the app is routed at {mount}, so it sees the path {seen} (SCRIPT_NAME "
            f"{prefix}), as a mounted WSGI app does; if its own routes start with {prefix}, "
            f"route the host alone: sim.route({root!r}, app)"
        )
    if hint is not None:
        parts.append(f"hint: {hint}")
    return "; ".join(parts)


def root_relative_hint(written: str, document_url: str) -> str | None:
    """For a 404 of a URL the TwiML wrote from the host's root (``/voice/next``) in a
    document served below another path (``/api/voice/start``): the app's routes are most
    likely mounted under a prefix (a FastAPI router's, a Flask blueprint's) that the
    written URL leaves out. None when the URL is not written so, or the document's path
    starts as it does (or sits at the root, where the two resolve alike)."""
    if not written.startswith("/") or written.startswith("//"):
        return None
    path = urlsplit(written).path
    document = urlsplit(document_url).path or "/"
    first = path.strip("/").split("/", 1)[0]
    if posixpath.dirname(document) == "/" or document.startswith(f"/{first}/"):
        return None  # written from the document's own directory, or the same top path
    hint = (
        f"the TwiML wrote {written!r}, which starts with '/': Twilio resolves it from the "
        f"host's root, not below the path of the document that wrote it ({document})"
    )
    at = document.find(f"/{first}/")
    if at <= 0:
        return hint + "; if the app's routes sit under a prefix, write the URL with it"
    prefix = document[:at]
    relative = posixpath.relpath(path, posixpath.dirname(document[at:]))
    return (
        f"{hint}; the app's routes look mounted under {prefix} (a router's or blueprint's "
        f"prefix): write {prefix + written!r}, or {relative!r} relative to the document"
    )
