"""<Dial> nouns and their attributes: <Client>, <Sip>, noun status callbacks, whisper,
sendDigits, machine detection, the 10-target cap, callerId, ringTone."""

from __future__ import annotations

import pytest

from tests.engine.helpers import base, get_url, place, response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim.engine.events import DigitsSent, Invited
from twimlsim.engine.session import SimCall
from twimlsim.engine.verbs.dial import MAX_TARGETS
from twimlsim.model.sip_domain import without_uri_parameters
from twimlsim.twiml.validate import sip_scheme

AGENT = "+15551230001"
SIP = "sip:bob@example.com"


def progress(sim, child, status, sequence, at, **extra):  # type: ignore[no-untyped-def]
    """A child leg's status callback: standard params of the leg + progress fields."""
    params = base(sim, child, status, to=child.record.to, from_=child.record.from_)
    params.update(
        CallbackSource="call-progress-events",
        SequenceNumber=str(sequence),
        Timestamp=f"Thu, 01 Jan 2026 09:00:{at:02d} +0000",
    )
    params.update(extra)
    return params


def dial_params(sim, call, status, child, seconds, bridged, **extra):  # type: ignore[no-untyped-def]
    params = base(sim, call, "in-progress")
    params.update(
        DialBridged="true" if bridged else "false",
        DialCallDuration=str(seconds),
        DialCallSid=child.sid,
        DialCallStatus=status,
    )
    params.update(extra)
    return params


@pytest.mark.parametrize(
    "client",
    [
        '<Client statusCallback="/leg">alice<Parameter name="ticket" value="42"/>'
        '<Parameter name="lang" value="fr"/></Client>',
        '<Client statusCallback="/leg"><Identity>alice</Identity>'
        '<Parameter name="ticket" value="42"/><Parameter name="lang" value="fr"/></Client>',
    ],
)
def test_client_identity_parameters_and_default_completed_callback(client: str) -> None:
    body = f'<Dial action="/dialed">{client}</Dial>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone("client:alice").answers(after=2).hangs_up(after=8)
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert (child.record.to, child.record.from_) == ("client:alice", CALLER_ID)
    assert child.transcript[0] == Invited(
        sim.clock.at(0), "client:alice", CALLER_ID, (("ticket", "42"), ("lang", "fr"))
    )
    (leg,) = child.requests  # only `completed` by default
    assert (leg.kind, leg.method, leg.url) == ("status", "POST", f"{APP_URL}/leg")
    assert leg.params == progress(
        sim,
        child,
        "completed",
        0,
        10,
        CallDuration="8",
        Duration="1",
        SipResponseCode="200",
    )
    assert leg.params["Direction"] == "outbound-dial"
    assert leg.params["ParentCallSid"] == call.sid
    assert call.requests[1].params == dial_params(sim, call, "completed", child, 8, True)


def test_sip_uri_headers_credentials_and_action_parameters() -> None:
    body = (
        '<Dial action="/dialed"><Sip username="svc" password="s3cret" statusCallback="/leg" '
        'statusCallbackEvent="initiated ringing answered completed" statusCallbackMethod="GET">'
        f"{SIP}?X-Ticket=42&amp;X-Name=J%20Doe</Sip></Dial>"
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(SIP).answers(after=1, sip_headers={"X-Result": "ok"}).hangs_up(after=4)
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert (child.record.to, child.record.from_) == (SIP, CALLER_ID)
    assert child.transcript[0] == Invited(
        sim.clock.at(0), SIP, CALLER_ID, (), (("X-Ticket", "42"), ("X-Name", "J Doe")), "svc"
    )
    assert [
        (r.method, r.params["CallStatus"], r.params["SequenceNumber"]) for r in child.requests
    ] == [
        ("GET", "initiated", "0"),
        ("GET", "ringing", "1"),
        ("GET", "in-progress", "2"),
        ("GET", "completed", "3"),
    ]
    assert child.requests[2].params == progress(sim, child, "in-progress", 2, 1)
    call_id = f"{sim.engine.sids.hex(f'sip-call-id:{child.sid}')}@0.0.0.0"
    assert call.requests[1].params == dial_params(
        sim,
        call,
        "completed",
        child,
        4,
        True,
        DialSipCallId=call_id,
        DialSipResponseCode="200",
        **{"DialSipHeader_X-Result": "ok"},
    )


@pytest.mark.parametrize(
    "noun",
    ["<Sip>bob@example.com</Sip>", "<Sip><Uri>bob@example.com</Uri></Sip>", f"<Sip>{SIP}</Sip>"],
)
def test_a_sip_uri_written_without_its_scheme_rings_the_sip_address(noun: str) -> None:
    # Twilio's own <Sip> examples write kate@example.com: the leg rang nobody and failed
    with simulator({"/voice": response(f"<Dial>{noun}</Dial>")}) as (sim, _):
        sim.phone(SIP).answers(after=2).hangs_up(after=6)
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert (child.record.to, child.status, child.duration) == (SIP, "completed", 6)
    assert child.transcript[0] == Invited(sim.clock.at(0), SIP, CALLER_ID, (), (), None)
    assert sim.failures == []


@pytest.mark.parametrize(
    "uri",
    [
        f"{SIP};transport=tls",  # the <Sip> page's transport parameter
        f"{SIP};region=ie1",  # and its region parameter
        f"{SIP.removeprefix('sip:')};transport=tcp",
        f"{SIP};transport=tcp?x-ticket=9",
    ],
)
def test_a_sip_uri_with_parameters_rings_the_sip_address(uri: str) -> None:
    """Twilio's <Sip> page writes ``;transport=tls`` and ``;region=ie1`` after the host: the
    endpoint is the same, so ``sim.phone(<the URI without them>)`` answers (it rang an
    unscripted far end that never hung up)."""
    to = uri.partition("?")[0] if uri.startswith("sip:") else f"sip:{uri}"
    with simulator({"/voice": response(f"<Dial><Sip>{uri}</Sip></Dial>")}) as (sim, _):
        sim.phone(SIP).answers(after=2).hangs_up(after=6)
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert (child.record.to, child.status, child.duration) == (to, "completed", 6)
    assert sim.phone(f"{SIP};transport=udp") is sim.phone(SIP)
    assert sim.failures == []


def test_a_semicolon_in_a_sip_user_part_is_kept() -> None:
    """RFC 3261's ``sip:alice;day=tuesday@atlanta.com``: the parameter is the user's."""
    assert without_uri_parameters("sip:alice;day=tuesday@atlanta.com;transport=tcp") == (
        "sip:alice;day=tuesday@atlanta.com"
    )
    assert without_uri_parameters("sip:pbx.test;transport=tls") == "sip:pbx.test"


@pytest.mark.parametrize(
    ("script", "status", "code"),
    [("busy", "busy", "486"), ("no_answer", "no-answer", "487"), ("fails", "failed", "404")],
)
def test_sip_unanswered_response_codes(script: str, status: str, code: str) -> None:
    body = f'<Dial action="/dialed" timeout="10"><Sip><Uri username="u1">{SIP}</Uri></Sip></Dial>'
    with simulator({"/voice": response(body)}) as (sim, _):
        getattr(sim.phone(SIP), script)()
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert child.transcript[0] == Invited(sim.clock.at(0), SIP, CALLER_ID, (), (), "u1")
    call_id = f"{sim.engine.sids.hex(f'sip-call-id:{child.sid}')}@0.0.0.0"
    assert call.requests[1].params == dial_params(
        sim, call, status, child, 0, False, DialSipCallId=call_id, DialSipResponseCode=code
    )


def test_each_noun_has_its_own_callbacks_and_sequence_numbers() -> None:
    body = (
        '<Dial action="/dialed">'
        f'<Number statusCallback="/a" statusCallbackEvent="ringing answered">{AGENT}</Number>'
        '<Client statusCallback="/b" statusCallbackEvent="initiated completed">bob</Client>'
        "</Dial>"
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(AGENT).answers(after=3).hangs_up(after=5)
        sim.phone("client:bob").no_answer()
        call = place(sim)
        sim.run()
    number, client = call.children
    assert [(r.url, r.params) for r in number.requests] == [
        (f"{APP_URL}/a", progress(sim, number, "ringing", 0, 0)),
        (f"{APP_URL}/a", progress(sim, number, "in-progress", 1, 3)),
    ]
    assert [(r.url, r.params) for r in client.requests] == [
        (f"{APP_URL}/b", progress(sim, client, "initiated", 0, 0)),
        (
            f"{APP_URL}/b",
            progress(
                sim, client, "canceled", 1, 3, CallDuration="0", Duration="0", SipResponseCode="487"
            ),
        ),
    ]


@pytest.mark.parametrize("noun", ["Client", "Sip"])
def test_whisper_url_on_client_and_sip(noun: str) -> None:
    target = "carol" if noun == "Client" else SIP
    to = "client:carol" if noun == "Client" else SIP
    body = f'<Dial action="/dialed"><{noun} url="whisper?x=1" method="GET">{target}</{noun}></Dial>'
    routes = {"/voice": response(body), "/whisper": response("<Say>Call from the shop</Say>")}
    with simulator(routes) as (sim, _):
        sim.phone(to).answers(after=2).hangs_up(after=9)
        call = place(sim)
        sim.run()
    (child,) = call.children
    (whisper,) = child.requests
    assert (whisper.kind, whisper.method) == ("whisper", "GET")
    assert whisper.url == get_url(f"{APP_URL}/whisper?x=1", whisper.params)
    sip = {}
    whispered = base(sim, child, "in-progress", to=to)
    if noun == "Sip":
        call_id = f"{sim.engine.sids.hex(f'sip-call-id:{child.sid}')}@0.0.0.0"
        sip = {"DialSipCallId": call_id, "DialSipResponseCode": "200"}
        whispered["SipCallId"] = call_id  # Twilio's <Sip> page: on the answered call's url
    assert whisper.params == whispered
    assert whisper.at == sim.clock.at(2_000_000)
    assert child.said == ["Call from the shop"]
    assert call.requests[1].params == dial_params(sim, call, "completed", child, 9, True, **sip)
    assert call.requests[1].at == sim.clock.at(11_000_000)


def test_send_digits_play_before_the_bridge() -> None:
    body = (
        f'<Dial action="/dialed"><Number sendDigits="1w2W#" url="/whisper">{AGENT}</Number></Dial>'
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(AGENT).answers(after=2).hangs_up(after=10)
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert child.transcript[2] == DigitsSent(sim.clock.at(2_000_000), "1w2W#")
    whisper = child.requests[0]
    assert whisper.at == sim.clock.at(5_000_000)  # keys and w 0.5 s each, W 1 s
    assert call.requests[1].params == dial_params(sim, call, "completed", child, 10, True)


@pytest.mark.parametrize("noun", ["Number", "Sip"])
@pytest.mark.parametrize("answered_by", ["human", "machine_start"])
def test_synchronous_machine_detection_on_a_leg(noun: str, answered_by: str) -> None:
    to = AGENT if noun == "Number" else SIP
    body = (
        f'<Dial action="/dialed"><{noun} machineDetection="Enable" url="/whisper" '
        f'statusCallback="/leg">{to}</{noun}></Dial>'
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        phone = sim.phone(to)
        if answered_by == "human":
            phone.answers(after=1)
        else:
            phone.machine(answered_by, after=1)
        phone.hangs_up(after=20)
        call = place(sim)
        sim.run()
    (child,) = call.children
    whisper, completed = child.requests
    expected = base(sim, child, "in-progress", to=to)
    expected.update(AnsweredBy=answered_by, MachineDetectionDuration="3000")
    if noun == "Sip":
        expected["SipCallId"] = f"{sim.engine.sids.hex(f'sip-call-id:{child.sid}')}@0.0.0.0"
    assert (whisper.kind, whisper.at, whisper.params) == (
        "whisper",
        sim.clock.at(4_000_000),
        expected,
    )
    assert completed.params["AnsweredBy"] == answered_by
    assert child.record.answered_by == answered_by


def test_a_leg_s_machine_is_reported_in_the_words_of_its_detection_mode() -> None:
    body = (
        f'<Dial><Number machineDetection="DetectMessageEnd" url="/whisper">{AGENT}</Number></Dial>'
    )
    with simulator({"/voice": response(body), "/whisper": response("<Hangup/>")}) as (sim, _):
        sim.phone(AGENT).machine("machine_start", after=1)  # Enable's word
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert child.requests[0].params["AnsweredBy"] == "machine_end_beep"
    assert child.record.answered_by == "machine_end_beep"


def test_asynchronous_machine_detection_posts_to_amd_status_callback() -> None:
    body = (
        f'<Dial action="/dialed"><Number machineDetection="DetectMessageEnd" url="/whisper" '
        f'amdStatusCallback="/amd" amdStatusCallbackMethod="GET">{AGENT}</Number></Dial>'
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(AGENT).machine("machine_end_beep", after=2).hangs_up(after=30)
        call = place(sim)
        sim.run()
    (child,) = call.children
    whisper, amd = child.requests
    assert (whisper.kind, whisper.at, whisper.params) == (
        "whisper",
        sim.clock.at(2_000_000),
        base(sim, child, "in-progress", to=AGENT),
    )
    assert (amd.kind, amd.method, amd.at) == ("amd", "GET", sim.clock.at(5_000_000))
    assert amd.url == get_url(f"{APP_URL}/amd", amd.params, order="given")
    assert amd.params == {
        "AccountSid": sim.account_sid,
        "AnsweredBy": "machine_end_beep",
        "CallSid": child.sid,
        "MachineDetectionDuration": "3000",
    }


def test_an_eleventh_target_is_reported_and_not_dialled() -> None:
    numbers = [f"+1555123{n:04d}" for n in range(MAX_TARGETS + 2)]
    nouns = "".join(f"<Number>{n}</Number>" for n in numbers)
    routes = {"/voice": response(f'<Dial timeLimit="5">{nouns}</Dial>')}
    with simulator(routes, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert [c.record.to for c in call.children] == numbers[:MAX_TARGETS]
    (failure,) = sim.failures
    assert (failure.call_sid, failure.code, failure.element, failure.line) == (
        call.sid,
        None,
        "Number",
        1,
    )
    assert failure.message == (
        "<Dial> has more than 10 <Number>/<Client>/<Sip> nouns; Twilio dials at most 10: "
        "twimlsim dialled the first 10 and skipped this one and the rest"
    )


def _inbound(sim) -> SimCall:  # type: ignore[no-untyped-def]
    return sim.incoming_call(from_=CALLEE, to=CALLER_ID)


@pytest.mark.parametrize(
    ("attrs", "inbound", "from_"),
    [
        ("", False, CALLER_ID),  # outbound-api parent: the number it was placed from
        ("", True, CALLEE),  # inbound parent: the person calling in
        ('callerId="+15550001111"', True, "+15550001111"),  # verified below
        (f'callerId="{CALLEE}"', True, CALLEE),  # the calling number
        (f'callerId="{CALLER_ID}"', True, CALLER_ID),  # the called number
    ],
)
def test_caller_id_of_the_child(attrs: str, inbound: bool, from_: str) -> None:
    body = f'<Dial {attrs} ringTone="uk">{AGENT}</Dial>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.verified_caller_id("+15550001111")
        sim.phone(AGENT).busy()
        call = _inbound(sim) if inbound else place(sim)
        sim.run()
    (child,) = call.children
    assert child.record.from_ == from_
    assert child.transcript[0] == Invited(sim.clock.at(0), AGENT, from_)
    assert sim.failures == []  # ringTone is accepted (the caller hears it; nothing to send)


def test_timeout_ends_a_leg_that_would_answer_later() -> None:
    body = f'<Dial timeout="20" action="/dialed">{AGENT}</Dial>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(AGENT).answers(after=30)
        call = place(sim)
        sim.run()
    (child,) = call.children
    # the timeout and Twilio's 5 s buffer (its Dial page)
    assert (child.status, child.record.end_time) == ("no-answer", sim.clock.at(25_000_000))
    expected = dial_params(sim, call, "no-answer", child, 0, False)
    assert (call.requests[1].at, call.requests[1].params) == (sim.clock.at(25_000_000), expected)


def test_a_sip_header_twilio_cannot_use_is_13252_and_left_out_of_the_invite() -> None:
    """Twilio's 13252 page: custom headers need the x- prefix; User-to-User,
    Remote-Party-ID, P-Preferred-Identity and P-Called-Party-ID go without it. Others are
    omitted from the INVITE (32113) with warning 13252."""
    body = (
        "<Dial><Sip>"
        f"{SIP}?Customer=7&amp;x-ticket=42&amp;User-to-User=abc%3Bencoding%3Dhex"
        "&amp;P-Called-Party-ID=%3Csip%3Afoo%40example.com%3E</Sip></Dial>"
    )
    with simulator({"/voice": response(body)}, strict=False) as (sim, _):
        sim.phone(SIP).answers(after=1).hangs_up(after=4)
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert child.transcript[0] == Invited(
        sim.clock.at(0),
        SIP,
        CALLER_ID,
        (),
        (
            ("x-ticket", "42"),
            ("User-to-User", "abc;encoding=hex"),
            ("P-Called-Party-ID", "<sip:foo@example.com>"),
        ),
        None,
    )
    assert [(f.code, f.level, f.element, f.message) for f in sim.failures] == [
        (
            13252,
            "warning",
            "Sip",
            "<Sip> SIP header 'Customer' is not one Twilio sends: a custom header needs the "
            "x- prefix (x-Customer); only User-to-User, Remote-Party-ID, "
            "P-Preferred-Identity and P-Called-Party-ID go without it. Twilio leaves it out "
            "of the INVITE",
        )
    ]


def test_sip_headers_of_1024_characters_or_more_are_13253() -> None:
    """Twilio's <Sip> page: the headers must be under 1024 characters (13253, "Dial:
    Header is too long")."""
    headers = "x-h=" + "a" * 1020  # 1024 characters
    body = f"<Dial><Sip>{SIP}?{headers}</Sip></Dial>"
    with simulator({"/voice": response(body)}, strict=False) as (sim, _):
        sim.phone(SIP).answers(after=1).hangs_up(after=4)
        call = place(sim)
        sim.run()
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            13253,
            "<Sip> SIP headers are 1024 characters long: Twilio takes headers under 1024 "
            "characters",
        )
    ]
    assert call.status == "completed"


def test_a_sip_legs_url_request_has_the_sip_call_id_and_the_answers_headers() -> None:
    """Twilio's <Sip> page: when a SIP call is answered the request (to the noun's url)
    adds SipCallId and SipHeader_ of the X-headers of the 200 response; the same Call-ID
    as the Dial action's DialSipCallId."""
    body = f'<Dial action="/dialed"><Sip url="/screen">{SIP}</Sip></Dial>'
    routes = {"/voice": response(body), "/screen": response("<Say>Hi</Say>")}
    with simulator(routes) as (sim, _):
        sim.phone(SIP).answers(after=1, sip_headers={"X-Result": "ok"}).hangs_up(after=5)
        call = place(sim)
        sim.run()
    (child,) = call.children
    whisper = child.requests[0].params
    action = call.requests[1].params
    assert {"SipCallId", "SipHeader_X-Result"} <= set(whisper)
    assert whisper["SipCallId"] == action["DialSipCallId"]
    assert whisper["SipCallId"].endswith("@0.0.0.0") and len(whisper["SipCallId"]) == 40
    assert whisper["SipHeader_X-Result"] == "ok"


@pytest.mark.parametrize(
    ("uri", "edge"),
    [
        ("sip:alice@office.sip.ashburn.twilio.com", "ashburn"),
        ("alice@Office.SIP.sydney-ix.twilio.com;transport=tls", "sydney-ix"),
        ("sip:alice@office.sip.ie1.twilio.com", "ie1"),
    ],
)
def test_a_sip_domain_dialled_at_an_edge_fails_its_leg_with_32220(uri: str, edge: str) -> None:
    """Twilio's 32220 page: a registered endpoint is dialled at its domain's global URI;
    an edge-specific one (but the deprecated us1 and us1-ix) is refused."""
    body = f'<Dial action="/dialed"><Sip>{uri}</Sip></Dial>'
    with simulator({"/voice": response(body)}, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    (child,) = call.children
    call_id = f"{sim.engine.sids.hex(f'sip-call-id:{child.sid}')}@0.0.0.0"
    assert call.requests[1].params == dial_params(
        sim, call, "failed", child, 0, False, DialSipCallId=call_id, DialSipResponseCode="404"
    )
    target = uri if uri.startswith("sip:") else f"sip:{uri}"
    assert [(f.code, f.level, f.element, f.message) for f in sim.failures] == [
        (
            32220,
            "error",
            "Sip",
            f"{target} names the edge {edge!r} of the SIP Domain office.sip.twilio.com: "
            "Twilio does not dial a registered endpoint at an edge-specific URI (only the "
            "deprecated us1 and us1-ix forms), and twimlsim failed its leg at once "
            "(DialCallStatus=failed). Dial the domain's global URI, "
            "sip:alice@office.sip.twilio.com",
        )
    ]


@pytest.mark.parametrize(
    ("uri", "shown", "suggested"),
    [
        ("sip:office.sip.twilio.com", None, "sip:username@office.sip.twilio.com"),
        (
            "sips:Office.sip.us1.twilio.com;transport=tls",
            None,
            "sips:username@office.sip.twilio.com",
        ),
        (
            "sip:office.sip.twilio.com?X-Ticket=9",  # the headers go with the INVITE
            "sip:office.sip.twilio.com",
            "sip:username@office.sip.twilio.com",
        ),
    ],
)
def test_a_sip_domain_dialled_without_a_username_fails_its_leg_with_32223(
    uri: str, shown: str | None, suggested: str
) -> None:
    """Twilio's 32223 ("There is no username in the SIP URI when calling a SIP registered
    endpoint"): "Calling Twilio SIP domains such as "yourdomain.sip.twilio.com" is not
    allowed. You can only call a registered SIP endpoint". The leg rang a far end and was
    bridged."""
    body = f'<Dial action="/dialed"><Sip>{uri}</Sip></Dial>'
    with simulator({"/voice": response(body)}, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert child.status == "failed"
    call_id = f"{sim.engine.sids.hex(f'sip-call-id:{child.sid}')}@0.0.0.0"
    assert call.requests[1].params == dial_params(
        sim, call, "failed", child, 0, False, DialSipCallId=call_id, DialSipResponseCode="404"
    )
    assert [(f.code, f.level, f.element, f.message) for f in sim.failures] == [
        (
            32223,
            "error",
            "Sip",
            f"{shown or uri} names the SIP Domain office.sip.twilio.com with no username: "
            "Twilio calls "
            "only an endpoint registered at a SIP Domain, not the domain itself (its 32223: "
            '"You can only call a registered SIP endpoint such as '
            'username@yourdomain.sip.twilio.com"), and twimlsim failed its leg at once '
            f"(DialCallStatus=failed). Dial the endpoint, {suggested}",
        )
    ]


@pytest.mark.parametrize(
    "uri",
    [
        "sip:alice@office.sip.twilio.com",  # the global URI, as Twilio's 32220 page says
        "sip:alice@office.sip.us1.twilio.com",  # deprecated, still dialled
        "sip:alice@office.sip.us1-ix.twilio.com",
    ],
)
def test_a_sip_domain_dialled_at_its_global_uri_or_us1_rings(uri: str) -> None:
    with simulator({"/voice": response(f"<Dial><Sip>{uri}</Sip></Dial>")}) as (sim, _):
        sim.phone(uri).answers(after=1).hangs_up(after=3)
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert (child.record.to, child.status, child.duration) == (uri, "completed", 3)


@pytest.mark.parametrize(
    ("noun", "to", "code", "message"),
    [
        (
            "<Client></Client>",
            "client:",
            12200,
            "<Client> has no identity (its text, or an <Identity> child), so nobody can be "
            "called there: its leg fails at once (DialCallStatus=failed when it is the "
            "Dial's only noun); name the client, e.g. <Client>alice</Client>",
        ),
        (
            "<Client><Identity> </Identity></Client>",
            "client:",
            12200,
            "<Client> has no identity (its text, or an <Identity> child), so nobody can be "
            "called there: its leg fails at once (DialCallStatus=failed when it is the "
            "Dial's only noun); name the client, e.g. <Client>alice</Client>",
        ),
        (
            "<Sip></Sip>",
            "sip:",
            13243,
            "<Sip> SIP URI '' is not valid: expected [sip:]user@host; nobody can be called "
            "there: its leg fails at once (DialCallStatus=failed when it is the Dial's only "
            "noun)",
        ),
        (
            "<Sip>sip:@example.com</Sip>",
            "sip:@example.com",
            13243,
            "<Sip> SIP URI 'sip:@example.com' is not valid: expected [sip:]user@host; nobody "
            "can be called there: its leg fails at once (DialCallStatus=failed when it is "
            "the Dial's only noun)",
        ),
    ],
)
def test_a_client_or_sip_naming_nobody_fails_its_leg_at_once(
    noun: str, to: str, code: int, message: str
) -> None:
    """Such a leg rang an unscripted far end that answered, and stayed bridged to nobody."""
    body = f'<Dial action="/dialed">{noun}</Dial>'
    with simulator({"/voice": response(body)}, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert (child.record.to, child.status, call.requests[1].params["DialCallStatus"]) == (
        to,
        "failed",
        "failed",
    )
    assert [(f.code, f.level, f.element, f.message) for f in sim.failures] == [
        (code, "warning", "Sip" if noun.startswith("<Sip") else "Client", message)
    ]


def test_a_sip_scheme_in_capitals_rings_the_sip_address() -> None:
    """A URI's scheme is case-insensitive: ``SIP:bob@example.com`` failed its leg as a
    phone number that is not one."""
    with simulator({"/voice": response("<Dial><Sip>SIP:bob@example.com</Sip></Dial>")}) as (
        sim,
        _,
    ):
        sim.phone(SIP).answers(after=2).hangs_up(after=6)
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert (child.record.to, child.status, child.duration) == (SIP, "completed", 6)
    assert sim.failures == []


def test_an_empty_dial_is_13223_and_fails_at_once() -> None:
    """13223's page names the cause "The <Number> noun inside your <Dial> TwiML
    instructions is not present": the Dial did nothing, its action never requested."""
    with simulator({"/voice": response('<Dial action="/dialed"></Dial>')}, strict=False) as (
        sim,
        _,
    ):
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert call.requests[1].params == dial_params(sim, call, "failed", child, 0, False)
    assert (child.record.to, child.status) == ("", "failed")
    assert [(f.code, f.level, f.element, f.message) for f in sim.failures] == [
        (
            13223,
            "warning",
            "Dial",
            "<Dial> has nothing to dial (no number as its text, no noun): nobody can be "
            "called there: it fails at once (DialCallStatus=failed); give it a number, "
            "e.g. <Dial>+15551234567</Dial>",
        )
    ]


@pytest.mark.parametrize(("length", "status"), [(256, "completed"), (257, "failed")])
def test_a_client_identity_over_256_characters_fails_its_leg(length: int, status: str) -> None:
    """Twilio dials client identities of at most 256 characters (its TwiML changelog,
    2024.03.20): a longer one rang an unscripted far end that answered."""
    identity = "a" * length
    body = f"<Dial><Client>{identity}</Client></Dial>"
    with simulator({"/voice": response(body)}, strict=False) as (sim, _):
        sim.phone(f"client:{identity}").answers(after=1).hangs_up(after=2)
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert (child.record.to, child.status) == (f"client:{identity}", status)
    problems = [(f.code, f.level, f.element, f.message) for f in sim.failures]
    if length == 256:
        assert problems == []
    else:
        assert problems == [
            (
                12200,
                "warning",
                "Client",
                "<Client> identity has 257 characters and Twilio dials identities of at most "
                "256 (its TwiML changelog, 2024.03.20), so nobody can be called there: its "
                "leg fails at once; use a shorter identity",
            )
        ]


@pytest.mark.parametrize(
    ("uri", "split"),
    [
        ("SIP:bob@example.com", ("sip", "bob@example.com")),
        ("Sips:bob@example.com", ("sips", "bob@example.com")),
        ("kate@example.com", (None, "kate@example.com")),
        ("tel:+15551234567", (None, "tel:+15551234567")),
    ],
)
def test_a_sip_scheme_is_read_in_any_case_and_only_sip_or_sips(
    uri: str, split: tuple[str | None, str]
) -> None:
    # the one reading <Sip>'s check (13243) and its leg's To share
    assert sip_scheme(uri) == split
