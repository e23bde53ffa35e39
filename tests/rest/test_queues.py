"""Queues and Members: create/list/fetch/update/delete a queue, list and fetch members
(``Front`` too), dequeue a member with ``Url``; exact JSON and Twilio's errors."""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from tests.engine.helpers import base, log, response, simulator
from tests.support import APP_URL, CALLER_ID, account_api, twilio_error_body
from twimlsim import Simulator

CUSTOMER = "+15557770001"
CUSTOMER2 = "+15557770002"
ENQUEUE = '<Enqueue action="/queued" waitUrl="/wait">support</Enqueue><Say>not reached</Say>'
HOLD = '<Say>Please hold</Say><Pause length="9"/>'  # one wait loop: 10 seconds
T0 = "Thu, 01 Jan 2026 09:00:00 +0000"


def queue_body(sim: Simulator, sid: str, name: str, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "account_sid": sim.account_sid,
        "average_wait_time": 0,
        "current_size": 0,
        "date_created": T0,
        "date_updated": T0,
        "friendly_name": name,
        "max_size": 1000,
        "sid": sid,
        "uri": f"/2010-04-01/Accounts/{sim.account_sid}/Queues/{sid}.json",
    }
    body.update(changes)
    return body


def test_create_fetch_list_update_delete_exact_json() -> None:
    with simulator({}) as (sim, _):
        created = account_api(sim, "POST", "/Queues.json", FriendlyName="support", MaxSize="10")
        assert created.status_code == 201
        sid = created.json()["sid"]
        assert sid.startswith("QU") and len(sid) == 34
        assert created.json() == queue_body(sim, sid, "support", max_size=10)
        assert account_api(sim, "GET", f"/Queues/{sid}.json").json() == created.json()
        sim.advance(5)
        updated = account_api(
            sim, "POST", f"/Queues/{sid}.json", FriendlyName="sales", MaxSize="69"
        )
        expected = queue_body(
            sim, sid, "sales", max_size=69, date_updated="Thu, 01 Jan 2026 09:00:05 +0000"
        )
        assert (updated.status_code, updated.json()) == (200, expected)
        assert list(sim.queues) == ["sales"]
        other = sim.client().queues.create(friendly_name="billing").sid
        listed = account_api(sim, "GET", "/Queues.json?PageSize=1").json()
        assert listed["queues"] == [expected]
        assert listed["next_page_uri"] == (
            f"/2010-04-01/Accounts/{sim.account_sid}/Queues.json?PageSize=1&Page=1"
            f"&PageToken=PA{sid}"
        )
        assert [q.sid for q in sim.client().queues.list()] == [sid, other]
        deleted = account_api(sim, "DELETE", f"/Queues/{sid}.json")
        assert (deleted.status_code, deleted.content) == (204, b"")
        assert [q.sid for q in sim.client().queues.list()] == [other]
        assert list(sim.queues) == ["billing"]


def test_a_rest_created_queue_is_the_one_enqueue_uses() -> None:
    routes = {"/voice": response(ENQUEUE), "/wait": response(HOLD)}
    with simulator(routes, allow_codes={14207}) as (sim, _):
        client = sim.client()
        first = client.queues.create(friendly_name="support", max_size=1)
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        full = sim.incoming_call(from_=CUSTOMER2, to=CALLER_ID)
        sim.advance(15)
        assert client.queues(first.sid).fetch().current_size == 1
        assert [q.sid for q in client.queues.list()] == [first.sid]
        assert [r.params.get("QueueResult") for r in full.requests if r.kind == "enqueue"] == [
            "queue-full"
        ]
        assert [(f.call_sid, f.code, f.message) for f in sim.failures] == [
            (
                full.sid,
                14207,
                "queue 'support' is full (1 of 1 callers): Twilio rejects the <Enqueue> "
                "(QueueResult=queue-full) and logs this warning; raise the queue's MaxSize "
                f"(POST /Queues/{first.sid}.json) (up to 5000), or allow code 14207 in a test "
                "of a full queue",
            )
        ]
        caller.hangup()
        sim.run()


def test_a_queue_name_is_its_own_within_the_account() -> None:
    """Twilio's Queue page: "Each Queue needs to have a unique friendly name within an
    account". A second queue of a name in use, or a rename to one, is 400/20002; a queue
    created by <Enqueue> holds its name as one created by REST does."""
    routes = {"/voice": response(ENQUEUE), "/wait": response(HOLD)}
    with simulator(routes) as (sim, _):
        client = sim.client()
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        support = sim.queues["support"].sid
        sales = client.queues.create(friendly_name="sales").sid

        def refused(queue: str) -> dict[str, object]:
            return twilio_error_body(
                400,
                20002,
                f"Invalid FriendlyName: queue {queue} is already called 'support', and each "
                "queue of an account has a name of its own. Use that queue (GET /Queues.json "
                "lists them) or give this one another name",
            )

        created = account_api(sim, "POST", "/Queues.json", FriendlyName="support")
        assert (created.status_code, created.json()) == (400, refused(support))
        renamed = account_api(sim, "POST", f"/Queues/{sales}.json", FriendlyName="support")
        assert (renamed.status_code, renamed.json()) == (400, refused(support))
        # a refused update changes nothing, MaxSize included
        sized = account_api(
            sim, "POST", f"/Queues/{sales}.json", FriendlyName="support", MaxSize="7"
        )
        assert sized.status_code == 400
        assert (client.queues(sales).fetch().friendly_name, sim.queues["sales"].max_size) == (
            "sales",
            1000,
        )
        # its own name again is no conflict; another account may use the name
        same = account_api(sim, "POST", f"/Queues/{support}.json", FriendlyName="support")
        assert (same.status_code, same.json()["friendly_name"]) == (200, "support")
        sub = sim.subaccount("Tenant")
        theirs = Client(sub.sid, sub.auth_token).queues.create(friendly_name="support")
        assert (theirs.friendly_name, theirs.account_sid) == ("support", sub.sid)
        caller.hangup()
        sim.run()
        # once the queue is deleted, its name is free
        client.queues(support).delete()
        assert client.queues.create(friendly_name="support").sid not in (support, sales)


def test_members_list_fetch_front_and_wait_times() -> None:
    routes = {"/voice": response(ENQUEUE), "/wait": response(HOLD)}
    with simulator(routes) as (sim, _):
        first = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(4)
        second = sim.incoming_call(from_=CUSTOMER2, to=CALLER_ID)
        sim.advance(6)
        queue = sim.queues["support"]
        root = f"/2010-04-01/Accounts/{sim.account_sid}/Queues/{queue.sid}"

        def member(call_sid: str, position: int, joined: int, wait: int) -> dict[str, object]:
            return {
                "queue_sid": queue.sid,
                "call_sid": call_sid,
                "date_enqueued": f"Thu, 01 Jan 2026 09:00:{joined:02d} +0000",
                "position": position,
                "uri": f"{root}/Members/{call_sid}.json",
                "wait_time": wait,
            }

        listed = account_api(sim, "GET", f"/Queues/{queue.sid}/Members.json").json()
        assert listed["queue_members"] == [member(first.sid, 1, 0, 10), member(second.sid, 2, 4, 6)]
        assert listed["uri"] == f"{root}/Members.json?PageSize=50&Page=0"
        front = account_api(sim, "GET", f"/Queues/{queue.sid}/Members/Front.json").json()
        assert front == member(first.sid, 1, 0, 10)
        assert account_api(sim, "GET", f"/Queues/{queue.sid}/Members/{second.sid}.json").json() == (
            member(second.sid, 2, 4, 6)
        )
        fetched = account_api(sim, "GET", f"/Queues/{queue.sid}.json").json()
        assert (fetched["current_size"], fetched["average_wait_time"]) == (2, 8)
        fetched_member = sim.client().queues(queue.sid).members("Front").fetch()
        assert (fetched_member.call_sid, fetched_member.position) == (first.sid, 1)
        first.hangup()
        second.hangup()
        sim.run()
        empty = account_api(sim, "GET", f"/Queues/{queue.sid}/Members.json").json()
        assert empty["queue_members"] == []
        assert account_api(sim, "GET", f"/Queues/{queue.sid}.json").json()["average_wait_time"] == 0


def test_dequeue_a_member_runs_its_url_and_reports_redirected_to_the_enqueue_action() -> None:
    routes = {
        "/voice": response(ENQUEUE),
        "/wait": response(HOLD),
        "/agent-ready": response("<Say>An agent is ready</Say>"),
        "/queued": response("<Say>never run</Say>"),
    }
    with simulator(routes) as (sim, _):
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        waiting = sim.incoming_call(from_=CUSTOMER2, to=CALLER_ID)
        sim.advance(12)
        queue = sim.queues["support"]
        member = (
            sim.client()
            .queues(queue.sid)
            .members("Front")
            .update(url=f"{APP_URL}/agent-ready", method="GET")
        )
        assert (member.call_sid, member.position, member.wait_time) == (caller.sid, 1, 12)
        assert queue.members == [waiting.sid]
        waiting.hangup()
        sim.run()
    assert log(caller) == [
        ("voice", "POST", f"{APP_URL}/voice"),
        ("wait", "POST", f"{APP_URL}/wait"),
        ("wait", "POST", f"{APP_URL}/wait"),
        ("enqueue", "POST", f"{APP_URL}/queued"),
        ("update", "GET", caller.requests[4].url),
        ("status", "POST", f"{APP_URL}/status"),
    ]
    action = caller.requests[3]
    expected = base(sim, caller, "in-progress", from_=CUSTOMER, to=CALLER_ID)
    expected.update(QueueResult="redirected", QueueSid=queue.sid, QueueTime="12")
    assert action.params == expected
    assert caller.requests[4].params == base(
        sim, caller, "in-progress", from_=CUSTOMER, to=CALLER_ID
    )
    assert caller.said == ["Please hold", "Please hold", "An agent is ready"]
    # the dequeue of the member named Front is the caller's, in its report
    assert [(r.kind, r.call_sid, r.url.rsplit("/", 1)[1]) for r in caller.api_requests] == [
        ("members.dequeue", caller.sid, "Front.json")
    ]


def test_a_request_about_one_member_or_participant_is_its_calls() -> None:
    routes = {
        "/voice": response(ENQUEUE),
        "/wait": response(HOLD),
        "/room": response('<Dial><Conference participantLabel="customer">r</Conference></Dial>'),
    }
    with simulator(routes) as (sim, _):
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(5)
        queue = sim.queues["support"]
        client = sim.client()
        client.queues(queue.sid).members(caller.sid).fetch()  # by its SID
        client.queues(queue.sid).members("Front").fetch()
        client.queues(queue.sid).members("Front").update(url=f"{APP_URL}/room")
        sim.advance(5)
        room = client.conferences.list(friendly_name="r")[0]
        client.conferences(room.sid).participants("customer").fetch()  # by its label
        client.conferences(room.sid).participants("customer").update(muted=True)
        caller.hangup()
        sim.run()
        missing = client.queues(queue.sid).members("Front")
        with pytest.raises(TwilioRestException):
            missing.fetch()  # no one at the front: about no call
    assert [(r.kind, r.status, r.call_sid) for r in sim.api_requests] == [
        ("members.fetch", 200, caller.sid),
        ("members.fetch", 200, caller.sid),
        ("members.dequeue", 200, caller.sid),
        ("conferences.list", 200, None),
        ("participants.fetch", 200, caller.sid),
        ("participants.update", 200, caller.sid),
        ("members.fetch", 404, None),
    ]
    assert [r.kind for r in caller.api_requests] == [
        "members.fetch",
        "members.fetch",
        "members.dequeue",
        "participants.fetch",
        "participants.update",
    ]


@pytest.mark.parametrize(
    ("method", "path", "form", "status", "code", "message"),
    [
        ("POST", "/Queues.json", {}, 400, 20001, "Missing required parameter FriendlyName in "
         "the post body"),
        ("POST", "/Queues.json", {"FriendlyName": "x" * 65}, 400, 20002, "Invalid FriendlyName: "
         "a queue's FriendlyName must be 1 to 64 characters long (got 65)"),
        ("POST", "/Queues.json", {"FriendlyName": "a", "MaxSize": "5001"}, 400, 20422,
         "MaxSize is not a valid integer between 1 and 5000: 5001"),
        ("GET", "/Queues/QU" + "0" * 32 + ".json", {}, 404, 20404, "The requested resource "
         "/2010-04-01/Accounts/{ac}/Queues/QU" + "0" * 32 + ".json was not found"),
        ("GET", "/Queues/{qu}/Members/Front.json", {}, 404, 20404, "The requested resource "
         "/2010-04-01/Accounts/{ac}/Queues/{qu}/Members/Front.json was not found"),
        ("GET", "/Queues/{qu}/Members/CA" + "0" * 32 + ".json", {}, 404, 20404, "The requested "
         "resource /2010-04-01/Accounts/{ac}/Queues/{qu}/Members/CA" + "0" * 32 + ".json was "
         "not found"),
        ("POST", "/Queues/{qu}/Members/{ca}.json", {}, 400, 20001, "Missing required parameter "
         "Url in the post body: give the URL of the TwiML the member runs"),
        ("POST", "/Queues/{qu}/Members/{ca}.json", {"Url": "nope"}, 400, 21205, "Url is not a "
         "valid URL: nope"),
        ("POST", "/Queues/{qu}/Members/{ca}.json", {"Url": "https://a.test/x", "Method": "PUT"},
         400, 21209, "Method is not a valid HTTP method: PUT. Use GET or POST"),
        ("DELETE", "/Queues/{qu}.json", {}, 400, 20409, "Queue {qu} still has 1 member(s); only "
         "an empty queue can be deleted. Dequeue or hang up its members first"),
    ],
)  # fmt: skip
def test_errors(
    method: str, path: str, form: dict[str, str], status: int, code: int, message: str
) -> None:
    routes = {"/voice": response(ENQUEUE), "/wait": response(HOLD)}
    with simulator(routes) as (sim, _):
        empty = sim.client().queues.create(friendly_name="empty").sid
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        full = sim.queues["support"].sid
        queue = empty if "Front" in path or "CA000" in path else full
        names = {"ac": sim.account_sid, "qu": queue, "ca": caller.sid}
        answer = account_api(sim, method, path.format(**names), **form)
        assert (answer.status_code, answer.json()) == (
            status,
            twilio_error_body(status, code, message.format(**names)),
        )
        caller.hangup()
        sim.run()


def test_a_second_dequeue_of_a_member_is_400() -> None:
    """Twilio's Member page: "When redirecting a member of a queue addressed by CallSid,
    only the first request will succeed and return a 200 response code. A second request
    will fail and return an appropriate 400 response code" (its code, 21220, a choice)."""
    routes = {"/voice": response(ENQUEUE), "/wait": response(HOLD), "/agent": response("")}
    with simulator(routes) as (sim, _):
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(3)
        queue = sim.queues["support"].sid
        members = sim.client().queues(queue).members
        assert members(caller.sid).update(url=f"{APP_URL}/agent").call_sid == caller.sid
        with pytest.raises(TwilioRestException) as raised:
            members(caller.sid).update(url=f"{APP_URL}/agent")
        assert (raised.value.status, raised.value.code, raised.value.msg) == (
            400,
            21220,
            f"Unable to update record: Call {caller.sid} is not a member of queue {queue}: "
            "it was dequeued, left or "
            "never joined it. Only the first dequeue of a member succeeds; list the queue's "
            "members (or dequeue Front) to find who is waiting",
        )
        sim.run()
    assert [r.kind for r in caller.requests].count("update") == 1


def test_the_twilio_client_sees_a_dequeue_of_an_empty_front_as_404() -> None:
    with simulator({}) as (sim, _):
        sid = sim.client().queues.create(friendly_name="empty").sid
        with pytest.raises(TwilioRestException) as raised:
            sim.client().queues(sid).members("Front").update(url=f"{APP_URL}/x")
        assert (raised.value.status, raised.value.code) == (404, 20404)
