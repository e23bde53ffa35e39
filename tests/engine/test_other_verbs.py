"""The verbs issue 4 does not require: which are simulated simply (``<Start>``, ``<Stop>``,
``<Echo>``, ``<Refer>``) and which are reported as "not simulated
yet" and skipped (``<Connect><Stream>`` is in ``test_connect_stream.py``, an empty
``<Connect>`` in ``test_stream_urls.py``)."""

from __future__ import annotations

import pytest

from tests.engine.helpers import place, response, simulator
from tests.support import APP_URL, CALLEE
from twimlsim import ConfigurationError, SimulationError
from twimlsim.engine.events import Answered, Echoed, HungUp, Referred, Said, StreamStarted
from twimlsim.engine.process import Waiting
from twimlsim.errors import CallFailure

#: (element, what the failure calls it, the verb)
NOT_SIMULATED = [
    (
        "Connect",
        "<Connect><VirtualAgent>",
        '<Connect><VirtualAgent connectorName="dialogflow"/></Connect>',
    ),
    ("Connect", "<Connect><Room>", "<Connect><Room>support</Room></Connect>"),
]


@pytest.mark.parametrize(
    ("verb", "kinds", "streamed"),
    [
        (
            '<Start><Stream url="wss://media.test/s" statusCallback="/stream"/></Start>',
            ["voice", "stream", "stream"],  # started, then stopped by the call's end
            # the start is a line of the transcript; the stop by the call's end is not
            ["wss://media.test/s"],
        ),
        ('<Stop><Stream name="s"/></Stop>', ["voice"], []),
    ],
)
def test_start_and_stop_continue_at_once(verb: str, kinds: list[str], streamed: list[str]) -> None:
    with simulator({"/voice": response(f"{verb}<Say>Next</Say>")}) as (sim, _):
        call = place(sim)
        sim.run()
    t = sim.clock.at
    assert call.transcript == [
        Answered(t(0)),
        *(StreamStarted(t(0), url, None, "inbound_track") for url in streamed),
        Said(t(0), "Next", "man", "en-US"),
        HungUp(t(1_000_000), by="twiml", status="completed"),
    ]
    assert [r.kind for r in call.requests] == kinds
    assert sim.failures == []


def test_echo_lasts_until_the_far_end_hangs_up() -> None:
    with simulator({"/voice": response("<Echo/><Say>never reached</Say>")}) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=42)
        call = place(sim, status_callback=f"{APP_URL}/status")
        sim.run()
    t = sim.clock.at
    assert call.transcript == [
        Answered(t(0)),
        Echoed(t(0)),
        HungUp(t(42_000_000), by="caller", status="completed"),
    ]
    assert (call.duration, call.requests[1].params["CallDuration"]) == (42, "42")


@pytest.mark.parametrize(("tag", "what", "verb"), NOT_SIMULATED)
def test_unsimulated_verbs_are_reported_and_skipped(tag: str, what: str, verb: str) -> None:
    with simulator({"/voice": response(f"{verb}<Say>Next</Say>")}, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert sim.failures == [
        CallFailure(
            call.sid,
            None,
            f"{what} is not simulated by twimlsim yet; the verb was skipped",
            f"{APP_URL}/voice",
            tag,
            1,
        )
    ]
    assert call.said == ["Next"]
    assert call.duration == 1


@pytest.mark.parametrize(("tag", "what", "verb"), NOT_SIMULATED)
def test_unsimulated_verbs_fail_a_strict_test(tag: str, what: str, verb: str) -> None:
    with (
        pytest.raises(SimulationError) as raised,
        simulator({"/voice": response(verb)}) as (sim, _),
    ):
        place(sim)
        sim.run()
    assert f"in <{tag}> (line 1): {what} is not simulated by twimlsim yet" in str(raised.value)


@pytest.mark.parametrize(
    ("tag", "verb", "meant"),
    [
        (
            # twilio-python's response.queue("support") writes it so, for a dial().queue()
            "Queue",
            "<Queue>support</Queue>",
            "Twilio's docs describe <Queue> only inside <Dial>, which connects this call to "
            "the caller at the front of that queue: <Dial><Queue>name</Queue></Dial> "
            "(twilio-python: response.dial().queue(name); response.queue(...) writes it at "
            "the top); to put this caller in the queue, use <Enqueue>name</Enqueue>",
        ),
        (
            "Prompt",
            '<Prompt for="payment-card-number"><Say>Your card number</Say></Prompt>',
            "Twilio's docs describe <Prompt> only inside <Pay>: <Pay><Prompt for=...>..."
            "</Prompt></Pay> (twilio-python: response.pay().prompt(...); response.prompt(...) "
            "writes it at the top)",
        ),
    ],
)
def test_a_noun_written_as_a_verb_says_what_was_meant(tag: str, verb: str, meant: str) -> None:
    with simulator({"/voice": response(f"{verb}<Say>Next</Say>")}, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert sim.failures == [
        CallFailure(
            call.sid,
            None,
            f"<{tag}> is not simulated by twimlsim yet; the verb was skipped. {meant}",
            f"{APP_URL}/voice",
            tag,
            1,
        )
    ]
    assert call.said == ["Next"]


@pytest.mark.parametrize(("tag", "noun"), [("Sim", "<Sim>DE" + "0" * 32 + "</Sim>")])
def test_an_unsimulated_dial_noun_is_reported_and_skipped(tag: str, noun: str) -> None:
    body = f'<Dial action="/dialed">{noun}</Dial><Say>Next</Say>'
    with simulator({"/voice": response(body)}, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert sim.failures == [
        CallFailure(
            call.sid,
            None,
            f"<Dial><{tag}> is not simulated by twimlsim yet; the noun was skipped",
            f"{APP_URL}/voice",
            tag,
            1,
        )
    ]
    assert (call.children, call.said) == ([], ["Next"])
    assert [r.kind for r in call.requests] == ["voice"]


REFER = '<Refer action="/referred"><Sip>sip:bob@example.com</Sip></Refer><Say>Next</Say>'


@pytest.mark.parametrize("far_end", [CALLEE, "client:alice"])
def test_refer_on_a_leg_that_is_not_sip_is_13801_and_skipped(far_end: str) -> None:
    with simulator({"/voice": response(REFER)}, strict=False) as (sim, _):
        call = place(sim, to=far_end)
        sim.run()
    assert sim.failures == [
        CallFailure(
            call.sid,
            13801,
            f"<Refer> on a call whose far end {far_end} is not a SIP leg (a phone number or a "
            "Voice SDK client): Twilio refers SIP legs only; twimlsim skipped the verb and "
            "went on with the next one. Transfer the call with <Dial> instead",
            f"{APP_URL}/voice",
            "Refer",
            1,
            level="error",
        )
    ]
    assert (call.said, [r.kind for r in call.requests]) == (["Next"], ["voice"])


def test_refer_on_a_sip_leg_transfers_it_and_requests_the_action() -> None:
    """Twilio's <Refer> page, its first scenario: the SIP endpoint accepts the REFER (202)
    and the new call to the target is answered (NOTIFY 200); the action carries
    ReferCallStatus, ReferSipResponseCode, NotifySipResponseCode with the standard
    parameters; then the endpoint, its call replaced, hangs up the Twilio leg."""
    sip = "sip:carol@pbx.example.com"
    routes = {"/voice": response(REFER), "/referred": response("<Say>Bye</Say>")}
    with simulator(routes) as (sim, _):
        call = place(sim, to=sip)
        sim.run()
    assert sim.failures == []
    assert [(r.kind, r.url) for r in call.requests] == [
        ("voice", f"{APP_URL}/voice"),
        ("refer", f"{APP_URL}/referred"),
    ]
    params = call.requests[1].params
    assert list(params)[-3:] == ["ReferCallStatus", "ReferSipResponseCode", "NotifySipResponseCode"]
    assert (params["CallStatus"], params["ReferCallStatus"]) == ("in-progress", "in-progress")
    assert (params["ReferSipResponseCode"], params["NotifySipResponseCode"]) == ("202", "200")
    assert params["To"] == sip and params["Direction"] == "outbound-api"
    assert call.transcript[1:] == [
        Referred(sim.clock.at(0), "sip:bob@example.com"),
        HungUp(sim.clock.at(0), "caller", "completed"),
    ]
    assert (call.status, call.said) == ("completed", [])


def test_refer_on_a_sip_leg_without_action_ends_when_the_endpoint_hangs_up() -> None:
    with simulator({"/voice": response(REFER.replace(' action="/referred"', ""))}) as (sim, _):
        call = place(sim, to="sip:carol@pbx.example.com")
        sim.run()
    assert [r.kind for r in call.requests] == ["voice"]
    assert call.transcript[-1] == HungUp(sim.clock.at(0), "caller", "completed")
    assert call.said == []


@pytest.mark.parametrize(
    "refer",
    [
        '<Refer action="/referred"/>',
        '<Refer action="/referred"><Sip> </Sip></Refer>',
        '<Refer action="/referred">sip:bob@example.com</Refer>',
    ],
)
def test_refer_without_a_sip_target_is_12200_and_skipped(refer: str) -> None:
    """A REFER needs the URI to transfer to (its Refer-To): a <Refer> without a <Sip> URI
    has nothing to send, so the verb is skipped, no action is requested, and the call goes
    on with the next verb."""
    routes = {"/voice": response(f"{refer}<Say>Next</Say>"), "/referred": response("")}
    with simulator(routes, strict=False) as (sim, _):
        call = place(sim, to="sip:carol@pbx.example.com")
        sim.run()
    assert sim.failures == [
        CallFailure(
            call.sid,
            12200,
            "<Refer> has no <Sip> child with the SIP URI to transfer the call to (such as "
            "<Sip>sip:alice@example.com</Sip>): there is no REFER to send, so the verb is "
            "skipped and the call goes on with the next one",
            f"{APP_URL}/voice",
            "Refer",
            1,
            level="warning",
        )
    ]
    assert (call.said, [r.kind for r in call.requests]) == (["Next"], ["voice"])
    assert not any(isinstance(event, Referred) for event in call.transcript)


TASKROUTER_ENQUEUE = (
    '<Enqueue workflowSid="WW0123456789abcdef0123456789abcdef">'
    '<Task>{"selected_product": "ProgrammableSMS"}</Task></Enqueue><Say>Next</Say>'
)


def test_a_taskrouter_enqueue_holds_the_caller_until_the_app_redirects_it() -> None:
    """No worker is ever assigned: the caller waits (call.run() stops there) until the app
    redirects it, as a TaskRouter app does on a workflow.timeout event."""
    with simulator({"/voice": response(TASKROUTER_ENQUEUE)}, strict=False) as (sim, _):
        call = place(sim)
        call.run()
        assert call.waiting_for == Waiting("Enqueue", (), None)
        with pytest.raises(ConfigurationError) as pressed:
            call.press("1")
        sim.advance(45)  # the workflow times out; the app's event handler redirects the call
        sim.client().calls(call.sid).update(twiml="<Response><Say>Leave a message</Say></Response>")
        sim.run()
    assert sim.failures == [
        CallFailure(
            call.sid,
            None,
            "<Enqueue workflowSid> (TaskRouter) is not simulated by twimlsim yet: twimlsim "
            "holds the caller there as Twilio would, in a queue named after the workflow "
            "SID, its waitUrl (Twilio's hold music by default) playing meanwhile, but no "
            "worker is ever assigned, so only a REST update of the call (the app's own "
            "handling of a workflow.timeout event), a <Leave> in the wait document, a "
            "hang-up or the call's time limit ends the wait. twimlsim answers no TaskRouter "
            "API either "
            "(taskrouter.twilio.com): test the flow with strict=False (call.served holds this "
            "document, <Task> included), and the app's TaskRouter callbacks (assignment, "
            "events) by requesting them from the test",
            f"{APP_URL}/voice",
            "Enqueue",
            1,
        )
    ]
    assert str(pressed.value) == (
        f"call {call.sid} is held in a TaskRouter queue (<Enqueue workflowSid>, not "
        "simulated) (call.waiting_for.verb == 'Enqueue', no input): its far end's keys and "
        "words change nothing there; the app redirects it (REST), as on a workflow.timeout "
        "event, or time passes (sim.advance(seconds)); call.hangup() hangs it up"
    )
    (enqueue, _say) = call.served[0].verbs
    assert [(task.tag, task.text) for task in enqueue.children] == [
        ("Task", '{"selected_product": "ProgrammableSMS"}')
    ]
    assert (call.said, call.duration) == (["Leave a message"], 47)
    # Twilio's hold music played while the task waited, as in any queue
    assert [(r.kind, r.method, r.url.partition("&")[0]) for r in call.requests[1:]] == [
        ("wait", "GET", "http://twimlets.com/holdmusic?Bucket=com.twilio.music.classical"),
        ("redirect", "POST", "http://twimlets.com/holdmusic?Bucket=com.twilio.music.classical"),
    ]


def test_a_taskrouter_enqueue_plays_its_wait_url_in_the_workflows_queue() -> None:
    # a Flex outbound sample enqueues a human-answered call with workflowSid and a waitUrl
    # of hold music: Twilio plays it while the task waits, and twimlsim requested nothing
    enqueue = (
        '<Enqueue workflowSid="WW0123456789abcdef0123456789abcdef" waitUrl="/hold">'
        '<Task>{"name": "Bob"}</Task></Enqueue>'
    )
    hold = response('<Say>Please wait</Say><Pause length="10"/>')
    routes = {"/voice": response(enqueue), "/hold": hold}
    with simulator(routes, strict=False) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=30)
        call = place(sim)
        sim.run()
        (queue,) = sim.client().queues.list()
    waits = [r for r in call.requests if r.kind == "wait"]
    assert [(r.at.second, r.method, r.url) for r in waits] == [
        (0, "POST", f"{APP_URL}/hold"),
        (11, "POST", f"{APP_URL}/hold"),
        (22, "POST", f"{APP_URL}/hold"),
    ]
    assert {k: waits[1].params[k] for k in ("QueueSid", "QueuePosition", "QueueTime")} == {
        "QueueSid": queue.sid,
        "QueuePosition": "1",
        "QueueTime": "11",
    }
    assert (queue.friendly_name, queue.current_size) == ("WW0123456789abcdef0123456789abcdef", 0)
    assert call.said == ["Please wait"] * 3


#: TaskRouter's own example of bridging a reservation's call: a <Queue> with no name.
TASKROUTER_DIAL = (
    '<Dial action="/after"><Queue reservationSid="WR0123456789abcdef0123456789abcdef"/></Dial>'
)


def test_a_taskrouter_dial_queue_is_no_14212_and_reports_it_is_not_simulated() -> None:
    routes = {"/voice": response(TASKROUTER_DIAL), "/after": response("<Say>After</Say>")}
    with simulator(routes, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert sim.failures == [
        CallFailure(
            call.sid,
            None,
            "<Dial><Queue reservationSid> (TaskRouter) is not simulated by twimlsim yet: no "
            "reservation's call can be taken, so the <Dial> ends at once with "
            "DialCallStatus=failed, as for a queue that does not exist. Test the flow with "
            "strict=False, or give the <Queue> the name of a queue the caller joined with "
            "<Enqueue>name</Enqueue>",
            f"{APP_URL}/voice",
            "Queue",
            1,
        )
    ]
    action = call.requests[1]
    assert (action.kind, action.params["DialCallStatus"], call.said) == (
        "dial",
        "failed",
        ["After"],
    )
