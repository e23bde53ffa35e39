"""What the tests share: where the example app lives, who calls whom, and small helpers
for talking to the fake REST API and serving a WSGI app on a real local port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
from werkzeug.serving import make_server

from twimlsim import Simulator

APP_URL = "https://app.test"
CALLER_ID = "+15005550006"
CALLEE = "+15558675310"
#: The 403 hint's note on the empty parameters of a call between numbers of no known place.
BLANK_VALUES_SIGNED = (
    "; the request also carries parameters with empty values (CalledCity, CalledState, "
    "CalledZip and 9 more), which Twilio signs too: a check given the form parsed without "
    "them (BlackSheep's request.form(), Sanic's request.form, urllib's parse_qsl without "
    "keep_blank_values=True; Sanic's request.get_form(keep_blank_values=True) keeps them) "
    "fails on Twilio as here"
)
#: What the 501 for an endpoint twimlsim does not simulate says it simulates.
SIMULATED_RESOURCES = (
    "twimlsim simulates Calls (with their Recordings, Streams, Siprec, Transcriptions, "
    "Payments, Events, Notifications and User Defined Messages), Recordings (with their "
    "Transcriptions), Applications, "
    "IncomingPhoneNumbers, AvailablePhoneNumbers (Local, TollFree, Mobile), "
    "OutgoingCallerIds, Keys, Queues, Conferences (with their Participants and Recordings), "
    "Messages (kept, not delivered), Notifications, Accounts and SIP Domains (list and fetch)"
)


def called_in(app: Any, **options: Any) -> Simulator:
    """A finished, non-strict simulation of one call from ``CALLEE`` to the account's
    ``CALLER_ID``, whose voice URL is ``APP_URL/voice`` served by ``app``."""
    with Simulator(strict=False, **options) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    return sim


def twilio_error_body(status: int, code: int, message: str) -> dict[str, object]:
    """Twilio's JSON error body for ``code`` answered with HTTP ``status``."""
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def account_api(sim: Simulator, method: str, path: str, **form: str) -> requests.Response:
    """A raw request to the fake API at ``path`` under the simulator's account."""
    url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}{path}"
    auth = (sim.account_sid, sim.auth_token)
    return requests.request(method, url, data=form or None, auth=auth, timeout=5)


@contextmanager
def served_locally(app: Any, *, threaded: bool = False, timeout: float = 5) -> Iterator[str]:
    """Serve the WSGI ``app`` on a free local port in a thread (one thread per request
    when ``threaded``); yields its base URL, then stops the server and closes its socket."""
    server = make_server("127.0.0.1", 0, app, threaded=threaded)
    # polled every 20 ms, not serve_forever's 0.5 s: stopping the server waits for one poll
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=timeout)


def never_listened(number: str) -> str:
    """The strict check's reason for input steps of a far end no call listened to."""
    return (
        f"no call with {number} listened to it: its TwiML ran to its end with no <Gather>, "
        "<Record>, <Pay>, <Dial>, <Conference> or <Enqueue>, the only places a far end's "
        "presses(), says() and records() are given (twimlsim does not simulate talk during a "
        "<Say>, <Play> or <Pause>, which a real-time transcription or stream on Twilio would "
        "hear): give the call such a verb"
    )
