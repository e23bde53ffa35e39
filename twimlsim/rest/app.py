"""The WSGI app of the fake REST API: hosts, routing, authentication and Twilio's errors.

Order of checks for a request (Twilio's is unknown; goalert's mocktwilio checks the
method first): host, route (a wrong method is 405/20004), credentials (401/20003),
the account in the path (20404 unless it is the caller's own or one of its subaccounts),
what test credentials and API keys may reach (403/20008, 401/20003), then the view.
Any unexpected exception becomes Twilio's 20500 body and is kept in ``internal_errors``:
no input gets an HTML 500 page.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request, Response

from twimlsim.errors import TwilioApiError
from twimlsim.model.api_log import ApiRequest, BodyPacker
from twimlsim.transports.bodies import AnswerBody
from twimlsim.transports.left_behind import note_request
from twimlsim.transports.wsgi import build_environ, run_app

from . import calls
from .adoption import adopt
from .audio import MediaResponse
from .guard import whole_form
from .log import ENDPOINT_KEY, entry, log_entry, varying_values
from .lookup_routes import LookupRoute, lookup_route
from .params import parse_form
from .render import CHALLENGE, error_response, internal_error, not_found
from .request_parts import (
    FORM_TYPE,
    GET_WITH_BODY,
    NOT_ALLOWED,
    NOT_FOUND,
    STUB_ADVICE,
    STUB_HINT,
    basic_credentials,
    check_host,
    form_authorization,
    has_body,
    json_form,
    route,
)
from .routes import PLACEHOLDER_SID, PUBLIC_ENDPOINTS, bound_routes, unimplemented

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from twimlsim.engine.engine import Engine
    from twimlsim.model.store import Account, AccountStore

__all__ = ["STUB_ADVICE", "STUB_HINT", "Context", "Principal", "RestApi"]

_PLACEHOLDER_SID = re.compile(rf"^{PLACEHOLDER_SID}$")
#: A call create as the twilio client sends it, answered without werkzeug (``_create``).
_CALLS_CREATE = re.compile(
    r"https://api\.twilio\.com(/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Calls\.json)"
)
_log = logging.getLogger("twimlsim.rest")

View = Callable[["Context", dict[str, str]], Response]

#: Twilio's documentation demo host, whose quickstart document twimlsim has built in.
_DEMO_HOST = "demo.twilio.com"


def _demo_document(request: Request) -> Response | None:
    """The quickstart's document (or the clip it plays), built in for calls, when the app
    fetches it itself: with any method a call could fetch it with, as on Twilio's site."""
    if request.method not in ("GET", "HEAD", "POST") or request.host.lower() != _DEMO_HOST:
        return None
    from twimlsim.engine.hosted import demo_document

    built_in = demo_document(request.path)
    if built_in is None:
        return None
    content_type, body = built_in
    return Response(body, 200, content_type=content_type)


@functools.cache
def _views() -> dict[str, View]:
    """Each endpoint's view. Built, and the resource modules other than calls imported, when
    a request other than a call create first needs one, as the route tables are: a run that
    only places calls never imports them."""
    from . import (
        accounts,
        applications,
        available_numbers,
        call_events,
        call_recordings,
        call_transcriptions,
        conference_list,
        conference_recordings,
        conferences,
        lookups,
        messages,
        notifications,
        numbers,
        payments,
        queues,
        recordings,
        sip_domains,
        siprec,
        streams,
        transcriptions,
        user_defined_messages,
        validation_requests,
    )

    return {
        "accounts.list": accounts.list_accounts,
        "accounts.create": accounts.create_account,
        "accounts.fetch": accounts.fetch_account,
        "accounts.update": accounts.update_account,
        "keys.list": accounts.list_keys,
        "keys.create": accounts.create_key,
        "keys.fetch": accounts.fetch_key,
        "keys.update": accounts.update_key,
        "keys.delete": accounts.delete_key,
        "sip_domains.list": sip_domains.list_sip_domains,
        "sip_domains.fetch": sip_domains.fetch_sip_domain,
        "applications.list": applications.list_applications,
        "applications.create": applications.create_application,
        "applications.fetch": applications.fetch_application,
        "applications.update": applications.update_application,
        "applications.delete": applications.delete_application,
        "calls.list": calls.list_calls,
        "calls.create": calls.create,
        "calls.fetch": calls.fetch,
        "calls.update": calls.update,
        "calls.delete": calls.delete,
        "call_events.list": call_events.list_events,
        "notifications.list": notifications.list_notifications,
        "notifications.list_for_call": notifications.list_for_call,
        "notifications.fetch": notifications.fetch,
        "notifications.fetch_for_call": notifications.fetch_for_call,
        "call_recordings.start": call_recordings.start,
        "call_recordings.update": call_recordings.update,
        "call_recordings.current": call_recordings.update_current,
        "user_defined_messages.create": user_defined_messages.create_message,
        "user_defined_messages.subscribe": user_defined_messages.create_subscription,
        "user_defined_messages.unsubscribe": user_defined_messages.delete_subscription,
        "siprec.create": siprec.create,
        "siprec.update": siprec.update,
        "streams.create": streams.create,
        "streams.update": streams.update,
        "call_transcriptions.create": call_transcriptions.create,
        "call_transcriptions.update": call_transcriptions.update,
        "payments.create": payments.create,
        "payments.update": payments.update,
        "recordings.list": recordings.list_recordings,
        "recordings.list_for_call": recordings.list_for_call,
        "recordings.fetch": recordings.fetch,
        "recordings.fetch_for_call": recordings.fetch_for_call,
        "recordings.delete": recordings.delete,
        "recordings.media": recordings.media_wav,
        "recordings.media_mp3": recordings.media_mp3,
        "available_numbers.list": available_numbers.list_available,
        "numbers.create": numbers.create_number,
        "numbers.create_of_kind": numbers.create_of_kind,
        "numbers.list_of_kind": numbers.list_of_kind,
        "messages.create": messages.create_message,
        "messages.list": messages.list_messages,
        "messages.fetch": messages.fetch_message,
        "messages.delete": messages.delete_message,
        "transcriptions.list": transcriptions.list_transcriptions,
        "transcriptions.list_for_recording": transcriptions.list_for_recording,
        "transcriptions.fetch": transcriptions.fetch,
        "transcriptions.text": transcriptions.fetch_text,
        "transcriptions.delete": transcriptions.delete,
        "numbers.list": numbers.list_numbers,
        "numbers.fetch": numbers.fetch_number,
        "numbers.update": numbers.update_number,
        "numbers.delete": numbers.delete_number,
        "caller_ids.list": numbers.list_caller_ids,
        "caller_ids.create": validation_requests.create_validation_request,
        "caller_ids.fetch": numbers.fetch_caller_id,
        "caller_ids.update": numbers.update_caller_id,
        "caller_ids.delete": numbers.delete_caller_id,
        "queues.list": queues.list_queues,
        "queues.create": queues.create,
        "queues.fetch": queues.fetch,
        "queues.update": queues.update,
        "queues.delete": queues.delete,
        "members.list": queues.list_members,
        "members.fetch": queues.fetch_member,
        "members.dequeue": queues.dequeue_member,
        "conferences.list": conference_list.list_conferences,
        "conferences.fetch": conferences.fetch,
        "conferences.update": conferences.update,
        "participants.list": conferences.list_participants,
        "participants.create": conferences.create_participant,
        "participants.fetch": conferences.fetch_participant,
        "participants.update": conferences.update_participant,
        "participants.delete": conferences.delete_participant,
        "conference_recordings.list": conference_recordings.list_recordings,
        "conference_recordings.fetch": conference_recordings.fetch,
        "conference_recordings.update": conference_recordings.update,
        "conference_recordings.delete": conference_recordings.delete,
        "lookups.v2.fetch": lookups.fetch_v2,
        "lookups.v1.fetch": lookups.fetch_v1,
    }


#: What test credentials may do (Twilio: only Calls, Messages, buying numbers and the v2
#: lookup, whose view refuses its data packages).
_TEST_CREDENTIAL_ENDPOINTS = frozenset(
    {"calls.create", "numbers.create", "messages.create", "lookups.v2.fetch"}
)
#: Standard API keys cannot manage accounts and keys.
_NOT_FOR_API_KEYS = ("accounts.", "keys.")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the authenticated account, and how (``auth_token``, ``api_key``,
    ``test_credentials``)."""

    account: Account
    via: str


class Context:
    """What a view needs: the request, the caller, the account in the path, the engine."""

    def __init__(
        self, request: Request, principal: Principal | None, account: Account | None, api: RestApi
    ) -> None:
        self.request = request
        self.principal = principal
        self._account = account
        self.api = api
        self.engine = api.engine
        self.store = api.store

    @property
    def account(self) -> Account:
        """The account named in the path."""
        if self._account is None:  # pragma: no cover - routes without an account never ask
            raise RuntimeError("this endpoint names no account")
        return self._account

    @property
    def now(self) -> datetime:
        """The virtual time."""
        return self.engine.clock.now

    @functools.cached_property
    def form(self) -> MultiDict[str, str]:
        """The request's form parameters (``application/x-www-form-urlencoded``)."""
        if self.request.mimetype == FORM_TYPE:
            return parse_form(self.request.get_data())
        return whole_form(self.request).form

    @property
    def test_credentials(self) -> bool:
        """True when the request was made with the account's test credentials."""
        return self.principal is not None and self.principal.via == "test_credentials"


class RestApi:
    """Twilio's REST API (2010-04-01) for the simulated accounts, as a WSGI app."""

    def __init__(
        self, store: AccountStore, engine: Engine, *, accept_any_credentials: bool = False
    ) -> None:
        self.store = store
        self.engine = engine
        #: Open an account for any AccountSid and token on first use, placeholders such as
        #: ``ACxxxx...`` included, so that a suite written against its own credentials runs
        #: unchanged (``pytest --twimlsim``).
        self.accept_any_credentials = accept_any_credentials
        #: Unexpected exceptions the API turned into 20500 answers: bugs of twimlsim.
        self.internal_errors: list[BaseException] = []
        #: Every request the API answered, in order (``sim.api_requests``).
        self.requests: list[ApiRequest] = []
        self._packer = BodyPacker(values_of=varying_values)

    def _log(self, request: Request, response: Response) -> None:
        self._keep(
            log_entry(request, response, self.engine.clock.now, self._packer, self._shared_call_sid)
        )

    def log_refused(self, environ: WSGIEnvironment, response: Response) -> None:
        """Log a request refused before it was read (a body over the size limit, a
        malformed one): its method and URL and the answer, without parameters; its kind is
        the endpoint its method and path name (``calls.create``...), else ``unknown``."""
        unread = {**environ, "wsgi.input": io.BytesIO(), "CONTENT_LENGTH": "0"}
        matched = route(
            bound_routes(self.accept_any_credentials),
            str(environ.get("PATH_INFO", "")),
            str(environ.get("REQUEST_METHOD", "")),
        )
        if matched is not NOT_FOUND and matched is not NOT_ALLOWED:
            unread[ENDPOINT_KEY] = matched[0]
        self._log(Request(unread), response)

    def _keep(self, logged: ApiRequest) -> None:
        if not self.engine.stopped:  # else it came in before this simulator stopped
            note_request(logged.method, logged.url)
        self.requests.append(logged)
        call = self.engine.calls.get(logged.call_sid) if logged.call_sid is not None else None
        if call is not None:
            call.api_requests.append(logged)

    def _shared_call_sid(self, sid: str) -> str:
        """The known call's own copy of ``sid`` (the log then keeps no other), else ``sid``."""
        call = self.engine.calls.get(sid)
        return call.sid if call is not None else sid

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        response = self.handle(request)
        return response(environ, start_response)

    def answer(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | None
    ) -> tuple[int, list[tuple[str, str]], AnswerBody]:
        """Answer one request given by its parts (the in-process way in, for the twilio
        client): the status, headers and body the WSGI app gives for it, read straight
        from the response where werkzeug's WSGI layer would change nothing. A call create
        as the twilio client sends it is answered without werkzeug at all (``_create``).
        Recording media comes as a stream produced as it is read, not as bytes."""
        if method == "POST" and body:
            create = _CALLS_CREATE.fullmatch(url)
            authorization = form_authorization(headers) if create is not None else None
            if create is not None and authorization is not None:
                return self._create(url, create[1], create[2], authorization, body)
        environ = build_environ(method, url, headers, body)
        request = Request(environ)
        response = self.handle(request)
        status = response.status_code
        headers_out = response.headers.to_wsgi_list()
        if isinstance(response, MediaResponse) and request.method != "HEAD":
            return status, headers_out, response.audio.open()  # read as it is sent
        if (
            request.method == "HEAD"
            or status in (204, 304)
            or 100 <= status < 200
            or not response.is_sequence
            or any(key.lower() in ("location", "content-location") for key, _ in headers_out)
        ):
            chunks, status_line, headers_out = run_app(response, environ)
            return int(status_line.split(" ", 1)[0]), headers_out, b"".join(chunks)
        return status, headers_out, response.get_data()

    def _create(
        self, url: str, path: str, account_sid: str, authorization: str, body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """``POST /Accounts/{Sid}/Calls.json`` with a form body, answered as ``handle``
        answers it (the same checks in the same order, the same JSON, headers and log
        entry) without building werkzeug's request and response: a create is the one
        request every test makes."""
        try:
            try:
                principal = self._authenticate(authorization, account_sid)
                account = self._authorize(path, principal, "calls.create", account_sid)
                assert account is not None  # the path names one
                payload = calls.created_call(
                    self.engine,
                    account,
                    parse_form(body),
                    test_credentials=principal.via == "test_credentials",
                )
                status = 201
            except TwilioApiError as refusal:
                payload, status = refusal.to_json(), refusal.status
        except Exception as exc:  # last resort, as in _answer
            failure = self._internal_error(exc, "POST", path)
            payload, status = failure.to_json(), failure.status
        content = json.dumps(payload).encode()
        self._keep(
            entry(
                method="POST",
                url=url,
                path=path,
                kind="calls.create",
                status=status,
                body=content,
                raw_params=body,
                form=True,
                at=self.engine.clock.now,
                packer=self._packer,
                shared_sid=self._shared_call_sid,
            )
        )
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(content)))]
        if status == 401:
            headers.append(CHALLENGE)
        return status, headers, content

    def handle(self, request: Request) -> Response:
        """Answer one request (and log it); every failure is Twilio's JSON error, never a
        500 page."""
        response = self._answer(request)
        self._log(request, response)
        return response

    def _answer(self, request: Request) -> Response:
        try:
            return self._dispatch(request)
        except TwilioApiError as error:
            return error_response(error)
        except Exception as exc:  # last resort: a bug must still look like Twilio
            return error_response(self._internal_error(exc, request.method, request.path))

    def _internal_error(self, exc: Exception, method: str, path: str) -> TwilioApiError:
        """Keep and log a failure of the API itself (called from an ``except`` block);
        Twilio's 20500 to answer with."""
        self.internal_errors.append(exc)
        _log.exception("twimlsim REST API failed on %s %s", method, path)
        return internal_error(exc, method, path)

    def _dispatch(self, request: Request) -> Response:
        if request.method == "GET" and has_body(request.environ):
            raise TwilioApiError(403, 20403, GET_WITH_BODY)
        try:
            check_host(request.scheme, request.host, request.path)
        except TwilioApiError:
            built_in = _demo_document(request)
            if built_in is None:
                raise
            return built_in
        lookup = lookup_route(request.host, request.path)
        if lookup is not None:
            return self._lookup(request, lookup)
        urls = bound_routes(self.accept_any_credentials)  # built on first use
        matched = route(urls, request.path, request.method)
        if matched is NOT_ALLOWED and unimplemented(request.path) is not None:
            matched = NOT_FOUND  # a resource twimlsim reads only (SIP Domains) written to
        if matched is NOT_FOUND:
            self._authenticate(request.headers.get("Authorization", ""))
            other_form = json_form(request.path)
            if other_form is not None and route(urls, other_form[0], request.method) not in (
                NOT_FOUND,
                NOT_ALLOWED,
            ):
                json_path, form = other_form
                raise TwilioApiError(
                    501,
                    20500,
                    f"{request.method} {request.path} asks for the {form} form of a Twilio API "
                    "resource, which twimlsim does not simulate; it answers the JSON form, "
                    f"{json_path}, as Twilio's helper libraries request it",
                ) from None
            resource = unimplemented(request.path)
            if resource is None:
                raise not_found(request.path) from None
            raise TwilioApiError(
                501,
                20500,
                f"{request.method} {request.path} is a Twilio API endpoint ({resource}) that "
                "twimlsim does not simulate; twimlsim simulates Calls (with their Recordings, "
                "Streams, Siprec, Transcriptions, Payments, Events, Notifications and User "
                "Defined Messages), "
                "Recordings (with their Transcriptions), Applications, IncomingPhoneNumbers, "
                "AvailablePhoneNumbers (Local, TollFree, Mobile), OutgoingCallerIds, Keys, "
                "Queues, Conferences (with their Participants and Recordings), Messages (kept, "
                "not delivered), Notifications, Accounts and SIP Domains (list and fetch)"
                + self._stub_hint(),
            ) from None
        if matched is NOT_ALLOWED:
            raise TwilioApiError(
                405, 20004, f"Method {request.method} not allowed on {request.path}"
            ) from None
        endpoint, pairs = matched
        request.environ[ENDPOINT_KEY] = endpoint
        arguments = dict(pairs)
        if endpoint in PUBLIC_ENDPOINTS:
            account = self.store.accounts.get(arguments["account_sid"])
            if account is None:
                raise not_found(request.path)
            return _views()[endpoint](Context(request, None, account, self), arguments)
        principal = self._authenticate(
            request.headers.get("Authorization", ""), arguments.get("account_sid")
        )
        account = self._authorize(request.path, principal, endpoint, arguments.get("account_sid"))
        if endpoint == "unimplemented":
            hint = " (messages are kept as created)"
            raise TwilioApiError(
                501,
                20500,
                f"{request.method} {request.path} is a Twilio API endpoint that twimlsim "
                f"does not simulate{hint}",
            )
        return _views()[endpoint](Context(request, principal, account, self), arguments)

    def _lookup(self, request: Request, route: LookupRoute) -> Response:
        """A request for Twilio's Lookup API (``rest/lookups.py``), checked in the order
        of the API's: method, credentials, what they may reach."""
        if route.endpoint is not None and request.method not in ("GET", "HEAD"):
            raise TwilioApiError(
                405, 20004, f"Method {request.method} not allowed on {request.path}"
            )
        principal = self._authenticate(request.headers.get("Authorization", ""))
        if route.endpoint is None:
            raise route.refusal(request.method, request.path, self._stub_hint())
        request.environ[ENDPOINT_KEY] = route.endpoint
        self._authorize(request.path, principal, route.endpoint, None)
        arguments = {"phone_number": route.phone_number}
        return _views()[route.endpoint](Context(request, principal, None, self), arguments)

    def _stub_hint(self) -> str:
        """How a test goes on past an unsimulated endpoint: with its own mock in process;
        a client of ``twimlsim serve`` (RecordingUrls point at the server) has none."""
        return STUB_HINT if self.engine.api_base == "https://api.twilio.com" else ""

    def _authenticate(self, authorization: str, account_sid: str | None = None) -> Principal:
        username, password = basic_credentials(authorization)
        if username is None or password is None:
            raise TwilioApiError(401, 20003, "Authenticate")
        if (
            self.accept_any_credentials
            and username not in self.store.accounts
            and username not in self.store.api_keys
            and _PLACEHOLDER_SID.match(username)
        ):
            if username.startswith("SK") and account_sid is None:
                # no account in the path (Lookup): adopted when a request names one
                return Principal(next(iter(self.store.accounts.values())), "api_key")
            adopt(self.store, username, password, account_sid)
        account = self.store.accounts.get(username)
        if account is not None:
            if password == account.auth_token:
                return Principal(account, "auth_token")
            if password == account.test_auth_token:
                return Principal(account, "test_credentials")
        key = self.store.api_keys.get(username)
        if key is not None and password == key.secret:
            return Principal(self.store.accounts[key.account_sid], "api_key")
        raise TwilioApiError(401, 20003, "Authenticate")

    def _authorize(
        self, path: str, principal: Principal, endpoint: str, account_sid: str | None
    ) -> Account | None:
        if principal.via == "test_credentials" and endpoint not in _TEST_CREDENTIAL_ENDPOINTS:
            raise TwilioApiError(
                403, 20008, "Resource not accessible with Test Account Credentials"
            )
        if principal.via == "api_key" and endpoint.startswith(_NOT_FOR_API_KEYS):
            raise TwilioApiError(401, 20003, "Authenticate")
        if principal.account.status != "active":
            raise TwilioApiError(401, 20005, f"Account {principal.account.sid} is not active")
        if account_sid is None:
            return None
        account = self.store.accounts.get(account_sid)
        caller = principal.account
        if account is None or (account is not caller and account.owner_sid != caller.sid):
            raise not_found(path)
        if account.status != "active" and not endpoint.startswith("accounts."):
            raise TwilioApiError(401, 20005, f"Account {account.sid} is not active")
        return account
