"""A HEAD request to the fake API in process: werkzeug's WSGI answer, without a body.

(Kept out of ``tests/rest``, whose body checker knows no HEAD in Twilio's spec.)
"""

from __future__ import annotations

import base64

from twimlsim import Simulator
from twimlsim.transports.wsgi import call_wsgi


def test_head_is_answered_as_the_wsgi_app_answers_it() -> None:
    with Simulator(seed=4, freeze_time=False) as direct, Simulator(seed=4) as wsgi:
        token = base64.b64encode(f"{direct.account_sid}:{direct.auth_token}".encode()).decode()
        url = f"https://api.twilio.com/2010-04-01/Accounts/{direct.account_sid}/Calls.json"
        headers = {"Authorization": f"Basic {token}"}
        ours = direct.rest.answer("HEAD", url, headers, b"")
        assert ours == call_wsgi(wsgi.rest, "HEAD", url, headers, b"")
        assert ours[0] == 200 and ours[2] == b""
        assert dict(ours[1])["Content-Type"] == "application/json"
