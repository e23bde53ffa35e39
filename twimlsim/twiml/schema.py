"""The TwiML voice schema as data: every element, its attributes and its allowed children.

One table (`ELEMENTS`) drives the parser: for each element it names the node class, the
attributes (wire name, value kind, Twilio default, the Twilio code and level to report when a
value is invalid) and the children allowed under it (child tag -> node class). Sources:
twilio-reference.md §2.4, §5 and Appendix A, and the attributes twilio-python's
`twilio.twiml.voice_response` builder can emit.

Fidelity choices made here (the reference leaves them open):

- Booleans and HTTP methods are matched case-insensitively (`TRUE`, `get`); methods are stored
  upper case. Enumerations are matched case-sensitively, as Twilio documents them.
- A child is allowed wherever twilio-python's builder can place it (so `<Queue>` and
  `<Prompt>` are accepted directly under `<Response>`), plus the nesting of §5.2.
- URL attributes accept relative URLs (they resolve against the document URL); a URL is
  invalid only when it holds whitespace or has a scheme other than http(s) (`ws(s)` for
  `<Stream>`/`<ConversationRelay>`).
- Elements whose attributes Twilio does not document precisely (Connect nouns, Pay, Transcription,
  ...) type them as plain strings so that any value Twilio might accept is accepted; a list
  Twilio's page does give (``<Pay validCardTypes>``'s card types) is checked.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .kinds import (
    BOOL,
    CALL_EVENTS,
    CALLER_DISPLAY_NAME,
    CALLER_ID,
    CONFERENCE_RECORD,
    CONFERENCE_TRIM,
    DIAL_RECORD,
    DIGITS,
    GATHER_FINISH_ON_KEY,
    GATHER_HINTS,
    HTTP_URL,
    LANGUAGE,
    METHOD,
    RECORD_FINISH_ON_KEY,
    RECORDING_EVENTS,
    SPEECH_LANGUAGE,
    SPEECH_MODEL,
    SPEECH_TIMEOUT,
    TEXT,
    TRACKS,
    TRIM,
    VOICE,
    WS_URL,
    Kind,
    Level,
    enum,
    integer,
    pattern,
    url,
    words,
)


@dataclass(frozen=True, slots=True)
class Attr:
    """One attribute of one element.

    `default` is Twilio's default (None when Twilio has none); `default_from` names another
    attribute whose value is the default (Gather's speechTimeout follows timeout). `code`
    and `level` are what Twilio logs for an invalid value; `parent_codes` overrides the code
    when the element sits under a given parent (a Say inside Gather logs 13321/13322).
    `on_invalid` is the value Twilio uses for an invalid one when that is not `default`
    (Record's `trim`: its 13699 page says an invalid value "defaults to no trim").
    """

    wire: str
    kind: Kind = TEXT
    default: object = None
    code: int = 12200
    level: Level = "warning"
    parent_codes: Mapping[str, int] = field(default_factory=dict)
    default_from: str | None = None
    on_invalid: object = None

    @property
    def field_name(self) -> str:
        """The node field name: twilio-python's keyword (snake_case of the wire name)."""
        return field_name(self.wire)


_KEYWORDS = {"from": "from_", "for": "for_"}


@functools.cache
def field_name(wire: str) -> str:
    """Snake-case a wire attribute name the way twilio-python's keywords are spelled."""
    if wire in _KEYWORDS:
        return _KEYWORDS[wire]
    name = wire.replace(":", "_").replace("-", "_")
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


@dataclass(frozen=True, slots=True)
class Element:
    """One element: node class name, tag, attributes and allowed children.

    `children` maps a child tag to the node class it becomes here (`Sip` is `Sip` under
    `Dial` but `ReferSip` under `Refer`). `nested_code`/`nested_level` are what Twilio logs
    for a child that is not allowed (13320 for Gather, 13215 for Dial, 14300 for Start).
    """

    name: str
    tag: str
    attrs: tuple[Attr, ...] = ()
    children: Mapping[str, str] = field(default_factory=dict)
    nested_code: int = 12200
    nested_level: Level = "warning"
    doc: str = ""

    def attr(self, wire: str) -> Attr | None:
        """The attribute spec for a wire name, or None when the element has no such one."""
        for spec in self.attrs:
            if spec.wire == wire:
                return spec
        return None


def _status_callback(events: Kind = CALL_EVENTS, method_code: int = 12200) -> tuple[Attr, ...]:
    return (
        Attr("url", HTTP_URL),
        Attr("method", METHOD, "POST", method_code),
        Attr("statusCallbackEvent", events, ()),
        Attr("statusCallback", HTTP_URL),
        Attr("statusCallbackMethod", METHOD, "POST"),
    )


_AMD = (
    Attr("machineDetection", enum("Enable", "DetectMessageEnd")),
    Attr("amdStatusCallback", HTTP_URL),
    Attr("amdStatusCallbackMethod", METHOD, "POST"),
    Attr("machineDetectionTimeout", integer(3, 60), 30),
    Attr("machineDetectionSpeechThreshold", integer(1000, 6000), 2400),
    Attr("machineDetectionSpeechEndThreshold", integer(500, 5000), 1200),
    Attr("machineDetectionSilenceTimeout", integer(2000, 10000), 5000),
)


def _recording_callbacks(url_code: int = 12200, event_code: int = 12200) -> tuple[Attr, ...]:
    """The recording callback attributes. Twilio's 13256 ("Invalid recordingStatusCallback
    URL") and 13621 ("Invalid 'recordingStatusCallbackEvent'") pages name the attribute,
    not a verb: every recording that has them (Record, Dial, Conference, Recording) logs
    them."""
    event_level: Level = "error" if event_code == 13621 else "warning"
    return (
        Attr("recordingStatusCallback", HTTP_URL, None, url_code),
        Attr("recordingStatusCallbackMethod", METHOD, "POST"),
        Attr(
            "recordingStatusCallbackEvent",
            RECORDING_EVENTS,
            ("completed",),
            event_code,
            event_level,
        ),
    )


_NAME_VALUE = (Attr("name"), Attr("value"))
_PARAM = {"Parameter": "Parameter"}
#: The card types of ``<Pay validCardTypes>`` (Twilio's ``<Pay>`` page).
_PAY_CARD_TYPES = (
    "visa",
    "mastercard",
    "amex",
    "maestro",
    "discover",
    "optima",
    "jcb",
    "diners-club",
    "enroute",
)
_PROMPTS = {"Say": "Say", "Play": "Play", "Pause": "Pause"}
_SSML_ALL = {
    "break": "SsmlBreak",
    "emphasis": "SsmlEmphasis",
    "lang": "SsmlLang",
    "p": "SsmlP",
    "phoneme": "SsmlPhoneme",
    "prosody": "SsmlProsody",
    "s": "SsmlS",
    "say-as": "SsmlSayAs",
    "sub": "SsmlSub",
    "w": "SsmlW",
}
_SSML_INLINE = {k: v for k, v in _SSML_ALL.items() if k not in ("p", "s")}
_SSML_WORD = {k: v for k, v in _SSML_INLINE.items() if k not in ("lang", "w")}
_PROSODY_RATE = pattern(
    r"x-slow|slow|medium|fast|x-fast|[0-9]+%", "x-slow, slow, medium, fast, x-fast or N%"
)


def _ssml(name: str, tag: str, attrs: tuple[Attr, ...], children: Mapping[str, str]) -> Element:
    return Element(name, tag, attrs, children, doc=f"SSML <{tag}> inside <Say>.")


_ELEMENT_LIST: tuple[Element, ...] = (
    Element(
        "Response",
        "Response",
        (Attr("version", enum("2008-08-01", "2010-04-01"), None, 12101, "error"),),
        {
            tag: tag
            for tag in [
                "Say",
                "Play",
                "Pause",
                "Gather",
                "Record",
                "Dial",
                "Hangup",
                "Redirect",
                "Reject",
                "Enqueue",
                "Leave",
                "Refer",
                "Connect",
                "Start",
                "Stop",
                "Pay",
                "Prompt",
                "Echo",
                "Sms",
                "Queue",
            ]
        },
        doc="The root of every TwiML document; its children are the verbs, run in order.",
    ),
    Element(
        "Say",
        "Say",
        (
            Attr("voice", VOICE, "man", 13511, parent_codes={"Gather": 13321}),
            Attr("language", LANGUAGE, "en-US", 13512),
            Attr("loop", integer(0), 1, 13510, parent_codes={"Gather": 13322}),
        ),
        _SSML_ALL,
        doc="Text to speech; `loop=0` repeats until hangup (1000 times).",
    ),
    Element(
        "Play",
        "Play",
        (Attr("loop", integer(0), 1, 13410), Attr("digits", DIGITS, None, 13430)),
        doc="Plays the audio at the URL in its text, or sends `digits` as DTMF.",
    ),
    Element(
        "Pause",
        "Pause",
        (
            Attr("length", integer(1), 1, 13910),
            # Twilio's 13999 page: a timeout that is not an integer is a warning; the wait
            # is `length` ("use the length attribute"): accepted, not acted on.
            Attr("timeout", integer(0), None, 13999),
        ),
        doc="Waits `length` seconds.",
    ),
    Element(
        "Gather",
        "Gather",
        (
            Attr("action", HTTP_URL),
            Attr("method", METHOD, "POST", 13312),
            Attr("input", words("dtmf", "speech"), ("dtmf",), 13326),
            Attr("timeout", SPEECH_TIMEOUT, 5, 13313),
            Attr("speechTimeout", SPEECH_TIMEOUT, None, 13327, default_from="timeout"),
            Attr("maxSpeechTime", integer(1), 60, 13328),
            Attr("profanityFilter", BOOL, True, 13333),
            Attr("finishOnKey", GATHER_FINISH_ON_KEY, "#", 13310),
            Attr("numDigits", integer(1), None, 13314),
            Attr("partialResultCallback", HTTP_URL),
            Attr("partialResultCallbackMethod", METHOD, "POST", 13329),
            Attr("language", SPEECH_LANGUAGE, "en-US", 13331),
            Attr("hints", GATHER_HINTS, None, 13330),
            Attr("bargeIn", BOOL, True, 13332),
            Attr("debug", BOOL, False, 13336),
            Attr("actionOnEmptyResult", BOOL, False, 13338, "error"),
            Attr("speechModel", SPEECH_MODEL, None, 13334),
            Attr("enhanced", BOOL, False, 13339),
        ),
        _PROMPTS,
        nested_code=13320,
        doc="Collects DTMF and/or speech, then requests `action`.",
    ),
    Element(
        "Record",
        "Record",
        (
            Attr("action", HTTP_URL),
            Attr("method", METHOD, "POST", 13610),
            Attr("timeout", integer(0), 5, 13611),
            Attr("finishOnKey", RECORD_FINISH_ON_KEY, "1234567890*#", 13613),
            Attr("maxLength", integer(1, 86400), 3600, 13612),
            Attr("playBeep", BOOL, True, 13616),
            Attr("trim", TRIM, "trim-silence", 13699, on_invalid="do-not-trim"),
            *_recording_callbacks(13256, 13621),
            Attr("transcribe", BOOL, False, 13614),
            Attr("transcribeCallback", HTTP_URL, None, 13257, "error"),
            Attr("recordingConfigurationId"),
        ),
        doc="Records the caller, then requests `action`.",
    ),
    Element(
        "Dial",
        "Dial",
        (
            Attr("action", HTTP_URL),
            Attr("method", METHOD, "POST", 13210),
            Attr("timeout", integer(1), 30, 13212),
            Attr("hangupOnStar", BOOL, False, 13213),
            Attr("timeLimit", integer(1), 14400, 13216),
            Attr("callerId", CALLER_ID, None, 13214),
            # Twilio's 13259 page ("Invalid CallerDisplayName") names the attribute with
            # the <Dial> and <Sip> pages: the SIP From header's display name
            Attr("callerDisplayName", CALLER_DISPLAY_NAME, None, 13259),
            Attr("record", DIAL_RECORD, "do-not-record", 13217),
            Attr("trim", TRIM, "do-not-trim"),
            *_recording_callbacks(13256, 13621),
            Attr("recordingConfigurationId"),
            Attr("answerOnBridge", BOOL, False, 13219),
            Attr(
                "ringTone",
                enum(
                    *[
                        "at",
                        "au",
                        "bg",
                        "br",
                        "be",
                        "ch",
                        "cl",
                        "cn",
                        "cz",
                        "de",
                        "dk",
                        "ee",
                        "es",
                        "fi",
                        "fr",
                        "gr",
                        "hu",
                        "il",
                        "in",
                        "it",
                        "lt",
                        "jp",
                        "mx",
                        "my",
                        "nl",
                        "no",
                        "nz",
                        "ph",
                        "pl",
                        "pt",
                        "ru",
                        "se",
                        "sg",
                        "th",
                        "uk",
                        "us",
                        "us-old",
                        "tw",
                        "ve",
                        "za",
                    ]
                ),
                None,
                13220,
            ),
            Attr("recordingTrack", enum("inbound", "outbound", "both"), "both", 13622),
            Attr("sequential", BOOL, False, 13218),
            Attr("referUrl", HTTP_URL),
            Attr("referMethod", METHOD, "POST"),
            Attr("events"),
            Attr("passports"),
            Attr("callReason"),  # Twilio's Dial page (branded calls); not in twilio-python
            Attr("ifMachine", enum("Continue", "Hangup"), None, 13211),
        ),
        {
            "Number": "Number",
            "Client": "Client",
            "Sip": "Sip",
            "Conference": "Conference",
            "Queue": "Queue",
            "Application": "Application",
            "Sim": "Sim",
            "WhatsApp": "WhatsApp",
        },
        nested_code=13215,
        doc="Connects the caller to another party: a text number or noun children.",
    ),
    Element("Hangup", "Hangup", (), _PARAM, doc="Ends the call."),
    Element(
        "Redirect",
        "Redirect",
        (Attr("method", METHOD, "POST", 13710),),
        doc="Fetches the URL in its text and runs it.",
    ),
    Element(
        "Reject",
        "Reject",
        (Attr("reason", enum("rejected", "busy"), "rejected", 13810),),
        _PARAM,
        doc="Declines the call without answering it.",
    ),
    Element(
        "Enqueue",
        "Enqueue",
        (
            Attr("action", HTTP_URL, None, 14203, "error"),
            Attr("method", METHOD, "POST", 14201, "error"),
            Attr("waitUrl", HTTP_URL, None, 14202, "error"),
            Attr("waitUrlMethod", METHOD, "POST", 14206, "error"),
            Attr("maxQueueSize", integer(1, 5000)),
            # 14220 "Enqueue: Provided Workflow was not a valid sid" (an ERROR)
            Attr(
                "workflowSid",
                pattern(r"WW[0-9a-fA-F]{32}", "a Workflow SID (WW followed by 32 hex digits)"),
                None,
                14220,
                "error",
            ),
        ),
        {"Task": "Task"},
        doc="Puts the caller in the queue named by its text (or a TaskRouter workflow).",
    ),
    Element(
        "Task",
        "Task",
        (Attr("priority", integer(0)), Attr("timeout", integer(1))),
        doc="TaskRouter task attributes (JSON text).",
    ),
    Element("Leave", "Leave", doc="Takes the caller out of its queue (in waitUrl TwiML)."),
    Element(
        "Refer",
        "Refer",
        (Attr("action", HTTP_URL), Attr("method", METHOD, "POST")),
        {"Sip": "ReferSip"},
        doc="SIP REFER to the URI of its <Sip> child.",
    ),
    Element("ReferSip", "Sip", doc="The SIP URI (text) a <Refer> transfers to."),
    Element(
        "Connect",
        "Connect",
        (Attr("action", HTTP_URL), Attr("method", METHOD, "POST")),
        {
            tag: tag
            for tag in [
                "Stream",
                "Room",
                "Autopilot",
                "VirtualAgent",
                "Conversation",
                "ConversationRelay",
                "AiSession",
                "ConversationRelaySession",
            ]
        },
        doc="Connects the call to a session noun until it ends.",
    ),
    Element(
        "Start",
        "Start",
        (Attr("action", HTTP_URL), Attr("method", METHOD, "POST")),
        {
            "Stream": "Stream",
            "Siprec": "Siprec",
            "Transcription": "Transcription",
            "Recording": "Recording",
        },
        nested_code=14300,
        nested_level="error",
        doc="Starts an asynchronous fork; execution continues at once.",
    ),
    Element(
        "Stop",
        "Stop",
        (),
        {
            "Stream": "Stream",
            "Siprec": "Siprec",
            "Transcription": "Transcription",
            "Recording": "Recording",
        },
        doc="Stops a fork started by <Start>, by name.",
    ),
    Element(
        "Pay",
        "Pay",
        (
            Attr("input", enum("dtmf"), "dtmf"),
            # Twilio's 64016 page (Pay: Invalid Action URL): "Action URL does not use
            # https://"; a relative one takes the document's scheme
            Attr("action", url("https"), None, 64016, "error"),
            Attr(
                "bankAccountType",
                enum("consumer-checking", "consumer-savings", "commercial-checking"),
                "consumer-checking",
            ),
            Attr("statusCallback", HTTP_URL),
            Attr("statusCallbackMethod", METHOD, "POST"),
            Attr("timeout", integer(1), 5),
            Attr("maxAttempts", integer(0), 1),  # 0 and over 3 are <Pay>'s own 64020
            Attr("securityCode", BOOL, True),
            Attr("postalCode", TEXT, "true"),
            Attr("minPostalCodeLength", integer(0)),
            Attr("paymentConnector", TEXT, "Default"),
            Attr("paymentMethod", enum("credit-card", "ach-debit"), "credit-card"),
            Attr("tokenType", enum("one-time", "reusable", "payment-method")),
            Attr("chargeAmount"),
            Attr("currency", TEXT, "usd"),
            Attr("description"),
            Attr(
                "validCardTypes",
                words(*_PAY_CARD_TYPES),
                ("visa", "mastercard", "amex"),
            ),
            Attr("language"),
        ),
        {"Prompt": "Prompt", "Parameter": "Parameter"},
        doc="Collects payment details over DTMF.",
    ),
    Element(
        "Prompt",
        "Prompt",
        (
            Attr(
                "for",
                enum(
                    "payment-card-number",
                    "expiration-date",
                    "security-code",
                    "postal-code",
                    "bank-routing-number",
                    "bank-account-number",
                    "payment-processing",
                ),
            ),
            Attr("errorType", words(), ()),
            Attr("cardType", words(), ()),
            Attr("attempt", words(), ()),
            Attr("requireMatchingInputs", BOOL, False),
        ),
        _PROMPTS,
        doc="Custom prompts for one step of <Pay>.",
    ),
    Element("Echo", "Echo", doc="Echoes the caller's audio back (test verb)."),
    Element(
        "Sms",
        "Sms",
        (
            Attr("to"),
            Attr("from"),
            Attr("action", HTTP_URL),
            # 14104/14105: the message verb's codes, as <Sms> has its 14101-14103
            Attr("method", METHOD, "POST", 14104),
            Attr("statusCallback", HTTP_URL, None, 14105),
        ),
        doc="Legacy: sends an SMS with its text during the call.",
    ),
    # Dial nouns
    Element(
        "Number",
        "Number",
        (
            Attr("sendDigits", DIGITS, None, 13222),
            Attr("url", HTTP_URL),
            Attr("method", METHOD, "POST", 13221),
            Attr("statusCallbackEvent", CALL_EVENTS, ("completed",)),
            Attr("statusCallback", HTTP_URL),
            Attr("statusCallbackMethod", METHOD, "POST"),
            Attr("byoc"),
            *_AMD,
        ),
        doc="A phone number (text) to dial.",
    ),
    Element(
        "Client",
        "Client",
        # clientNotificationUrl: Twilio's 13807 page names it on <Client> (the Voice SDK's
        # call notification webhook; twimlsim sends no notification)
        (*_status_callback(), Attr("clientNotificationUrl", HTTP_URL)),
        {"Identity": "Identity", "Parameter": "Parameter"},
        doc="A Voice SDK client to dial (text identity or <Identity>).",
    ),
    Element("Identity", "Identity", doc="The identity (text) of a <Client>."),
    Element(
        "Sip",
        "Sip",
        (
            Attr("username"),
            Attr("password"),
            *_status_callback(method_code=13241),
            *_AMD,
            Attr("callerDisplayName", CALLER_DISPLAY_NAME, None, 13259),
        ),
        {"Uri": "SipUri", "Headers": "Headers"},
        doc="A SIP URI (text or <Uri>) to dial.",
    ),
    Element(
        "SipUri",
        "Uri",
        (
            Attr("priority", integer(0)),
            Attr("weight", integer(1)),
            Attr("username"),
            Attr("password"),
        ),
        doc="One SIP URI (text) of a <Sip>.",
    ),
    Element("Headers", "Headers", (), {"Header": "Header"}, doc="Custom SIP headers of a <Sip>."),
    Element("Header", "Header", _NAME_VALUE, doc="One custom SIP header."),
    Element(
        "Conference",
        "Conference",
        (
            Attr("muted", BOOL, False, 13230),
            Attr("beep", enum("true", "false", "onEnter", "onExit"), "true", 13235),
            Attr("startConferenceOnEnter", BOOL, True, 13232),
            Attr("endConferenceOnExit", BOOL, False, 13231, "error"),
            Attr("waitUrl", HTTP_URL, None, 13233),
            Attr("waitMethod", METHOD, "POST", 13234),
            # the <Conference> page: "a positive integer" up to 250 (the Participants API
            # takes 2 to 250)
            Attr("maxParticipants", integer(1, 250), 250),
            Attr("record", CONFERENCE_RECORD, "do-not-record"),
            # the <Conference> page's regions, and us2, which the Participants API adds
            Attr("region", enum("us1", "us2", "ie1", "de1", "sg1", "br1", "au1", "jp1")),
            Attr(
                "coach",
                pattern(r"CA[0-9a-fA-F]{32}", "a call SID (CA followed by 32 hex digits)"),
                None,
                13240,
                "error",
            ),
            Attr("trim", CONFERENCE_TRIM, "trim-silence", 13239, "error"),
            Attr(
                "statusCallbackEvent",
                words(
                    "start",
                    "end",
                    "join",
                    "leave",
                    "mute",
                    "hold",
                    "modify",
                    "speaker",
                    "announcement",
                ),
                (),
            ),
            Attr("statusCallback", HTTP_URL),
            Attr("statusCallbackMethod", METHOD, "POST"),
            *_recording_callbacks(13256, 13621),
            Attr("eventCallbackUrl", HTTP_URL),
            Attr("jitterBufferSize", enum("small", "medium", "large", "off")),
            Attr("participantLabel"),
            Attr("recordingConfigurationId"),
        ),
        doc="A conference room (text name) to join.",
    ),
    Element(
        "Queue",
        "Queue",
        (
            Attr("url", HTTP_URL, None, 14211, "error"),
            Attr("method", METHOD, "POST", 14210, "error"),
            # 14215 "Dial->Queue: Invalid ReservationSid. Unable to dequeue" (an ERROR)
            Attr(
                "reservationSid",
                pattern(r"WR[0-9a-fA-F]{32}", "a Reservation SID (WR followed by 32 hex digits)"),
                None,
                14215,
                "error",
            ),
            Attr("postWorkActivitySid"),
        ),
        doc="A queue (text name) whose front caller is bridged.",
    ),
    Element(
        "Application",
        "Application",
        (*_status_callback(), Attr("customerId"), Attr("copyParentTo", BOOL, False)),
        {"ApplicationSid": "ApplicationSid", "Parameter": "Parameter"},
        doc="A TwiML App (text SID or <ApplicationSid>) to dial.",
    ),
    Element("ApplicationSid", "ApplicationSid", doc="The AP SID (text) of an <Application>."),
    Element("Sim", "Sim", doc="A Super SIM / Programmable Wireless SIM SID (text) to dial."),
    Element("WhatsApp", "WhatsApp", _status_callback(), doc="A WhatsApp number (text) to dial."),
    # Connect / Start / Stop nouns
    Element(
        "Stream",
        "Stream",
        (
            Attr("name"),
            Attr("connectorName"),
            Attr("url", WS_URL),
            Attr("track", TRACKS, "inbound_track", 31941, "error"),
            Attr("statusCallback", HTTP_URL),
            Attr("statusCallbackMethod", METHOD, "POST"),
            Attr("audioFormat"),
            Attr("sampleRate"),
        ),
        _PARAM,
        doc="A media stream over WebSocket.",
    ),
    Element(
        "Siprec",
        "Siprec",
        (
            Attr("name"),
            # Twilio's <Siprec> page: connectorName defaults to "Default"; track to
            # both_tracks ("by default uses two forked streams", inbound and outbound)
            Attr("connectorName", TEXT, "Default"),
            Attr("track", TRACKS, "both_tracks"),
            Attr("statusCallback", HTTP_URL),
            Attr("statusCallbackMethod", METHOD, "POST"),
        ),
        _PARAM,
        doc="A SIPREC session.",
    ),
    Element(
        "Transcription",
        "Transcription",
        (
            Attr("name"),
            Attr("track", TRACKS, "both_tracks"),
            Attr("statusCallbackUrl", HTTP_URL),
            Attr("statusCallbackMethod", METHOD, "POST"),
            Attr("inboundTrackLabel"),
            Attr("outboundTrackLabel"),
            Attr("partialResults", BOOL, False),
            Attr("languageCode", TEXT, "en-US"),
            Attr("transcriptionEngine"),
            Attr("profanityFilter", BOOL, True),
            Attr("speechModel"),
            Attr("hints"),
            Attr("enableAutomaticPunctuation", BOOL, True),
            Attr("intelligenceService"),
            Attr("enableProviderData", BOOL, False),
            Attr("conversationConfiguration"),
            Attr("conversationId"),
        ),
        {"Config": "Config", "Parameter": "Parameter"},
        doc="Real-time transcription.",
    ),
    Element(
        "Recording",
        "Recording",
        (
            *_recording_callbacks(13256, 13621),
            # Twilio's <Recording> page gives trim-silence and dual as the defaults (the
            # REST create's are do-not-trim and mono)
            Attr("trim", TRIM, "trim-silence"),
            Attr("track", enum("inbound", "outbound", "both"), "both"),
            Attr("channels", enum("mono", "dual"), "dual"),
            Attr("recordingConfigurationId"),
            Attr("name"),
        ),
        doc="A background call recording.",
    ),
    Element(
        "Room", "Room", (Attr("participantIdentity"),), doc="A Programmable Video room (text name)."
    ),
    Element("Autopilot", "Autopilot", doc="An Autopilot assistant (text name)."),
    Element(
        "VirtualAgent",
        "VirtualAgent",
        (
            Attr("connectorName"),
            Attr("language"),
            Attr("sentimentAnalysis", BOOL, False),
            Attr("statusCallback", HTTP_URL),
            Attr("statusCallbackMethod", METHOD, "POST"),
        ),
        {"Config": "Config", "Parameter": "Parameter"},
        doc="A Dialogflow CX virtual agent.",
    ),
    Element(
        "Conversation",
        "Conversation",
        (
            Attr("serviceInstanceSid"),
            Attr("inboundAutocreation", BOOL, False),
            Attr("routingAssignmentTimeout", integer(0)),
            Attr("inboundTimeout", integer(0)),
            Attr("url", HTTP_URL),
            Attr("method", METHOD, "POST"),
            Attr("record"),
            Attr("trim"),
            *_recording_callbacks(),
            Attr("statusCallback", HTTP_URL),
            Attr("statusCallbackMethod", METHOD, "POST"),
            Attr("statusCallbackEvent", words(), ()),
        ),
        doc="A Conversations voice channel.",
    ),
    Element(
        "ConversationRelay",
        "ConversationRelay",
        (
            Attr("url", WS_URL),
            *(
                Attr(wire)
                for wire in [
                    "language",
                    "ttsLanguage",
                    "transcriptionLanguage",
                    "ttsProvider",
                    "voice",
                    "transcriptionProvider",
                    "speechModel",
                    "profanityFilter",
                    "dtmfDetection",
                    "welcomeGreeting",
                    "partialPrompts",
                    "welcomeGreetingInterruptible",
                    "interruptible",
                    "preemptible",
                    "hints",
                    "intelligenceService",
                    "reportInputDuringAgentSpeech",
                    "elevenlabsTextNormalization",
                    "interruptSensitivity",
                    "debug",
                    "backgroundNoiseReduction",
                    "speechTimeout",
                    "deepgramSmartFormat",
                    "ignoreBackchannel",
                    "events",
                    "partialPromptOnHangup",
                    "eagerEotThreshold",
                    "asrSmartFormat",
                    "ttsTextNormalization",
                    "ttsLanguageTextNormalization",
                    "elevenlabsLanguageTextNormalization",
                    "includeInPrompt",
                    "customerName",
                    "applicationReconnect",
                    "echoPromptFiltering",
                    "turnDetection",
                ]
            ),
        ),
        {"Language": "Language", "Parameter": "Parameter"},
        doc="An AI voice session over WebSocket (attributes kept as strings).",
    ),
    Element(
        "Language",
        "Language",
        tuple(
            Attr(wire)
            for wire in [
                "code",
                "ttsProvider",
                "voice",
                "transcriptionProvider",
                "speechModel",
                "hints",
                "asrSmartFormat",
                "ttsTextNormalization",
                "ttsLanguageTextNormalization",
            ]
        ),
        doc="Per-language settings of a <ConversationRelay>.",
    ),
    Element("Config", "Config", _NAME_VALUE, doc="A name/value setting."),
    Element("Parameter", "Parameter", _NAME_VALUE, doc="A custom name/value parameter."),
    Element(
        "AiSession",
        "AiSession",
        (Attr("aiConnector"), Attr("aiSessionConfiguration")),
        doc="An AI connector session.",
    ),
    Element(
        "ConversationRelaySession",
        "ConversationRelaySession",
        (Attr("connector"), Attr("sessionConfiguration")),
        doc="A ConversationRelay session by configuration.",
    ),
    # SSML inside Say
    _ssml(
        "SsmlBreak",
        "break",
        (
            Attr(
                "strength", enum("none", "x-weak", "weak", "medium", "strong", "x-strong"), "medium"
            ),
            Attr("time", pattern(r"[0-9]+(\.[0-9]+)?m?s", "a duration such as 500ms or 2s")),
        ),
        {},
    ),
    _ssml(
        "SsmlEmphasis",
        "emphasis",
        (Attr("level", enum("strong", "moderate", "reduced"), "moderate"),),
        _SSML_INLINE,
    ),
    _ssml("SsmlLang", "lang", (Attr("xml:lang"),), _SSML_ALL),
    _ssml("SsmlP", "p", (), {k: v for k, v in _SSML_ALL.items() if k != "p"}),
    _ssml("SsmlPhoneme", "phoneme", (Attr("alphabet", enum("ipa", "x-sampa")), Attr("ph")), {}),
    _ssml(
        "SsmlProsody",
        "prosody",
        (Attr("volume"), Attr("rate", _PROSODY_RATE, None, 13513), Attr("pitch")),
        _SSML_ALL,
    ),
    _ssml("SsmlS", "s", (), _SSML_INLINE),
    _ssml("SsmlSayAs", "say-as", (Attr("interpret-as"), Attr("format")), {}),
    _ssml("SsmlSub", "sub", (Attr("alias"),), {}),
    _ssml("SsmlW", "w", (Attr("role"),), _SSML_WORD),
)

ELEMENTS: Mapping[str, Element] = {element.name: element for element in _ELEMENT_LIST}
"""Every element, keyed by node class name."""

ROOT = "Response"
"""The only element allowed at the root of a document."""

KNOWN_TAGS: frozenset[str] = frozenset(element.tag for element in _ELEMENT_LIST)
"""Every tag the schema knows (under some parent)."""

#: Attributes an element does not have that Twilio reports under a code of their own
#: (``(element name, wire name)`` -> code and why): the ``AsyncAmd*`` parameters of ``POST
#: /Calls`` on ``<Number>`` or ``<Sip>`` are warning 21263, "Invalid Answering Machine
#: Detection Parameters" (its page names both nouns); Twilio ignores them, as any other.
#: ``<Recording>`` spelled as ``<Dial>`` or the REST create spell its track and channels is
#: 12200, as any unknown attribute, with the noun's own name for it.
MISPLACED_ATTRIBUTES: Mapping[tuple[str, str], tuple[int, str]] = {
    (noun, wire): (
        21263,
        f"<{noun}> has no attribute {wire!r}: the AsyncAmd parameters belong to POST /Calls "
        "(Twilio's warning 21263) and are ignored; a dialled number detects a machine with "
        "machineDetection and reports to amdStatusCallback",
    )
    for noun in ("Number", "Sip")
    for wire in ("asyncAmd", "asyncAmdStatusCallback", "asyncAmdStatusCallbackMethod")
} | {
    ("Recording", wire): (
        12200,
        f"<Recording> has no attribute {wire!r}: the noun names it {name!r} ({elsewhere}); "
        f"Twilio ignores it and records with {name}={default!r} unless {name} is given",
    )
    for wire, name, default, elsewhere in (
        (
            "recordingTrack",
            "track",
            "both",
            "recordingTrack is <Dial>'s attribute, RecordingTrack the REST create's parameter",
        ),
        ("recordingChannels", "channels", "dual", "RecordingChannels is the REST create's"),
    )
}
