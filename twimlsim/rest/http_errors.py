"""Twilio-shaped JSON for requests the HTTP server refuses before the app sees them.

Python's HTTP server answers a malformed request line, an unsupported HTTP version, a
header line over 64 kB or more than 100 headers itself, with an HTML page. ``serve``'s
request handler answers those in Twilio's error shape instead, with code ``20`` + the HTTP
status (fidelity choice, following 20404 and 20500), so a client only ever reads JSON.
"""

from __future__ import annotations

import json

from werkzeug.serving import WSGIRequestHandler

from twimlsim.errors import TwilioApiError

__all__ = ["TLS_TO_PLAIN_HTTP", "JsonErrorRequestHandler"]

#: How a TLS record of a handshake starts: content type 22, then major version 3.
_TLS_HANDSHAKE = b"\x16\x03"

#: The log line of a TLS handshake the plain HTTP server cannot read.
TLS_TO_PLAIN_HTTP = (
    "a TLS handshake reached twimlsim serve, which serves plain HTTP: the client was given "
    "an https:// URL for it (its TLS library reports 'wrong version number'); give it the "
    "banner's url, which starts with http://"
)


class JsonErrorRequestHandler(WSGIRequestHandler):
    """werkzeug's request handler, with JSON error answers from the HTTP layer."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer ``code`` with Twilio's error body and close the connection."""
        title = self.responses.get(code, ("Error", ""))[0]
        detail = message or title
        error = TwilioApiError(
            code,
            20000 + code,
            f"{title}: {detail}; twimlsim serve could not read the request as HTTP/1.1",
        )
        body = json.dumps(error.to_json()).encode("utf-8")
        if getattr(self, "raw_requestline", b"").startswith(_TLS_HANDSHAKE):
            self.log_error("%s", TLS_TO_PLAIN_HTTP)
        else:
            self.log_error("code %d, message %s", code, detail)
        if self.request_version == "HTTP/0.9":
            # an unreadable request line leaves HTTP/0.9, which has no status line or
            # headers: answer as HTTP/1.0 so that the client can read the error
            self.request_version = "HTTP/1.0"
        self.send_response(code, title)
        self.send_header("Connection", "close")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
