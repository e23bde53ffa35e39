"""The URL table of the fake API: one werkzeug ``Map`` of ``Rule``s to endpoint names.

SIDs are matched by a converter per prefix (``<sid("CA"):call_sid>``), so a malformed SID
is simply an unknown resource (20404), as on Twilio. Real Twilio endpoints twimlsim does
not simulate are named by ``unimplemented()`` (answered 501 with a Twilio-shaped body).

The maps are built when first asked for (``url_map()``, ``bound_routes()``): werkzeug
compiles every rule as it is added, about 45 ms for both maps, and a test that only places
calls never needs them (the call create is answered without the router). werkzeug's
routing package itself (about 5 ms to import) and the SID converters
(``sid_converters.py``) are imported then too.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from werkzeug.routing import Map, MapAdapter

__all__ = [
    "PLACEHOLDER_SID",
    "PUBLIC_ENDPOINTS",
    "bound_routes",
    "unimplemented",
    "url_map",
]


#: An account SID as an existing suite's settings may hold it: a real one, or a placeholder
#: such as ``ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx``, ``ACXXXXX`` or ``your_account_sid``.
#: ``*`` too: Twilio's Voice SDK quickstart servers carry ``AC***``, ``SK***`` and ``***``.
PLACEHOLDER_SID = r"[A-Za-z0-9_*-]+"


_ACCOUNT = "/2010-04-01/Accounts/<sid('AC'):account_sid>"
_CALL = f"{_ACCOUNT}/Calls/<sid('CA'):call_sid>"
_RECORDING = f"{_ACCOUNT}/Recordings/<sid('RE'):recording_sid>"
_QUEUE = f"{_ACCOUNT}/Queues/<sid('QU'):queue_sid>"
_ROOM = f"{_ACCOUNT}/Conferences/<conference>"
_PARTICIPANT = f"{_ROOM}/Participants/<participant>.json"


#: Every route: (path, endpoint, method).
_TABLE: tuple[tuple[str, str, str], ...] = (
    ("/2010-04-01/Accounts.json", "accounts.list", "GET"),
    ("/2010-04-01/Accounts.json", "accounts.create", "POST"),
    (f"{_ACCOUNT}.json", "accounts.fetch", "GET"),
    (f"{_ACCOUNT}.json", "accounts.update", "POST"),
    (f"{_ACCOUNT}/Calls.json", "calls.list", "GET"),
    (f"{_ACCOUNT}/Calls.json", "calls.create", "POST"),
    (f"{_CALL}.json", "calls.fetch", "GET"),
    (f"{_CALL}.json", "calls.update", "POST"),
    (f"{_CALL}.json", "calls.delete", "DELETE"),
    (f"{_CALL}/Events.json", "call_events.list", "GET"),
    (f"{_CALL}/Notifications.json", "notifications.list_for_call", "GET"),
    (f"{_CALL}/Notifications/<sid('NO'):sid>.json", "notifications.fetch_for_call", "GET"),
    (f"{_CALL}/Recordings.json", "recordings.list_for_call", "GET"),
    (f"{_CALL}/Recordings.json", "call_recordings.start", "POST"),
    (f"{_CALL}/Recordings/Twilio.CURRENT.json", "call_recordings.current", "POST"),
    (f"{_CALL}/Recordings/<sid('RE'):recording_sid>.json", "recordings.fetch_for_call", "GET"),
    (f"{_CALL}/Recordings/<sid('RE'):recording_sid>.json", "recordings.delete", "DELETE"),
    (f"{_CALL}/Recordings/<sid('RE'):recording_sid>.json", "call_recordings.update", "POST"),
    # a call recording's uri without ".json", as an app builds the media URL from it
    (f"{_CALL}/Recordings/<sid('RE'):recording_sid>", "recordings.media", "GET"),
    (f"{_CALL}/Recordings/<sid('RE'):recording_sid>.wav", "recordings.media", "GET"),
    (f"{_CALL}/Recordings/<sid('RE'):recording_sid>.mp3", "recordings.media_mp3", "GET"),
    (f"{_CALL}/Streams.json", "streams.create", "POST"),
    (f"{_CALL}/Siprec.json", "siprec.create", "POST"),
    (f"{_CALL}/UserDefinedMessages.json", "user_defined_messages.create", "POST"),
    (
        f"{_CALL}/UserDefinedMessageSubscriptions.json",
        "user_defined_messages.subscribe",
        "POST",
    ),
    (
        f"{_CALL}/UserDefinedMessageSubscriptions/<sid('ZY'):sid>.json",
        "user_defined_messages.unsubscribe",
        "DELETE",
    ),
    (f"{_CALL}/Siprec/<siprec>.json", "siprec.update", "POST"),
    (f"{_CALL}/Streams/<stream>.json", "streams.update", "POST"),
    (f"{_CALL}/Transcriptions.json", "call_transcriptions.create", "POST"),
    (f"{_CALL}/Payments.json", "payments.create", "POST"),
    (f"{_CALL}/Payments/<sid('PK'):sid>.json", "payments.update", "POST"),
    (f"{_CALL}/Transcriptions/<transcription>.json", "call_transcriptions.update", "POST"),
    (f"{_ACCOUNT}/Recordings.json", "recordings.list", "GET"),
    (f"{_ACCOUNT}/Notifications.json", "notifications.list", "GET"),
    (f"{_ACCOUNT}/Notifications/<sid('NO'):sid>.json", "notifications.fetch", "GET"),
    (f"{_RECORDING}/Transcriptions.json", "transcriptions.list_for_recording", "GET"),
    (f"{_RECORDING}/Transcriptions/<sid('TR'):sid>.json", "transcriptions.fetch", "GET"),
    (f"{_RECORDING}/Transcriptions/<sid('TR'):sid>.json", "transcriptions.delete", "DELETE"),
    (f"{_RECORDING}/Transcriptions/<sid('TR'):sid>.txt", "transcriptions.text", "GET"),
    (f"{_ACCOUNT}/Transcriptions.json", "transcriptions.list", "GET"),
    (f"{_ACCOUNT}/Transcriptions/<sid('TR'):sid>.json", "transcriptions.fetch", "GET"),
    (f"{_ACCOUNT}/Transcriptions/<sid('TR'):sid>.json", "transcriptions.delete", "DELETE"),
    # Twilio's Transcriptions page: append ".txt" to the URI for the text alone
    (f"{_ACCOUNT}/Transcriptions/<sid('TR'):sid>.txt", "transcriptions.text", "GET"),
    (f"{_RECORDING}.json", "recordings.fetch", "GET"),
    (f"{_RECORDING}.json", "recordings.delete", "DELETE"),
    (f"{_RECORDING}", "recordings.media", "GET"),
    (f"{_RECORDING}.wav", "recordings.media", "GET"),
    (f"{_RECORDING}.mp3", "recordings.media_mp3", "GET"),
    (f"{_ACCOUNT}/IncomingPhoneNumbers.json", "numbers.list", "GET"),
    (f"{_ACCOUNT}/IncomingPhoneNumbers.json", "numbers.create", "POST"),
    (
        f"{_ACCOUNT}/IncomingPhoneNumbers/<any(Local,TollFree,Mobile):kind>.json",
        "numbers.list_of_kind",
        "GET",
    ),
    (
        f"{_ACCOUNT}/IncomingPhoneNumbers/<any(Local,TollFree,Mobile):kind>.json",
        "numbers.create_of_kind",
        "POST",
    ),
    (
        f"{_ACCOUNT}/AvailablePhoneNumbers/<country>/<any(Local,TollFree,Mobile):kind>.json",
        "available_numbers.list",
        "GET",
    ),
    (f"{_ACCOUNT}/IncomingPhoneNumbers/<sid('PN'):sid>.json", "numbers.fetch", "GET"),
    (f"{_ACCOUNT}/IncomingPhoneNumbers/<sid('PN'):sid>.json", "numbers.update", "POST"),
    (f"{_ACCOUNT}/IncomingPhoneNumbers/<sid('PN'):sid>.json", "numbers.delete", "DELETE"),
    (f"{_ACCOUNT}/Messages.json", "messages.list", "GET"),
    (f"{_ACCOUNT}/Messages.json", "messages.create", "POST"),
    (f"{_ACCOUNT}/Messages/<sid('SM'):sid>.json", "messages.fetch", "GET"),
    (f"{_ACCOUNT}/Messages/<sid('SM'):sid>.json", "messages.delete", "DELETE"),
    (f"{_ACCOUNT}/Messages/<sid('SM'):sid>.json", "unimplemented", "POST"),
    (f"{_ACCOUNT}/SIP/Domains.json", "sip_domains.list", "GET"),
    (f"{_ACCOUNT}/SIP/Domains/<sid('SD'):sid>.json", "sip_domains.fetch", "GET"),
    (f"{_ACCOUNT}/OutgoingCallerIds.json", "caller_ids.list", "GET"),
    (f"{_ACCOUNT}/OutgoingCallerIds.json", "caller_ids.create", "POST"),
    (f"{_ACCOUNT}/OutgoingCallerIds/<sid('PN'):sid>.json", "caller_ids.fetch", "GET"),
    (f"{_ACCOUNT}/OutgoingCallerIds/<sid('PN'):sid>.json", "caller_ids.update", "POST"),
    (f"{_ACCOUNT}/OutgoingCallerIds/<sid('PN'):sid>.json", "caller_ids.delete", "DELETE"),
    (f"{_ACCOUNT}/Applications.json", "applications.list", "GET"),
    (f"{_ACCOUNT}/Applications.json", "applications.create", "POST"),
    (f"{_ACCOUNT}/Applications/<sid('AP'):sid>.json", "applications.fetch", "GET"),
    (f"{_ACCOUNT}/Applications/<sid('AP'):sid>.json", "applications.update", "POST"),
    (f"{_ACCOUNT}/Applications/<sid('AP'):sid>.json", "applications.delete", "DELETE"),
    (f"{_ACCOUNT}/Queues.json", "queues.list", "GET"),
    (f"{_ACCOUNT}/Queues.json", "queues.create", "POST"),
    (f"{_QUEUE}.json", "queues.fetch", "GET"),
    (f"{_QUEUE}.json", "queues.update", "POST"),
    (f"{_QUEUE}.json", "queues.delete", "DELETE"),
    (f"{_QUEUE}/Members.json", "members.list", "GET"),
    (f"{_QUEUE}/Members/<member>.json", "members.fetch", "GET"),
    (f"{_QUEUE}/Members/<member>.json", "members.dequeue", "POST"),
    (f"{_ACCOUNT}/Conferences.json", "conferences.list", "GET"),
    (f"{_ROOM}.json", "conferences.fetch", "GET"),
    (f"{_ROOM}.json", "conferences.update", "POST"),
    (f"{_ROOM}/Participants.json", "participants.list", "GET"),
    (f"{_ROOM}/Participants.json", "participants.create", "POST"),
    (_PARTICIPANT, "participants.fetch", "GET"),
    (_PARTICIPANT, "participants.update", "POST"),
    (_PARTICIPANT, "participants.delete", "DELETE"),
    (f"{_ROOM}/Recordings.json", "conference_recordings.list", "GET"),
    (f"{_ROOM}/Recordings/<recording>.json", "conference_recordings.fetch", "GET"),
    (f"{_ROOM}/Recordings/<recording>.json", "conference_recordings.update", "POST"),
    (f"{_ROOM}/Recordings/<recording>.json", "conference_recordings.delete", "DELETE"),
    (f"{_ACCOUNT}/Keys.json", "keys.list", "GET"),
    (f"{_ACCOUNT}/Keys.json", "keys.create", "POST"),
    (f"{_ACCOUNT}/Keys/<sid('SK'):sid>.json", "keys.fetch", "GET"),
    (f"{_ACCOUNT}/Keys/<sid('SK'):sid>.json", "keys.update", "POST"),
    (f"{_ACCOUNT}/Keys/<sid('SK'):sid>.json", "keys.delete", "DELETE"),
)


@functools.cache
def url_map(any_account: bool = False) -> Map:
    """The routes as a werkzeug ``Map``, built on first use.

    With ``any_account`` (``accept_any_credentials``, ``pytest --twimlsim``) the account in
    the path may be a placeholder SID, as the credentials may.
    """
    from werkzeug.routing import Map, Rule

    from .sid_converters import PlaceholderAccountConverter, SidConverter

    return Map(
        [Rule(path, endpoint=endpoint, methods=[method]) for path, endpoint, method in _TABLE],
        converters={"sid": PlaceholderAccountConverter if any_account else SidConverter},
        strict_slashes=False,
        # a doubled slash is an unknown resource (20404), not a redirect to the merged path
        merge_slashes=False,
    )


@functools.cache
def bound_routes(any_account: bool = False) -> MapAdapter:
    """``url_map(any_account)`` bound once: rules match on path and method only, whatever
    the host."""
    return url_map(any_account).bind("api.twilio.com")


#: Endpoints answered without credentials (recording media, as on Twilio by default).
PUBLIC_ENDPOINTS = frozenset({"recordings.media", "recordings.media_mp3"})

#: Resources of API 2010-04-01 that exist on Twilio but are not simulated here.
_ACCOUNT_RESOURCES = frozenset(
    {
        "Addresses",
        "Applications",
        "AuthorizedConnectApps",
        "AvailablePhoneNumbers",
        "Balance",
        "Calls",
        "Conferences",
        "ConnectApps",
        "IncomingPhoneNumbers",
        "Keys",
        "Messages",
        "Notifications",
        "OutgoingCallerIds",
        "Queues",
        "Recordings",
        "SIP",
        "ShortCodes",
        "SigningKeys",
        "Tokens",
        "Transcriptions",
        "Usage",
        "ValidationRequests",
    }
)


#: Subresources Twilio has below the simulated resources that twimlsim does not simulate.
_SUBRESOURCES = frozenset(
    {
        "AddOnResults",
        "AssignedAddOns",
        "Events",
        "Feedback",
        "Local",
        "Media",
        "Mobile",
        "Notifications",
        "Payments",
        "Siprec",
        "Streams",
        "TollFree",
        "Transcriptions",
        "UserDefinedMessageSubscriptions",
        "UserDefinedMessages",
    }
)
_SIMULATED = frozenset(
    {
        "Applications",
        "Calls",
        "Recordings",
        "IncomingPhoneNumbers",
        "OutgoingCallerIds",
        "Keys",
        "Queues",
        "Conferences",
        "Messages",
        "Notifications",
        "Transcriptions",
    }
)


#: Subresources of ``_SUBRESOURCES`` that are simulated below one resource.
_SIMULATED_BELOW = frozenset(
    {
        ("Recordings", "Transcriptions"),
        ("Calls", "Streams"),
        ("Calls", "Transcriptions"),
        ("Calls", "Payments"),
        ("Calls", "Events"),
        ("Calls", "Notifications"),
        ("Calls", "Siprec"),
        ("Calls", "UserDefinedMessages"),
        ("Calls", "UserDefinedMessageSubscriptions"),
    }
)


#: A SIP Domain's SID, as its route's converter reads one.
_SIP_DOMAIN = re.compile(r"SD[0-9a-fA-F]{32}\Z")


def unimplemented(path: str) -> str | None:
    """The Twilio resource a path names when twimlsim does not simulate it, else None.

    ``/2010-04-01/Accounts/AC.../Messages.json`` names ``Messages``; a path Twilio does not
    have either (a typo, a malformed SID) names nothing, and is a plain 20404.
    """
    parts = [part.split(".", 1)[0] for part in path.strip("/").split("/")]
    if len(parts) < 4 or parts[0] != "2010-04-01" or parts[1] != "Accounts":
        return None
    resource = parts[3]
    if resource == "SMS" and len(parts) > 4 and parts[4] == "ShortCodes":
        return "SMS/ShortCodes"  # the one resource Twilio keeps below SMS/
    if parts[3:5] == ["SIP", "Domains"] and len(parts) == 6 and not _SIP_DOMAIN.match(parts[5]):
        return None  # a SIP Domain (fetched here) named by a malformed SID: a plain 20404
    if resource in _SIMULATED:
        below = [part for part in parts[4:] if part in _SUBRESOURCES]
        if not below or (resource, below[0]) in _SIMULATED_BELOW:
            return None  # a simulated one, reached with a malformed SID: a plain 20404
        return f"{resource}/{below[0]}"
    return resource if resource in _ACCOUNT_RESOURCES else None
