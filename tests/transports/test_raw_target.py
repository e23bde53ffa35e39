"""The HTTP transport sends each webhook's request target exactly as signed: ``[`` and
``]`` as written, where urllib3 under ``requests`` would escape them."""

from __future__ import annotations

import socket
import threading

from twimlsim.engine.urls import wire_url
from twimlsim.transports import raw_target
from twimlsim.transports.http import HTTPTransport

TIMEOUT = 10


def test_every_printable_character_goes_on_the_wire_as_signed() -> None:
    """The HTTP transport's session sends each URL's target exactly as ``wire_url`` (what
    is signed) has it, for every printable ASCII character in a path and in a query."""
    targets: list[str] = []
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def answer() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += connection.recv(4096)
                targets.append(data.split(b" ", 2)[1].decode())
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                )

    threading.Thread(target=answer, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    characters = [chr(code) for code in range(0x21, 0x7F) if chr(code) != "#"] + ["é", "%41"]
    urls = [wire_url(url).url for c in characters for url in (f"{base}/a{c}b", f"{base}/p?x={c}")]
    transport = HTTPTransport()
    try:
        for url in urls:
            with raw_target.sending_target_of(url):
                transport._session.get(url, timeout=TIMEOUT).close()
    finally:
        transport.close()
        listener.close()
    assert targets == [url.removeprefix(base) for url in urls]
