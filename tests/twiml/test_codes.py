"""Table-driven: for each Twilio code, a document that triggers it, with code, level and line."""

from __future__ import annotations

import pytest

from twimlsim.twiml import parse_twiml, play_media_problem
from twimlsim.twiml.nodes import Play


def doc(inner: str) -> bytes:
    """A document whose `inner` markup starts on line 3."""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n{inner}\n</Response>\n'.encode()


LONG = "a" * 4097
HINTS = ",".join(["hint"] * 501)
SIP = "<Dial><Sip{a}>sip:alice@example.com</Sip></Dial>"

# (code, level, line, body)
CASES: list[tuple[int, str, int | None, bytes]] = [
    (11750, "error", None, doc("<Say>" + "a" * 70000 + "</Say>")),
    (11770, "error", None, b""),
    (12100, "error", 3, doc("<Say>unclosed</Sya>")),
    (12101, "error", 2, b'<?xml version="1.0"?>\n<Response version="1999">\n</Response>'),
    (12102, "error", 2, b'<?xml version="1.0"?>\n<Say>Hello</Say>'),
    (12200, "warning", 3, doc("<Speak>hi</Speak>")),
    (12200, "warning", 3, doc('<Say colour="red">hi</Say>')),
    (11100, "error", 3, doc("<Play></Play>")),
    (11100, "error", 3, doc("<Play>ftp://example.com/a.mp3</Play>")),
    (11100, "error", 3, doc("<Gather><Play>https://example.com/a b.mp3</Play></Gather>")),
    (12200, "warning", 3, doc('<Dial><Conference region="eu1">r</Conference></Dial>')),
    (12200, "warning", 3, doc('<Dial><Conference jitterBufferSize="huge">r</Conference></Dial>')),
    (
        13000,
        "warning",
        3,
        doc("<Dial><Conference>room</Conference><Number>+15551234567</Number></Dial>"),
    ),
    (13210, "warning", 3, doc('<Dial method="PUT">+15551234567</Dial>')),
    (13211, "warning", 3, doc('<Dial ifMachine="Maybe">+15551234567</Dial>')),
    (13212, "warning", 3, doc('<Dial timeout="soon">+15551234567</Dial>')),
    (13213, "warning", 3, doc('<Dial hangupOnStar="yes">+15551234567</Dial>')),
    (13214, "warning", 3, doc('<Dial callerId="not a number!">+15551234567</Dial>')),
    (13259, "warning", 3, doc('<Dial callerDisplayName="A">+15551234567</Dial>')),
    # Twilio's 64016 page: "Action URL does not use https://"
    (64016, "error", 3, doc('<Pay action="http://example.com/paid"/>')),
    (13259, "warning", 3, doc(SIP.format(a=' callerDisplayName="' + "x" * 256 + '"'))),
    (13215, "warning", 3, doc("<Dial><Say>hi</Say></Dial>")),
    (13216, "warning", 3, doc('<Dial timeLimit="0">+15551234567</Dial>')),
    (13217, "warning", 3, doc('<Dial record="always">+15551234567</Dial>')),
    (13218, "warning", 3, doc('<Dial sequential="1">+15551234567</Dial>')),
    (13219, "warning", 3, doc('<Dial answerOnBridge="on">+15551234567</Dial>')),
    (13220, "warning", 3, doc('<Dial ringTone="mars">+15551234567</Dial>')),
    (13221, "warning", 3, doc('<Dial><Number method="PUT">+15551234567</Number></Dial>')),
    (13222, "warning", 3, doc('<Dial><Number sendDigits="12x">+15551234567</Number></Dial>')),
    (13222, "warning", 3, doc('<Dial><Number sendDigits="wwb">+15551234567</Number></Dial>')),
    (13223, "warning", 3, doc("<Dial>call my mum</Dial>")),
    (13223, "warning", 3, doc('<Dial action="/next"></Dial>')),
    (13223, "warning", 3, doc("<Dial><Number>+1234567890123456</Number></Dial>")),
    (13230, "warning", 3, doc('<Dial><Conference muted="maybe">r</Conference></Dial>')),
    (13231, "error", 3, doc('<Dial><Conference endConferenceOnExit="x">r</Conference></Dial>')),
    (
        13232,
        "warning",
        3,
        doc('<Dial><Conference startConferenceOnEnter="x">r</Conference></Dial>'),
    ),
    (13233, "warning", 3, doc('<Dial><Conference waitUrl="ftp://x/y">r</Conference></Dial>')),
    (13234, "warning", 3, doc('<Dial><Conference waitMethod="PUT">r</Conference></Dial>')),
    (13235, "warning", 3, doc('<Dial><Conference beep="loud">r</Conference></Dial>')),
    (13237, "warning", 3, doc("<Dial><Conference></Conference></Dial>")),
    (13239, "error", 3, doc('<Dial><Conference trim="yes">r</Conference></Dial>')),
    (13240, "error", 3, doc('<Dial><Conference coach="agent">r</Conference></Dial>')),
    (13241, "warning", 3, doc(SIP.format(a=' method="PUT"'))),
    (13243, "warning", 3, doc("<Dial><Sip>sip:alice @example.com</Sip></Dial>")),
    (13243, "warning", 3, doc("<Dial><Sip>sip:@example.com</Sip></Dial>")),
    (12200, "warning", 3, doc("<Dial><Client></Client></Dial>")),
    (13256, "warning", 3, doc('<Dial recordingStatusCallback="ftp://x">+15551234567</Dial>')),
    (13257, "error", 3, doc('<Record transcribe="true" transcribeCallback="ftp://x"/>')),
    (13310, "warning", 3, doc('<Gather finishOnKey="x"/>')),
    (13311, "warning", 3, doc('<Gather finishOnKey="12"/>')),
    (13312, "warning", 3, doc('<Gather method="PUT"/>')),
    (13313, "warning", 3, doc('<Gather timeout="0"/>')),
    (13314, "warning", 3, doc('<Gather numDigits="-1"/>')),
    (13320, "warning", 3, doc("<Gather><Record/></Gather>")),
    (13320, "warning", 3, doc('<Gather><Play digits="1"/></Gather>')),
    (13321, "warning", 3, doc('<Gather><Say voice="robot!">hi</Say></Gather>')),
    (13322, "warning", 3, doc('<Gather><Say loop="x">hi</Say></Gather>')),
    (13326, "warning", 3, doc('<Gather input="keys"/>')),
    (13327, "warning", 3, doc('<Gather input="speech" speechTimeout="soon"/>')),
    (13328, "warning", 3, doc('<Gather maxSpeechTime="long"/>')),
    (13329, "warning", 3, doc('<Gather partialResultCallbackMethod="PUT"/>')),
    (13330, "warning", 3, doc(f'<Gather hints="{HINTS}"/>')),
    (13331, "warning", 3, doc('<Gather language="english!"/>')),
    (13331, "warning", 3, doc('<Gather input="speech" language="en"/>')),  # the page's example
    (13332, "warning", 3, doc('<Gather bargeIn="sometimes"/>')),
    (13333, "warning", 3, doc('<Gather profanityFilter="x"/>')),
    (13334, "warning", 3, doc('<Gather speechModel="best"/>')),
    (13335, "warning", 3, doc('<Gather speechTimeout="auto" speechModel="phone_call"/>')),
    (13338, "error", 3, doc('<Gather actionOnEmptyResult="yes"/>')),
    (13410, "warning", 3, doc('<Play loop="-1">https://x/a.mp3</Play>')),
    (13430, "warning", 3, doc('<Play digits="12x"/>')),
    (13430, "warning", 3, doc('<Play digits="1d"/>')),  # the page: A, B, C, D upper case
    (13510, "warning", 3, doc('<Say loop="twice">hi</Say>')),
    (13511, "warning", 3, doc('<Say voice="robot!">hi</Say>')),
    (13512, "warning", 3, doc('<Say language="english!">hi</Say>')),
    (13513, "warning", 4, doc('<Say>\n<prosody rate="warp">hi</prosody></Say>')),
    (13520, "warning", 3, doc("<Say></Say>")),
    (13521, "warning", 3, doc(f"<Say>{LONG}</Say>")),
    (13336, "warning", 3, doc('<Gather debug="yes"/>')),
    (13339, "warning", 3, doc('<Gather enhanced="premium"/>')),
    (13610, "warning", 3, doc('<Record method="PUT"/>')),
    (13611, "warning", 3, doc('<Record timeout="-1"/>')),
    (13612, "warning", 3, doc('<Record maxLength="0"/>')),
    (13613, "warning", 3, doc('<Record finishOnKey="x"/>')),
    (13614, "warning", 3, doc('<Record transcribe="maybe"/>')),
    (13615, "warning", 3, doc('<Record transcribe="true" maxLength="600"/>')),
    (13616, "warning", 3, doc('<Record playBeep="loud"/>')),
    (13621, "error", 3, doc('<Record recordingStatusCallbackEvent="done"/>')),
    (13622, "warning", 3, doc('<Dial recordingTrack="caller">+15551234567</Dial>')),
    (13249, "warning", 3, doc(SIP.format(a=' username="" password="pw"'))),
    (13249, "warning", 3, doc('<Dial><Sip><Uri password=" ">sip:a@example.com</Uri></Sip></Dial>')),
    (13621, "error", 3, doc('<Dial recordingStatusCallbackEvent="done">+15551234567</Dial>')),
    (13621, "error", 3, doc('<Start><Recording recordingStatusCallbackEvent="done"/></Start>')),
    (
        13621,
        "error",
        3,
        doc('<Dial><Conference recordingStatusCallbackEvent="stop">r</Conference></Dial>'),
    ),
    (13256, "warning", 3, doc('<Start><Recording recordingStatusCallback="ftp://x"/></Start>')),
    (
        13256,
        "warning",
        3,
        doc('<Dial><Conference recordingStatusCallback="ftp://x">r</Conference></Dial>'),
    ),
    (13699, "warning", 3, doc('<Record trim="yes"/>')),
    (13710, "warning", 3, doc('<Redirect method="PUT">/next</Redirect>')),
    (13810, "warning", 3, doc('<Reject reason="angry"/>')),
    (13910, "warning", 3, doc('<Pause length="0"/>')),
    (13999, "warning", 3, doc('<Pause timeout="soon"/>')),
    (14201, "error", 3, doc('<Enqueue method="PUT">q</Enqueue>')),
    (14202, "error", 3, doc('<Enqueue waitUrl="ftp://x">q</Enqueue>')),
    (14203, "error", 3, doc('<Enqueue action="ftp://x">q</Enqueue>')),
    (14204, "error", 3, doc("<Enqueue></Enqueue>")),
    (14205, "error", 3, doc(f"<Enqueue>{'q' * 65}</Enqueue>")),
    (14206, "error", 3, doc('<Enqueue waitUrlMethod="PUT">q</Enqueue>')),
    (14210, "error", 3, doc('<Dial><Queue method="PUT">q</Queue></Dial>')),
    (14211, "error", 3, doc('<Dial><Queue url="ftp://x">q</Queue></Dial>')),
    (14212, "error", 3, doc("<Dial><Queue></Queue></Dial>")),
    (14213, "error", 3, doc(f"<Dial><Queue>{'q' * 65}</Queue></Dial>")),
    (14215, "error", 3, doc('<Dial><Queue reservationSid="WR123"/></Dial>')),
    (
        14221,
        "error",
        3,
        doc('<Enqueue workflowSid="WW0123456789abcdef0123456789abcdef"><Task>{x}</Task></Enqueue>'),
    ),
    (14104, "warning", 3, doc('<Sms to="+15551234567" method="PUT">Hi</Sms>')),
    (14105, "warning", 3, doc('<Sms to="+15551234567" statusCallback="ftp://x">Hi</Sms>')),
    (14300, "error", 3, doc("<Start><Say>hi</Say></Start>")),
]


@pytest.mark.parametrize(
    ("code", "level", "line", "body"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_code_is_reported(code: int, level: str, line: int | None, body: bytes) -> None:
    parsed = parse_twiml(body, "text/xml")
    assert [(p.code, p.level, p.line) for p in parsed.problems] == [(code, level, line)]


@pytest.mark.parametrize(("in_gather", "code"), [(False, 13420), (True, 13325)])
def test_play_media_of_a_non_audio_type(in_gather: bool, code: int) -> None:
    play = Play(line=4, text="https://example.com/page.html")
    problem = play_media_problem(play, "text/html; charset=utf-8", in_gather=in_gather)
    assert problem is not None
    assert (problem.code, problem.level, problem.line, problem.element) == (
        code,
        "error",
        4,
        "Play",
    )


def test_play_media_of_an_audio_type_is_fine() -> None:
    play = Play(line=4, text="https://example.com/a.mp3")
    assert play_media_problem(play, "Audio/MPEG", in_gather=False) is None


def test_fatal_problem_drops_the_document() -> None:
    parsed = parse_twiml(b'<Response version="1999"><Say>hi</Say></Response>')
    assert parsed.document is None
    assert str(parsed.fatal) == (
        "line 1: <Response> version error 12101: <Response> version='1999' is invalid: "
        "expected one of 2008-08-01, 2010-04-01; the document does not run "
        "(https://www.twilio.com/docs/errors/12101)"
    )


def test_an_invalid_voice_in_a_gathers_say_drops_the_document() -> None:
    """Twilio's TwiML changelog: an invalid voice on a <Say> nested in <Gather> is a
    failure (fallback URL); elsewhere it stays a warning and the default voice is used."""
    nested = parse_twiml(doc('<Gather><Say voice="robot!">hi</Say></Gather>'))
    assert nested.document is None
    assert str(nested.fatal) == (
        "line 3: <Say> voice warning 13321: <Say> voice='robot!' is invalid: expected man, "
        "woman, alice, or a provider voice such as Polly.Joanna or Google.en-US-Neural2-A; "
        "the document does not run (https://www.twilio.com/docs/errors/13321)"
    )
    alone = parse_twiml(doc('<Say voice="robot!">hi</Say>'))
    assert alone.fatal is None and [p.code for p in alone.warnings] == [13511]


def test_warnings_keep_the_document_and_use_defaults() -> None:
    parsed = parse_twiml(doc('<Gather timeout="x" numDigits="1"><Say loop="x">hi</Say></Gather>'))
    assert parsed.fatal is None
    assert parsed.errors == ()
    assert [p.code for p in parsed.warnings] == [13313, 13322]
    assert parsed.document is not None
    gather = parsed.document.children[0]
    assert (gather.timeout, gather.speech_timeout, gather.num_digits) == (5, 5, 1)  # type: ignore[attr-defined]
    assert gather.children[0].loop == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize("markup", ["<Enqueue>{}</Enqueue>", "<Dial><Queue>{}</Queue></Dial>"])
def test_a_queue_name_may_have_64_characters(markup: str) -> None:
    """Twilio's <Enqueue> page: the queue name must be 64 characters or less."""
    assert not parse_twiml(doc(markup.format("q" * 64))).problems
    assert [p.code for p in parse_twiml(doc(markup.format("q" * 65))).problems] in (
        [14205],
        [14213],
    )


@pytest.mark.parametrize(
    ("written", "trim"),
    [
        ("trim-silence", "trim-silence"),
        ("do-not-trim", "do-not-trim"),
        ("true", "trim-silence"),
        ("false", "do-not-trim"),
    ],
)
def test_conference_trim_takes_true_and_false(written: str, trim: str) -> None:
    """Twilio's 13239 page: "Acceptable values are trim-silence, do-not-trim, true and
    false"."""
    parsed = parse_twiml(doc(f'<Dial><Conference trim="{written}">r</Conference></Dial>'))
    assert parsed.problems == ()
    assert parsed.document is not None
    assert parsed.document.children[0].children[0].trim == trim  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["en-US", "cmn-Hans-CN", "es_MX", "yue-Hant-HK"])
def test_a_gather_language_with_its_region_is_valid(language: str) -> None:
    parsed = parse_twiml(doc(f'<Gather input="speech" language="{language}"/>'))
    assert parsed.problems == ()


def test_a_say_language_without_a_region_is_valid() -> None:
    """Only the 13331 page (Gather) calls a bare ``en`` malformed; Say's languages include
    Twilio's classic ones written without a region."""
    assert parse_twiml(doc('<Say language="en">hi</Say>')).problems == ()


@pytest.mark.parametrize("voice", ["", ' voice="man"', ' voice="woman"', ' voice="alice"'])
def test_a_prosody_rate_said_by_a_basic_voice_is_13513(voice: str) -> None:
    """Twilio's 13513 page: "Basic voices do not support SSML, so <prosody> is not
    available"."""
    parsed = parse_twiml(doc(f'<Say{voice}>Hi <s><prosody rate="slow">there</prosody></s></Say>'))
    (problem,) = parsed.problems
    spoken = voice.partition('"')[2].rstrip('"') or "man"
    assert (problem.code, problem.level, problem.element, problem.attribute, problem.line) == (
        13513,
        "warning",
        "prosody",
        "rate",
        3,
    )
    assert problem.message == (
        f"<prosody rate='slow'> is not available with the basic voice '{spoken}': basic "
        "voices do not support SSML. Give the <Say> a voice that does, such as "
        'voice="Polly.Joanna", or remove the <prosody>'
    )


@pytest.mark.parametrize("voice", ["Polly.Joanna", "Polly.Joanna-Neural", "Google.en-US-Neural2-A"])
def test_a_prosody_rate_said_by_a_provider_voice_is_fine(voice: str) -> None:
    body = doc(f'<Say voice="{voice}"><prosody rate="85%">there</prosody></Say>')
    assert parse_twiml(body).problems == ()


def test_a_pause_timeout_is_accepted_and_the_length_kept() -> None:
    """Twilio's 13999 page: only a timeout that is not an integer is a warning, and the
    wait is set by length."""
    parsed = parse_twiml(doc('<Pause timeout="10" length="2"/>'))
    assert parsed.problems == ()
    assert parsed.document is not None
    pause = parsed.document.children[0]
    assert (pause.length, pause.timeout) == (2, 10)  # type: ignore[attr-defined]


def test_an_invalid_record_trim_is_no_trim() -> None:
    """Twilio's 13699 page: an invalid trim value "defaults to no trim"."""
    parsed = parse_twiml(doc('<Record trim="always"/>'))
    assert parsed.document is not None
    assert parsed.document.children[0].trim == "do-not-trim"  # type: ignore[attr-defined]
    (problem,) = parsed.problems
    assert problem.message == (
        "<Record> trim='always' is invalid: expected one of trim-silence, do-not-trim; using "
        "'do-not-trim'"
    )


@pytest.mark.parametrize(
    ("markup", "field", "given", "message"),
    [
        (
            '<Dial record="true">+15551234567</Dial>',
            "record",
            "record-from-answer",
            None,
        ),
        (
            '<Dial record="always">+15551234567</Dial>',
            "record",
            "do-not-record",
            "<Dial> record='always' is invalid: expected one of do-not-record, "
            "record-from-answer, record-from-ringing, record-from-answer-dual, "
            "record-from-ringing-dual, true, false; using 'do-not-record'",
        ),
        ('<Dial><Conference trim="true">r</Conference></Dial>', "trim", "trim-silence", None),
        (
            '<Dial><Conference trim="yes">r</Conference></Dial>',
            "trim",
            "trim-silence",
            "<Conference> trim='yes' is invalid: expected one of trim-silence, do-not-trim, "
            "true, false; using 'trim-silence'",
        ),
        (
            '<Dial><Conference record="true">r</Conference></Dial>',
            "record",
            "record-from-start",
            None,
        ),
        (
            '<Dial><Conference record="record-from-answer">r</Conference></Dial>',
            "record",
            "do-not-record",
            "<Conference> record='record-from-answer' is invalid: expected one of "
            "do-not-record, record-from-start, true, false; using 'do-not-record'",
        ),
    ],
)
def test_true_and_false_stand_for_a_record_or_trim_name(
    markup: str, field: str, given: str, message: str | None
) -> None:
    parsed = parse_twiml(doc(markup))
    assert parsed.document is not None
    dial = parsed.document.children[0]
    node = dial if markup.startswith("<Dial record") else dial.children[0]
    assert getattr(node, field) == given
    assert [problem.message for problem in parsed.problems] == ([message] if message else [])


def test_an_invalid_speech_timeout_says_it_follows_timeout() -> None:
    # twilio-python writes speech_timeout=1.5 as speechTimeout="1.5"
    parsed = parse_twiml(doc('<Gather input="speech" timeout="7" speechTimeout="1.5"/>'))
    assert parsed.document is not None
    assert parsed.document.children[0].speech_timeout == 7  # type: ignore[attr-defined]
    (problem,) = parsed.problems
    assert problem.message == (
        "<Gather> speechTimeout='1.5' is invalid: expected a positive integer or \"auto\"; "
        "using timeout's value, as when speechTimeout is not given"
    )


def test_a_python_list_written_by_twilio_pythons_builder_names_the_string_to_give() -> None:
    # Gather(input=["speech", "dtmf"]) and Number(status_callback_event=[...]) write repr()
    parsed = parse_twiml(
        doc(
            "<Gather input=\"['speech', 'dtmf']\"/><Dial><Number statusCallbackEvent="
            "\"['initiated', 'answered']\">+15558675310</Number></Dial>"
        )
    )
    gather, number = parsed.problems
    assert gather.message == (
        "<Gather> input=\"['speech', 'dtmf']\" is invalid: expected space-separated values "
        "from: dtmf, speech (this is a Python list written as its repr, as twilio-python's "
        "TwiML builder writes a list; give one space-separated string instead: 'speech dtmf'); "
        "using 'dtmf'"
    )
    assert number.message == (
        "<Number> statusCallbackEvent=\"['initiated', 'answered']\" is invalid: expected "
        "space-separated values from: initiated, ringing, answered, completed (this is a "
        "Python list written as its repr, as twilio-python's TwiML builder writes a list; give "
        "one space-separated string instead: 'initiated answered'); using 'completed'"
    )


def test_problem_message_and_str() -> None:
    parsed = parse_twiml(doc('<Pause length="zero"/>'))
    (problem,) = parsed.problems
    assert problem.message == (
        "<Pause> length='zero' is invalid: expected a positive integer; using 1"
    )
    assert (problem.element, problem.attribute) == ("Pause", "length")
    assert problem.more_info == "https://www.twilio.com/docs/errors/13910"
    assert str(problem) == (
        "line 3: <Pause> length warning 13910: <Pause> length='zero' is invalid: "
        "expected a positive integer; using 1 (https://www.twilio.com/docs/errors/13910)"
    )


def test_misspelt_element_and_attribute_get_the_nearest_name() -> None:
    parsed = parse_twiml(doc('<Gather actoin="/menu"><Sya>hi</Sya></Gather><Recrod/><Frob/>'))
    assert [problem.message for problem in parsed.problems] == [
        "<Gather> has no attribute 'actoin' (did you mean 'action'? names are case-sensitive); "
        "Twilio ignores it",
        "<Sya> is not a TwiML voice element (did you mean <Say>?); Twilio logs a schema "
        "warning and skips it",
        "<Recrod> is not a TwiML voice element (did you mean <Record>?); Twilio logs a schema "
        "warning and skips it",
        "<Frob> is not a TwiML voice element; Twilio logs a schema warning and skips it",
    ]


def test_the_calls_async_amd_parameters_on_a_dialled_number_are_warning_21263() -> None:
    parsed = parse_twiml(
        doc(
            '<Dial><Number machineDetection="Enable" asyncAmd="true">+15557770009</Number>'
            '<Sip asyncAmdStatusCallbackMethod="GET">sip:a@example.com</Sip></Dial>'
        )
    )
    assert [
        (p.code, p.level, p.element, p.attribute, p.line, p.message) for p in parsed.problems
    ] == [
        (
            21263,
            "warning",
            tag,
            wire,
            3,
            f"<{tag}> has no attribute {wire!r}: the AsyncAmd parameters belong to POST "
            "/Calls (Twilio's warning 21263) and are ignored; a dialled number detects a "
            "machine with machineDetection and reports to amdStatusCallback",
        )
        for tag, wire in (("Number", "asyncAmd"), ("Sip", "asyncAmdStatusCallbackMethod"))
    ]
    assert parsed.document is not None
    assert parsed.document.children[0].children[0].machine_detection == "Enable"  # type: ignore[attr-defined]


def test_a_recording_spelled_as_dial_spells_its_track_names_the_nouns_own_attribute() -> None:
    """``recordingTrack`` on ``<Recording>`` is ignored as any unknown attribute (12200), and
    the warning names ``track``, not the nearest spelling (recordingStatusCallback)."""
    parsed = parse_twiml(
        doc('<Start><Recording recordingTrack="inbound" recordingChannels="mono"/></Start>')
    )
    assert [
        (p.code, p.level, p.element, p.attribute, p.line, p.message) for p in parsed.problems
    ] == [
        (
            12200,
            "warning",
            "Recording",
            "recordingTrack",
            3,
            "<Recording> has no attribute 'recordingTrack': the noun names it 'track' "
            "(recordingTrack is <Dial>'s attribute, RecordingTrack the REST create's "
            "parameter); Twilio ignores it and records with track='both' unless track is given",
        ),
        (
            12200,
            "warning",
            "Recording",
            "recordingChannels",
            3,
            "<Recording> has no attribute 'recordingChannels': the noun names it 'channels' "
            "(RecordingChannels is the REST create's); Twilio ignores it and records with "
            "channels='dual' unless channels is given",
        ),
    ]
    assert parsed.document is not None
    [start] = parsed.document.children
    assert (start.children[0].track, start.children[0].channels) == ("both", "dual")  # type: ignore[attr-defined]


def test_two_rooms_in_one_dial_are_13000_as_twilio_says_the_noun_is_used_once() -> None:
    parsed = parse_twiml(doc("<Dial><Conference>a</Conference><Conference>b</Conference></Dial>"))
    assert [(p.code, p.level, p.element, p.line, p.message) for p in parsed.problems] == [
        (
            13000,
            "warning",
            "Dial",
            3,
            "<Dial> has 2 <Conference> nouns: the Conference noun can only be used once inside "
            "a Dial verb; the caller joins the first room and the others are ignored. Put each "
            "room in its own <Dial>",
        )
    ]


def test_a_list_attributes_default_is_written_as_twiml_writes_it() -> None:
    (problem,) = parse_twiml(doc('<Gather input="DTMF"/>')).problems
    assert problem.message == (
        "<Gather> input='DTMF' is invalid: expected space-separated values from: dtmf, "
        "speech; using 'dtmf'"
    )


def test_wrong_case_element_gets_a_hint() -> None:
    (problem,) = parse_twiml(doc("<say>hi</say>")).problems
    assert problem.message == (
        "<say> is not a TwiML voice element (did you mean <Say>? names are case-sensitive); "
        "Twilio logs a schema warning and skips it"
    )


def test_a_conference_region_outside_twilios_list_is_ignored() -> None:
    """The <Conference> page lists us1, ie1, de1, sg1, br1, au1 and jp1 (the Participants
    API adds us2); another value is a schema warning and the room's region is left to
    Twilio, as without one."""
    parsed = parse_twiml(doc('<Dial><Conference region="eu1">r</Conference></Dial>'))
    assert [p.message for p in parsed.problems] == [
        "<Conference> region='eu1' is invalid: expected one of us1, us2, ie1, de1, sg1, br1, "
        "au1, jp1; ignored"
    ]
    assert parsed.document is not None
    (dial,) = parsed.document.children
    assert [noun.region for noun in dial.children] == [None]  # type: ignore[attr-defined]
    kept = parse_twiml(doc('<Dial><Conference region="us2">r</Conference></Dial>')).document
    assert kept is not None
    assert [noun.region for noun in kept.children[0].children] == ["us2"]  # type: ignore[attr-defined]


def test_a_play_without_a_media_url_names_what_to_write() -> None:
    """Twilio's 11100 page lists "Bad URL in Play or Redirect Verb Body"; a <Play> of
    digits needs no URL, and a relative one is resolved against the document."""
    parsed = parse_twiml(doc("<Play/><Play>http://example.com/a b.mp3</Play>"))
    assert [(p.code, p.level, p.element, p.message) for p in parsed.problems] == [
        (
            11100,
            "error",
            "Play",
            "<Play> has no media URL and no digits: write the URL of an audio file, e.g. "
            "<Play>https://example.com/hello.mp3</Play>",
        ),
        (
            11100,
            "error",
            "Play",
            "<Play> media URL 'http://example.com/a b.mp3' is invalid: expected an absolute "
            "or relative http/https URL without spaces; Twilio cannot fetch it",
        ),
    ]
    fine = doc('<Play digits="1w2"/><Play>/prompts/menu.mp3</Play>')
    assert parse_twiml(fine).problems == ()


@pytest.mark.parametrize(
    ("voice", "body", "length"),
    [
        ("Google.en-US-Neural2-A", "a" * 5000, None),  # 4,096 is the basic voices' limit
        ("Google.en-US-Neural2-A", "a" * 5001, 5001),
        # Google counts the SSML tags: 4,990 + <break time="1s"/> (18)
        ("Google.en-US-Chirp3-HD-Aoede", "a" * 4990 + '<break time="1s"/>', 5008),
        # 4,984 + the space <s> makes + 10 + <s></s> (7)
        ("Google.en-US-Neural2-A", "a" * 4984 + "<s>" + "b" * 10 + "</s>", 5002),
        ("Polly.Joanna", "a" * 2990 + '<break time="1s"/>' * 10, None),  # Polly: tags do not
        ("Polly.Joanna", "a" * 3001, 3001),
        # a <sub>'s text counts, not the alias spoken for it (in its tag): 2,996 + space + WWW
        ("Polly.Joanna", "a" * 2996 + ' <sub alias="World Wide Web">WWW</sub>', None),
        ("Polly.Joanna", "a" * 2997 + ' <sub alias="web">WWWW</sub>', 3002),
        # Google: the written text, 4,970 + space + WWW, and the tags (28 + 6)
        ("Google.en-US-Neural2-A", "a" * 4970 + ' <sub alias="World Wide Web">WWW</sub>', 5008),
        ("man", "a" * 4097, 4097),
    ],
)
def test_13521_counts_what_each_voice_counts(voice: str, body: str, length: int | None) -> None:
    """Twilio's 13521 page: basic voices speak 4,096 characters, Polly voices 3,000 ("SSML
    tags do not contribute"), Google voices 5,000 ("SSML tags, newlines and spaces
    contribute"). A Google voice's 4,097 to 5,000 were a false 13521."""
    parsed = parse_twiml(doc(f'<Say voice="{voice}">{body}</Say>'))
    if length is None:
        assert parsed.problems == ()
        return
    (problem,) = parsed.problems
    limit = {"G": 5000, "P": 3000, "m": 4096}[voice[0]]
    counted = "characters long with its SSML tags" if voice[0] == "G" else "characters long"
    assert (problem.code, problem.level, problem.element, problem.line) == (
        13521,
        "warning",
        "Say",
        3,
    )
    assert problem.message == (
        f"<Say> text is {length} {counted}; voice '{voice}' speaks at most {limit}"
    )


@pytest.mark.parametrize(
    ("written", "kept", "code"),
    [
        ("Acme Support", "Acme Support", None),
        ("  Acme  ", "Acme", None),  # 13259's page: "After you trim leading and trailing spaces"
        ("x" * 255, "x" * 255, None),
        ("Zoë", "Zoë", None),
        ("A", None, 13259),  # "shorter than 2 characters"
        ("     ", None, 13259),  # "contains only spaces"
        ("x" * 256, None, 13259),  # "longer than 255 characters"
        ("a&#9;b", None, 13259),  # "includes a control character (for example, ... a tab)"
        ("a&#10;b", None, 13259),
    ],
)
def test_a_caller_display_name_is_2_to_255_printable_characters(
    written: str, kept: str | None, code: int | None
) -> None:
    """Twilio's 13259 page (Invalid CallerDisplayName), which names the attribute with the
    <Dial> and <Sip> pages: "After you trim leading and trailing spaces, the value must
    contain 2-255 printable characters and no control characters." Valid, it is no
    misspelt attribute (12200); invalid, it is ignored."""
    for markup in (
        f'<Dial callerDisplayName="{written}"><Sip>sip:alice@example.com</Sip></Dial>',
        f'<Dial><Sip callerDisplayName="{written}">sip:alice@example.com</Sip></Dial>',
    ):
        result = parse_twiml(doc(markup))
        assert [p.code for p in result.problems] == ([] if code is None else [code])
        dial = result.document.children[0]
        element = dial if markup.startswith("<Dial caller") else dial.children[0]
        assert element.caller_display_name == kept


@pytest.mark.parametrize(
    ("action", "codes"),
    [
        ("https://example.com/paid", []),
        ("/paid", []),  # relative: the document's own scheme
        ("paid?step=2", []),
        ("http://example.com/paid", [64016]),
        ("ftp://example.com/paid", [64016]),
    ],
)
def test_a_pay_action_must_be_https(action: str, codes: list[int]) -> None:
    """Twilio's 64016 page (Pay: Invalid Action URL), an ERROR: "Action URL does not use
    https://"; "Start your action URL with "https://"". An invalid one is ignored (the
    document's URL is the action), as any invalid attribute."""
    result = parse_twiml(doc(f'<Pay action="{action}"/>'))
    assert [(p.code, p.level, p.element, p.line) for p in result.problems] == [
        (code, "error", "Pay", 3) for code in codes
    ]
    pay = result.document.children[0]
    assert pay.action == (None if codes else action)
