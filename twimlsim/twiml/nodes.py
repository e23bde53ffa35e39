"""Typed, immutable TwiML nodes: one frozen dataclass per voice element.

GENERATED from `schema.py` by `_gen_nodes.py` (field names, types and Twilio defaults);
edit the schema and regenerate rather than editing the fields by hand.

Every node keeps its source `line`, its own stripped `text` (the direct text, not that of
its children), its `children` and its raw `attributes` as written. Each TwiML attribute is
a field named as twilio-python's keyword, holding the typed value, or Twilio's default when
the attribute is absent or invalid (the parser then reports a problem).

Each class is what `@dataclass(frozen=True, slots=True, kw_only=True)` makes (the same
fields, `dataclasses.replace`, pickling, and `FrozenInstanceError` on assignment), but
nothing is left for `exec` at import: each `__init__` is written out below, as dataclass
would generate it; `__repr__`, `__eq__`, `__hash__` and the frozen `__setattr__` and
`__delattr__` are shared from `FrozenValueMethods`; `mark_frozen` records the classes as
frozen at the end. That keeps importing them cheap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from types import MappingProxyType
from typing import Any, ClassVar, Literal

from twimlsim.value_methods import FrozenValueMethods, frozen_value_class, mark_frozen

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


class _Factory:
    """The default shown for a field with a default factory, as dataclass shows it."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY: Any = _Factory()
_set_field = object.__setattr__


@frozen_value_class
class Node(FrozenValueMethods):
    """Base of every TwiML node.

    `tag` is the TwiML tag name; `attributes` holds the attributes exactly as written (for
    diagnostics and round trips), while the typed fields of each subclass hold their values.
    """

    tag: ClassVar[str] = ""
    line: int = 0
    text: str = ""
    children: tuple[Node, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=_no_attributes, hash=False)

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)


@frozen_value_class
class Unknown(Node):
    """An element the schema does not know, or a known element placed where its parent does
    not allow it.

    Twilio logs a 12200 schema warning (or the parent's nesting code) for it. The engine skips
    it: twilio-reference Part II §II.6 finds field reports disagree on whether Twilio skips
    the element or ends the call, and recommends "log 12200 and skip the offending element"
    as the safest rule. Its descendants are kept as `Unknown` nodes too.
    """

    tag_name: str = ""

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        tag_name: str = "",
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "tag_name", tag_name)


@frozen_value_class
class Response(Node):
    """<Response>: The root of every TwiML document; its children are the verbs, run in order."""

    tag: ClassVar[str] = "Response"
    version: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        version: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "version", version)


@frozen_value_class
class Say(Node):
    """<Say>: Text to speech; `loop=0` repeats until hangup (1000 times)."""

    tag: ClassVar[str] = "Say"
    voice: str = "man"
    language: str = "en-US"
    loop: int = 1

    spoken_text: str = ""
    """The words spoken: SSML descendants' text too (a <sub>'s alias), spaces collapsed."""

    written_text: str | None = None
    """The text as written where a <sub alias> changed spoken_text, else None (13521)."""

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        voice: str = "man",
        language: str = "en-US",
        loop: int = 1,
        spoken_text: str = "",
        written_text: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "voice", voice)
        _set_field(self, "language", language)
        _set_field(self, "loop", loop)
        _set_field(self, "spoken_text", spoken_text)
        _set_field(self, "written_text", written_text)


@frozen_value_class
class Play(Node):
    """<Play>: Plays the audio at the URL in its text, or sends `digits` as DTMF."""

    tag: ClassVar[str] = "Play"
    loop: int = 1
    digits: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        loop: int = 1,
        digits: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "loop", loop)
        _set_field(self, "digits", digits)

    @property
    def url(self) -> str:
        """The media URL (the element's text; empty when only `digits` are sent)."""
        return self.text


@frozen_value_class
class Pause(Node):
    """<Pause>: Waits `length` seconds."""

    tag: ClassVar[str] = "Pause"
    length: int = 1
    timeout: int | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        length: int = 1,
        timeout: int | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "length", length)
        _set_field(self, "timeout", timeout)


@frozen_value_class
class Gather(Node):
    """<Gather>: Collects DTMF and/or speech, then requests `action`."""

    tag: ClassVar[str] = "Gather"
    action: str | None = None
    method: str = "POST"
    input: tuple[str, ...] = ("dtmf",)
    timeout: int | Literal["auto"] = 5
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

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        action: str | None = None,
        method: str = "POST",
        input: tuple[str, ...] = ("dtmf",),
        timeout: int | Literal["auto"] = 5,
        speech_timeout: int | Literal["auto"] = 5,
        max_speech_time: int = 60,
        profanity_filter: bool = True,
        finish_on_key: str = "#",
        num_digits: int | None = None,
        partial_result_callback: str | None = None,
        partial_result_callback_method: str = "POST",
        language: str = "en-US",
        hints: str | None = None,
        barge_in: bool = True,
        debug: bool = False,
        action_on_empty_result: bool = False,
        speech_model: str | None = None,
        enhanced: bool = False,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "action", action)
        _set_field(self, "method", method)
        _set_field(self, "input", input)
        _set_field(self, "timeout", timeout)
        _set_field(self, "speech_timeout", speech_timeout)
        _set_field(self, "max_speech_time", max_speech_time)
        _set_field(self, "profanity_filter", profanity_filter)
        _set_field(self, "finish_on_key", finish_on_key)
        _set_field(self, "num_digits", num_digits)
        _set_field(self, "partial_result_callback", partial_result_callback)
        _set_field(self, "partial_result_callback_method", partial_result_callback_method)
        _set_field(self, "language", language)
        _set_field(self, "hints", hints)
        _set_field(self, "barge_in", barge_in)
        _set_field(self, "debug", debug)
        _set_field(self, "action_on_empty_result", action_on_empty_result)
        _set_field(self, "speech_model", speech_model)
        _set_field(self, "enhanced", enhanced)


@frozen_value_class
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

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        action: str | None = None,
        method: str = "POST",
        timeout: int = 5,
        finish_on_key: str = "1234567890*#",
        max_length: int = 3600,
        play_beep: bool = True,
        trim: str = "trim-silence",
        recording_status_callback: str | None = None,
        recording_status_callback_method: str = "POST",
        recording_status_callback_event: tuple[str, ...] = ("completed",),
        transcribe: bool = False,
        transcribe_callback: str | None = None,
        recording_configuration_id: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "action", action)
        _set_field(self, "method", method)
        _set_field(self, "timeout", timeout)
        _set_field(self, "finish_on_key", finish_on_key)
        _set_field(self, "max_length", max_length)
        _set_field(self, "play_beep", play_beep)
        _set_field(self, "trim", trim)
        _set_field(self, "recording_status_callback", recording_status_callback)
        _set_field(self, "recording_status_callback_method", recording_status_callback_method)
        _set_field(self, "recording_status_callback_event", recording_status_callback_event)
        _set_field(self, "transcribe", transcribe)
        _set_field(self, "transcribe_callback", transcribe_callback)
        _set_field(self, "recording_configuration_id", recording_configuration_id)


@frozen_value_class
class Dial(Node):
    """<Dial>: Connects the caller to another party: a text number or noun children."""

    tag: ClassVar[str] = "Dial"
    action: str | None = None
    method: str = "POST"
    timeout: int = 30
    hangup_on_star: bool = False
    time_limit: int = 14400
    caller_id: str | None = None
    caller_display_name: str | None = None
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

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        action: str | None = None,
        method: str = "POST",
        timeout: int = 30,
        hangup_on_star: bool = False,
        time_limit: int = 14400,
        caller_id: str | None = None,
        caller_display_name: str | None = None,
        record: str = "do-not-record",
        trim: str = "do-not-trim",
        recording_status_callback: str | None = None,
        recording_status_callback_method: str = "POST",
        recording_status_callback_event: tuple[str, ...] = ("completed",),
        recording_configuration_id: str | None = None,
        answer_on_bridge: bool = False,
        ring_tone: str | None = None,
        recording_track: str = "both",
        sequential: bool = False,
        refer_url: str | None = None,
        refer_method: str = "POST",
        events: str | None = None,
        passports: str | None = None,
        call_reason: str | None = None,
        if_machine: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "action", action)
        _set_field(self, "method", method)
        _set_field(self, "timeout", timeout)
        _set_field(self, "hangup_on_star", hangup_on_star)
        _set_field(self, "time_limit", time_limit)
        _set_field(self, "caller_id", caller_id)
        _set_field(self, "caller_display_name", caller_display_name)
        _set_field(self, "record", record)
        _set_field(self, "trim", trim)
        _set_field(self, "recording_status_callback", recording_status_callback)
        _set_field(self, "recording_status_callback_method", recording_status_callback_method)
        _set_field(self, "recording_status_callback_event", recording_status_callback_event)
        _set_field(self, "recording_configuration_id", recording_configuration_id)
        _set_field(self, "answer_on_bridge", answer_on_bridge)
        _set_field(self, "ring_tone", ring_tone)
        _set_field(self, "recording_track", recording_track)
        _set_field(self, "sequential", sequential)
        _set_field(self, "refer_url", refer_url)
        _set_field(self, "refer_method", refer_method)
        _set_field(self, "events", events)
        _set_field(self, "passports", passports)
        _set_field(self, "call_reason", call_reason)
        _set_field(self, "if_machine", if_machine)

    @property
    def number(self) -> str | None:
        """The bare number written as the Dial's text, or None when nouns are used."""
        return self.text or None

    @property
    def nouns(self) -> tuple[Node, ...]:
        """The noun children (Number, Client, Sip, ...), without skipped unknown elements."""
        return tuple(child for child in self.children if not isinstance(child, Unknown))


@frozen_value_class
class Hangup(Node):
    """<Hangup>: Ends the call."""

    tag: ClassVar[str] = "Hangup"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)


@frozen_value_class
class Redirect(Node):
    """<Redirect>: Fetches the URL in its text and runs it."""

    tag: ClassVar[str] = "Redirect"
    method: str = "POST"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        method: str = "POST",
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "method", method)

    @property
    def url(self) -> str:
        """The URL to fetch next (the element's text; may be relative)."""
        return self.text


@frozen_value_class
class Reject(Node):
    """<Reject>: Declines the call without answering it."""

    tag: ClassVar[str] = "Reject"
    reason: str = "rejected"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        reason: str = "rejected",
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "reason", reason)


@frozen_value_class
class Enqueue(Node):
    """<Enqueue>: Puts the caller in the queue named by its text (or a TaskRouter workflow)."""

    tag: ClassVar[str] = "Enqueue"
    action: str | None = None
    method: str = "POST"
    wait_url: str | None = None
    wait_url_method: str = "POST"
    max_queue_size: int | None = None
    workflow_sid: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        action: str | None = None,
        method: str = "POST",
        wait_url: str | None = None,
        wait_url_method: str = "POST",
        max_queue_size: int | None = None,
        workflow_sid: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "action", action)
        _set_field(self, "method", method)
        _set_field(self, "wait_url", wait_url)
        _set_field(self, "wait_url_method", wait_url_method)
        _set_field(self, "max_queue_size", max_queue_size)
        _set_field(self, "workflow_sid", workflow_sid)


@frozen_value_class
class Task(Node):
    """<Task>: TaskRouter task attributes (JSON text)."""

    tag: ClassVar[str] = "Task"
    priority: int | None = None
    timeout: int | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        priority: int | None = None,
        timeout: int | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "priority", priority)
        _set_field(self, "timeout", timeout)


@frozen_value_class
class Leave(Node):
    """<Leave>: Takes the caller out of its queue (in waitUrl TwiML)."""

    tag: ClassVar[str] = "Leave"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)


@frozen_value_class
class Refer(Node):
    """<Refer>: SIP REFER to the URI of its <Sip> child."""

    tag: ClassVar[str] = "Refer"
    action: str | None = None
    method: str = "POST"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        action: str | None = None,
        method: str = "POST",
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "action", action)
        _set_field(self, "method", method)


@frozen_value_class
class ReferSip(Node):
    """<Sip>: The SIP URI (text) a <Refer> transfers to."""

    tag: ClassVar[str] = "Sip"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)


@frozen_value_class
class Connect(Node):
    """<Connect>: Connects the call to a session noun until it ends."""

    tag: ClassVar[str] = "Connect"
    action: str | None = None
    method: str = "POST"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        action: str | None = None,
        method: str = "POST",
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "action", action)
        _set_field(self, "method", method)


@frozen_value_class
class Start(Node):
    """<Start>: Starts an asynchronous fork; execution continues at once."""

    tag: ClassVar[str] = "Start"
    action: str | None = None
    method: str = "POST"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        action: str | None = None,
        method: str = "POST",
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "action", action)
        _set_field(self, "method", method)


@frozen_value_class
class Stop(Node):
    """<Stop>: Stops a fork started by <Start>, by name."""

    tag: ClassVar[str] = "Stop"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)


@frozen_value_class
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

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        input: str = "dtmf",
        action: str | None = None,
        bank_account_type: str = "consumer-checking",
        status_callback: str | None = None,
        status_callback_method: str = "POST",
        timeout: int = 5,
        max_attempts: int = 1,
        security_code: bool = True,
        postal_code: str = "true",
        min_postal_code_length: int | None = None,
        payment_connector: str = "Default",
        payment_method: str = "credit-card",
        token_type: str | None = None,
        charge_amount: str | None = None,
        currency: str = "usd",
        description: str | None = None,
        valid_card_types: tuple[str, ...] = ("visa", "mastercard", "amex"),
        language: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "input", input)
        _set_field(self, "action", action)
        _set_field(self, "bank_account_type", bank_account_type)
        _set_field(self, "status_callback", status_callback)
        _set_field(self, "status_callback_method", status_callback_method)
        _set_field(self, "timeout", timeout)
        _set_field(self, "max_attempts", max_attempts)
        _set_field(self, "security_code", security_code)
        _set_field(self, "postal_code", postal_code)
        _set_field(self, "min_postal_code_length", min_postal_code_length)
        _set_field(self, "payment_connector", payment_connector)
        _set_field(self, "payment_method", payment_method)
        _set_field(self, "token_type", token_type)
        _set_field(self, "charge_amount", charge_amount)
        _set_field(self, "currency", currency)
        _set_field(self, "description", description)
        _set_field(self, "valid_card_types", valid_card_types)
        _set_field(self, "language", language)


@frozen_value_class
class Prompt(Node):
    """<Prompt>: Custom prompts for one step of <Pay>."""

    tag: ClassVar[str] = "Prompt"
    for_: str | None = None
    error_type: tuple[str, ...] = ()
    card_type: tuple[str, ...] = ()
    attempt: tuple[str, ...] = ()
    require_matching_inputs: bool = False

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        for_: str | None = None,
        error_type: tuple[str, ...] = (),
        card_type: tuple[str, ...] = (),
        attempt: tuple[str, ...] = (),
        require_matching_inputs: bool = False,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "for_", for_)
        _set_field(self, "error_type", error_type)
        _set_field(self, "card_type", card_type)
        _set_field(self, "attempt", attempt)
        _set_field(self, "require_matching_inputs", require_matching_inputs)


@frozen_value_class
class Echo(Node):
    """<Echo>: Echoes the caller's audio back (test verb)."""

    tag: ClassVar[str] = "Echo"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)


@frozen_value_class
class Sms(Node):
    """<Sms>: Legacy: sends an SMS with its text during the call."""

    tag: ClassVar[str] = "Sms"
    to: str | None = None
    from_: str | None = None
    action: str | None = None
    method: str = "POST"
    status_callback: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        to: str | None = None,
        from_: str | None = None,
        action: str | None = None,
        method: str = "POST",
        status_callback: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "to", to)
        _set_field(self, "from_", from_)
        _set_field(self, "action", action)
        _set_field(self, "method", method)
        _set_field(self, "status_callback", status_callback)


@frozen_value_class
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

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        send_digits: str | None = None,
        url: str | None = None,
        method: str = "POST",
        status_callback_event: tuple[str, ...] = ("completed",),
        status_callback: str | None = None,
        status_callback_method: str = "POST",
        byoc: str | None = None,
        machine_detection: str | None = None,
        amd_status_callback: str | None = None,
        amd_status_callback_method: str = "POST",
        machine_detection_timeout: int = 30,
        machine_detection_speech_threshold: int = 2400,
        machine_detection_speech_end_threshold: int = 1200,
        machine_detection_silence_timeout: int = 5000,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "send_digits", send_digits)
        _set_field(self, "url", url)
        _set_field(self, "method", method)
        _set_field(self, "status_callback_event", status_callback_event)
        _set_field(self, "status_callback", status_callback)
        _set_field(self, "status_callback_method", status_callback_method)
        _set_field(self, "byoc", byoc)
        _set_field(self, "machine_detection", machine_detection)
        _set_field(self, "amd_status_callback", amd_status_callback)
        _set_field(self, "amd_status_callback_method", amd_status_callback_method)
        _set_field(self, "machine_detection_timeout", machine_detection_timeout)
        _set_field(self, "machine_detection_speech_threshold", machine_detection_speech_threshold)
        _set_field(
            self, "machine_detection_speech_end_threshold", machine_detection_speech_end_threshold
        )
        _set_field(self, "machine_detection_silence_timeout", machine_detection_silence_timeout)


@frozen_value_class
class Client(Node):
    """<Client>: A Voice SDK client to dial (text identity or <Identity>)."""

    tag: ClassVar[str] = "Client"
    url: str | None = None
    method: str = "POST"
    status_callback_event: tuple[str, ...] = ()
    status_callback: str | None = None
    status_callback_method: str = "POST"
    client_notification_url: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        url: str | None = None,
        method: str = "POST",
        status_callback_event: tuple[str, ...] = (),
        status_callback: str | None = None,
        status_callback_method: str = "POST",
        client_notification_url: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "url", url)
        _set_field(self, "method", method)
        _set_field(self, "status_callback_event", status_callback_event)
        _set_field(self, "status_callback", status_callback)
        _set_field(self, "status_callback_method", status_callback_method)
        _set_field(self, "client_notification_url", client_notification_url)

    @property
    def identity(self) -> str:
        """The client identity: the text, or the text of a nested <Identity>."""
        if self.text:
            return self.text
        for child in self.children:
            if isinstance(child, Identity):
                return child.text
        return ""


@frozen_value_class
class Identity(Node):
    """<Identity>: The identity (text) of a <Client>."""

    tag: ClassVar[str] = "Identity"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)


@frozen_value_class
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
    caller_display_name: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        username: str | None = None,
        password: str | None = None,
        url: str | None = None,
        method: str = "POST",
        status_callback_event: tuple[str, ...] = (),
        status_callback: str | None = None,
        status_callback_method: str = "POST",
        machine_detection: str | None = None,
        amd_status_callback: str | None = None,
        amd_status_callback_method: str = "POST",
        machine_detection_timeout: int = 30,
        machine_detection_speech_threshold: int = 2400,
        machine_detection_speech_end_threshold: int = 1200,
        machine_detection_silence_timeout: int = 5000,
        caller_display_name: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "username", username)
        _set_field(self, "password", password)
        _set_field(self, "url", url)
        _set_field(self, "method", method)
        _set_field(self, "status_callback_event", status_callback_event)
        _set_field(self, "status_callback", status_callback)
        _set_field(self, "status_callback_method", status_callback_method)
        _set_field(self, "machine_detection", machine_detection)
        _set_field(self, "amd_status_callback", amd_status_callback)
        _set_field(self, "amd_status_callback_method", amd_status_callback_method)
        _set_field(self, "machine_detection_timeout", machine_detection_timeout)
        _set_field(self, "machine_detection_speech_threshold", machine_detection_speech_threshold)
        _set_field(
            self, "machine_detection_speech_end_threshold", machine_detection_speech_end_threshold
        )
        _set_field(self, "machine_detection_silence_timeout", machine_detection_silence_timeout)
        _set_field(self, "caller_display_name", caller_display_name)

    @property
    def uri(self) -> str:
        """The SIP URI: the text, or the text of the first nested <Uri>."""
        if self.text:
            return self.text
        for child in self.children:
            if isinstance(child, SipUri):
                return child.text
        return ""


@frozen_value_class
class SipUri(Node):
    """<Uri>: One SIP URI (text) of a <Sip>."""

    tag: ClassVar[str] = "Uri"
    priority: int | None = None
    weight: int | None = None
    username: str | None = None
    password: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        priority: int | None = None,
        weight: int | None = None,
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "priority", priority)
        _set_field(self, "weight", weight)
        _set_field(self, "username", username)
        _set_field(self, "password", password)


@frozen_value_class
class Headers(Node):
    """<Headers>: Custom SIP headers of a <Sip>."""

    tag: ClassVar[str] = "Headers"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)


@frozen_value_class
class Header(Node):
    """<Header>: One custom SIP header."""

    tag: ClassVar[str] = "Header"
    name: str | None = None
    value: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        name: str | None = None,
        value: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "name", name)
        _set_field(self, "value", value)


@frozen_value_class
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

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        muted: bool = False,
        beep: str = "true",
        start_conference_on_enter: bool = True,
        end_conference_on_exit: bool = False,
        wait_url: str | None = None,
        wait_method: str = "POST",
        max_participants: int = 250,
        record: str = "do-not-record",
        region: str | None = None,
        coach: str | None = None,
        trim: str = "trim-silence",
        status_callback_event: tuple[str, ...] = (),
        status_callback: str | None = None,
        status_callback_method: str = "POST",
        recording_status_callback: str | None = None,
        recording_status_callback_method: str = "POST",
        recording_status_callback_event: tuple[str, ...] = ("completed",),
        event_callback_url: str | None = None,
        jitter_buffer_size: str | None = None,
        participant_label: str | None = None,
        recording_configuration_id: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "muted", muted)
        _set_field(self, "beep", beep)
        _set_field(self, "start_conference_on_enter", start_conference_on_enter)
        _set_field(self, "end_conference_on_exit", end_conference_on_exit)
        _set_field(self, "wait_url", wait_url)
        _set_field(self, "wait_method", wait_method)
        _set_field(self, "max_participants", max_participants)
        _set_field(self, "record", record)
        _set_field(self, "region", region)
        _set_field(self, "coach", coach)
        _set_field(self, "trim", trim)
        _set_field(self, "status_callback_event", status_callback_event)
        _set_field(self, "status_callback", status_callback)
        _set_field(self, "status_callback_method", status_callback_method)
        _set_field(self, "recording_status_callback", recording_status_callback)
        _set_field(self, "recording_status_callback_method", recording_status_callback_method)
        _set_field(self, "recording_status_callback_event", recording_status_callback_event)
        _set_field(self, "event_callback_url", event_callback_url)
        _set_field(self, "jitter_buffer_size", jitter_buffer_size)
        _set_field(self, "participant_label", participant_label)
        _set_field(self, "recording_configuration_id", recording_configuration_id)


@frozen_value_class
class Queue(Node):
    """<Queue>: A queue (text name) whose front caller is bridged."""

    tag: ClassVar[str] = "Queue"
    url: str | None = None
    method: str = "POST"
    reservation_sid: str | None = None
    post_work_activity_sid: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        url: str | None = None,
        method: str = "POST",
        reservation_sid: str | None = None,
        post_work_activity_sid: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "url", url)
        _set_field(self, "method", method)
        _set_field(self, "reservation_sid", reservation_sid)
        _set_field(self, "post_work_activity_sid", post_work_activity_sid)


@frozen_value_class
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

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        url: str | None = None,
        method: str = "POST",
        status_callback_event: tuple[str, ...] = (),
        status_callback: str | None = None,
        status_callback_method: str = "POST",
        customer_id: str | None = None,
        copy_parent_to: bool = False,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "url", url)
        _set_field(self, "method", method)
        _set_field(self, "status_callback_event", status_callback_event)
        _set_field(self, "status_callback", status_callback)
        _set_field(self, "status_callback_method", status_callback_method)
        _set_field(self, "customer_id", customer_id)
        _set_field(self, "copy_parent_to", copy_parent_to)


@frozen_value_class
class ApplicationSid(Node):
    """<ApplicationSid>: The AP SID (text) of an <Application>."""

    tag: ClassVar[str] = "ApplicationSid"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)


@frozen_value_class
class Sim(Node):
    """<Sim>: A Super SIM / Programmable Wireless SIM SID (text) to dial."""

    tag: ClassVar[str] = "Sim"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)


@frozen_value_class
class WhatsApp(Node):
    """<WhatsApp>: A WhatsApp number (text) to dial."""

    tag: ClassVar[str] = "WhatsApp"
    url: str | None = None
    method: str = "POST"
    status_callback_event: tuple[str, ...] = ()
    status_callback: str | None = None
    status_callback_method: str = "POST"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        url: str | None = None,
        method: str = "POST",
        status_callback_event: tuple[str, ...] = (),
        status_callback: str | None = None,
        status_callback_method: str = "POST",
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "url", url)
        _set_field(self, "method", method)
        _set_field(self, "status_callback_event", status_callback_event)
        _set_field(self, "status_callback", status_callback)
        _set_field(self, "status_callback_method", status_callback_method)


@frozen_value_class
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

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        name: str | None = None,
        connector_name: str | None = None,
        url: str | None = None,
        track: str = "inbound_track",
        status_callback: str | None = None,
        status_callback_method: str = "POST",
        audio_format: str | None = None,
        sample_rate: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "name", name)
        _set_field(self, "connector_name", connector_name)
        _set_field(self, "url", url)
        _set_field(self, "track", track)
        _set_field(self, "status_callback", status_callback)
        _set_field(self, "status_callback_method", status_callback_method)
        _set_field(self, "audio_format", audio_format)
        _set_field(self, "sample_rate", sample_rate)


@frozen_value_class
class Siprec(Node):
    """<Siprec>: A SIPREC session."""

    tag: ClassVar[str] = "Siprec"
    name: str | None = None
    connector_name: str = "Default"
    track: str = "both_tracks"
    status_callback: str | None = None
    status_callback_method: str = "POST"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        name: str | None = None,
        connector_name: str = "Default",
        track: str = "both_tracks",
        status_callback: str | None = None,
        status_callback_method: str = "POST",
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "name", name)
        _set_field(self, "connector_name", connector_name)
        _set_field(self, "track", track)
        _set_field(self, "status_callback", status_callback)
        _set_field(self, "status_callback_method", status_callback_method)


@frozen_value_class
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

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        name: str | None = None,
        track: str = "both_tracks",
        status_callback_url: str | None = None,
        status_callback_method: str = "POST",
        inbound_track_label: str | None = None,
        outbound_track_label: str | None = None,
        partial_results: bool = False,
        language_code: str = "en-US",
        transcription_engine: str | None = None,
        profanity_filter: bool = True,
        speech_model: str | None = None,
        hints: str | None = None,
        enable_automatic_punctuation: bool = True,
        intelligence_service: str | None = None,
        enable_provider_data: bool = False,
        conversation_configuration: str | None = None,
        conversation_id: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "name", name)
        _set_field(self, "track", track)
        _set_field(self, "status_callback_url", status_callback_url)
        _set_field(self, "status_callback_method", status_callback_method)
        _set_field(self, "inbound_track_label", inbound_track_label)
        _set_field(self, "outbound_track_label", outbound_track_label)
        _set_field(self, "partial_results", partial_results)
        _set_field(self, "language_code", language_code)
        _set_field(self, "transcription_engine", transcription_engine)
        _set_field(self, "profanity_filter", profanity_filter)
        _set_field(self, "speech_model", speech_model)
        _set_field(self, "hints", hints)
        _set_field(self, "enable_automatic_punctuation", enable_automatic_punctuation)
        _set_field(self, "intelligence_service", intelligence_service)
        _set_field(self, "enable_provider_data", enable_provider_data)
        _set_field(self, "conversation_configuration", conversation_configuration)
        _set_field(self, "conversation_id", conversation_id)


@frozen_value_class
class Recording(Node):
    """<Recording>: A background call recording."""

    tag: ClassVar[str] = "Recording"
    recording_status_callback: str | None = None
    recording_status_callback_method: str = "POST"
    recording_status_callback_event: tuple[str, ...] = ("completed",)
    trim: str = "trim-silence"
    track: str = "both"
    channels: str = "dual"
    recording_configuration_id: str | None = None
    name: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        recording_status_callback: str | None = None,
        recording_status_callback_method: str = "POST",
        recording_status_callback_event: tuple[str, ...] = ("completed",),
        trim: str = "trim-silence",
        track: str = "both",
        channels: str = "dual",
        recording_configuration_id: str | None = None,
        name: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "recording_status_callback", recording_status_callback)
        _set_field(self, "recording_status_callback_method", recording_status_callback_method)
        _set_field(self, "recording_status_callback_event", recording_status_callback_event)
        _set_field(self, "trim", trim)
        _set_field(self, "track", track)
        _set_field(self, "channels", channels)
        _set_field(self, "recording_configuration_id", recording_configuration_id)
        _set_field(self, "name", name)


@frozen_value_class
class Room(Node):
    """<Room>: A Programmable Video room (text name)."""

    tag: ClassVar[str] = "Room"
    participant_identity: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        participant_identity: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "participant_identity", participant_identity)


@frozen_value_class
class Autopilot(Node):
    """<Autopilot>: An Autopilot assistant (text name)."""

    tag: ClassVar[str] = "Autopilot"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)


@frozen_value_class
class VirtualAgent(Node):
    """<VirtualAgent>: A Dialogflow CX virtual agent."""

    tag: ClassVar[str] = "VirtualAgent"
    connector_name: str | None = None
    language: str | None = None
    sentiment_analysis: bool = False
    status_callback: str | None = None
    status_callback_method: str = "POST"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        connector_name: str | None = None,
        language: str | None = None,
        sentiment_analysis: bool = False,
        status_callback: str | None = None,
        status_callback_method: str = "POST",
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "connector_name", connector_name)
        _set_field(self, "language", language)
        _set_field(self, "sentiment_analysis", sentiment_analysis)
        _set_field(self, "status_callback", status_callback)
        _set_field(self, "status_callback_method", status_callback_method)


@frozen_value_class
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

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        service_instance_sid: str | None = None,
        inbound_autocreation: bool = False,
        routing_assignment_timeout: int | None = None,
        inbound_timeout: int | None = None,
        url: str | None = None,
        method: str = "POST",
        record: str | None = None,
        trim: str | None = None,
        recording_status_callback: str | None = None,
        recording_status_callback_method: str = "POST",
        recording_status_callback_event: tuple[str, ...] = ("completed",),
        status_callback: str | None = None,
        status_callback_method: str = "POST",
        status_callback_event: tuple[str, ...] = (),
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "service_instance_sid", service_instance_sid)
        _set_field(self, "inbound_autocreation", inbound_autocreation)
        _set_field(self, "routing_assignment_timeout", routing_assignment_timeout)
        _set_field(self, "inbound_timeout", inbound_timeout)
        _set_field(self, "url", url)
        _set_field(self, "method", method)
        _set_field(self, "record", record)
        _set_field(self, "trim", trim)
        _set_field(self, "recording_status_callback", recording_status_callback)
        _set_field(self, "recording_status_callback_method", recording_status_callback_method)
        _set_field(self, "recording_status_callback_event", recording_status_callback_event)
        _set_field(self, "status_callback", status_callback)
        _set_field(self, "status_callback_method", status_callback_method)
        _set_field(self, "status_callback_event", status_callback_event)


@frozen_value_class
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

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        url: str | None = None,
        language: str | None = None,
        tts_language: str | None = None,
        transcription_language: str | None = None,
        tts_provider: str | None = None,
        voice: str | None = None,
        transcription_provider: str | None = None,
        speech_model: str | None = None,
        profanity_filter: str | None = None,
        dtmf_detection: str | None = None,
        welcome_greeting: str | None = None,
        partial_prompts: str | None = None,
        welcome_greeting_interruptible: str | None = None,
        interruptible: str | None = None,
        preemptible: str | None = None,
        hints: str | None = None,
        intelligence_service: str | None = None,
        report_input_during_agent_speech: str | None = None,
        elevenlabs_text_normalization: str | None = None,
        interrupt_sensitivity: str | None = None,
        debug: str | None = None,
        background_noise_reduction: str | None = None,
        speech_timeout: str | None = None,
        deepgram_smart_format: str | None = None,
        ignore_backchannel: str | None = None,
        events: str | None = None,
        partial_prompt_on_hangup: str | None = None,
        eager_eot_threshold: str | None = None,
        asr_smart_format: str | None = None,
        tts_text_normalization: str | None = None,
        tts_language_text_normalization: str | None = None,
        elevenlabs_language_text_normalization: str | None = None,
        include_in_prompt: str | None = None,
        customer_name: str | None = None,
        application_reconnect: str | None = None,
        echo_prompt_filtering: str | None = None,
        turn_detection: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "url", url)
        _set_field(self, "language", language)
        _set_field(self, "tts_language", tts_language)
        _set_field(self, "transcription_language", transcription_language)
        _set_field(self, "tts_provider", tts_provider)
        _set_field(self, "voice", voice)
        _set_field(self, "transcription_provider", transcription_provider)
        _set_field(self, "speech_model", speech_model)
        _set_field(self, "profanity_filter", profanity_filter)
        _set_field(self, "dtmf_detection", dtmf_detection)
        _set_field(self, "welcome_greeting", welcome_greeting)
        _set_field(self, "partial_prompts", partial_prompts)
        _set_field(self, "welcome_greeting_interruptible", welcome_greeting_interruptible)
        _set_field(self, "interruptible", interruptible)
        _set_field(self, "preemptible", preemptible)
        _set_field(self, "hints", hints)
        _set_field(self, "intelligence_service", intelligence_service)
        _set_field(self, "report_input_during_agent_speech", report_input_during_agent_speech)
        _set_field(self, "elevenlabs_text_normalization", elevenlabs_text_normalization)
        _set_field(self, "interrupt_sensitivity", interrupt_sensitivity)
        _set_field(self, "debug", debug)
        _set_field(self, "background_noise_reduction", background_noise_reduction)
        _set_field(self, "speech_timeout", speech_timeout)
        _set_field(self, "deepgram_smart_format", deepgram_smart_format)
        _set_field(self, "ignore_backchannel", ignore_backchannel)
        _set_field(self, "events", events)
        _set_field(self, "partial_prompt_on_hangup", partial_prompt_on_hangup)
        _set_field(self, "eager_eot_threshold", eager_eot_threshold)
        _set_field(self, "asr_smart_format", asr_smart_format)
        _set_field(self, "tts_text_normalization", tts_text_normalization)
        _set_field(self, "tts_language_text_normalization", tts_language_text_normalization)
        _set_field(
            self, "elevenlabs_language_text_normalization", elevenlabs_language_text_normalization
        )
        _set_field(self, "include_in_prompt", include_in_prompt)
        _set_field(self, "customer_name", customer_name)
        _set_field(self, "application_reconnect", application_reconnect)
        _set_field(self, "echo_prompt_filtering", echo_prompt_filtering)
        _set_field(self, "turn_detection", turn_detection)


@frozen_value_class
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

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        code: str | None = None,
        tts_provider: str | None = None,
        voice: str | None = None,
        transcription_provider: str | None = None,
        speech_model: str | None = None,
        hints: str | None = None,
        asr_smart_format: str | None = None,
        tts_text_normalization: str | None = None,
        tts_language_text_normalization: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "code", code)
        _set_field(self, "tts_provider", tts_provider)
        _set_field(self, "voice", voice)
        _set_field(self, "transcription_provider", transcription_provider)
        _set_field(self, "speech_model", speech_model)
        _set_field(self, "hints", hints)
        _set_field(self, "asr_smart_format", asr_smart_format)
        _set_field(self, "tts_text_normalization", tts_text_normalization)
        _set_field(self, "tts_language_text_normalization", tts_language_text_normalization)


@frozen_value_class
class Config(Node):
    """<Config>: A name/value setting."""

    tag: ClassVar[str] = "Config"
    name: str | None = None
    value: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        name: str | None = None,
        value: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "name", name)
        _set_field(self, "value", value)


@frozen_value_class
class Parameter(Node):
    """<Parameter>: A custom name/value parameter."""

    tag: ClassVar[str] = "Parameter"
    name: str | None = None
    value: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        name: str | None = None,
        value: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "name", name)
        _set_field(self, "value", value)


@frozen_value_class
class AiSession(Node):
    """<AiSession>: An AI connector session."""

    tag: ClassVar[str] = "AiSession"
    ai_connector: str | None = None
    ai_session_configuration: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        ai_connector: str | None = None,
        ai_session_configuration: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "ai_connector", ai_connector)
        _set_field(self, "ai_session_configuration", ai_session_configuration)


@frozen_value_class
class ConversationRelaySession(Node):
    """<ConversationRelaySession>: A ConversationRelay session by configuration."""

    tag: ClassVar[str] = "ConversationRelaySession"
    connector: str | None = None
    session_configuration: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        connector: str | None = None,
        session_configuration: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "connector", connector)
        _set_field(self, "session_configuration", session_configuration)


@frozen_value_class
class SsmlBreak(Node):
    """<break>: SSML <break> inside <Say>."""

    tag: ClassVar[str] = "break"
    strength: str = "medium"
    time: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        strength: str = "medium",
        time: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "strength", strength)
        _set_field(self, "time", time)


@frozen_value_class
class SsmlEmphasis(Node):
    """<emphasis>: SSML <emphasis> inside <Say>."""

    tag: ClassVar[str] = "emphasis"
    level: str = "moderate"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        level: str = "moderate",
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "level", level)


@frozen_value_class
class SsmlLang(Node):
    """<lang>: SSML <lang> inside <Say>."""

    tag: ClassVar[str] = "lang"
    xml_lang: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        xml_lang: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "xml_lang", xml_lang)


@frozen_value_class
class SsmlP(Node):
    """<p>: SSML <p> inside <Say>."""

    tag: ClassVar[str] = "p"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)


@frozen_value_class
class SsmlPhoneme(Node):
    """<phoneme>: SSML <phoneme> inside <Say>."""

    tag: ClassVar[str] = "phoneme"
    alphabet: str | None = None
    ph: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        alphabet: str | None = None,
        ph: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "alphabet", alphabet)
        _set_field(self, "ph", ph)


@frozen_value_class
class SsmlProsody(Node):
    """<prosody>: SSML <prosody> inside <Say>."""

    tag: ClassVar[str] = "prosody"
    volume: str | None = None
    rate: str | None = None
    pitch: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        volume: str | None = None,
        rate: str | None = None,
        pitch: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "volume", volume)
        _set_field(self, "rate", rate)
        _set_field(self, "pitch", pitch)


@frozen_value_class
class SsmlS(Node):
    """<s>: SSML <s> inside <Say>."""

    tag: ClassVar[str] = "s"

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)


@frozen_value_class
class SsmlSayAs(Node):
    """<say-as>: SSML <say-as> inside <Say>."""

    tag: ClassVar[str] = "say-as"
    interpret_as: str | None = None
    format: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        interpret_as: str | None = None,
        format: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "interpret_as", interpret_as)
        _set_field(self, "format", format)


@frozen_value_class
class SsmlSub(Node):
    """<sub>: SSML <sub> inside <Say>."""

    tag: ClassVar[str] = "sub"
    alias: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        alias: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "alias", alias)


@frozen_value_class
class SsmlW(Node):
    """<w>: SSML <w> inside <Say>."""

    tag: ClassVar[str] = "w"
    role: str | None = None

    def __init__(
        self,
        *,
        line: int = 0,
        text: str = "",
        children: tuple[Node, ...] = (),
        attributes: Mapping[str, str] = _FACTORY,
        role: str | None = None,
    ) -> None:
        _set_field(self, "line", line)
        _set_field(self, "text", text)
        _set_field(self, "children", children)
        _set_field(self, "attributes", _no_attributes() if attributes is _FACTORY else attributes)
        _set_field(self, "role", role)


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

mark_frozen(Node, Unknown, *NODE_CLASSES.values())
