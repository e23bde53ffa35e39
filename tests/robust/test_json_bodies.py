"""A REST request whose parameters were sent as JSON (``requests.post(url, json=...)``, a
Node app's ``fetch`` with a JSON body) carries no form parameters, so Twilio refuses it for
the first one missing; the request log (a failing test's report, ``twimlsim serve``'s log)
says why, since Twilio's message names only the parameter."""

from __future__ import annotations

import requests

from twimlsim import Simulator
from twimlsim.report import format_api_request

NOT_READ = (
    " (the request carried no form parameters: Twilio reads a POST's parameters from a "
    "form-encoded body, Content-Type application/x-www-form-urlencoded; a JSON body is not "
    "read)"
)


def test_a_json_body_is_refused_as_twilio_refuses_it_and_the_log_says_why() -> None:
    with Simulator() as sim:
        sim.number("+15005550006")
        url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
        auth = (sim.account_sid, sim.auth_token)
        sent = {"To": "+15558675310", "From": "+15005550006", "Url": "https://app.test/voice"}
        answer = requests.post(url, json=sent, auth=auth, timeout=5)
        form = requests.post(url, data={"From": "+15005550006"}, auth=auth, timeout=5)
    refused = "Twilio error 21205: Url parameter is required. For more information, see "
    refused += "http://www.twilio.com/docs/api/twiml"
    assert (answer.status_code, answer.json()["code"], form.status_code) == (400, 21205, 400)
    json_log, form_log = (format_api_request(request) for request in sim.api_requests)
    assert json_log[1:] == [f"      {refused}{NOT_READ}"]
    assert form_log[1:] == ["      From=+15005550006", f"      {refused}"]
