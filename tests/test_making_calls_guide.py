"""Twilio's "Making Calls" guide (https://www.twilio.com/docs/voice/make-calls), sentence by
sentence: each test quotes one sentence that states a behaviour and checks twimlsim does it.

Sentences come from the guide itself, from the earlier edition of the guide where the
current one only links on ("REST API: Making Calls", twilio.com/docs/api/rest/making-calls),
and from the Call resource's create parameters the guide sends readers to ("Looking for
the API Reference docs?"), whose text is Twilio's OpenAPI description in
``../shared/data/twilio_api_v2010.json``. Every JSON body is checked against that spec.
"""

from __future__ import annotations

import pytest
import requests
from twilio.base.exceptions import TwilioRestException

from fixtures.twiml_app import TwimlApp
from tests.rest.conftest import checked_bodies  # noqa: F401 - autouse: every body is checked
from tests.rest.test_edges import api
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import SimulationError, Simulator

CALLS = "/2010-04-01/Accounts/{ac}/Calls.json"
SAY = "<Response><Say>Hi</Say></Response>"
#: A second app: any method, ``/hi`` says Hi, every other path answers an empty <Response/>.
OTHER = "https://other.test"


@pytest.fixture(autouse=True)
def other_app(sim: Simulator) -> None:
    sim.route(OTHER, TwimlApp({"/hi": SAY}))  # type: ignore[arg-type]


def create(sim: Simulator, **form: str) -> requests.Response:
    return api(sim, "POST", CALLS, form)


def refused(sim: Simulator, code: int, **form: str) -> str:
    response = create(sim, **form)
    assert (response.status_code, response.json()["code"]) == (400, code)
    return str(response.json()["message"])


# -- Initiate an outbound call with Twilio ---------------------------------------------------


def test_calls_go_to_phones_sip_endpoints_and_voice_sdk_connections(sim: Simulator) -> None:
    """ "Using the Twilio REST API, you can make outgoing calls to phones, SIP-enabled
    endpoints, and Twilio Voice SDK connections." """
    client = sim.client()
    targets = [CALLEE, "sip:pat@example.com", "client:joey"]
    sids = [client.calls.create(to=to, from_=CALLER_ID, twiml=SAY).sid for to in targets]
    sim.run()
    assert [(sim.calls[sid].record.to, sim.calls[sid].status) for sid in sids] == [
        (CALLEE, "completed"),
        ("sip:pat@example.com", "completed"),
        ("client:joey", "completed"),
    ]
    assert [sim.calls[sid].said for sid in sids] == [["Hi"], ["Hi"], ["Hi"]]


@pytest.mark.usefixtures("asks_unsimulated")
def test_a_call_is_a_post_to_the_accounts_call_resource(sim: Simulator) -> None:
    """ "To place an outbound call, a phone call from a Twilio phone number to an outside
    number, you must make an HTTP POST request to your account's Call resource:
    /2010-04-01/Accounts/{AccountSid}/Calls" """
    response = create(sim, To=CALLEE, From=CALLER_ID, Twiml=SAY)
    assert (response.status_code, response.json()["status"]) == (201, "queued")
    without_json = requests.post(
        f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls",
        data={"To": CALLEE, "From": CALLER_ID, "Twiml": SAY},
        auth=(sim.account_sid, sim.auth_token),
        timeout=5,
    )
    # on Twilio that form answers in XML, which twimlsim does not simulate: it says so
    assert (without_json.status_code, without_json.json()["code"]) == (501, 20500)
    sim.run()


def test_calls_leave_the_queue_one_per_second(sim: Simulator) -> None:
    """ "Calls initiated via the REST API are rate-limited to one per second. You can queue up
    as many calls as you like as fast as you want, but each call is popped off the queue at
    a rate of one per second." """
    client = sim.client()
    sids = [client.calls.create(to=CALLEE, from_=CALLER_ID, twiml=SAY).sid for _ in range(4)]
    assert [client.calls(sid).fetch().status for sid in sids] == ["queued"] * 4
    sim.run()
    starts = [sim.calls[sid].record.start_time for sid in sids]
    assert [(moment - starts[0]).total_seconds() for moment in starts] == [0, 1, 2, 3]


def test_from_and_to_are_required(sim: Simulator) -> None:
    """ "Your POST request to the API must include the parameters From and To for Twilio to
    know where to direct the outbound call and what to use as the caller ID." """
    assert refused(sim, 21201, From=CALLER_ID, Twiml=SAY) == "No 'To' number is specified"
    assert refused(sim, 21213, To=CALLEE, Twiml=SAY) == "No 'From' number is specified"


# -- Specify the call's recipient --------------------------------------------------------------


def test_to_is_a_phone_number_sip_address_or_client_identifier(sim: Simulator) -> None:
    """ "The To parameter (required) is the phone number, SIP address, or client identifier
    you're calling." """
    for to in (CALLEE, "sip:pat@example.com", "client:joey"):
        assert create(sim, To=to, From=CALLER_ID, Twiml=SAY).json()["to"] == to
    assert refused(sim, 21211, To="the front desk", From=CALLER_ID, Twiml=SAY) == (
        "The 'To' number the front desk is not a valid phone number."
    )
    sim.run()


def test_phone_numbers_are_e164(sim: Simulator) -> None:
    """ "Phone numbers should be formatted with a '+' and country code e.g., +16175551212
    (E.164 format)." """
    body = create(sim, To="+16175551212", From=CALLER_ID, Twiml=SAY).json()
    assert (body["to"], body["to_formatted"]) == ("+16175551212", "(617) 555-1212")
    assert refused(sim, 21211, To="+0617", From=CALLER_ID, Twiml=SAY) == (
        "The 'To' number +0617 is not a valid phone number."
    )
    sim.run()


def test_unformatted_us_numbers_are_accepted(sim: Simulator) -> None:
    """(Earlier edition) "Twilio will also accept unformatted US numbers e.g., (415)
    555-1212 or 415-555-1212." """
    for given in ("(415) 555-1212", "415-555-1212"):
        assert create(sim, To=given, From=CALLER_ID, Twiml=SAY).json()["to"] == "+14155551212"
    sim.run()


def test_on_a_trial_account_to_must_be_verified() -> None:
    """ "If you are making calls from a trial account, the To phone number must be verified
    with Twilio." """
    with Simulator(trial=True) as sim:
        sim.number(CALLER_ID)
        client = sim.client()
        with pytest.raises(TwilioRestException) as raised:
            client.calls.create(to=CALLEE, from_=CALLER_ID, twiml=SAY)
        assert (raised.value.status, raised.value.code) == (400, 21219)
        assert raised.value.msg == (
            f"Unable to create record: The number {CALLEE} is unverified. Trial accounts may "
            "only make calls to verified numbers."
        )
        assert sim.calls == {}
        sim.verified_caller_id(CALLEE)
        call = client.calls.create(to=CALLEE, from_=CALLER_ID, twiml=SAY)
        sim.run()
        assert sim.calls[call.sid].said == ["Hi"]
        assert client.api.accounts(sim.account_sid).fetch().type == "Trial"


def test_sip_addresses_have_the_sip_scheme(sim: Simulator) -> None:
    """ "SIP addresses must be formatted as sip:name@example.com." """
    assert create(sim, To="sip:pat@example.com", From=CALLER_ID, Twiml=SAY).status_code == 201
    assert refused(sim, 21211, To="pat@example.com", From=CALLER_ID, Twiml=SAY) == (
        "The 'To' number pat@example.com is not a valid phone number."
    )
    sim.run()


def test_client_identifiers_have_the_client_scheme(sim: Simulator) -> None:
    """ "Client identifiers must begin with the client:URI scheme. For example, to call a
    client named joey, the To parameter should be client:joey." """
    call = sim.client().calls.create(to="client:joey", from_=CALLER_ID, url=f"{APP_URL}/voice")
    assert refused(sim, 21211, To="joey", From=CALLER_ID, Twiml=SAY) == (
        "The 'To' number joey is not a valid phone number."
    )
    sim.run()
    voice = sim.calls[call.sid].requests[0].params
    assert (voice["To"], voice["Called"], voice["ToCountry"], voice["From"]) == (
        "client:joey",
        "client:joey",
        "",
        CALLER_ID,
    )


# -- Specify the caller ID ----------------------------------------------------------------------


def test_from_is_a_phone_number_or_client_identifier(sim: Simulator) -> None:
    """ "Twilio uses the From parameter (required) to set a phone number or client identifier
    as the caller ID for your outbound call." """
    call = sim.client().calls.create(to="client:joey", from_="client:alice", twiml=SAY)
    sim.run()
    assert (sim.calls[call.sid].record.from_, sim.calls[call.sid].status) == (
        "client:alice",
        "completed",
    )


@pytest.mark.parametrize("to", ["sip:kate@example.com", "sip:kate@example.com?hatchkey=4815162342"])
def test_a_sip_call_may_come_from_a_name(sim: Simulator, to: str) -> None:
    """Twilio's making-SIP-calls example: ``calls.create(to="sip:kate@example.com",
    from_="Jack", ...)``; the Call resource asks a phone number of ``From`` only "if the
    ``to`` parameter is a phone number"."""
    call = sim.client().calls.create(to=to, from_="Jack", twiml=SAY)
    sim.run()
    assert (call._from, sim.calls[call.sid].record.from_, sim.calls[call.sid].status) == (
        "Jack",
        "Jack",
        "completed",
    )
    assert refused(sim, 21212, To=to, From="Jack Smith", Twiml=SAY) == (
        "From is not a valid phone number: Jack Smith"
    )


def test_from_is_a_phone_number_when_to_is_one(sim: Simulator) -> None:
    """ "If you used a phone number for your To value in your POST request, the From value you
    specify must also be a phone number." """
    assert refused(sim, 21212, To=CALLEE, From="client:alice", Twiml=SAY) == (
        "From is not a valid phone number: client:alice"
    )


def test_a_from_number_is_a_twilio_number_or_a_verified_caller_id(sim: Simulator) -> None:
    """ "If using a phone number, it must be a Twilio number or a Verified outgoing caller id
    for your account." """
    assert refused(sim, 21210, To=CALLEE, From="+15551230000", Twiml=SAY) == (
        "The source phone number provided, +15551230000, is not yet verified for your account. "
        "You may only make calls from phone numbers that you've verified or purchased from "
        "Twilio."
    )
    sim.verified_caller_id("+15551230000")
    assert create(sim, To=CALLEE, From="+15551230000", Twiml=SAY).status_code == 201
    assert create(sim, To=CALLEE, From=CALLER_ID, Twiml=SAY).status_code == 201
    sim.run()


# -- Specify the TwiML: Url, Twiml, ApplicationSid ---------------------------------------------


def test_the_url_is_requested_with_the_method_when_the_call_connects(sim: Simulator) -> None:
    """ "We will call this URL using the `method` when the call connects." """
    sim.phone(CALLEE).answers(after=7)
    call = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{OTHER}/hi", method="GET")
    sim.run()
    first = sim.calls[call.sid].requests[0]
    assert (first.method, first.url.split("?")[0]) == ("GET", f"{OTHER}/hi")
    record = sim.calls[call.sid].record
    assert first.at == record.answered_at
    assert record.start_time is not None
    assert (first.at - record.start_time).total_seconds() == 7


def test_twiml_is_ignored_when_url_is_given(sim: Simulator) -> None:
    """ "If both `twiml` and `url` are provided then `twiml` parameter will be ignored."
    (with Twilio's warning 32019, which a strict run reports)"""
    call = sim.client().calls.create(
        to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/goodbye", twiml=SAY
    )
    with pytest.raises(SimulationError) as raised:
        sim.run()
    assert [(f.call_sid, f.code, f.level) for f in raised.value.failures] == [
        (call.sid, 32019, "warning")
    ]
    assert sim.calls[call.sid].said == ["Thanks for calling. Goodbye!"]


def test_one_of_url_twiml_or_application_sid_is_needed(sim: Simulator) -> None:
    """(Earlier edition) "You must also POST one of the following parameters: Url,
    ApplicationSid" (the current reference adds Twiml)."""
    assert refused(sim, 21205, To=CALLEE, From=CALLER_ID) == (
        "Url parameter is required. For more information, see http://www.twilio.com/docs/api/twiml"
    )


def test_with_application_sid_the_applications_urls_are_used(sim: Simulator) -> None:
    """(Earlier edition) "If this parameter is present, Twilio will ignore all of the voice
    URLs passed and use the URLs set on the application." """
    app = sim.application(
        voice_url=f"{OTHER}/hi",
        voice_method="GET",
        status_callback=f"{APP_URL}/status",
    )
    call = sim.client().calls.create(
        to=CALLEE,
        from_=CALLER_ID,
        application_sid=app.sid,
        url=f"{APP_URL}/voice",
        twiml=SAY,
    )
    sim.run()
    sim_call = sim.calls[call.sid]
    assert [(r.kind, r.method, r.url.split("?")[0]) for r in sim_call.requests] == [
        ("voice", "GET", f"{OTHER}/hi"),
        ("status", "POST", f"{APP_URL}/status"),
    ]
    assert sim_call.requests[0].params["ApplicationSid"] == app.sid
    assert sim_call.said == ["Hi"]


IGNORED_WITH_APPLICATION = [
    pytest.param("Method", "PUT", id="Method"),
    pytest.param("FallbackUrl", "not a url", id="FallbackUrl"),
    pytest.param("FallbackMethod", "PUT", id="FallbackMethod"),
    pytest.param("StatusCallback", "https://bad_host.test/s", id="StatusCallback"),
    pytest.param("StatusCallbackEvent", "hungup", id="StatusCallbackEvent"),
    pytest.param("StatusCallbackMethod", "PUT", id="StatusCallbackMethod"),
]


@pytest.mark.parametrize(("name", "value"), IGNORED_WITH_APPLICATION)
def test_with_application_sid_each_call_url_parameter_is_ignored(
    sim: Simulator, name: str, value: str
) -> None:
    """ "If an `application_sid` parameter is present, this parameter is ignored." (said of
    Method, FallbackUrl, FallbackMethod, StatusCallback, StatusCallbackEvent and
    StatusCallbackMethod): even a value Twilio would refuse is not looked at."""
    app = sim.application(voice_url=f"{APP_URL}/goodbye")
    without_app = create(sim, To=CALLEE, From=CALLER_ID, Url=f"{APP_URL}/goodbye", **{name: value})
    assert without_app.status_code == 400
    response = create(sim, To=CALLEE, From=CALLER_ID, ApplicationSid=app.sid, **{name: value})
    assert response.status_code == 201
    sim.run()
    call = sim.calls[response.json()["sid"]]
    assert [(r.kind, r.method, r.url) for r in call.requests] == [
        ("voice", "POST", f"{APP_URL}/goodbye")
    ]


def test_an_unknown_application_sid_is_refused(sim: Simulator) -> None:
    """ "The SID of the Application resource that will handle the call, if the call will be
    handled by an application." """
    sid = "AP" + "0" * 32
    assert refused(sim, 21218, To=CALLEE, From=CALLER_ID, ApplicationSid=sid) == (
        f"ApplicationSid {sid} is not an application of this account; create it first "
        "(POST /Applications.json, or sim.application(...))"
    )


# -- Status callbacks -----------------------------------------------------------------------------


def test_without_status_callback_event_only_completed_is_sent(sim: Simulator) -> None:
    """ "If no `status_callback_event` is specified, we will send the `completed` status." """
    call = sim.client().calls.create(
        to=CALLEE, from_=CALLER_ID, twiml=SAY, status_callback=f"{APP_URL}/status"
    )
    sim.run()
    statuses = [r.params["CallStatus"] for r in sim.calls[call.sid].requests]
    assert statuses == ["completed"]


@pytest.mark.parametrize(
    "url",
    ["https://bad_host.test/status", "https:///status", "/status", "ftp://app.test/status"],
)
def test_status_callback_urls_need_a_valid_hostname(sim: Simulator, url: str) -> None:
    """ "URLs must contain a valid hostname (underscores are not permitted)." """
    message = refused(sim, 21609, To=CALLEE, From=CALLER_ID, Twiml=SAY, StatusCallback=url)
    assert message == f"The StatusCallback URL {url} is not a valid URL."


def test_status_callback_events_are_the_four_progress_events(sim: Simulator) -> None:
    """ "Can be: `initiated`, `ringing`, `answered`, and `completed`." """
    call = sim.client().calls.create(
        to=CALLEE,
        from_=CALLER_ID,
        twiml=SAY,
        status_callback=f"{APP_URL}/status",
        status_callback_event=["initiated", "ringing", "answered", "completed"],
    )
    sim.run()
    sent = [
        (r.params["CallStatus"], r.params["SequenceNumber"]) for r in sim.calls[call.sid].requests
    ]
    assert sent == [("initiated", "0"), ("ringing", "1"), ("in-progress", "2"), ("completed", "3")]
    assert refused(
        sim, 21626, To=CALLEE, From=CALLER_ID, Twiml=SAY, StatusCallbackEvent="hungup"
    ) == ("One or more of the StatusCallbackEvents provided were invalid: hungup")


def test_each_event_is_a_separate_parameter(sim: Simulator) -> None:
    """ "If you want to receive multiple events, specify each one in a separate
    `status_callback_event` parameter." """
    response = requests.post(
        f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json",
        data=[
            ("To", CALLEE),
            ("From", CALLER_ID),
            ("Twiml", SAY),
            ("StatusCallback", f"{APP_URL}/status"),
            ("StatusCallbackEvent", "ringing"),
            ("StatusCallbackEvent", "completed"),
        ],
        auth=(sim.account_sid, sim.auth_token),
        timeout=5,
    )
    sim.run()
    statuses = [r.params["CallStatus"] for r in sim.calls[response.json()["sid"]].requests]
    assert statuses == ["ringing", "completed"]


# -- Recording ------------------------------------------------------------------------------------


def test_record_sends_the_recording_url_to_the_status_callback(sim: Simulator) -> None:
    """ "The `recording_url` is sent to the `status_callback` URL." """
    call = sim.client().calls.create(
        to=CALLEE,
        from_=CALLER_ID,
        url=f"{APP_URL}/voice",
        record=True,
        status_callback=f"{APP_URL}/status",
    )
    sim.run()
    [recording] = sim.calls[call.sid].recordings
    completed = sim.calls[call.sid].requests[-1].params
    assert (completed["CallStatus"], completed["RecordingSid"], completed["RecordingUrl"]) == (
        "completed",
        recording.sid,
        f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Recordings/{recording.sid}",
    )


def test_recording_status_callback_events_default_to_completed(sim: Simulator) -> None:
    """ "Can be: `in-progress`, `completed` and `absent`. Defaults to `completed`. Separate
    multiple values with a space." """
    call = sim.client().calls.create(
        to=CALLEE,
        from_=CALLER_ID,
        url=f"{APP_URL}/voice",
        record=True,
        recording_status_callback=f"{OTHER}/recording",
    )
    both = create(
        sim,
        To=CALLEE,
        From=CALLER_ID,
        Url=f"{APP_URL}/voice",
        Record="true",
        RecordingStatusCallback=f"{OTHER}/recording",
        RecordingStatusCallbackEvent="in-progress completed",
    ).json()["sid"]
    assert refused(
        sim,
        20422,
        To=CALLEE,
        From=CALLER_ID,
        Twiml=SAY,
        RecordingStatusCallbackEvent="paused",
    ) == (
        "RecordingStatusCallbackEvent is not valid: paused. Use one of in-progress, completed, "
        "absent; send several separated by spaces or each as its own "
        "RecordingStatusCallbackEvent parameter"
    )
    sim.run()

    def events(sid: str) -> list[str]:
        return [
            r.params["RecordingStatus"]
            for r in sim.calls[sid].requests
            if r.kind == "recording-status"
        ]

    assert events(call.sid) == ["completed"]
    assert events(both) == ["in-progress", "completed"]


def test_a_recording_with_nothing_recorded_is_absent(sim: Simulator) -> None:
    """ "Can be: `in-progress`, `completed` and `absent`." (a call that ends at its answer
    records nothing: its recording is `absent`)"""
    call = sim.client().calls.create(
        to=CALLEE,
        from_=CALLER_ID,
        twiml="<Response><Hangup/></Response>",
        record=True,
        recording_status_callback=f"{OTHER}/recording",
        recording_status_callback_event=["absent"],
    )
    sim.run()
    [absent] = [r.params for r in sim.calls[call.sid].requests if r.kind == "recording-status"]
    assert (absent["RecordingStatus"], absent["ErrorCode"], absent["RecordingDuration"]) == (
        "absent",
        "16101",
        "0",
    )


def test_a_live_call_recording_paused_with_skip_leaves_the_pause_out(sim: Simulator) -> None:
    """ "`skip` does not record during the pause period, while `silence` will replace the
    actual audio of the call with silence during the pause period." (the Recordings API the
    guide sends readers to for controlling a call's recording)"""
    minute = '<Response><Pause length="60"/></Response>'
    client = sim.client()
    skipped = client.calls.create(to=CALLEE, from_=CALLER_ID, twiml=minute).sid
    silenced = client.calls.create(to=CALLEE, from_=CALLER_ID, twiml=minute).sid
    sim.advance(1)  # both answered: the second call left the queue a second after the first
    recordings = {sid: client.calls(sid).recordings.create().sid for sid in (skipped, silenced)}
    sim.advance(20)
    client.calls(skipped).recordings(recordings[skipped]).update(
        status="paused", pause_behavior="skip"
    )
    client.calls(silenced).recordings(recordings[silenced]).update(
        status="paused", pause_behavior="silence"
    )
    sim.advance(10)
    for sid in (skipped, silenced):
        client.calls(sid).recordings(recordings[sid]).update(status="in-progress")
    sim.run()
    assert client.recordings(recordings[skipped]).fetch().duration == "49"
    assert client.recordings(recordings[silenced]).fetch().duration == "60"
