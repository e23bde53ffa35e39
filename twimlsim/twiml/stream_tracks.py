"""The track of a bidirectional ``<Connect><Stream>``: Twilio streams only the caller's
audio to the app there (the app sends back what the caller hears).

Twilio's error 31941 ("Stream - Invalid Track configuration") names "Value different of
"inbound_track" is used with verb Connect" among its causes, so a ``<Connect><Stream>``
written with ``track="outbound_track"`` or ``"both_tracks"`` is that error (one without
``track`` is fine; a value no ``<Stream>`` takes is 31941 too, from the schema, which
streams the caller's track instead, in ``<Start>`` as in ``<Connect>``). What follows is
the choice ``twiml/stream_urls.py`` makes for a URL
Twilio cannot connect to (Twilio documents no more): no stream starts, and the
``<Connect>`` ends at once (its ``action`` is requested, or the next verb runs).
"""

from __future__ import annotations

from . import nodes

__all__ = ["STREAM_TRACK_INVALID", "connect_track_problem"]

#: Twilio's "Stream - Invalid Track configuration".
STREAM_TRACK_INVALID = 31941


def connect_track_problem(noun: nodes.Stream) -> tuple[int, str] | None:
    """Twilio's code and a message when ``noun``, a ``<Connect>``'s ``<Stream>``, asks for
    a track other than ``inbound_track``, else None."""
    written = noun.attributes.get("track")
    if written is None or written.strip() not in ("outbound_track", "both_tracks"):
        return None  # none is the caller's track; a value no <Stream> takes is the schema's
    return (
        STREAM_TRACK_INVALID,
        f'<Stream track="{written}"> in <Connect>: a bidirectional stream carries the '
        "caller's audio only, and Twilio refuses any other track there (its 31941: a value "
        'other than "inbound_track" with <Connect>); remove track, or use <Start><Stream> '
        "to fork both tracks",
    )
