"""Typed, immutable TwiML nodes: one frozen dataclass per voice element.

GENERATED from `schema.py` by `_gen_nodes.py` (field names, types and Twilio defaults);
edit the schema and regenerate rather than editing the fields by hand.

Every node keeps its source `line`, its own stripped `text` (the direct text, not that of
its children), its `children` and its raw `attributes` as written. Each TwiML attribute is
a field named as twilio-python's keyword, holding the typed value, or Twilio's default when
the attribute is absent or invalid (the parser then reports a problem).

Their `__repr__`, `__eq__` and `__hash__` are dataclass's own, shared from `ValueMethods`
rather than generated for each class (`repr=False, eq=False`), which keeps importing them
cheap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar, Literal

from twimlsim.value_methods import ValueMethods

__all__ = [
    "Node",
    "Unknown",
    "NODE_CLASSES",
    "Response",
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
    "Task",
    "Leave",
    "Refer",
    "ReferSip",
    "Connect",
    "Start",
    "Stop",
    "Pay",
    "Prompt",
    "Echo",
    "Sms",
    "Number",
    "Client",
    "Identity",
    "Sip",
    "SipUri",
    "Headers",
    "Header",
    "Conference",
    "Queue",
    "Application",
    "ApplicationSid",
    "Sim",
    "WhatsApp",
    "Stream",
    "Siprec",
    "Transcription",
    "Recording",
    "Room",
    "Autopilot",
    "VirtualAgent",
    "Conversation",
    "ConversationRelay",
    "Language",
    "Config",
    "Parameter",
    "AiSession",
    "ConversationRelaySession",
    "SsmlBreak",
    "SsmlEmphasis",
    "SsmlLang",
    "SsmlP",
    "SsmlPhoneme",
    "SsmlProsody",
    "SsmlS",
    "SsmlSayAs",
    "SsmlSub",
    "SsmlW",
]


def _no_attributes() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Node(ValueMethods):
    """Base of every TwiML node.

    `tag` is the TwiML tag name; `attributes` holds the attributes exactly as written (for
    diagnostics and round trips), while the typed fields of each subclass hold their values.
    """

    tag: ClassVar[str] = ""
    line: int = 0
    text: str = ""
    children: tuple[Node, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=_no_attributes, hash=False)


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Unknown(Node):
    """An element the schema does not know, or a known element placed where its parent does
    not allow it.

    Twilio logs a 12200 schema warning (or the parent's nesting code) for it. The engine skips
    it: twilio-reference Part II §II.6 finds field reports disagree on whether Twilio skips
    the element or ends the call, and recommends "log 12200 and skip the offending element"
    as the safest rule. Its descendants are kept as `Unknown` nodes too.
    """

    tag_name: str = ""


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Response(Node):
    """<Response>: The root of every TwiML document; its children are the verbs, run in order."""

    tag: ClassVar[str] = "Response"
    version: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Say(Node):
    """<Say>: Text to speech; `loop=0` repeats until hangup (1000 times)."""

    tag: ClassVar[str] = "Say"
    voice: str = "man"
    language: str = "en-US"
    loop: int = 1

    spoken_text: str = ""
    """The text to speak, including the text of SSML descendants, whitespace collapsed."""


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Play(Node):
    """<Play>: Plays the audio at the URL in its text, or sends `digits` as DTMF."""

    tag: ClassVar[str] = "Play"
    loop: int = 1
    digits: str | None = None

    @property
    def url(self) -> str:
        """The media URL (the element's text; empty when only `digits` are sent)."""
        return self.text


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Pause(Node):
    """<Pause>: Waits `length` seconds."""

    tag: ClassVar[str] = "Pause"
    length: int = 1


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Gather(Node):
    """<Gather>: Collects DTMF and/or speech, then requests `action`."""

    tag: ClassVar[str] = "Gather"
    action: str | None = None
    method: str = "POST"
    input: tuple[str, ...] = ("dtmf",)
    timeout: int = 5
    speech_timeout: int | Literal["auto"] = 5
    max_speech_time: int = 60
    profanity_filter: bool = True
    finish_on_key: str = "#"
    num_digits: int | None = None
    partial_result_callback: str | None = None
    partial_result_callback_method: str = "POST"
    language: str = "en-US"
    hints: str | None = None
    barge_in: bool = True
    debug: bool = False
    action_on_empty_result: bool = False
    speech_model: str | None = None
    enhanced: bool = False


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Record(Node):
    """<Record>: Records the caller, then requests `action`."""

    tag: ClassVar[str] = "Record"
    action: str | None = None
    method: str = "POST"
    timeout: int = 5
    finish_on_key: str = "1234567890*#"
    max_length: int = 3600
    play_beep: bool = True
    trim: str = "trim-silence"
    recording_status_callback: str | None = None
    recording_status_callback_method: str = "POST"
    recording_status_callback_event: tuple[str, ...] = ("completed",)
    transcribe: bool = False
    transcribe_callback: str | None = None
    recording_configuration_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Dial(Node):
    """<Dial>: Connects the caller to another party: a text number or noun children."""

    tag: ClassVar[str] = "Dial"
    action: str | None = None
    method: str = "POST"
    timeout: int = 30
    hangup_on_star: bool = False
    time_limit: int = 14400
    caller_id: str | None = None
    record: str = "do-not-record"
    trim: str = "do-not-trim"
    recording_status_callback: str | None = None
    recording_status_callback_method: str = "POST"
    recording_status_callback_event: tuple[str, ...] = ("completed",)
    recording_configuration_id: str | None = None
    answer_on_bridge: bool = False
    ring_tone: str | None = None
    recording_track: str = "both"
    sequential: bool = False
    refer_url: str | None = None
    refer_method: str = "POST"
    events: str | None = None
    passports: str | None = None
    call_reason: str | None = None
    if_machine: str | None = None

    @property
    def number(self) -> str | None:
        """The bare number written as the Dial's text, or None when nouns are used."""
        return self.text or None

    @property
    def nouns(self) -> tuple[Node, ...]:
        """The noun children (Number, Client, Sip, ...), without skipped unknown elements."""
        return tuple(child for child in self.children if not isinstance(child, Unknown))


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Hangup(Node):
    """<Hangup>: Ends the call."""

    tag: ClassVar[str] = "Hangup"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Redirect(Node):
    """<Redirect>: Fetches the URL in its text and runs it."""

    tag: ClassVar[str] = "Redirect"
    method: str = "POST"

    @property
    def url(self) -> str:
        """The URL to fetch next (the element's text; may be relative)."""
        return self.text


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Reject(Node):
    """<Reject>: Declines the call without answering it."""

    tag: ClassVar[str] = "Reject"
    reason: str = "rejected"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Enqueue(Node):
    """<Enqueue>: Puts the caller in the queue named by its text (or a TaskRouter workflow)."""

    tag: ClassVar[str] = "Enqueue"
    action: str | None = None
    method: str = "POST"
    wait_url: str | None = None
    wait_url_method: str = "POST"
    max_queue_size: int | None = None
    workflow_sid: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Task(Node):
    """<Task>: TaskRouter task attributes (JSON text)."""

    tag: ClassVar[str] = "Task"
    priority: int | None = None
    timeout: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Leave(Node):
    """<Leave>: Takes the caller out of its queue (in waitUrl TwiML)."""

    tag: ClassVar[str] = "Leave"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Refer(Node):
    """<Refer>: SIP REFER to the URI of its <Sip> child."""

    tag: ClassVar[str] = "Refer"
    action: str | None = None
    method: str = "POST"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class ReferSip(Node):
    """<Sip>: The SIP URI (text) a <Refer> transfers to."""

    tag: ClassVar[str] = "Sip"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Connect(Node):
    """<Connect>: Connects the call to a session noun until it ends."""

    tag: ClassVar[str] = "Connect"
    action: str | None = None
    method: str = "POST"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Start(Node):
    """<Start>: Starts an asynchronous fork; execution continues at once."""

    tag: ClassVar[str] = "Start"
    action: str | None = None
    method: str = "POST"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Stop(Node):
    """<Stop>: Stops a fork started by <Start>, by name."""

    tag: ClassVar[str] = "Stop"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Pay(Node):
    """<Pay>: Collects payment details over DTMF."""

    tag: ClassVar[str] = "Pay"
    input: str = "dtmf"
    action: str | None = None
    bank_account_type: str = "consumer-checking"
    status_callback: str | None = None
    status_callback_method: str = "POST"
    timeout: int = 5
    max_attempts: int = 1
    security_code: bool = True
    postal_code: str = "true"
    min_postal_code_length: int | None = None
    payment_connector: str = "Default"
    payment_method: str = "credit-card"
    token_type: str | None = None
    charge_amount: str | None = None
    currency: str = "usd"
    description: str | None = None
    valid_card_types: tuple[str, ...] = ("visa", "mastercard", "amex")
    language: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Prompt(Node):
    """<Prompt>: Custom prompts for one step of <Pay>."""

    tag: ClassVar[str] = "Prompt"
    for_: str | None = None
    error_type: tuple[str, ...] = ()
    card_type: tuple[str, ...] = ()
    attempt: tuple[str, ...] = ()
    require_matching_inputs: bool = False


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Echo(Node):
    """<Echo>: Echoes the caller's audio back (test verb)."""

    tag: ClassVar[str] = "Echo"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Sms(Node):
    """<Sms>: Legacy: sends an SMS with its text during the call."""

    tag: ClassVar[str] = "Sms"
    to: str | None = None
    from_: str | None = None
    action: str | None = None
    method: str = "POST"
    status_callback: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Number(Node):
    """<Number>: A phone number (text) to dial."""

    tag: ClassVar[str] = "Number"
    send_digits: str | None = None
    url: str | None = None
    method: str = "POST"
    status_callback_event: tuple[str, ...] = ("completed",)
    status_callback: str | None = None
    status_callback_method: str = "POST"
    byoc: str | None = None
    machine_detection: str | None = None
    amd_status_callback: str | None = None
    amd_status_callback_method: str = "POST"
    machine_detection_timeout: int = 30
    machine_detection_speech_threshold: int = 2400
    machine_detection_speech_end_threshold: int = 1200
    machine_detection_silence_timeout: int = 5000


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Client(Node):
    """<Client>: A Voice SDK client to dial (text identity or <Identity>)."""

    tag: ClassVar[str] = "Client"
    url: str | None = None
    method: str = "POST"
    status_callback_event: tuple[str, ...] = ()
    status_callback: str | None = None
    status_callback_method: str = "POST"
    client_notification_url: str | None = None

    @property
    def identity(self) -> str:
        """The client identity: the text, or the text of a nested <Identity>."""
        if self.text:
            return self.text
        for child in self.children:
            if isinstance(child, Identity):
                return child.text
        return ""


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Identity(Node):
    """<Identity>: The identity (text) of a <Client>."""

    tag: ClassVar[str] = "Identity"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Sip(Node):
    """<Sip>: A SIP URI (text or <Uri>) to dial."""

    tag: ClassVar[str] = "Sip"
    username: str | None = None
    password: str | None = None
    url: str | None = None
    method: str = "POST"
    status_callback_event: tuple[str, ...] = ()
    status_callback: str | None = None
    status_callback_method: str = "POST"
    machine_detection: str | None = None
    amd_status_callback: str | None = None
    amd_status_callback_method: str = "POST"
    machine_detection_timeout: int = 30
    machine_detection_speech_threshold: int = 2400
    machine_detection_speech_end_threshold: int = 1200
    machine_detection_silence_timeout: int = 5000

    @property
    def uri(self) -> str:
        """The SIP URI: the text, or the text of the first nested <Uri>."""
        if self.text:
            return self.text
        for child in self.children:
            if isinstance(child, SipUri):
                return child.text
        return ""


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class SipUri(Node):
    """<Uri>: One SIP URI (text) of a <Sip>."""

    tag: ClassVar[str] = "Uri"
    priority: int | None = None
    weight: int | None = None
    username: str | None = None
    password: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Headers(Node):
    """<Headers>: Custom SIP headers of a <Sip>."""

    tag: ClassVar[str] = "Headers"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Header(Node):
    """<Header>: One custom SIP header."""

    tag: ClassVar[str] = "Header"
    name: str | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Conference(Node):
    """<Conference>: A conference room (text name) to join."""

    tag: ClassVar[str] = "Conference"
    muted: bool = False
    beep: str = "true"
    start_conference_on_enter: bool = True
    end_conference_on_exit: bool = False
    wait_url: str | None = None
    wait_method: str = "POST"
    max_participants: int = 250
    record: str = "do-not-record"
    region: str | None = None
    coach: str | None = None
    trim: str = "trim-silence"
    status_callback_event: tuple[str, ...] = ()
    status_callback: str | None = None
    status_callback_method: str = "POST"
    recording_status_callback: str | None = None
    recording_status_callback_method: str = "POST"
    recording_status_callback_event: tuple[str, ...] = ("completed",)
    event_callback_url: str | None = None
    jitter_buffer_size: str | None = None
    participant_label: str | None = None
    recording_configuration_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Queue(Node):
    """<Queue>: A queue (text name) whose front caller is bridged."""

    tag: ClassVar[str] = "Queue"
    url: str | None = None
    method: str = "POST"
    reservation_sid: str | None = None
    post_work_activity_sid: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Application(Node):
    """<Application>: A TwiML App (text SID or <ApplicationSid>) to dial."""

    tag: ClassVar[str] = "Application"
    url: str | None = None
    method: str = "POST"
    status_callback_event: tuple[str, ...] = ()
    status_callback: str | None = None
    status_callback_method: str = "POST"
    customer_id: str | None = None
    copy_parent_to: bool = False


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class ApplicationSid(Node):
    """<ApplicationSid>: The AP SID (text) of an <Application>."""

    tag: ClassVar[str] = "ApplicationSid"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Sim(Node):
    """<Sim>: A Super SIM / Programmable Wireless SIM SID (text) to dial."""

    tag: ClassVar[str] = "Sim"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class WhatsApp(Node):
    """<WhatsApp>: A WhatsApp number (text) to dial."""

    tag: ClassVar[str] = "WhatsApp"
    url: str | None = None
    method: str = "POST"
    status_callback_event: tuple[str, ...] = ()
    status_callback: str | None = None
    status_callback_method: str = "POST"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Stream(Node):
    """<Stream>: A media stream over WebSocket."""

    tag: ClassVar[str] = "Stream"
    name: str | None = None
    connector_name: str | None = None
    url: str | None = None
    track: str = "inbound_track"
    status_callback: str | None = None
    status_callback_method: str = "POST"
    audio_format: str | None = None
    sample_rate: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Siprec(Node):
    """<Siprec>: A SIPREC session."""

    tag: ClassVar[str] = "Siprec"
    name: str | None = None
    connector_name: str | None = None
    track: str = "inbound_track"
    status_callback: str | None = None
    status_callback_method: str = "POST"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Transcription(Node):
    """<Transcription>: Real-time transcription."""

    tag: ClassVar[str] = "Transcription"
    name: str | None = None
    track: str = "both_tracks"
    status_callback_url: str | None = None
    status_callback_method: str = "POST"
    inbound_track_label: str | None = None
    outbound_track_label: str | None = None
    partial_results: bool = False
    language_code: str = "en-US"
    transcription_engine: str | None = None
    profanity_filter: bool = True
    speech_model: str | None = None
    hints: str | None = None
    enable_automatic_punctuation: bool = True
    intelligence_service: str | None = None
    enable_provider_data: bool = False
    conversation_configuration: str | None = None
    conversation_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Recording(Node):
    """<Recording>: A background call recording."""

    tag: ClassVar[str] = "Recording"
    recording_status_callback: str | None = None
    recording_status_callback_method: str = "POST"
    recording_status_callback_event: tuple[str, ...] = ("completed",)
    trim: str = "do-not-trim"
    track: str = "both"
    channels: str = "mono"
    recording_configuration_id: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Room(Node):
    """<Room>: A Programmable Video room (text name)."""

    tag: ClassVar[str] = "Room"
    participant_identity: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Autopilot(Node):
    """<Autopilot>: An Autopilot assistant (text name)."""

    tag: ClassVar[str] = "Autopilot"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class VirtualAgent(Node):
    """<VirtualAgent>: A Dialogflow CX virtual agent."""

    tag: ClassVar[str] = "VirtualAgent"
    connector_name: str | None = None
    language: str | None = None
    sentiment_analysis: bool = False
    status_callback: str | None = None
    status_callback_method: str = "POST"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Conversation(Node):
    """<Conversation>: A Conversations voice channel."""

    tag: ClassVar[str] = "Conversation"
    service_instance_sid: str | None = None
    inbound_autocreation: bool = False
    routing_assignment_timeout: int | None = None
    inbound_timeout: int | None = None
    url: str | None = None
    method: str = "POST"
    record: str | None = None
    trim: str | None = None
    recording_status_callback: str | None = None
    recording_status_callback_method: str = "POST"
    recording_status_callback_event: tuple[str, ...] = ("completed",)
    status_callback: str | None = None
    status_callback_method: str = "POST"
    status_callback_event: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class ConversationRelay(Node):
    """<ConversationRelay>: An AI voice session over WebSocket (attributes kept as strings)."""

    tag: ClassVar[str] = "ConversationRelay"
    url: str | None = None
    language: str | None = None
    tts_language: str | None = None
    transcription_language: str | None = None
    tts_provider: str | None = None
    voice: str | None = None
    transcription_provider: str | None = None
    speech_model: str | None = None
    profanity_filter: str | None = None
    dtmf_detection: str | None = None
    welcome_greeting: str | None = None
    partial_prompts: str | None = None
    welcome_greeting_interruptible: str | None = None
    interruptible: str | None = None
    preemptible: str | None = None
    hints: str | None = None
    intelligence_service: str | None = None
    report_input_during_agent_speech: str | None = None
    elevenlabs_text_normalization: str | None = None
    interrupt_sensitivity: str | None = None
    debug: str | None = None
    background_noise_reduction: str | None = None
    speech_timeout: str | None = None
    deepgram_smart_format: str | None = None
    ignore_backchannel: str | None = None
    events: str | None = None
    partial_prompt_on_hangup: str | None = None
    eager_eot_threshold: str | None = None
    asr_smart_format: str | None = None
    tts_text_normalization: str | None = None
    tts_language_text_normalization: str | None = None
    elevenlabs_language_text_normalization: str | None = None
    include_in_prompt: str | None = None
    customer_name: str | None = None
    application_reconnect: str | None = None
    echo_prompt_filtering: str | None = None
    turn_detection: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Language(Node):
    """<Language>: Per-language settings of a <ConversationRelay>."""

    tag: ClassVar[str] = "Language"
    code: str | None = None
    tts_provider: str | None = None
    voice: str | None = None
    transcription_provider: str | None = None
    speech_model: str | None = None
    hints: str | None = None
    asr_smart_format: str | None = None
    tts_text_normalization: str | None = None
    tts_language_text_normalization: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Config(Node):
    """<Config>: A name/value setting."""

    tag: ClassVar[str] = "Config"
    name: str | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Parameter(Node):
    """<Parameter>: A custom name/value parameter."""

    tag: ClassVar[str] = "Parameter"
    name: str | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class AiSession(Node):
    """<AiSession>: An AI connector session."""

    tag: ClassVar[str] = "AiSession"
    ai_connector: str | None = None
    ai_session_configuration: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class ConversationRelaySession(Node):
    """<ConversationRelaySession>: A ConversationRelay session by configuration."""

    tag: ClassVar[str] = "ConversationRelaySession"
    connector: str | None = None
    session_configuration: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class SsmlBreak(Node):
    """<break>: SSML <break> inside <Say>."""

    tag: ClassVar[str] = "break"
    strength: str = "medium"
    time: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class SsmlEmphasis(Node):
    """<emphasis>: SSML <emphasis> inside <Say>."""

    tag: ClassVar[str] = "emphasis"
    level: str = "moderate"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class SsmlLang(Node):
    """<lang>: SSML <lang> inside <Say>."""

    tag: ClassVar[str] = "lang"
    xml_lang: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class SsmlP(Node):
    """<p>: SSML <p> inside <Say>."""

    tag: ClassVar[str] = "p"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class SsmlPhoneme(Node):
    """<phoneme>: SSML <phoneme> inside <Say>."""

    tag: ClassVar[str] = "phoneme"
    alphabet: str | None = None
    ph: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class SsmlProsody(Node):
    """<prosody>: SSML <prosody> inside <Say>."""

    tag: ClassVar[str] = "prosody"
    volume: str | None = None
    rate: str | None = None
    pitch: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class SsmlS(Node):
    """<s>: SSML <s> inside <Say>."""

    tag: ClassVar[str] = "s"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class SsmlSayAs(Node):
    """<say-as>: SSML <say-as> inside <Say>."""

    tag: ClassVar[str] = "say-as"
    interpret_as: str | None = None
    format: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class SsmlSub(Node):
    """<sub>: SSML <sub> inside <Say>."""

    tag: ClassVar[str] = "sub"
    alias: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class SsmlW(Node):
    """<w>: SSML <w> inside <Say>."""

    tag: ClassVar[str] = "w"
    role: str | None = None


NODE_CLASSES: Mapping[str, type[Node]] = {
    "Response": Response,
    "Say": Say,
    "Play": Play,
    "Pause": Pause,
    "Gather": Gather,
    "Record": Record,
    "Dial": Dial,
    "Hangup": Hangup,
    "Redirect": Redirect,
    "Reject": Reject,
    "Enqueue": Enqueue,
    "Task": Task,
    "Leave": Leave,
    "Refer": Refer,
    "ReferSip": ReferSip,
    "Connect": Connect,
    "Start": Start,
    "Stop": Stop,
    "Pay": Pay,
    "Prompt": Prompt,
    "Echo": Echo,
    "Sms": Sms,
    "Number": Number,
    "Client": Client,
    "Identity": Identity,
    "Sip": Sip,
    "SipUri": SipUri,
    "Headers": Headers,
    "Header": Header,
    "Conference": Conference,
    "Queue": Queue,
    "Application": Application,
    "ApplicationSid": ApplicationSid,
    "Sim": Sim,
    "WhatsApp": WhatsApp,
    "Stream": Stream,
    "Siprec": Siprec,
    "Transcription": Transcription,
    "Recording": Recording,
    "Room": Room,
    "Autopilot": Autopilot,
    "VirtualAgent": VirtualAgent,
    "Conversation": Conversation,
    "ConversationRelay": ConversationRelay,
    "Language": Language,
    "Config": Config,
    "Parameter": Parameter,
    "AiSession": AiSession,
    "ConversationRelaySession": ConversationRelaySession,
    "SsmlBreak": SsmlBreak,
    "SsmlEmphasis": SsmlEmphasis,
    "SsmlLang": SsmlLang,
    "SsmlP": SsmlP,
    "SsmlPhoneme": SsmlPhoneme,
    "SsmlProsody": SsmlProsody,
    "SsmlS": SsmlS,
    "SsmlSayAs": SsmlSayAs,
    "SsmlSub": SsmlSub,
    "SsmlW": SsmlW,
}
"""Every node class, keyed by class name (the schema's element names)."""
