"""A webhook the app sent to its login page (Django's LoginRequiredMiddleware or
@login_required, Flask-Login's @login_required: a redirect with ?next=) says so."""

from __future__ import annotations

from tests.engine.helpers import place, simulator
from tests.support import APP_URL

LOGIN = (
    "; the webhook was redirected to a login page (?next=): Twilio never signs in, so leave "
    "the webhook views out of the login requirement (Django 5.1's LoginRequiredMiddleware: "
    "@login_not_required, on a class-based view @method_decorator(login_not_required, "
    "name='dispatch'); LoginRequiredMixin, @login_required, Flask-Login's @login_required: "
    "not on the webhook views) and check X-Twilio-Signature there instead"
)
THEN = "; twimlsim then played Twilio's application-error message and hung up, as Twilio does"


def to_login(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
    return 302, [("Location", "/accounts/login/?next=/voice")], ""


def test_a_webhook_answered_with_the_login_page_says_so() -> None:
    def login_page(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        page = "<html><head><title>Log in</title></head><body><form></form></body></html>"
        return 200, [("Content-Type", "text/html; charset=utf-8")], page

    routes = {"/voice": to_login, "/accounts/login/": login_page}
    with simulator(routes, strict=False) as (sim, _):
        place(sim)
        sim.run()
    (failure,) = sim.failures
    assert (failure.code, failure.url) == (12102, f"{APP_URL}/accounts/login/?next=/voice")
    assert failure.message == (
        "The root element must be <Response>, not <html>; the answer is an HTML page ('Log "
        "in'), not TwiML: check that the URL reaches the view that answers TwiML "
        f"(a login redirect or an error page answers HTML){LOGIN}{THEN}"
    )


def test_a_login_page_that_needs_login_itself_says_so_too() -> None:
    def login_again(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return 302, [("Location", "/accounts/login/?next=/accounts/login/")], ""

    routes = {"/voice": to_login, "/accounts/login/": login_again}
    with simulator(routes, strict=False) as (sim, _):
        place(sim)
        sim.run()
    assert [f.message for f in sim.failures] == [
        f"more than 10 redirects, last to {APP_URL}/accounts/login/?next=/accounts/login/; "
        f"Twilio stops there{LOGIN}{THEN}"
    ]


def test_a_login_url_the_app_has_no_route_for_is_named_the_same() -> None:
    # LoginRequiredMixin on the view, and no login route (settings.LOGIN_URL's default)
    def not_found(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return 404, [("Content-Type", "text/html")], "<h1>Not Found</h1>"

    routes = {"/voice": to_login, "/accounts/login/": not_found}
    with simulator(routes, strict=False) as (sim, _):
        place(sim)
        sim.run()
    (failure,) = sim.failures
    assert (failure.code, failure.url) == (11200, f"{APP_URL}/accounts/login/?next=/voice")
    assert failure.message == (
        f"the app answered HTTP 404 to GET; it was redirected there: POST {APP_URL}/voice "
        "answered 302 (Twilio follows a 301, 302 or 303 with a GET, the call's parameters in "
        f"its query string); its body: 'Not Found'; hint: {LOGIN.removeprefix('; ')}{THEN}"
    )


def test_a_url_of_the_apps_own_with_next_elsewhere_in_its_query_is_no_login() -> None:
    from twimlsim.engine.login_hints import login_redirect_hint

    assert login_redirect_hint(f"{APP_URL}/voice?step=next=1") == ""
    assert login_redirect_hint(None) == ""
    assert login_redirect_hint(f"{APP_URL}/login?a=1&next=%2Fvoice") == LOGIN
