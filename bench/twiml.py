"""Benchmark: parse + validate TwiML with twimlsim, next to plain lxml parsing of the same bytes.

Run `python bench/run.py twiml`; it prints microseconds per operation for a typical 1 kB IVR
document and a ~64 kB document, the lxml baseline and the ratio. Takes a few seconds.
"""

from __future__ import annotations

import timeit

from lxml import etree

from bench.common import Row
from twimlsim.twiml import MAX_BYTES, parse_twiml, parser

IVR = b"""<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Gather input="dtmf speech" action="/ivr/menu" method="POST" numDigits="1" timeout="5"
          speechTimeout="auto" language="en-US" hints="sales, support, billing">
    <Say voice="Polly.Joanna" language="en-US">
      Thank you for calling Example Corp. For sales, press 1 or say sales.
      For support, press 2 or say support. For billing, press 3.
    </Say>
    <Pause length="1"/>
    <Play loop="1">https://example.com/audio/menu-tone.mp3</Play>
  </Gather>
  <Say voice="Polly.Joanna">We did not receive any input.</Say>
  <Dial action="/ivr/dial-status" timeout="20" callerId="+15005550006" record="record-from-answer">
    <Number statusCallback="/ivr/number-status"
            statusCallbackEvent="initiated ringing answered completed">+15558675310</Number>
  </Dial>
  <Redirect method="POST">/ivr/welcome</Redirect>
</Response>
"""


def large_document() -> bytes:
    """A document just under 64 kB made of repeated IVR verbs."""
    head, tail = b"<Response>\n", b"</Response>\n"
    block = b"".join(IVR.split(b"<Response>\n", 1)[1].rsplit(b"</Response>", 1)[0:1])
    count = (MAX_BYTES - len(head) - len(tail)) // len(block)
    return head + block * count + tail


def per_op(func: object, number: int) -> float:
    """Best-of-5 seconds per call."""
    timer = timeit.Timer(func)  # type: ignore[arg-type]
    return min(timer.repeat(repeat=5, number=number)) / number


def measure(name: str, body: bytes, number: int) -> Row:
    parsed = parse_twiml(body, "text/xml")
    assert parsed.errors == (), parsed.errors
    # Every run parses afresh: the parser's cache of documents seen before is bypassed.
    uncached = parser._parse_xml.__wrapped__
    assert uncached(body).problems == parsed.problems
    ours = per_op(lambda: uncached(body), number)
    base = per_op(lambda: etree.fromstring(body), number)
    return Row(
        f"twiml: parse+validate {name} ({len(body):,} B)",
        ours * 1e6,
        "us",
        baseline=base * 1e6,
        baseline_name="lxml.fromstring",
    )


def main() -> list[Row]:
    """Per-operation timings, each next to plain lxml parsing of the same bytes."""
    return [measure("1 kB IVR", IVR, 2000), measure("64 kB document", large_document(), 20)]


if __name__ == "__main__":
    for row in main():
        print(row.render())
