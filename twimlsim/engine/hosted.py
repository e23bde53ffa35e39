"""Documents Twilio hosts itself, answered by twimlsim without an app: the hold-music
twimlet, and the demo document of Twilio's quickstarts.

Twilio's documentation places its first call with ``url="http://demo.twilio.com/docs/
voice.xml"``: that document says "Thanks for trying our documentation. Enjoy!" (voice
``alice``) and plays ``http://demo.twilio.com/docs/classic.mp3`` (as copies of it in public
code show); twimlsim serves it built in so that the quickstart runs as written. The clip
plays ``sim.media(url, seconds=...)`` or the default length. The clip itself is served too
(``audio/mpeg``, one silent frame), as apps name it where Twilio fetches a URL (a
conference's ``waitUrl``, a call's ``Url``): an audio answer is played (Twilio's
``<Conference>`` page: a waitUrl may be "an MP3 or WAV audio file"). The welcome document
(``https://demo.twilio.com/welcome/voice/``, a new number's voice URL, which quickstarts and
samples place test calls with) is built in too, as copies of it in public code most often
write it: "Thanks for the call. Configure your number's voice U R L to change this
message.", a one-second pause, then "Let us know if we can help you in any way during your
development." in the ``woman`` voice (UNCONFIRMED: some copies give the first ``<Say>`` a
voice too). Other demo.twilio.com paths fail with a message that says so.

Twilio's default ``waitUrl`` of ``<Conference>`` and ``<Enqueue>`` is
``http://twimlets.com/holdmusic?Bucket=com.twilio.music.classical``, and many apps name it
(or another ``Bucket``) themselves. twimlets.com is Twilio's: a test cannot route it to an
app, so twimlsim serves it built in. The answer is a TwiML document that plays the bucket's
tracks, then redirects to itself with an empty ``<Redirect/>``, as the twimlet does (a
POST: Twilio's TwiML changelog, 2024.05.30, gives a wait document's ``<Redirect>`` that
default), so hold music loops; the ``<Play>`` media is never fetched (each track plays
``sim.media(url, seconds=...)`` or the default length); a ``Message`` parameter is said
after each track, as the twimlet does.
The classical bucket's seven tracks are known; another bucket plays one item, the
bucket's own URL, standing for its tracks (twimlsim does not know their names).
Two more twimlets are built in, as Twilio's own source of them (MIT, 2012) writes them,
because apps pass TwiML through them in a URL: ``/echo`` answers its ``Twiml`` query
parameter as the document (Content-Type ``text/xml``), and ``/message`` answers one verb per
``Message`` (or ``Message[0]``, ``Message[1]``... in the query's order): a ``<Play>`` of a
value that starts with ``http``, else a ``<Say>`` of it without backslashes (PHP's
``stripslashes``), blank ones skipped. Both read the query string only, whatever the
method, as the PHP read ``$_GET``. ``/voicemail`` (a greeting, a ``<Record>``, "Thanks.
Good bye.") and ``/forward`` (a ``<Dial>``, then a hang-up or its ``FailUrl``) follow the
same source, reading the query and a POST's body as its ``$_REQUEST``; the voicemail's
e-mail is not sent, and a forward restricted to ``AllowedCallers`` is not simulated (the
2012 source compares numbers in a way today's service may not). Other twimlets fail with
a message that says so.
"""

from __future__ import annotations

import re
from html import escape as html_escape
from urllib.parse import SplitResult, parse_qs, parse_qsl, quote_plus, urlsplit

from .webhooks import WebhookDeliveryError, WebhookRequest, WebhookResponse

__all__ = [
    "DEFAULT_WAIT_URL",
    "DEMO_VOICE_XML",
    "DEMO_WELCOME_XML",
    "demo_document",
    "twilio_hosted",
]

#: Twilio's default ``waitUrl`` of ``<Conference>`` and ``<Enqueue>``.
DEFAULT_WAIT_URL = "http://twimlets.com/holdmusic?Bucket=com.twilio.music.classical"

_TWIMLETS_HOSTS = frozenset({"twimlets.com", "www.twimlets.com"})
_DEMO_HOST = "demo.twilio.com"
#: What Twilio's documentation's ``Url`` (``http://demo.twilio.com/docs/voice.xml``) answers.
DEMO_VOICE_XML = (
    '<?xml version="1.0" encoding="UTF-8"?><Response>'
    '<Say voice="alice">Thanks for trying our documentation. Enjoy!</Say>'
    "<Play>http://demo.twilio.com/docs/classic.mp3</Play></Response>"
)
#: What a new number's voice URL (``https://demo.twilio.com/welcome/voice/``) answers.
DEMO_WELCOME_XML = (
    '<?xml version="1.0" encoding="UTF-8"?><Response>'
    "<Say>Thanks for the call. Configure your number's voice U R L to change this message."
    '</Say><Pause length="1"/><Say voice="woman">Let us know if we can help you in any way '
    "during your development.</Say></Response>"
)
_WELCOME_PATHS = frozenset({"/welcome/voice/", "/welcome/voice"})
_DEFAULT_BUCKET = "com.twilio.music.classical"
#: The clip the demo document plays, served where a URL names it (a waitUrl).
_DEMO_CLIP = "/docs/classic.mp3"
#: One silent MPEG-1 Layer III frame (32 kbit/s, 32 kHz, mono): an audio answer's body,
#: played for ``sim.media``'s length or the default (twimlsim reads no audio).
_SILENT_MP3_FRAME = bytes([0xFF, 0xFB, 0x18, 0xC0]) + bytes(140)


#: The classical bucket's tracks, in the bucket's (S3 key) order.
_CLASSICAL = (
    "BusyStrings.mp3",
    "ClockworkWaltz.mp3",
    "MARKOVICHAMP-Borghestral.mp3",
    "Mellotroniac_-_Flight_Of_Young_Hearts_Flute.mp3",
    "ith_brahms-116-4.mp3",
    "ith_chopin-15-2.mp3",
    "oldDog_-_endless_goodbye_%28instr.%29.mp3",
)


def twilio_hosted(request: WebhookRequest) -> WebhookResponse | None:
    """The answer to a request for a Twilio-hosted document, or None when ``request``
    goes to the app. Raises ``WebhookDeliveryError`` for a twimlet twimlsim does not run."""
    url = request.url.lower()
    if "twimlets.com" not in url and "demo.twilio.com" not in url:
        return None  # every webhook passes here: the app's own skip the URL parsing
    parts = urlsplit(request.url)
    host = (parts.hostname or "").lower()
    if host == _DEMO_HOST:
        return _demo(request.url, parts.path)
    if host not in _TWIMLETS_HOSTS:
        return None
    twimlet = parts.path.rstrip("/").lower()
    if twimlet == "/echo":
        return _echo(parts.query)
    if twimlet == "/message":
        return _message(parts.query)
    if twimlet == "/voicemail":
        return _voicemail(_given(request, parts.query), parts)
    if twimlet == "/forward" and not _allowed_callers(parts.query):
        return _forward(_given(request, parts.query), parts.path)
    if twimlet != "/holdmusic":
        raise WebhookDeliveryError(
            11205,
            f"{request.url} is a Twilio-hosted twimlet that twimlsim does not simulate "
            "(only twimlets.com/holdmusic, /echo, /message, /voicemail and /forward without "
            "AllowedCallers are built in); serve the TwiML from your app instead",
        )
    query = parse_qs(parts.query)
    bucket = (query.get("Bucket") or [_DEFAULT_BUCKET])[0] or _DEFAULT_BUCKET
    if bucket == _DEFAULT_BUCKET:
        tracks = [f"http://{bucket}.s3.amazonaws.com/{name}" for name in _CLASSICAL]
    else:
        tracks = [f"http://{bucket}.s3.amazonaws.com/"]
    message = (query.get("Message") or [""])[0]
    said = f"<Say>{_escape(message)}</Say>" if message else ""
    plays = "".join(f"<Play>{_escape(track)}</Play>{said}" for track in tracks)
    # An empty <Redirect> requests the document's own URL again; the twimlet writes it
    # without a method (its output in public issues), so it is a POST, the method Twilio
    # gives a <Redirect> of a wait document since its TwiML changelog of 2024.05.30.
    body = f"<Response>{plays}<Redirect/></Response>"
    return WebhookResponse(200, (("Content-Type", "text/xml"),), body.encode())


#: ``Message`` or ``Message[...]``, as PHP reads a list from a query string.
_MESSAGE_KEY = re.compile(r"Message(\[[^\]]*\])?")
_BACKSLASHED = re.compile(r"\\(.?)", re.DOTALL)


_XML = '<?xml version="1.0" encoding="UTF-8"?>'
_TWIML = (("Content-Type", "text/xml"),)


def _escape(text: str, *, quote: bool = False) -> str:
    """``text`` as XML character data (``&``, ``<`` and ``>`` escaped) or, with ``quote``,
    as a double-quoted attribute value (``"`` too): what ``xml.sax.saxutils.escape``
    writes (with ``{'"': "&quot;"}``), without importing ``xml.sax`` at start-up."""
    escaped = html_escape(text, quote=False)
    return escaped.replace('"', "&quot;") if quote else escaped


def _given(request: WebhookRequest, query: str) -> dict[str, str]:
    """What PHP's ``$_REQUEST`` held for the twimlet: the query, then a POST's body."""
    given = dict(parse_qsl(query, keep_blank_values=True))
    if request.method == "POST":
        given.update(request.params)
    return given


def _allowed_callers(query: str) -> bool:
    """Whether a forward twimlet restricts its callers (not simulated: how Twilio's service
    compares numbers today is unknown)."""
    return any(
        key.startswith("AllowedCallers") and value.strip()
        for key, value in parse_qsl(query, keep_blank_values=True)
    )


def _voicemail(given: dict[str, str], parts: SplitResult) -> WebhookResponse:
    """``twimlets.com/voicemail``: a greeting and a ``<Record>`` (transcribed unless
    ``Transcribe`` says otherwise), then "Thanks. Good bye." when the recording comes back
    to it; the transcription's request is answered empty (the e-mail is not sent)."""
    if given.get("TranscriptionStatus", "").lower() in ("completed", "failed"):
        return WebhookResponse(200, (("Content-Type", "text/html"),), b"")
    if given.get("RecordingUrl"):
        body = "<Say>Thanks.  Good bye.</Say><Hangup/>"
        return WebhookResponse(200, _TWIML, f"{_XML}<Response>{body}</Response>".encode())
    message = given.get("Message", "")
    if message.strip()[:4].lower() == "http":
        greeting = f"<Play>{_escape(message)}</Play>"
    elif message.strip():
        attributes = ""
        language = given.get("Language", "").lower()
        if language in ("en", "en-gb", "es", "fr", "de"):
            attributes += f' language="{language}"'
        voice = given.get("Voice", "").lower()
        if voice in ("man", "woman"):
            attributes += f' voice="{voice}"'
        said = _escape(_BACKSLASHED.sub(_unslashed, message))
        greeting = f"<Say{attributes}>{said}</Say>"
    else:
        greeting = "<Say>Please leave a message after the beep.</Say>"
    transcribe = given.get("Transcribe", "")
    if not transcribe or transcribe.lower() == "true":
        callback = f"{parts.scheme}://{parts.netloc}{parts.path}?Email={given.get('Email', '')}"
        record = f'<Record transcribe="true" transcribeCallback="{_escape(callback, quote=True)}"/>'
    else:
        record = "<Record/>"
    return WebhookResponse(200, _TWIML, f"{_XML}<Response>{greeting}{record}</Response>".encode())


def _forward(given: dict[str, str], path: str) -> WebhookResponse:
    """``twimlets.com/forward``: ``<Dial>`` ``PhoneNumber`` (``Timeout``, else 20 s) with
    an action back to it; then ``<Hangup/>``, or a redirect to ``FailUrl`` when the dialled
    party did not answer."""
    if "Dial" in given and (given.get("DialStatus") or given.get("DialCallStatus")):
        fail_url = given.get("FailUrl", "")
        answered = given.get("DialCallStatus") == "completed"
        if answered or given.get("DialStatus") == "answered" or not fail_url:
            return WebhookResponse(200, _TWIML, f"{_XML}<Response><Hangup/></Response>".encode())
        return WebhookResponse(302, (("Location", fail_url),), b"")
    action = f"{path}?Dial=true"
    if given.get("FailUrl"):
        action += f"&FailUrl={quote_plus(given['FailUrl'])}"
    timeout = given.get("Timeout") or "20"
    dial = (
        f'<Dial action="{_escape(action, quote=True)}" timeout="{_escape(timeout, quote=True)}">'
        f"{_escape(given.get('PhoneNumber', ''))}</Dial>"
    )
    return WebhookResponse(200, _TWIML, f"{_XML}<Response>{dial}</Response>".encode())


def _unslashed(match: re.Match[str]) -> str:
    return match.group(1)


def _echo(query: str) -> WebhookResponse:
    """``twimlets.com/echo``: its ``Twiml`` parameter is the document."""
    twiml = dict(parse_qsl(query, keep_blank_values=True)).get("Twiml", "")
    return WebhookResponse(200, (("Content-Type", "text/xml"),), twiml.encode())


def _message(query: str) -> WebhookResponse:
    """``twimlets.com/message``: a ``<Play>`` or ``<Say>`` per ``Message``."""
    verbs = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        if not _MESSAGE_KEY.fullmatch(key):
            continue
        if value.strip()[:4].lower() == "http":
            verbs.append(f"<Play>{_escape(value)}</Play>")
        elif value.strip():
            said = _BACKSLASHED.sub(_unslashed, value)
            verbs.append(f"<Say>{_escape(said)}</Say>")
    body = f'<?xml version="1.0" encoding="UTF-8"?><Response>{"".join(verbs)}</Response>'
    return WebhookResponse(200, (("Content-Type", "text/xml"),), body.encode())


def demo_document(path: str) -> tuple[str, bytes] | None:
    """The content type and body demo.twilio.com serves at ``path`` (the quickstart's
    ``/docs/voice.xml`` and the clip it plays, a new number's ``/welcome/voice/``), or None
    for a path not built in: what an app's own request for it gets, as a call's does."""
    lowered = path.lower()
    if lowered == _DEMO_CLIP:
        return "audio/mpeg", _SILENT_MP3_FRAME
    if lowered == "/docs/voice.xml":
        return "text/xml", DEMO_VOICE_XML.encode()
    if lowered in _WELCOME_PATHS:
        return "text/xml", DEMO_WELCOME_XML.encode()
    return None


def _demo(url: str, path: str) -> WebhookResponse:
    """Twilio's documentation demo: ``/docs/voice.xml``, the clip it plays and
    ``/welcome/voice/`` are built in, nothing else is."""
    built_in = demo_document(path)
    if built_in is None:
        raise WebhookDeliveryError(
            11205,
            f"{url} is a Twilio demo document that twimlsim does not simulate (only "
            "demo.twilio.com/docs/voice.xml, the docs/classic.mp3 it plays and "
            "/welcome/voice/ are built in); serve the TwiML from your app instead",
        )
    content_type, body = built_in
    return WebhookResponse(200, (("Content-Type", content_type),), body)
