"""The WebSocket URL of a ``<Stream>`` or ``<ConversationRelay>``: Twilio connects only to a
``wss://`` server it can name.

Twilio's errors for a URL it cannot connect to are 31922 ("Stream - WebSocket - URL Schema
Not Supported": "Verify the schema in TwiML URL is wss") and 31923 ("Stream - WebSocket -
Malformed URL"). twimlsim gives 31923 to a noun without a ``url`` (or with an empty one,
``wss://`` without a host, or one whose host is a second scheme, ``wss://https://...``,
which a base URL setting holding its scheme makes: a choice, Twilio's page names no cause)
and 31922 to one whose scheme is not ``wss`` (the schema check has already logged its 12200
for one that is not ``ws`` either: the schema allows ``ws``, Twilio's error page says
``wss`` is the only protocol), a relative URL included (it would resolve against the
document's http(s) URL). ``twimlsim lint`` reports both codes as the engine does.

What follows is a choice (Twilio documents no more): no stream or session starts; a
``<Start>`` goes on with its next noun and verb; a ``<Connect>`` ends at once, as when the
app's server closes it: its ``action`` is requested (a ``<ConversationRelay>`` with
``SessionStatus=failed``, one of Twilio's values), or the next verb runs.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from . import nodes
from .url_mistakes import doubled_scheme

__all__ = ["STREAM_URL_MALFORMED", "STREAM_URL_SCHEME", "url_problem", "wss_host"]

#: Twilio's "Stream - WebSocket - URL Schema Not Supported".
STREAM_URL_SCHEME = 31922
#: Twilio's "Stream - WebSocket - Malformed URL".
STREAM_URL_MALFORMED = 31923


def url_problem(noun: nodes.Stream | nodes.ConversationRelay) -> tuple[int, str] | None:
    """Twilio's code and a message when ``noun``'s URL cannot be connected to, else None."""
    written = noun.attributes.get("url")
    where = f"<{noun.tag}>"
    if written is None or not written.strip():
        return (
            STREAM_URL_MALFORMED,
            f"{where} has no url: Twilio connects it to the app's WebSocket server at that "
            'URL; give one such as url="wss://app.example.com/media"',
        )
    url = noun.url
    if url is None:  # refused by the schema: a scheme other than ws/wss, or spaces
        scheme = written.strip().partition(":")[0]
        if any(ch.isspace() for ch in written.strip()):
            return (
                STREAM_URL_MALFORMED,
                f"{where} url {written!r} has spaces, which no URL holds; write the "
                "WebSocket server's URL without them (%20 in a path)",
            )
        return (
            STREAM_URL_SCHEME,
            f"{where} url {written!r} uses {scheme}:, which Twilio does not stream to; give "
            "the wss:// URL of the app's WebSocket server",
        )
    scheme, sep, _ = url.partition(":")
    if not sep or not scheme.isalpha():  # a relative URL
        return (
            STREAM_URL_SCHEME,
            f"{where} url {written!r} is relative: it would resolve against the document's "
            "http(s) URL, and Twilio streams only to wss:; give the absolute wss:// URL of "
            "the app's WebSocket server",
        )
    if scheme.lower() == "ws":  # the schema allows it; Twilio streams over TLS only
        return (
            STREAM_URL_SCHEME,
            f"{where} url {written!r} uses ws:, which Twilio does not stream to (only "
            "wss:, WebSocket over TLS); give the wss:// URL of the app's WebSocket server",
        )
    if scheme.lower() == "wss" and wss_host(url) is None:
        return (
            STREAM_URL_MALFORMED,
            f"{where} url {written!r} names no host it can reach; give the wss:// URL of "
            "the app's WebSocket server, such as wss://app.example.com/media",
        )
    doubled = doubled_scheme(url)
    if doubled is not None:
        return (
            STREAM_URL_MALFORMED,
            f"{where} url {written!r} names no host it can reach: {doubled}",
        )
    return None


def wss_host(url: str) -> str | None:
    """The host a ``wss://`` URL names, or None when it names none a connection could
    reach: no host, a port that is not a number, a label empty or over 63 characters."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading the port refuses one that is not a number
        host = parts.hostname
        if host:
            host.encode("idna")  # a label empty or over 63 characters names no host
    except ValueError:  # a bad port or IPv6 host; UnicodeError, IDNA's refusal, is one
        return None
    return host or None
