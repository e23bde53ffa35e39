"""Checks that need a whole node (its text, several attributes, its children).

Single-attribute checks live in the schema table; the rules here run once a node is built
and return the problems Twilio would log for it. `RULES` maps a node class name to its rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping

from twimlsim.arguments import shown
from twimlsim.model.client_identity import MAX_CLIENT_IDENTITY, identity_too_long
from twimlsim.model.phone_numbers import is_phone_number_text

from .kinds import HTTP_URL, InvalidValue
from .nodes import (
    Client,
    Conference,
    Dial,
    Enqueue,
    Gather,
    Node,
    Number,
    Play,
    Queue,
    Record,
    Refer,
    ReferSip,
    Say,
    Sip,
    SipUri,
    SsmlProsody,
)
from .parse_hints import ESCAPED_TWIML_ADVICE
from .problems import Problem
from .sip_headers import MAX_SIP_HEADERS_CHARS, UNPREFIXED_SIP_HEADERS, usable_sip_header

Rule = Callable[[Node, "str | None"], Iterator[Problem]]

#: Twilio's basic voices, which speak no SSML (13513's page).
BASIC_VOICES = frozenset({"man", "woman", "alice"})

SAY_MAX_CHARS = 4096
"""Longest text basic TTS speaks (13521)."""

SAY_MAX_CHARS_POLLY = 3000
"""Longest text an Amazon Polly voice speaks (13521)."""

SAY_MAX_CHARS_GOOGLE = 5000
"""Longest text a Google voice speaks, its SSML tags counted (13521)."""

CONFERENCE_NAME_MAX = 128
"""Longest conference room name: Twilio's 13237 page, "Conference names must be between 1
and 128 characters" (the Conference resource's friendly_name: "Maximum length is 128")."""

QUEUE_NAME_MAX = 64
"""Longest queue name (14205 for Enqueue, 14213 for Dial->Queue): Twilio's <Enqueue> page
says "64 characters or less" (its 14205 and 14213 pages say "less than 64": the verb's
page, which the REST FriendlyName limit agrees with, is followed)."""

#: A SIP URI after its optional ``sip:``/``sips:`` scheme: ``user@host`` or a host alone.
_SIP_URI = re.compile(r"[^\s@]+(@[^\s]+)?")


def _problem(
    node: Node, code: int, level: str, message: str, attribute: str | None = None
) -> Problem:
    return Problem(
        code,
        "error" if level == "error" else "warning",
        message,
        node.tag,
        attribute,
        node.line,
    )


def _say(node: Node, parent: str | None) -> Iterator[Problem]:
    assert isinstance(node, Say)
    if node.voice in BASIC_VOICES:
        yield from _basic_voice_prosody(node, node.voice)
    if not node.spoken_text:
        yield _problem(node, 13520, "warning", "<Say> has no text to speak")
        return
    yield from _say_length(node)


def _say_length(node: Say) -> Iterator[Problem]:
    """13521 for a text longer than its voice speaks. Twilio's 13521 page: basic voices
    take 4,096 characters, Polly voices 3,000 ("SSML tags do not contribute to the
    character count"), Google voices 5,000 ("SSML tags, newlines and spaces contribute"):
    a Google voice's count adds each SSML element's tags, as written with its attributes,
    to the words (whitespace collapsed: a choice, the document's own spacing is not kept).
    The words are counted as written: a ``<sub>``'s text, not the alias spoken for it (its
    alias is in its tag, and tags do not count for Polly; they are counted with the tags
    for Google)."""
    voice = node.voice
    written = node.written_text
    length = len(written if written is not None else node.spoken_text)
    if voice.startswith("Polly."):
        limit, what = SAY_MAX_CHARS_POLLY, "characters long"
    elif voice.startswith("Google."):
        limit, what = SAY_MAX_CHARS_GOOGLE, "characters long with its SSML tags"
        length += sum(_tags_length(child) for child in node.children)
    else:
        limit, what = SAY_MAX_CHARS, "characters long"
    if length > limit:
        yield _problem(
            node,
            13521,
            "warning",
            f"<Say> text is {length} {what}; voice {shown(voice)} speaks at most {limit}",
        )


def _tags_length(node: Node) -> int:
    """The length of ``node``'s start and end tags (an empty element's one tag) and its
    descendants', as XML writes them."""
    attributes = "".join(f' {name}="{value}"' for name, value in node.attributes.items())
    inner = sum(_tags_length(child) for child in node.children)
    if not node.children and not node.text:
        return len(f"<{node.tag}{attributes}/>") + inner
    return len(f"<{node.tag}{attributes}>") + len(f"</{node.tag}>") + inner


def _basic_voice_prosody(node: Node, voice: str) -> Iterator[Problem]:
    """13513 for a ``<prosody rate>`` said by a basic voice: Twilio's 13513 page names "a
    Basic voice" among its causes ("Basic voices do not support SSML, so <prosody> is not
    available"). An invalid rate is reported by the attribute check already."""
    for child in node.children:
        if isinstance(child, SsmlProsody) and child.rate is not None:
            yield _problem(
                child,
                13513,
                "warning",
                f"<prosody rate={child.rate!r}> is not available with the basic voice "
                f"{voice!r}: basic voices do not support SSML. Give the <Say> a voice that "
                'does, such as voice="Polly.Joanna", or remove the <prosody>',
                "rate",
            )
        yield from _basic_voice_prosody(child, voice)


def _play(node: Node, parent: str | None) -> Iterator[Problem]:
    assert isinstance(node, Play)
    if "digits" not in node.attributes:
        yield from _play_url(node)
    if parent == "Gather" and node.digits is not None:
        yield _problem(
            node,
            13320,
            "warning",
            "<Play digits> is not allowed inside <Gather>; only media URLs can be played there",
            "digits",
        )


def _play_url(node: Play) -> Iterator[Problem]:
    """11100 for a media URL Twilio cannot fetch: Twilio's 11100 page lists "Bad URL in
    Play or Redirect Verb Body" among its causes."""
    media = node.url.strip()
    if not media:
        yield _problem(
            node,
            11100,
            "error",
            "<Play> has no media URL and no digits: write the URL of an audio file, e.g. "
            "<Play>https://example.com/hello.mp3</Play>",
        )
        return
    try:
        HTTP_URL.convert(media)
    except InvalidValue as invalid:
        yield _problem(
            node,
            11100,
            "error",
            f"<Play> media URL {shown(media)} is invalid: expected {invalid.expected}; Twilio "
            "cannot fetch it",
        )


def _gather(node: Node, parent: str | None) -> Iterator[Problem]:
    assert isinstance(node, Gather)
    yield from _gather_language(node)
    if node.speech_timeout == "auto" and node.speech_model is not None:
        yield _problem(
            node,
            13335,
            "warning",
            f'<Gather> speechTimeout="auto" is not allowed with speechModel='
            f"{node.speech_model!r}; give a number of seconds",
            "speechTimeout",
        )


def _gather_language(node: Gather) -> Iterator[Problem]:
    """13331 for a ``language`` the ``speechModel`` does not take. Twilio's 13331 page names
    "a malformed locale value such as ``en`` instead of a supported tag like ``en-US``" and
    a language "not supported for the selected speechModel"; its ``<Gather>`` page passes
    the language "through unchanged to the provider" and says ``multi`` "is available only
    when you use the specific speechModel ``deepgram_nova-3``". So a Deepgram model takes
    Deepgram's own codes, a bare ``en`` included, and ``multi`` under ``deepgram_nova-3``
    and its variants (``deepgram_nova-3-medical``: Deepgram's Nova-3 models all take
    ``multi``, a choice where Twilio names only the first); any other model (none given
    included) takes a tag with its region. Which pairs each provider supports is not
    checked."""
    language = node.language
    model = node.speech_model or ""
    if language == "multi":
        if model.startswith("deepgram_nova-3"):
            return
        expected = (
            "a language tag such as en-US: multi is available only with "
            'speechModel="deepgram_nova-3"'
        )
    elif model.startswith("deepgram_") or "-" in language or "_" in language:
        return
    else:
        expected = (
            "a language tag with its region, such as en-US or es-MX (not en alone; a "
            "Deepgram speechModel takes Deepgram's codes)"
        )
    yield _problem(
        node,
        13331,
        "warning",
        f"<Gather> language={shown(language)} is invalid: expected {expected}; using 'en-US'",
        "language",
    )


def _record(node: Node, parent: str | None) -> Iterator[Problem]:
    assert isinstance(node, Record)
    if node.transcribe and "maxLength" in node.attributes and node.max_length > 120:
        yield _problem(
            node,
            13615,
            "warning",
            f"<Record> maxLength={node.max_length} is over 120 seconds with transcribe=true; "
            "only recordings up to 120 seconds are transcribed",
            "maxLength",
        )


def _phone_problem(node: Node, number: str) -> Iterator[Problem]:
    if not is_phone_number_text(number.strip()):
        yield _problem(
            node,
            13223,
            "warning",
            f"<{node.tag}> phone number {shown(number)} is not valid: expected E.164 "
            "(+ and at most 15 digits) or a national number; nobody can be "
            "called there: its leg fails at once (DialCallStatus=failed)",
        )


def _dial(node: Node, parent: str | None) -> Iterator[Problem]:
    assert isinstance(node, Dial)
    nouns = node.nouns
    if node.number is not None:
        yield from _phone_problem(node, node.number)
    elif not node.children:
        # 13223's page names this cause: "The <Number> noun inside your <Dial> TwiML
        # instructions is not present"
        yield _problem(
            node,
            13223,
            "warning",
            "<Dial> has nothing to dial (no number as its text, no noun): nobody can be "
            "called there: it fails at once (DialCallStatus=failed); give it a number, "
            "e.g. <Dial>+15551234567</Dial>",
        )
    rooms = sum(isinstance(n, Conference) for n in nouns)
    if rooms and any(isinstance(n, Number | Client) for n in nouns):
        yield _problem(
            node, 13000, "warning", "<Dial> mixes a <Conference> noun with <Number>/<Client> nouns"
        )
    elif rooms > 1:  # 13000's message: "The Conference noun can only be used once inside a Dial"
        yield _problem(
            node,
            13000,
            "warning",
            f"<Dial> has {rooms} <Conference> nouns: the Conference noun can only be used once "
            "inside a Dial verb; the caller joins the first room and the others are ignored. "
            "Put each room in its own <Dial>",
        )


def _number(node: Node, parent: str | None) -> Iterator[Problem]:
    yield from _phone_problem(node, node.text)


def sip_scheme(uri: str) -> tuple[str | None, str]:
    """``uri``'s ``sip``/``sips`` scheme, in lower case (a scheme is case-insensitive, RFC
    3986: ``SIP:bob@host`` is ``sip:``), or None when it has none, and the rest after it."""
    scheme, colon, rest = uri.partition(":")
    if colon and scheme.lower() in ("sip", "sips"):
        return scheme.lower(), rest
    return None, uri


def is_sip_uri(uri: str) -> bool:
    """Whether ``uri`` is a SIP URI a ``<Sip>`` can dial (``[sip:]user@host``, or a host
    alone): anything else is 13243 and nobody can be called there."""
    return bool(_SIP_URI.fullmatch(sip_scheme(uri)[1]))


def _client(node: Node, parent: str | None) -> Iterator[Problem]:
    """A ``<Client>`` without an identity, or with one over 256 characters (Twilio's
    limit), names nobody to ring: 12200, the schema warning (a choice: Twilio documents no
    code for it; the REST API refuses such a ``client:`` address), and its leg fails at
    once."""
    assert isinstance(node, Client)
    identity = node.identity.strip()
    if not identity:
        yield _problem(
            node,
            12200,
            "warning",
            "<Client> has no identity (its text, or an <Identity> child), so nobody can be "
            "called there: its leg fails at once (DialCallStatus=failed when it is the "
            "Dial's only noun); name the client, e.g. <Client>alice</Client>",
        )
    elif identity_too_long(identity):
        yield _problem(
            node,
            12200,
            "warning",
            f"<Client> identity has {len(identity)} characters and Twilio dials identities "
            f"of at most {MAX_CLIENT_IDENTITY} (its TwiML changelog, 2024.03.20), so nobody "
            "can be called there: its leg fails at once; use a shorter identity",
        )


def _sip(node: Node, parent: str | None) -> Iterator[Problem]:
    assert isinstance(node, Sip | SipUri)
    yield from _sip_credentials(node)
    uri = node.uri if isinstance(node, Sip) else node.text
    if isinstance(node, Sip) and not node.text and uri:
        return  # the nested <Uri> reports its own problem
    if not is_sip_uri(uri):
        yield _problem(
            node,
            13243,
            "warning",
            f"<{node.tag}> SIP URI {shown(uri)} is not valid: expected [sip:]user@host; "
            "nobody can be called there: its leg fails at once (DialCallStatus=failed when "
            "it is the Dial's only noun)",
        )
    if isinstance(node, Sip):
        yield from _sip_headers(node, uri.partition("?")[2])


def _sip_credentials(node: Sip | SipUri) -> Iterator[Problem]:
    """13249 for an empty ``username`` or ``password``: Twilio's page names "an empty
    username or password attribute" among its causes."""
    for wire in ("username", "password"):
        if wire in node.attributes and not node.attributes[wire].strip():
            yield _problem(
                node,
                13249,
                "warning",
                f"<{node.tag}> {wire} is empty: Twilio cannot authenticate with it; give "
                "both username and password, or neither",
                wire,
            )


def _sip_headers(node: Sip, headers: str) -> Iterator[Problem]:
    """13252 for a header Twilio does not send, 13253 for headers too long."""
    if len(headers) >= MAX_SIP_HEADERS_CHARS:
        yield _problem(
            node,
            13253,
            "warning",
            f"<Sip> SIP headers are {len(headers)} characters long: Twilio takes headers "
            f"under {MAX_SIP_HEADERS_CHARS} characters",
        )
    for pair in filter(None, headers.split("&")):
        name = pair.partition("=")[0]
        if not usable_sip_header(name):
            yield _problem(
                node,
                13252,
                "warning",
                f"<Sip> SIP header {name!r} is not one Twilio sends: a custom header needs "
                f"the x- prefix (x-{name}); only {', '.join(UNPREFIXED_SIP_HEADERS[:-1])} "
                f"and {UNPREFIXED_SIP_HEADERS[-1]} go without it. Twilio leaves it out of "
                "the INVITE",
            )


def _conference(node: Node, parent: str | None) -> Iterator[Problem]:
    if not node.text:
        yield _problem(
            node,
            13237,
            "warning",
            "Dial->Conference: Invalid Conference Name: <Conference> has no room name, so "
            "the <Dial> joins no room; name the room, e.g. <Conference>Support</Conference>",
        )
    elif len(node.text) > CONFERENCE_NAME_MAX:
        yield _problem(
            node,
            13237,
            "warning",
            f"Dial->Conference: Invalid Conference Name: the room name is {len(node.text)} "
            f"characters long and Twilio's limit is {CONFERENCE_NAME_MAX}, so the <Dial> "
            "joins no room; use a shorter name (a ticket or call SID, not a description)",
        )


def _queue_name(node: Node, short_code: int, long_code: int) -> Iterator[Problem]:
    if not node.text:
        yield _problem(
            node,
            short_code,
            "error",
            f"<{node.tag}> has no queue name, so "
            + (
                "the caller joins no queue"
                if node.tag == "Enqueue"
                else "the <Dial> takes no caller"
            )
            + f"; name the queue, e.g. <{node.tag}>support</{node.tag}>",
        )
    elif len(node.text) > QUEUE_NAME_MAX:
        yield _problem(
            node,
            long_code,
            "error",
            f"<{node.tag}> queue name is {len(node.text)} characters long; "
            f"the limit is {QUEUE_NAME_MAX}",
        )


def _queue(node: Node, parent: str | None) -> Iterator[Problem]:
    """A ``<Queue reservationSid>`` needs no name: TaskRouter's own example bridges the
    reservation's call with ``<Dial><Queue reservationSid="WR..."/></Dial>``."""
    assert isinstance(node, Queue)
    if "reservationSid" not in node.attributes or node.text:
        yield from _queue_name(node, 14212, 14213)


def _task(node: Node, parent: str | None) -> Iterator[Problem]:
    """14221 for a ``<Task>`` whose text is not JSON: Twilio's "Enqueue: Provided
    Attributes JSON was not valid" (the task attributes TaskRouter gets)."""
    text = node.text.strip()
    if not text:
        return
    try:
        json.loads(text)
    except ValueError as error:
        yield _problem(
            node,
            14221,
            "error",
            f"<Task> text is not valid JSON ({error}): Twilio cannot create the TaskRouter "
            f"task from {shown(text)}; write its attributes as a JSON object, e.g. "
            '<Task>{"selected_language": "en"}</Task>',
        )


def _enqueue(node: Node, parent: str | None) -> Iterator[Problem]:
    assert isinstance(node, Enqueue)
    if "workflowSid" not in node.attributes or node.text:
        yield from _queue_name(node, 14204, 14205)


def refer_target(node: Refer) -> str:
    """The SIP URI a ``<Refer>`` transfers to: its first ``<Sip>`` child's text, stripped
    ("" when it has none)."""
    for child in node.children:
        if isinstance(child, ReferSip) and child.text.strip():
            return child.text.strip()
    return ""


def _refer(node: Node, parent: str | None) -> Iterator[Problem]:
    """A ``<Refer>`` without a ``<Sip>`` URI has no Refer-To to send (twimlsim's choice of
    12200, the schema warning: Twilio documents no code for it)."""
    assert isinstance(node, Refer)
    if not refer_target(node):
        yield _problem(
            node,
            12200,
            "warning",
            "<Refer> has no <Sip> child with the SIP URI to transfer the call to (such as "
            "<Sip>sip:alice@example.com</Sip>): there is no REFER to send, so the verb is "
            "skipped and the call goes on with the next one",
        )


#: Elements whose content Twilio's schema gives as elements only (``<Response>``,
#: ``<Gather>``) or as nothing at all: text written in them is skipped.
TEXTLESS = frozenset({"Response", "Gather", "Pause", "Hangup", "Reject", "Leave", "Record", "Echo"})
#: Those of ``TEXTLESS`` that take elements (the rest take no content at all).
_ELEMENTS_ONLY = frozenset({"Response", "Gather"})


def stray_text(node: Node, line: int) -> Iterator[Problem]:
    """Text in an element of ``TEXTLESS`` (its own text and its children's tails), first
    written on ``line``: a schema warning (12200), the text skipped (UNCONFIRMED: Twilio
    documents no message for it; its XML schema validator refuses character data there)."""
    text = " ".join(node.text.split())
    if not text:
        return
    takes = "elements only" if node.tag in _ELEMENTS_ONLY else "none"
    yield Problem(
        12200,
        "warning",
        f"<{node.tag}> holds text, {shown(text)}, where Twilio's schema takes {takes}: "
        f"Twilio logs a schema warning and skips it; {_stray_text_advice(node, text)}",
        node.tag,
        None,
        line,
    )


def _stray_text_advice(node: Node, text: str) -> str:
    if "{%" in text or "{{" in text:
        return (
            "it holds a template's tags, as a template file does before it is rendered: "
            "check the TwiML the app answers (twimlsim lint reads rendered TwiML)"
        )
    if node.tag in _ELEMENTS_ONLY and "<" in text and ">" in text:
        return (
            f"{ESCAPED_TWIML_ADVICE}, and build a verb put inside this <{node.tag}> without "
            "its XML declaration (Say('Hi').to_xml(xml_declaration=False) is <Say>Hi</Say>)"
        )
    if node.tag in _ELEMENTS_ONLY:
        return f"put words to speak in a <Say> inside the <{node.tag}>"
    if node.tag == "Pause" and text.isdigit() and text.isascii():
        return f'give the seconds as its length attribute: <Pause length="{int(text)}"/>'
    if node.tag == "Reject" and text in ("busy", "rejected"):
        return f'give it as its reason attribute: <Reject reason="{text}"/>'
    return f"put words to speak in a <Say> before the <{node.tag}>"


RULES: Mapping[str, Rule] = {
    "Say": _say,
    "Play": _play,
    "Gather": _gather,
    "Record": _record,
    "Dial": _dial,
    "Number": _number,
    "Client": _client,
    "Sip": _sip,
    "SipUri": _sip,
    "Conference": _conference,
    "Queue": _queue,
    "Enqueue": _enqueue,
    "Task": _task,
    "Refer": _refer,
}
"""Whole-node rules, keyed by node class name."""
