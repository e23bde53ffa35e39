"""The IVR the serve tests call: one menu (Gather numDigits=1), a team per key, and a
broken document."""

from __future__ import annotations

CALLER_ID = "+15005550006"
CALLEE = "+15558675310"
IVR_NUMBER = "+15005550007"
MENU = "Press 1 for sales, 2 for support."
VOICE = (
    '<Response><Gather numDigits="1" action="/menu" timeout="5">'
    f"<Say>{MENU}</Say></Gather><Say>We did not get that.</Say></Response>"
)


def menu(form: dict[str, str]) -> str:
    team = {"1": "sales", "2": "support"}.get(form.get("Digits", ""), "the operator")
    return f"<Response><Say>Connecting you to {team}.</Say></Response>"


#: A voice agent: the call talks to a WebSocket server, then hears the menu's answer.
AGENT = (
    '<Response><Connect action="/menu"><Stream url="wss://agent.test/media"/></Connect></Response>'
)

#: The same agent on a ConversationRelay session.
RELAY = (
    '<Response><Connect action="/menu"><ConversationRelay url="wss://agent.test/relay"/>'
    "</Connect></Response>"
)


#: A transcriber listening beside the call (a unidirectional stream), then a goodbye.
FORK = (
    '<Response><Start><Stream name="notes" url="wss://notes.test/fork"/></Start>'
    '<Pause length="2"/><Stop><Stream name="notes"/></Stop><Say>Goodbye.</Say></Response>'
)


def forbidden(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
    """An app whose signature check refuses every webhook (a wrong auth token)."""
    return 403, [("Content-Type", "text/plain")], "Twilio Request Validation Failed."


#: The app's routes, for ``WebhookApp``.
ROUTES = {
    "/voice": VOICE,
    "/menu": menu,
    "/agent": AGENT,
    "/relay": RELAY,
    "/fork": FORK,
    "/broken": "<Response><Say>Hi</Response>",
    "/forbidden": forbidden,
}
