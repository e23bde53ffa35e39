"""The control API of ``twimlsim serve``: everything a test in any language needs to drive the
simulation over plain HTTP, under ``/twimlsim/``.

Its OpenAPI description is ``control_openapi.json`` beside this module, served at
``GET /twimlsim/openapi.json``. Bodies are JSON (``Content-Type: application/json``) or, for
flat bodies, form-encoded; answers are JSON; errors have Twilio's error shape (``code``,
``message``, ``more_info``, ``status``). The JSON of calls, transcripts and webhook requests
is the Python API's (``twimlsim.as_json``).

Endpoints that run the simulation (``advance``, ``run``, ``calls/{sid}/run``, ``reset``)
first wait until no webhook is out, so that one event runs at a time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from importlib import resources
from typing import TYPE_CHECKING, Any, Protocol

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from twimlsim import as_json
from twimlsim.clock import advance_micros
from twimlsim.engine.limits import MAX_CALLS_PER_RUN, run_bounded
from twimlsim.errors import ConfigurationError, TwilioApiError
from twimlsim.serve_summary import for_the_server

from .control_input import (
    Kind,
    advance_seconds,
    coerce,
    fields,
    invalid,
    json_kind,
    listed,
    read_body,
)
from .control_lookups import set_lookup_facts
from .render import error_response, json_response
from .serialize import date

if TYPE_CHECKING:
    from twimlsim.engine.caller import Phone, ScriptStep
    from twimlsim.engine.session import SimCall
    from twimlsim.simulator import Simulator

__all__ = ["ControlApi", "ControlTarget", "OPENAPI_RESOURCE", "openapi_spec"]

#: The OpenAPI description of this API, a file of the package.
OPENAPI_RESOURCE = "control_openapi.json"

#: Twilio's code for "Method not allowed".
_METHOD_NOT_ALLOWED = 20004


class ControlTarget(Protocol):
    """What the control API drives: the served simulator, which ``reset`` replaces."""

    @property
    def sim(self) -> Simulator:
        """The simulator being served now."""
        ...

    def reset(self) -> None:
        """Replace the simulator by a fresh one made with the same options."""
        ...


def openapi_spec() -> dict[str, Any]:
    """The control API's OpenAPI document."""
    text = resources.files(__package__).joinpath(OPENAPI_RESOURCE).read_text(encoding="utf-8")
    spec: dict[str, Any] = json.loads(text)
    return spec


#: Each far-end script step: the ``sim.phone(...)`` method and the arguments it takes.
STEP_ARGUMENTS: dict[str, dict[str, Kind]] = {
    "answers": {"after": float, "sip_headers": dict},
    "busy": {},
    "no_answer": {},
    "fails": {},
    "machine": {"answered_by": str, "after": float},
    "presses": {"digits": str, "barge_in": bool},
    "says": {"text": str, "confidence": float, "barge_in": bool},
    "silence": {},
    "records": {"seconds": float, "key": str, "text": str, "hangs_up": bool},
    "hangs_up": {"after": float},
    "hangs_up_at_wait": {"after": float, "barge_in": bool},
}
_STEP_REQUIRED = {"presses": {"digits"}, "says": {"text"}, "records": {"seconds"}}

_NUMBER_FIELDS: dict[str, Kind] = {
    "number": str,
    "voice_url": str,
    "voice_method": str,
    "voice_fallback_url": str,
    "voice_fallback_method": str,
    "status_callback": str,
    "status_callback_method": str,
    "voice_application_sid": str,
    "voice_caller_id_lookup": bool,
}
_SIP_DOMAIN_FIELDS: dict[str, Kind] = {
    "domain_name": str,
    "voice_url": str,
    "voice_method": str,
    "voice_fallback_url": str,
    "voice_fallback_method": str,
    "voice_status_callback_url": str,
    "voice_status_callback_method": str,
    "friendly_name": str,
}
_LOCATION_FIELDS: dict[str, Kind] = {
    "number": str,
    "city": str,
    "state": str,
    "zip": str,
    "country": str,
}


def _add_step(phone: Phone, index: int, step: object) -> None:
    where = f"steps[{index}]"
    if not isinstance(step, dict) or not isinstance(step.get("action"), str):
        raise invalid(f'{where} must be an object with an "action", got {json_kind(step)}')
    action = step["action"]
    arguments = STEP_ARGUMENTS.get(action)
    if arguments is None:
        import difflib

        near = difflib.get_close_matches(action, STEP_ARGUMENTS, n=1)
        meant = f" (did you mean {near[0]!r}?)" if near else ""
        raise invalid(
            f"{where}: unknown action {action!r}{meant}; one of {', '.join(STEP_ARGUMENTS)}"
        )
    rest = {name: value for name, value in step.items() if name != "action"}
    required = frozenset(_STEP_REQUIRED.get(action, ()))
    given = fields(rest, f"{where} ({action})", arguments, required)
    try:
        getattr(phone, action)(**given)
    except ValueError as error:
        raise invalid(f"{where} ({action}): {error}") from None


def _step_json(step: ScriptStep) -> dict[str, object]:
    return {"action": step.action, "step": step.describe(), "used": step.used}


def _phone_json(phone: Phone) -> dict[str, object]:
    return {"number": phone.number, "steps": [_step_json(step) for step in phone.steps]}


def _for_http(message: str, sid: str) -> str:
    """A simulator error message with its Python advice given as the control request."""
    calls = f"POST /twimlsim/calls/{sid}"
    for python, http in (
        (
            "run it with call.run() until call.waiting_for is set",
            f"{calls}/run until its waiting_for is set",
        ),
        (
            "run it with call.run() until call.waiting_for.verb == 'Connect'",
            f"{calls}/run until its waiting_for.verb is Connect",
        ),
        ("run the call (call.run())", f"run the call ({calls}/run)"),
        ("call.waiting_for is set again", "its waiting_for is set again"),
        ("use call.silence()", f"use {calls}/silence"),
        (
            "create it with sim.application(...) first",
            "create it with POST /2010-04-01/Accounts/{AccountSid}/Applications.json first",
        ),
        (
            "with call.close_stream(), or hang up with call.hangup()",
            f"with {calls}/close-stream, or hang up with {calls}/hangup",
        ),
    ):
        message = message.replace(python, http)
    return re.sub(
        r"call sim\.number\('([^']*)', voice_url=\.\.\.\) first",
        r'POST /twimlsim/numbers {"number": "\1", "voice_url": ...} first',
        message,
    )


# -- the API ----------------------------------------------------------------------------------

_Handler = Callable[..., tuple[object, int]]


class ControlApi:
    """Answers ``/twimlsim/...`` requests for ``target`` (the engine is held by the caller).

    ``wait_idle`` is called before anything that runs the simulation: it returns once no
    webhook is out (``twimlsim serve`` refuses the request with a 409 while one is).
    """

    def __init__(self, target: ControlTarget, wait_idle: Callable[[], None]) -> None:
        self.target = target
        self._wait_idle = wait_idle
        rules: list[tuple[str, str, _Handler]] = [
            ("/twimlsim/openapi.json", "GET", self.openapi),
            ("/twimlsim/status", "GET", self.status),
            ("/twimlsim/advance", "POST", self.advance),
            ("/twimlsim/run", "POST", self.run),
            ("/twimlsim/reset", "POST", self.reset),
            ("/twimlsim/numbers", "POST", self.add_number),
            ("/twimlsim/sip-domains", "POST", self.add_sip_domain),
            ("/twimlsim/verified-caller-ids", "POST", self.add_verified_caller_id),
            ("/twimlsim/locations", "POST", self.set_location),
            ("/twimlsim/lookups", "POST", self.set_lookup),
            ("/twimlsim/media", "POST", self.set_media),
            ("/twimlsim/phones", "GET", self.list_phones),
            ("/twimlsim/phones", "POST", self.script_phone),
            ("/twimlsim/calls", "GET", self.list_calls),
            ("/twimlsim/calls", "POST", self.incoming_call),
            ("/twimlsim/sdk-calls", "POST", self.sdk_call),
            ("/twimlsim/calls/<sid>", "GET", self.get_call),
            ("/twimlsim/calls/<sid>/transcript", "GET", self.get_transcript),
            ("/twimlsim/calls/<sid>/requests", "GET", self.get_call_requests),
            ("/twimlsim/calls/<sid>/run", "POST", self.run_call),
            ("/twimlsim/calls/<sid>/press", "POST", self.press),
            ("/twimlsim/calls/<sid>/say", "POST", self.say),
            ("/twimlsim/calls/<sid>/silence", "POST", self.silence),
            ("/twimlsim/calls/<sid>/records", "POST", self.records),
            ("/twimlsim/calls/<sid>/hangup", "POST", self.hangup),
            ("/twimlsim/calls/<sid>/close-stream", "POST", self.close_stream),
            ("/twimlsim/calls/<sid>/api-requests", "GET", self.get_call_api_requests),
            ("/twimlsim/requests", "GET", self.list_requests),
            ("/twimlsim/api-requests", "GET", self.list_api_requests),
            ("/twimlsim/failures", "GET", self.list_failures),
        ]
        self._handlers: dict[str, _Handler] = {}
        url_rules = []
        for path, method, handler in rules:
            endpoint = f"{method} {path}"
            self._handlers[endpoint] = handler
            url_rules.append(Rule(path, endpoint=endpoint, methods=[method]))
        self._map = Map(url_rules, strict_slashes=False)

    @property
    def sim(self) -> Simulator:
        """The simulator served now."""
        return self.target.sim

    def handle(self, request: Request) -> Response:
        """Answer one control request."""
        # bound to no host: the control API answers whatever Host the client sent (werkzeug
        # refuses a long one). request.path is decoded (UTF-8) as the environ's PATH_INFO is
        # not; repeated slashes are read as one rather than redirected (a POST's body lost)
        adapter = self._map.bind("localhost")
        path = re.sub("/{2,}", "/", request.path)
        try:
            endpoint, arguments = adapter.match(path, request.method)
        except MethodNotAllowed as error:
            methods = sorted(error.valid_methods or ())
            refused = error_response(
                TwilioApiError(
                    405,
                    _METHOD_NOT_ALLOWED,
                    f"{request.method} {request.path}: this control endpoint takes "
                    f"{' or '.join(methods)}",
                )
            )
            refused.headers["Allow"] = ", ".join(methods)  # as HTTP asks of every 405
            return refused
        except NotFound:
            return error_response(
                TwilioApiError(
                    404,
                    20404,
                    f"{request.method} {request.path} is not a twimlsim control endpoint; "
                    "GET /twimlsim/openapi.json lists them",
                )
            )
        try:
            body, status = self._handlers[str(endpoint)](request, **arguments)
        except TwilioApiError as error:
            return error_response(error)
        except (ConfigurationError, ValueError) as error:  # the Python API refused the input
            return error_response(invalid(_for_http(str(error), arguments.get("sid", "{sid}"))))
        return json_response(body, status)

    # -- the simulation as a whole ----------------------------------------------------------

    def openapi(self, request: Request) -> tuple[object, int]:
        """This API's OpenAPI document."""
        return openapi_spec(), 200

    def status(self, request: Request) -> tuple[object, int]:
        """Virtual time, pending events, each call's status, and failures (as text)."""
        engine = self.sim.engine
        return {
            "now": date(engine.clock.now),
            "seconds": engine.clock.micros / 1_000_000,
            "pending_events": len(engine.scheduler),
            "calls": {sid: call.status for sid, call in engine.calls.items()},
            "failures": [for_the_server(str(failure)) for failure in engine.failures],
        }, 200

    def advance(self, request: Request) -> tuple[object, int]:
        """Let ``seconds`` of virtual time pass."""
        seconds = advance_seconds(read_body(request))
        engine = self.sim.engine
        clock = engine.clock
        try:
            target = clock.micros + advance_micros(seconds, "advance", '{"seconds": 0}')
            clock.check_reachable(target)
        except ValueError as error:
            raise invalid(str(error)) from None
        self._wait_idle()
        engine.before_running()
        engine.scheduler.run_until(target)
        return self.status(request)

    def run(self, request: Request) -> tuple[object, int]:
        """Run until no call has anything left to do (or until a runaway app has created
        ``MAX_CALLS_PER_RUN`` calls meanwhile: a 500 naming the cause)."""
        fields(read_body(request), "run", {})
        self._wait_idle()
        engine = self.sim.engine
        engine.before_running()
        stopped = run_bounded(engine, MAX_CALLS_PER_RUN)
        if stopped is not None:
            raise TwilioApiError(500, 20500, stopped.message)
        return self.status(request)

    def reset(self, request: Request) -> tuple[object, int]:
        """Forget every call, script, number and failure: a fresh simulator (same options,
        same credentials, the clock back at its start)."""
        fields(read_body(request), "reset", {})
        self._wait_idle()
        self.target.reset()
        return self.status(request)

    # -- configuration ----------------------------------------------------------------------

    def add_number(self, request: Request) -> tuple[object, int]:
        """An owned number, configured for voice (``sim.number(...)``): 201 when the
        account gets it, 200 when it updates one the account owns (its SID kept). A
        ``voice_application_sid`` (a TwiML App made through ``POST /Applications.json``)
        answers its calls instead of its own URLs, as a Voice SDK quickstart's README has
        the number configured; an empty one gives it its own URLs back."""
        given = fields(read_body(request), "numbers", _NUMBER_FIELDS, frozenset({"number"}))
        if given.get("voice_application_sid") == "":
            given["voice_application_sid"] = None  # empty, as on the REST API: its own URLs
        owned = self.sim.number(given.pop("number"), **given)
        status = 201 if owned.updated_at is None else 200  # sim.number stamps an update
        return {
            "sid": owned.sid,
            "number": owned.number,
            "voice_url": owned.voice_url,
            "voice_method": owned.voice_method,
            "voice_fallback_url": owned.voice_fallback_url,
            "voice_fallback_method": owned.voice_fallback_method,
            "status_callback": owned.status_callback,
            "status_callback_method": owned.status_callback_method,
            "voice_application_sid": owned.voice_application_sid,
        }, status

    def add_sip_domain(self, request: Request) -> tuple[object, int]:
        """A SIP Domain whose voice URL answers the calls sent to it (``sim.sip_domain``)."""
        given = fields(
            read_body(request), "sip-domains", _SIP_DOMAIN_FIELDS, frozenset({"domain_name"})
        )
        domain = self.sim.sip_domain(given.pop("domain_name"), **given)
        return {
            "sid": domain.sid,
            "domain_name": domain.domain_name,
            "voice_url": domain.voice_url,
            "voice_method": domain.voice_method,
            "voice_fallback_url": domain.voice_fallback_url,
            "voice_fallback_method": domain.voice_fallback_method,
            "voice_status_callback_url": domain.voice_status_callback_url,
            "voice_status_callback_method": domain.voice_status_callback_method,
        }, 201

    def add_verified_caller_id(self, request: Request) -> tuple[object, int]:
        """A verified caller ID: calls may come ``From`` it."""
        given = fields(
            read_body(request),
            "verified-caller-ids",
            {"number": str, "friendly_name": str},
            frozenset({"number"}),
        )
        verified = self.sim.verified_caller_id(
            given["number"], friendly_name=given.get("friendly_name")
        )
        return {"sid": verified.sid, "number": verified.phone_number}, 201

    def set_location(self, request: Request) -> tuple[object, int]:
        """Where a number is: the ``From*``/``To*``/``Caller*``/``Called*`` geo parameters of
        every call from or to it (``sim.phone(number).located(...)``)."""
        given = fields(read_body(request), "locations", _LOCATION_FIELDS, frozenset({"number"}))
        number = given.pop("number")
        phone = self.sim.phone(number).located(**given)
        location = phone.location
        return {
            "number": number,
            "city": location.city,
            "state": location.state,
            "zip": location.zip,
            "country": location.country,
        }, 200

    def set_lookup(self, request: Request) -> tuple[object, int]:
        """What Twilio's Lookup reports about a number (``control_lookups.py``)."""
        return set_lookup_facts(self.sim, read_body(request)), 200

    def set_media(self, request: Request) -> tuple[object, int]:
        """How long a ``<Play>`` URL plays (``sim.media(url, seconds=...)``)."""
        kinds: dict[str, Kind] = {"url": str, "seconds": float}
        given = fields(read_body(request), "media", kinds, frozenset(kinds))
        self.sim.media(given["url"], seconds=given["seconds"])
        return given, 200

    def list_phones(self, request: Request) -> tuple[object, int]:
        """Every scripted far end, with each step and whether a call reached it."""
        phones = self.sim.engine.phones.values()
        return {"phones": [_phone_json(phone) for phone in phones]}, 200

    def script_phone(self, request: Request) -> tuple[object, int]:
        """Add steps to a far end's script, in order (``sim.phone(number).answers()...``)."""
        body = read_body(request)
        number, steps = body.get("number"), body.get("steps")
        if set(body) - {"number", "steps"}:
            unknown = listed(set(body) - {"number", "steps"})
            raise invalid(f"phones: unknown field(s) {unknown}; allowed: number, steps")
        if not isinstance(number, str) or not number:
            raise invalid(
                "phones: number must be the far end's phone number, such as "
                f'"+15558675310", got {json.dumps(number)}'
            )
        coerce("number", number, str)
        if not isinstance(steps, list):
            raise invalid(
                f'phones: steps must be a list like [{{"action": "presses", "digits": "1"}}], '
                f"got {json_kind(steps)}"
            )
        # Check every step on a scratch phone first: a bad step adds none of them.
        from twimlsim.engine.caller import Phone

        scratch = Phone(number)
        for index, step in enumerate(steps):
            _add_step(scratch, index, step)
        phone = self.sim.phone(number)
        phone.steps.extend(scratch.steps)
        return _phone_json(phone), 200

    # -- calls ------------------------------------------------------------------------------

    def _call(self, sid: str) -> SimCall:
        call = self.sim.calls.get(sid)
        if call is None:
            known = ", ".join(self.sim.calls) or "none yet"
            raise TwilioApiError(404, 20404, f"no call {sid} in this simulation (calls: {known})")
        return call

    def list_calls(self, request: Request) -> tuple[object, int]:
        """Every call, oldest first, without transcripts and requests."""
        calls = self.sim.calls.values()
        return {"calls": [as_json.call_summary_json(call) for call in calls]}, 200

    def incoming_call(self, request: Request) -> tuple[object, int]:
        """A caller dials one of the account's numbers; it rings at once."""
        kinds: dict[str, Kind] = {"from": str, "to": str, "params": dict}
        given = fields(read_body(request), "calls", kinds, frozenset({"from", "to"}))
        call = self.sim.incoming_call(
            from_=given["from"], to=given["to"], params=given.get("params")
        )
        return as_json.call_summary_json(call), 201

    def sdk_call(self, request: Request) -> tuple[object, int]:
        """A Voice SDK device connects to a TwiML App (``sim.sdk_call``): with the Access
        Token the app's token endpoint gave it, or as ``identity`` to ``application_sid``."""
        kinds: dict[str, Kind] = {
            "token": str,
            "identity": str,
            "application_sid": str,
            "params": dict,
        }
        given = fields(read_body(request), "sdk-calls", kinds)
        call = self.sim.sdk_call(
            given.get("identity"),
            application_sid=given.get("application_sid"),
            params=given.get("params"),
            token=given.get("token"),
        )
        return as_json.call_summary_json(call), 201

    def get_call(self, request: Request, sid: str) -> tuple[object, int]:
        """A call with its transcript and webhook requests."""
        return as_json.call_json(self._call(sid)), 200

    def get_transcript(self, request: Request, sid: str) -> tuple[object, int]:
        """What happened on a call, event by event."""
        events = self._call(sid).transcript
        return {"transcript": [as_json.event_json(event) for event in events]}, 200

    def get_call_requests(self, request: Request, sid: str) -> tuple[object, int]:
        """The webhooks of one call, in the order the app received them."""
        requests = self._call(sid).requests
        return {"requests": [as_json.request_json(sent) for sent in requests]}, 200

    def get_call_api_requests(self, request: Request, sid: str) -> tuple[object, int]:
        """The app's REST requests about one call, in order."""
        logged = self._call(sid).api_requests
        return {"api_requests": [as_json.api_request_json(sent) for sent in logged]}, 200

    def list_api_requests(self, request: Request) -> tuple[object, int]:
        """Every request the apps made to the fake REST API, in order."""
        logged = self.sim.api_requests
        return {"api_requests": [as_json.api_request_json(sent) for sent in logged]}, 200

    def list_requests(self, request: Request) -> tuple[object, int]:
        """Every webhook of every call, in the order the apps received them."""
        return {"requests": [as_json.request_json(sent) for sent in self.sim.requests]}, 200

    def list_failures(self, request: Request) -> tuple[object, int]:
        """What Twilio's debugger would have logged, and script steps no call reached."""
        unused = [
            f"sim.phone({number!r}).{step}" for number, step in self.sim.engine.unused_steps()
        ]
        failures = [as_json.failure_json(failure) for failure in self.sim.failures]
        for failure in failures:  # the advice in this server's terms, as its log gives it
            failure["message"] = for_the_server(str(failure["message"]))
            failure["text"] = for_the_server(str(failure["text"]))
        return {"failures": failures, "unused_steps": unused}, 200

    # -- driving a call by hand ----------------------------------------------------------------

    def run_call(self, request: Request, sid: str) -> tuple[object, int]:
        """Run until the call waits for the far end or is held (``waiting_for``), or ends."""
        call = self._call(sid)
        fields(read_body(request), "calls/{sid}/run", {})
        self._wait_idle()
        call.run()
        return as_json.call_summary_json(call), 200

    def press(self, request: Request, sid: str) -> tuple[object, int]:
        """The far end presses ``digits`` at the current wait."""
        call = self._call(sid)
        given = fields(read_body(request), "press", {"digits": str}, frozenset({"digits"}))
        call.press(given["digits"])
        return as_json.call_summary_json(call), 200

    def say(self, request: Request, sid: str) -> tuple[object, int]:
        """The far end says ``text`` at the current wait."""
        call = self._call(sid)
        kinds: dict[str, Kind] = {"text": str, "confidence": float}
        given = fields(read_body(request), "say", kinds, frozenset({"text"}))
        call.say(given["text"], given.get("confidence", 0.9))
        return as_json.call_summary_json(call), 200

    def silence(self, request: Request, sid: str) -> tuple[object, int]:
        """The far end stays silent at the current wait."""
        call = self._call(sid)
        fields(read_body(request), "silence", {})
        call.silence()
        return as_json.call_summary_json(call), 200

    def records(self, request: Request, sid: str) -> tuple[object, int]:
        """The far end talks ``seconds`` into the current Record, then presses ``key``."""
        call = self._call(sid)
        kinds: dict[str, Kind] = {"seconds": float, "key": str, "text": str}
        given = fields(read_body(request), "records", kinds, frozenset({"seconds"}))
        call.records(given["seconds"], given.get("key"), text=given.get("text", ""))
        return as_json.call_summary_json(call), 200

    def hangup(self, request: Request, sid: str) -> tuple[object, int]:
        """The far end hangs up now."""
        call = self._call(sid)
        fields(read_body(request), "hangup", {})
        call.hangup()
        return as_json.call_summary_json(call), 200

    def close_stream(self, request: Request, sid: str) -> tuple[object, int]:
        """The app's WebSocket server ends the call's ``<Connect>`` now (a
        ``<ConversationRelay>`` with its ``end`` message's ``handoff_data``)."""
        call = self._call(sid)
        given = fields(read_body(request), "close-stream", {"handoff_data": str})
        call.close_stream(handoff_data=given.get("handoff_data"))
        return as_json.call_summary_json(call), 200
