"""The IVR the overhead benchmark calls: a menu, a transfer, a goodbye (Flask)."""

from __future__ import annotations

from flask import Flask, Response

app = Flask(__name__)

AGENT = "+15551230000"


def twiml(body: str) -> Response:
    return Response(f"<Response>{body}</Response>", mimetype="text/xml")


@app.post("/voice")
def voice() -> Response:
    return twiml(
        '<Gather numDigits="1" action="/menu">'
        "<Say>Welcome to Example Corp. Press 1 for sales.</Say>"
        "</Gather><Say>We did not get your choice. Goodbye.</Say>"
    )


@app.post("/menu")
def menu() -> Response:
    return twiml(
        f'<Say>Connecting you.</Say><Dial action="/dial-done"><Number>{AGENT}</Number></Dial>'
    )


@app.post("/dial-done")
def dial_done() -> Response:
    return twiml("<Say>Thank you for calling. Goodbye.</Say><Hangup/>")


@app.post("/status")
def status() -> tuple[str, int]:
    return "", 204
