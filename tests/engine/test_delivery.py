"""Webhook delivery as Twilio does it: GET query strings, redirects, cookies, fallback,
application errors; status callbacks never change the flow."""

from __future__ import annotations

import re
import uuid

import pytest
from twilio.request_validator import RequestValidator

from fixtures.twiml_app import Handler
from tests.engine.helpers import base, get_url, in_wire_order, log, place, response, simulator
from tests.support import APP_URL, CALLEE
from twimlsim.engine.interpreter import APPLICATION_ERROR_MESSAGE
from twimlsim.engine.webhooks import form_encode


def test_get_webhook_puts_parameters_in_the_query_string() -> None:
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, app):
        call = place(sim, method="GET")
        sim.run()
    voice = call.requests[0]
    assert (voice.method, voice.body) == ("GET", b"")
    assert voice.url == get_url(f"{APP_URL}/voice", base(sim, call, "in-progress"))
    assert app.seen[0] == ("GET", "/voice", base(sim, call, "in-progress"))


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_default_action_of_a_get_document_is_its_url_without_twilios_query(method: str) -> None:
    def voice(form: dict[str, str]) -> str:
        return response("<Say>Done</Say>" if "Digits" in form else f'<Gather method="{method}"/>')

    with simulator({"/voice": voice}) as (sim, app):
        sim.phone(CALLEE).presses("7#")
        call = place(sim, method="GET")
        sim.run()
    voice_request, action = call.requests
    assert voice_request.url == get_url(f"{APP_URL}/voice", base(sim, call, "in-progress"))
    expected = dict(base(sim, call, "in-progress"), msg="Gather End", Digits="7")
    expected["FinishedOnKey"] = "#"
    assert action.params == expected
    if method == "GET":  # the previous request's parameters are not repeated
        assert action.url == get_url(f"{APP_URL}/voice", expected)
    else:
        body = form_encode(in_wire_order(expected))
        assert (action.url, action.body.decode()) == (f"{APP_URL}/voice", body)
    assert app.seen[1] == (method, "/voice", expected)
    assert call.said == ["Done"]


@pytest.mark.parametrize("status", [302, 307])
def test_a_redirected_get_keeps_its_query_parameters(status: int) -> None:
    """Twilio's TwiML changelog (2024.03.11): "query parameters received at the initial URL
    will now be persisted to the redirected URL". A GET's are the call's parameters (and
    its URL's own): they follow the ``Location``'s own query, once."""

    def moved(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return status, [("Location", "/v2?step=2")], ""

    with simulator({"/voice": moved, "/v2": response("<Say>Arrived</Say>")}) as (sim, app):
        call = place(sim, url=f"{APP_URL}/voice?menu=main", method="GET")
        sim.run()
    params = base(sim, call, "in-progress")
    sent = dict(menu="main", **params)
    # the URL's own query first, then Twilio's parameters
    assert log(call) == [
        ("voice", "GET", get_url(f"{APP_URL}/voice?menu=main", params)),
        ("voice", "GET", get_url(f"{APP_URL}/v2?step=2&menu=main", params)),
    ]
    assert app.seen[1] == ("GET", "/v2", dict(step="2", **sent))
    assert call.said == ["Arrived"]


def test_a_redirect_that_repeats_the_query_is_requested_as_given() -> None:
    """A ``Location`` that already carries the query (Django's ``APPEND_SLASH``) does not
    get it a second time; a redirected POST keeps its URL's query, and its parameters
    follow in the GET's query."""

    def slash(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return 301, [("Location", "/voice/?menu=main")], ""

    def moved(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return 302, [("Location", "/v2")], ""

    routes = {"/voice": slash, "/post": moved, "/v2": response("<Say>Arrived</Say>")}
    routes["/voice/"] = response("<Redirect>/post?from=voice</Redirect>")
    with simulator(routes) as (sim, app):
        call = place(sim, url=f"{APP_URL}/voice?menu=main")
        sim.run()
    params = base(sim, call, "in-progress")
    assert log(call) == [
        ("voice", "POST", f"{APP_URL}/voice?menu=main"),
        ("voice", "GET", get_url(f"{APP_URL}/voice/?menu=main", params)),
        ("redirect", "POST", f"{APP_URL}/post?from=voice"),
        ("redirect", "GET", get_url(f"{APP_URL}/v2?from=voice", params)),
    ]
    assert [seen[:2] for seen in app.seen] == [
        ("POST", "/voice"),
        ("GET", "/voice/"),
        ("POST", "/post"),
        ("GET", "/v2"),
    ]
    assert app.seen[3][2] == {"from": "voice", **params}
    assert call.said == ["Arrived"]


def test_redirects_are_followed_and_each_hop_logged() -> None:
    def moved(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return 301, [("Location", "/v2")], ""

    def temporary(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return 307, [("Location", "/v3")], ""

    routes = {"/voice": moved, "/v2": temporary, "/v3": response("<Say>Arrived</Say>")}
    with simulator(routes) as (sim, app):
        call = place(sim)
        sim.run()
    params = base(sim, call, "in-progress")
    hops = [(r.method, r.url, r.params) for r in call.requests]
    assert hops == [
        ("POST", f"{APP_URL}/voice", params),
        ("GET", get_url(f"{APP_URL}/v2", params), params),  # 301: a GET, parameters in its query
        # 307: the same method again, the query it was sent with kept on the new URL
        ("GET", get_url(f"{APP_URL}/v3", params), {}),
    ]
    assert [seen[:2] for seen in app.seen] == [("POST", "/voice"), ("GET", "/v2"), ("GET", "/v3")]
    assert call.said == ["Arrived"]


@pytest.mark.parametrize(
    ("status", "method", "repeats"),
    [
        (301, "GET", False),
        (302, "GET", False),
        (303, "GET", False),
        (307, "POST", True),
    ],
)
def test_a_redirected_post(status: int, method: str, repeats: bool) -> None:
    def moved(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return status, [("Location", "/v2")], ""

    with simulator({"/voice": moved, "/v2": response("<Say>Arrived</Say>")}) as (sim, app):
        call = place(sim)
        sim.run()
    params = base(sim, call, "in-progress")
    # 301-303: a GET carrying the POST's parameters in its query (Twilio's TwiML changelog,
    # 2024.07.09: it "resends the Digits parameter" after a redirect)
    url = f"{APP_URL}/v2" if repeats else get_url(f"{APP_URL}/v2", params)
    assert [(r.method, r.url, r.params) for r in call.requests] == [
        ("POST", f"{APP_URL}/voice", params),
        (method, url, params),
    ]
    assert app.seen[1] == (method, "/v2", params)


def test_more_than_ten_redirects_is_11215() -> None:
    def loop(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return 302, [("Location", "/voice")], ""

    with simulator({"/voice": loop}, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert len(call.requests) == 11
    assert [f.code for f in sim.failures] == [11215]
    assert sim.failures[0].message.startswith(
        f"more than 10 redirects, each back to {APP_URL}/voice itself; Twilio stops there. "
    )
    assert call.said == [APPLICATION_ERROR_MESSAGE]


def test_a_redirect_loop_between_urls_names_the_last() -> None:
    def to_b(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return 307, [("Location", "/b")], ""

    def to_a(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return 307, [("Location", "/voice")], ""

    with simulator({"/voice": to_b, "/b": to_a}, strict=False) as (sim, _):
        place(sim)
        sim.run()
    assert [f.message for f in sim.failures] == [
        f"more than 10 redirects, last to {APP_URL}/b; Twilio stops there; twimlsim then "
        "played Twilio's application-error message and hung up, as Twilio does"
    ]


def test_a_redirect_loop_whose_query_grows_shows_its_start() -> None:
    # a login page that redirects to itself, quoting the URL it came from at each hop (in
    # ?next=, whose hint test_login_redirects.py checks): its last URL ran to kilobytes
    def to_login(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return 302, [("Location", "/login?back=" + "x" * 400)], ""

    with simulator({"/voice": to_login, "/login": to_login}, strict=False) as (sim, _):
        place(sim)
        sim.run()
    shown = f"{APP_URL}/login?back={'x' * 195}... (a query of 405 characters)"
    assert [f.message for f in sim.failures] == [
        f"more than 10 redirects, last to {shown}; Twilio stops there; twimlsim then played "
        "Twilio's application-error message and hung up, as Twilio does"
    ]
    (failure,) = sim.failures
    assert failure.url == f"{APP_URL}/login?back={'x' * 400}"  # the URL itself is whole
    assert str(failure) == (
        f"call {failure.call_sid}: Twilio error 11215 (Too many HTTP redirects) at {shown}: "
        f"{failure.message} [https://www.twilio.com/docs/errors/11215]"
    )


def test_cookies_are_kept_for_the_call() -> None:
    def first(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        headers = [("Content-Type", "text/xml"), ("Set-Cookie", "sid=abc; Path=/")]
        return 200, headers, response("<Redirect>/second</Redirect>")

    with simulator({"/voice": first, "/second": response("<Hangup/>")}) as (sim, _):
        call = place(sim)
        sim.run()
    assert "Cookie" not in call.requests[0].headers
    assert call.requests[1].headers["Cookie"] == "sid=abc"
    # an ended call keeps a jar that holds something, and lets go of its timers
    assert call.cookies.by_host == {"app.test": {"sid": "abc"}}
    assert (call.time_limit_timer, call.timers) == (None, [])


@pytest.mark.parametrize(
    "clearing",
    [
        "sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT",  # Express's res.clearCookie
        "sid=gone; Expires=Wed, 31-Dec-2025 23:59:59 GMT",  # the Netscape form, before now
        "sid=; Max-Age=-1",  # a Max-Age of 0 or less (RFC 6265)
        "sid=gone; Max-Age=0; Expires=Fri, 01 Jan 2100 00:00:00 GMT",  # Max-Age wins
        "sid=gone; max-age=x; expires=Thu, 01 Jan 1970 00:00:00 GMT",  # one unread: Expires
    ],
)
def test_a_cookie_set_to_expire_at_once_is_deleted_as_a_browser_deletes_it(clearing: str) -> None:
    """Only Max-Age=0 deleted a cookie: one cleared with an Expires in the past alone came
    back on every later request of the call, where Twilio, as a browser, drops it."""

    def second(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        headers = [("Content-Type", "text/xml"), ("Set-Cookie", clearing)]
        headers.append(("Set-Cookie", "kept=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT"))
        return 200, headers, response("<Redirect>/third</Redirect>")

    def first(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        headers = [("Content-Type", "text/xml"), ("Set-Cookie", "sid=abc; Path=/")]
        return 200, headers, response("<Redirect>/second</Redirect>")

    routes = {"/voice": first, "/second": second, "/third": response("<Hangup/>")}
    with simulator(routes) as (sim, _):
        call = place(sim)
        sim.run()
    assert [request.headers.get("Cookie") for request in call.requests] == [
        None,
        "sid=abc",
        "kept=1",
    ]


@pytest.mark.parametrize(
    ("set_cookie", "sent"),
    [
        # an attribute Python's SimpleCookie does not know made it drop the whole cookie
        ("sid=abc; Path=/; Secure; HttpOnly; SameSite=None; Partitioned", "sid=abc"),
        ("sid=abc; Priority=High", "sid=abc"),  # not a second cookie named Priority
        ('prefs={"lang":"en"}; Path=/', 'prefs={"lang":"en"}'),  # JSON, unquoted
        ("greeting=hello world", "greeting=hello world"),
        ('token="a b"', 'token="a b"'),  # the quotes are the value's, sent back
    ],
)
def test_a_cookie_is_read_as_a_browser_reads_it(set_cookie: str, sent: str) -> None:
    def first(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        headers = [("Content-Type", "text/xml"), ("Set-Cookie", set_cookie)]
        return 200, headers, response("<Redirect>/second</Redirect>")

    with simulator({"/voice": first, "/second": response("<Hangup/>")}) as (sim, _):
        call = place(sim)
        sim.run()
    assert call.requests[1].headers.get("Cookie") == sent


def test_status_callbacks_keep_their_cookies_apart_from_the_twiml_webhooks() -> None:
    """Twilio's TwiML changelog (2024.03.11): "Cookies will not be shared between TwiML
    webhook URLs and status callback URLs for a given call SID"."""

    def voice(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        headers = [("Content-Type", "text/xml"), ("Set-Cookie", "twiml=1; Path=/")]
        return 200, headers, response('<Pause length="1"/><Redirect>/second</Redirect>')

    def status(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return 204, [("Set-Cookie", f"status={form['CallStatus']}; Path=/")], ""

    routes = {"/voice": voice, "/second": response("<Hangup/>"), "/status": status}
    with simulator(routes) as (sim, _):
        call = place(
            sim,
            status_callback=f"{APP_URL}/status",
            status_callback_event=["initiated", "answered", "completed"],
        )
        sim.run()
    sent = [(r.kind, r.params.get("CallStatus"), r.headers.get("Cookie")) for r in call.requests]
    assert sent == [
        ("status", "initiated", None),
        ("status", "in-progress", "status=initiated"),
        ("voice", "in-progress", None),
        ("redirect", "in-progress", "twiml=1"),
        ("status", "completed", "status=in-progress"),
    ]


def test_an_ended_call_lets_go_of_its_timers_and_empty_jar() -> None:
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        call = place(sim)
        sim.run()
        assert call.ended and (call.time_limit_timer, call.timers) == (None, [])
        assert call._cookies is None and call.process is None and call.waiting_for is None
        assert (call.cookies.by_host, call.cookies.credentials, call.cookies.signed_in) == (
            {},
            {},
            set(),
        )


def test_fallback_that_also_fails_plays_the_application_error() -> None:
    routes = {
        "/voice": lambda form: (503, [], "down"),
        "/fallback": lambda form: (200, [("Content-Type", "text/xml")], "<Response><Say>"),
    }
    with simulator(routes, strict=False) as (sim, _):
        call = place(sim, fallback_url=f"{APP_URL}/fallback", status_callback=f"{APP_URL}/st")
        sim.run()
    assert [(r.kind, r.url) for r in call.requests] == [
        ("voice", f"{APP_URL}/voice"),
        ("fallback", f"{APP_URL}/fallback"),
        ("status", f"{APP_URL}/st"),
    ]
    assert [f.code for f in sim.failures] == [11200, 12100]
    assert call.said == [APPLICATION_ERROR_MESSAGE]
    assert (call.status, call.duration) == ("completed", 4)


def test_crash_in_an_action_goes_to_the_fallback_with_the_action_params() -> None:
    routes = {
        "/voice": response('<Gather numDigits="1" action="/act"/>'),
        "/act": lambda form: (500, [], ""),
        "/fallback": response("<Say>Recovered</Say>"),
    }
    with simulator(routes, strict=False) as (sim, _):
        sim.phone("+15558675310").presses("5")
        call = place(sim, fallback_url=f"{APP_URL}/fallback")
        sim.run()
    action, fallback = call.requests[1:3]
    expected = dict(base(sim, call, "in-progress"), msg="Gather End", Digits="5")
    expected["FinishedOnKey"] = ""
    assert (action.kind, action.url, action.params) == ("gather", f"{APP_URL}/act", expected)
    expected.update(ErrorCode="11200", ErrorUrl=f"{APP_URL}/act")
    assert (fallback.kind, fallback.method, fallback.url, fallback.params) == (
        "fallback",
        "POST",
        f"{APP_URL}/fallback",
        expected,
    )
    assert call.said == ["Recovered"]


def test_status_callback_answers_never_change_the_flow() -> None:
    routes = {
        "/voice": response("<Say>Still here</Say>"),
        "/status": response("<Say>ignored</Say><Redirect>/x</Redirect>"),
    }
    with simulator(routes) as (sim, _):
        call = place(sim, status_callback=f"{APP_URL}/status", status_callback_event=["answered"])
        sim.run()
    assert call.said == ["Still here"]
    assert [r.kind for r in call.requests] == ["status", "voice"]


#: A version 4 UUID, RFC 4122 variant.
UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


def test_text_html_twiml_and_requests_carry_signature_headers() -> None:
    def html(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return 200, [("Content-Type", "text/html; charset=utf-8")], response("<Say>Html</Say>")

    with simulator({"/voice": html}) as (sim, _):
        call = place(sim)
        sim.run()
    assert call.said == ["Html"]
    headers = dict(call.requests[0].headers)
    token = headers.pop("I-Twilio-Idempotency-Token")
    signature = headers.pop("X-Twilio-Signature")
    assert headers == {
        "User-Agent": "TwilioProxy/1.1",
        "Accept": "*/*",
        "Accept-Encoding": "gzip",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Home-Region": "us1",
    }
    assert re.fullmatch(UUID4, token)
    assert signature == RequestValidator(sim.auth_token).compute_signature(
        call.requests[0].url, call.requests[0].params
    )


def _tokens(seed: int) -> list[str]:
    with simulator({"/voice": response("<Redirect>/next</Redirect>")}, seed=seed) as (sim, _):
        call = place(sim)
        sim.run()
    return [r.headers["I-Twilio-Idempotency-Token"] for r in call.requests]


def test_idempotency_tokens_are_shaped_like_uuids_and_come_again_with_the_seed() -> None:
    first, again, other = _tokens(7), _tokens(7), _tokens(8)
    assert first == again
    assert len(set(first + other)) == len(first + other) == 2 * len(first) > 2
    for token in first + other:
        # a random (version 4) UUID, as every captured token is: one an app parses as a
        # UUID4 (pydantic's UUID4) is accepted
        assert re.fullmatch(UUID4, token)
        assert uuid.UUID(token).version == 4


def test_each_request_has_its_own_idempotency_token_and_get_has_no_content_type() -> None:
    with simulator({"/voice": response("<Redirect>/next</Redirect>")}) as (sim, _):
        call = place(sim, method="GET")
        sim.run()
    tokens = [r.headers["I-Twilio-Idempotency-Token"] for r in call.requests]
    assert len(set(tokens)) == len(tokens) == 2
    assert sorted(call.requests[0].headers) == [
        "Accept",
        "Accept-Encoding",
        "I-Twilio-Idempotency-Token",
        "User-Agent",
        "X-Home-Region",
        "X-Twilio-Signature",
    ]


def _failing_twice() -> Handler:
    """A route answering 500 twice, then the TwiML."""
    answers = iter([500, 500])

    def route(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        status = next(answers, 200)
        body = response("<Say>Back up</Say>") if status == 200 else "down"
        return status, [("Content-Type", "text/xml" if status == 200 else "text/plain")], body

    return route


@pytest.mark.parametrize(
    ("fragment", "statuses", "said"),
    [
        ("#rc=2&rp=5xx", [500, 500, 200], "Back up"),
        ("#rc=5&rp=4xx,5xx", [500, 500, 200], "Back up"),
        ("#rc=9&rp=all", [500, 500, 200], "Back up"),  # at most 5 retries
        ("#rp=5xx", [500, 500], APPLICATION_ERROR_MESSAGE),  # rc defaults to 1
        ("#rc=3&rp=4xx", [500], APPLICATION_ERROR_MESSAGE),
        ("#rc=3&rp=ct,rt", [500], APPLICATION_ERROR_MESSAGE),  # timeouts only
        ("#rc=0&rp=5xx", [500], APPLICATION_ERROR_MESSAGE),
        ("", [500], APPLICATION_ERROR_MESSAGE),
    ],
)
def test_connection_overrides_send_a_failed_webhook_again(
    fragment: str, statuses: list[int], said: str
) -> None:
    """Twilio's webhook connection overrides: ``rc`` retries on the answers ``rp`` names,
    each retry the same request, with the same ``I-Twilio-Idempotency-Token``, to the URL
    without its fragment."""
    with simulator({"/voice": _failing_twice()}, strict=False) as (sim, app):
        call = place(sim, url=f"{APP_URL}/voice{fragment}")
        sim.run()
    voice = [r for r in call.requests if r.kind == "voice"]
    assert [r.response.status for r in voice] == statuses
    assert {r.url for r in voice} == {f"{APP_URL}/voice"}
    assert len({r.headers["I-Twilio-Idempotency-Token"] for r in voice}) == 1
    assert all(r.params == base(sim, call, "in-progress") for r in voice)
    assert [seen[:2] for seen in app.seen[: len(statuses)]] == [("POST", "/voice")] * len(statuses)
    assert call.said == [said]
    assert [f.code for f in sim.failures] == ([] if said == "Back up" else [11200])


@pytest.mark.parametrize(
    ("fragment", "policy", "names"),
    [
        ("#rc=2&rp=500", "'500'", "'500'"),
        ("#rp=5xx,retry", "'5xx,retry'", "'retry'"),
        ("#rc=1&rp=5xx,", "'5xx,'", "an empty name"),
        ("#rp=", "''", "an empty name"),
    ],
)
def test_a_retry_policy_twilio_does_not_know_is_11243(
    fragment: str, policy: str, names: str
) -> None:
    """Twilio's 11243 ("HTTP retry policy is invalid": "One or more retry policies
    specified in the 'rp' parameter of your connection settings are invalid"): the webhook
    fails without a request and the call goes on to its FallbackUrl (an unknown policy was
    ignored: the URL was requested, without retries)."""
    routes = {"/voice": response("<Say>Hi</Say>"), "/fallback": response("<Say>Fallback</Say>")}
    with simulator(routes, strict=False) as (sim, app):
        call = place(sim, url=f"{APP_URL}/voice{fragment}", fallback_url=f"{APP_URL}/fallback")
        sim.run()
    assert [(r.kind, r.url) for r in call.requests] == [("fallback", f"{APP_URL}/fallback")]
    expected = base(sim, call, "in-progress")
    expected.update(ErrorCode="11243", ErrorUrl=f"{APP_URL}/voice{fragment}")
    assert call.requests[0].params == expected
    assert [seen[:2] for seen in app.seen] == [("POST", "/fallback")]
    assert call.said == ["Fallback"]
    (failure,) = sim.failures
    assert (failure.code, failure.url, failure.level) == (11243, f"{APP_URL}/voice", "error")
    assert failure.message == (
        f"the URL's connection override rp={policy} names {names}, which is no retry policy "
        "(Twilio's are 4xx, 5xx, ct, rt, all, separated by commas); Twilio fails the webhook "
        "with 11243, so twimlsim sent no request. Correct rp in the URL's fragment, e.g. "
        f"#rc=2&rp=5xx; twimlsim then requested the FallbackUrl {APP_URL}/fallback"
    )


@pytest.mark.parametrize("fragment", ["#rc=2&rp=5XX", "#rp=ct,rt", "#rp=4xx,5xx,all", "#rc=3"])
def test_a_retry_policy_twilio_knows_is_requested(fragment: str) -> None:
    """Every name of Twilio's retry policies, in any case, and ``rc`` without ``rp``: the
    URL is requested as for any webhook."""
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        call = place(sim, url=f"{APP_URL}/voice{fragment}")
        sim.run()
    assert [(r.kind, r.url) for r in call.requests] == [("voice", f"{APP_URL}/voice")]
    assert call.said == ["Hi"]


@pytest.mark.parametrize("status", [308, 300, 304])
def test_a_3xx_twilio_does_not_follow_is_11216(status: int) -> None:
    """Twilio's 11216 page: "Twilio will only follow redirects for status codes 301, 302,
    303, and 307"; another 3xx is that error (Flask answers 308 for a route written with a
    trailing slash requested without it)."""

    def moved(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return status, [("Location", "/voice/")], ""

    with simulator({"/voice": moved, "/voice/": response("<Say>Hi</Say>")}, strict=False) as (
        sim,
        _,
    ):
        call = place(sim)
        sim.run()
    assert [(r.method, r.url) for r in call.requests] == [("POST", f"{APP_URL}/voice")]
    flask = (
        " (Flask answers 308 when a route written with a trailing slash is requested without "
        "it: write the webhook URL with the slash)"
    )
    assert [(f.code, f.url, f.message) for f in sim.failures] == [
        (
            11216,
            f"{APP_URL}/voice",
            f"the app answered HTTP {status} to POST, to {APP_URL}/voice/: Twilio follows "
            "only 301, 302, 303 and 307 redirects; answer 307 to have it repeat the request "
            "there, 303 for a GET, or the TwiML itself"
            + (flask if status == 308 else "")
            + "; twimlsim then played Twilio's application-error message and hung up, as "
            "Twilio does",
        )
    ]
    assert call.said == [APPLICATION_ERROR_MESSAGE]


def test_a_gather_action_redirected_resends_the_digits() -> None:
    """Twilio's TwiML changelog (2024.07.09): "If a <Gather> action URL responds with an
    HTTP 3xx redirect, Twilio follows this redirect and resends the Digits parameter"."""

    def moved(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return 302, [("Location", "/menu")], ""

    routes = {
        "/voice": response('<Gather action="/chosen" numDigits="1"/>'),
        "/chosen": moved,
        "/menu": response("<Say>Sales</Say>"),
    }
    with simulator(routes) as (sim, app):
        sim.phone(CALLEE).presses("2")
        call = place(sim)
        sim.run()
    chosen = base(sim, call, "in-progress")
    chosen.update(msg="Gather End", Digits="2", FinishedOnKey="")
    assert log(call)[1:] == [
        ("gather", "POST", f"{APP_URL}/chosen"),
        ("gather", "GET", get_url(f"{APP_URL}/menu", chosen)),
    ]
    assert app.seen[2] == ("GET", "/menu", chosen)
    assert call.said == ["Sales"]
