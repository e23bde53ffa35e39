"""The WSGI app of the fake REST API: routing, authentication and Twilio's error bodies."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from twimlsim.errors import TwilioApiError

from . import calls
from .render import error_response, not_found

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from twimlsim.engine.engine import Engine
    from twimlsim.model.store import Account, AccountStore

__all__ = ["RestApi"]

_PREFIX = "/2010-04-01/Accounts/<account_sid>"
_ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")

View = Callable[["Context", dict[str, str]], Response]

_ROUTES = Map(
    [
        Rule(f"{_PREFIX}/Calls.json", methods=["POST"], endpoint="calls.create"),
        Rule(f"{_PREFIX}/Calls/<call_sid>.json", methods=["GET"], endpoint="calls.fetch"),
    ],
    strict_slashes=False,
)

_VIEWS: dict[str, View] = {
    "calls.create": calls.create,
    "calls.fetch": calls.fetch,
}


class Context:
    """What a view needs: the request, the authenticated account, the engine."""

    def __init__(self, request: Request, account: Account, engine: Engine) -> None:
        self.request = request
        self.account = account
        self.engine = engine


class RestApi:
    """Twilio's REST API (2010-04-01) for the simulated accounts, as a WSGI app."""

    def __init__(
        self, store: AccountStore, engine: Engine, *, accept_any_credentials: bool = False
    ) -> None:
        self.store = store
        self.engine = engine
        #: Open an account for any well-formed AccountSid and token on first use, so that a
        #: suite written against real credentials runs unchanged (``pytest --twimlsim``).
        self.accept_any_credentials = accept_any_credentials

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        response = self.handle(request)
        return response(environ, start_response)

    def handle(self, request: Request) -> Response:
        """Answer one request; every failure is Twilio's JSON error, never a 500 page."""
        try:
            return self._dispatch(request)
        except TwilioApiError as error:
            return error_response(error)

    def _dispatch(self, request: Request) -> Response:
        urls = _ROUTES.bind_to_environ(request.environ)
        try:
            endpoint, args = urls.match()
        except NotFound:
            raise not_found(request.path) from None
        except MethodNotAllowed:
            raise TwilioApiError(
                405, 20004, f"Method {request.method} not allowed on {request.path}"
            ) from None
        account = self._authenticate(request, args["account_sid"])
        return _VIEWS[str(endpoint)](Context(request, account, self.engine), dict(args))

    def _authenticate(self, request: Request, account_sid: str) -> Account:
        username, password = _basic_credentials(request)
        account = self.store.accounts.get(username or "")
        if account is None and self.accept_any_credentials and _ACCOUNT_SID.match(username or ""):
            account = self.store.adopt_account(username or "", password or "")
        if account is None or password != account.auth_token:
            raise TwilioApiError(401, 20003, "Authenticate")
        if account_sid != account.sid:
            raise not_found(request.path)
        return account


def _basic_credentials(request: Request) -> tuple[str | None, str | None]:
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    username, _, password = decoded.partition(":")
    return username, password
