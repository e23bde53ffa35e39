"""Stateful property test: any sequence of the REST operations an app makes on live calls
(create, redirect, cancel, end; add, hold, mute, coach and remove conference participants;
end a room or announce to it; dequeue; pause, stop or delete recordings), with the clock
moving between them, is answered in Twilio's shape (a body Twilio's OpenAPI description
accepts, or a Twilio error), without an internal error, and the simulation still runs every
call to its end. The REST view of a call, a queue and a room agrees with the simulator's.

Without Twilio's spec (``../shared/data/twilio_api_v2010.json``) the bodies are checked for
Twilio's error shape only.
"""

from __future__ import annotations

import os
from typing import Any

import requests
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tests.rest import schema
from twimlsim import Simulator

APP = "https://app.test"
API = "https://api.twilio.com/2010-04-01/Accounts"
OWNED = "+15005550006"
NUMBERS = ("+15558675310", "+15551110001", "+15551110002")
DOCUMENTS = {
    "/dial": '<Dial timeout="5" action="/after" record="record-from-answer">+15551110001</Dial>',
    "/room": '<Dial action="/after"><Conference statusCallback="/events" '
    'statusCallbackEvent="start end join leave mute hold" record="record-from-start">'
    "room</Conference></Dial>",
    "/queue": '<Enqueue waitUrl="/wait" action="/after">line</Enqueue><Say>after</Say>',
    "/wait": '<Say>Please wait</Say><Pause length="60"/>',
    "/dequeue": '<Dial action="/after"><Queue>line</Queue></Dial>',
    "/gather": '<Gather numDigits="1" action="/room" timeout="3"><Say>Press</Say></Gather>'
    "<Redirect>/queue</Redirect>",
    "/record": '<Record maxLength="10" action="/after" transcribe="true"/>',
    "/after": "<Say>Goodbye</Say><Hangup/>",
}
PATHS = sorted(DOCUMENTS)
SPEC = schema.SPEC_PATH.exists()


def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/xml")])
    body = DOCUMENTS.get(environ["PATH_INFO"], "")
    return [f"<Response>{body}</Response>".encode()]


class RestOperations(RuleBasedStateMachine):
    sim: Simulator
    calls: list[str]

    @initialize(
        scripts=st.lists(
            st.sampled_from(["plain", "busy", "hangs", "presses"]), min_size=3, max_size=3
        )
    )
    def start(self, scripts: list[str]) -> None:
        self.sim = Simulator(strict=False).start()
        self.sim.route(APP, app)
        self.sim.number(OWNED, voice_url=f"{APP}/queue")
        for number, script in zip(NUMBERS, scripts, strict=True):
            phone = self.sim.phone(number)
            if script == "busy":
                phone.busy()
            elif script == "hangs":
                phone.answers(after=2).hangs_up(after=7)
            elif script == "presses":
                phone.presses("1")
        self.calls = []

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Any:
        url = f"{API}/{self.sim.account_sid}/{path}"
        auth = (self.sim.account_sid, self.sim.auth_token)
        if method == "GET":
            answer = requests.get(url, params=form, auth=auth, timeout=5)
        else:
            answer = requests.request(method, url, data=form, auth=auth, timeout=5)
        if answer.status_code == 204:
            return {}
        body = answer.json()
        if answer.status_code >= 400:
            assert set(body) == {"code", "message", "more_info", "status"}, body
            assert answer.status_code != 500, (method, path, form, body)
        if SPEC:
            problems = schema.problems(
                method,
                f"/2010-04-01/Accounts/{self.sim.account_sid}/{path}",
                answer.status_code,
                body,
            )
            assert not problems, (method, path, form, problems)
        return body

    def rooms(self) -> list[str]:
        listed = self.request("GET", "Conferences.json", {"Status": "in-progress"})
        return [room["sid"] for room in listed.get("conferences", [])]

    @invariant()
    def no_internal_error(self) -> None:
        if hasattr(self, "sim"):
            assert list(self.sim.rest.internal_errors) == []

    @rule(
        to=st.sampled_from(NUMBERS),
        path=st.sampled_from(PATHS),
        options=st.dictionaries(
            st.sampled_from(["Record", "Timeout", "TimeLimit", "MachineDetection", "SendDigits"]),
            st.sampled_from(["true", "5", "60", "Enable", "ww1#"]),
            max_size=2,
        ),
    )
    def create(self, to: str, path: str, options: dict[str, str]) -> None:
        created = self.request(
            "POST", "Calls.json", {"To": to, "From": OWNED, "Url": APP + path, **options}
        )
        if "sid" in created:
            self.calls.append(created["sid"])

    @precondition(lambda self: self.calls)
    @rule(
        index=st.integers(0, 20),
        change=st.sampled_from(
            [
                {"Status": "completed"},
                {"Status": "canceled"},
                {"Url": f"{APP}/room"},
                {"Url": f"{APP}/dequeue"},
                {"Twiml": "<Response><Say>Changed</Say></Response>"},
            ]
        ),
    )
    def update(self, index: int, change: dict[str, str]) -> None:
        self.request("POST", f"Calls/{self.calls[index % len(self.calls)]}.json", change)

    @precondition(lambda self: self.calls)
    @rule(
        index=st.integers(0, 20),
        change=st.sampled_from(
            [
                {"Hold": "true"},
                {"Hold": "false", "Muted": "true"},
                {"Coaching": "true"},
                {"AnnounceUrl": f"{APP}/after"},
                {"EndConferenceOnExit": "true"},
            ]
        ),
        remove=st.booleans(),
    )
    def participant(self, index: int, change: dict[str, str], remove: bool) -> None:
        sid = self.calls[index % len(self.calls)]
        for room in self.rooms():
            if remove:
                self.request("DELETE", f"Conferences/{room}/Participants/{sid}.json")
            else:
                self.request("POST", f"Conferences/{room}/Participants/{sid}.json", change)

    @rule(to=st.sampled_from(NUMBERS), label=st.sampled_from(["", "agent", "coach"]))
    def add_participant(self, to: str, label: str) -> None:
        room = (self.rooms() or ["room"])[0]
        form = {"From": OWNED, "To": to, **({"Label": label} if label else {})}
        added = self.request("POST", f"Conferences/{room}/Participants.json", form)
        if "call_sid" in added:
            self.calls.append(added["call_sid"])

    @rule(change=st.sampled_from([{"Status": "completed"}, {"AnnounceUrl": f"{APP}/after"}]))
    def room(self, change: dict[str, str]) -> None:
        for room in self.rooms():
            self.request("POST", f"Conferences/{room}.json", change)

    @rule(member=st.sampled_from(["Front", "last"]))
    def dequeue(self, member: str) -> None:
        for queue in self.request("GET", "Queues.json").get("queues", []):
            name = self.calls[-1] if member == "last" and self.calls else "Front"
            self.request(
                "POST", f"Queues/{queue['sid']}/Members/{name}.json", {"Url": f"{APP}/after"}
            )

    @rule(status=st.sampled_from(["delete", "paused", "stopped", "in-progress"]))
    def recordings(self, status: str) -> None:
        for recording in self.request("GET", "Recordings.json").get("recordings", [])[:2]:
            if status == "delete":
                self.request("DELETE", f"Recordings/{recording['sid']}.json")
            else:
                path = f"Calls/{recording['call_sid']}/Recordings/{recording['sid']}.json"
                self.request("POST", path, {"Status": status})

    @rule(seconds=st.sampled_from([0, 1, 3, 7, 30]))
    def advance(self, seconds: int) -> None:
        self.sim.advance(seconds)

    @rule()
    def views_agree(self) -> None:
        for sid in self.calls[-4:]:
            assert self.request("GET", f"Calls/{sid}.json")["status"] == self.sim.calls[sid].status
        for queue in self.request("GET", "Queues.json").get("queues", []):
            members = self.request("GET", f"Queues/{queue['sid']}/Members.json")["queue_members"]
            assert [m["position"] for m in members] == list(range(1, queue["current_size"] + 1))
        for room in self.rooms():
            listed = self.request("GET", f"Conferences/{room}/Participants.json")["participants"]
            connected = sorted(p["call_sid"] for p in listed if p["status"] == "connected")
            assert connected == sorted(call.sid for call in self.sim.conferences[room].present)
        self.request("GET", "Notifications.json")

    def teardown(self) -> None:
        try:
            self.sim.advance(30)
            self.sim.run()
            assert [sid for sid, call in self.sim.calls.items() if not call.ended] == []
            # once every call has ended, no recording of theirs is still open
            listed = self.request("GET", "Recordings.json", {"PageSize": "1000"})["recordings"]
            open_ = [(r["sid"], r["source"], r["status"]) for r in listed]
            assert [r for r in open_ if r[2] not in {"completed", "absent"}] == []
        finally:
            self.sim.stop()


RestOperations.TestCase.settings = settings(
    max_examples=int(os.environ.get("TWIMLSIM_FUZZ_EXAMPLES", "8")),
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
TestRestOperations = RestOperations.TestCase
