"""The REST request log keeps long answers compressed and gives them back byte for byte."""

from __future__ import annotations

import json
import random
import zlib
from datetime import UTC, datetime

import pytest

from twimlsim.model.api_log import ApiRequest, BodyPacker, pack_body

AT = datetime(2026, 1, 1, tzinfo=UTC)


def unpacked(packed: bytes) -> bytes:
    return zlib.decompress(packed[1:]) if packed[:1] == b"z" else packed[1:]


def noise(size: int) -> bytes:
    generator = random.Random(size)
    return bytes(generator.randrange(256) for _ in range(size))


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{}",
        b"x" * 511,
        json.dumps({f"field_{i}": f"value {i} " * 5 for i in range(40)}).encode(),
        json.dumps([{"sid": f"CA{i:032x}", "status": "completed"} for i in range(3000)]).encode(),
        noise(100_000),
    ],
    ids=["empty", "short", "just-under", "call-json", "long-page", "incompressible"],
)
def test_a_packed_body_comes_back_byte_for_byte(body: bytes) -> None:
    packed = pack_body(body)
    assert unpacked(packed) == body
    assert packed[:1] == (b"z" if len(body) >= 512 else b"=")


def test_a_call_answer_is_kept_in_a_fraction_of_its_size() -> None:
    body = json.dumps({f"field_{i}": f"value {i} " * 5 for i in range(40)}).encode()
    assert len(pack_body(body)) < len(body) / 3


def entry(packed: bytes, dictionary: bytes) -> ApiRequest:
    return ApiRequest(
        "POST",
        "https://api.twilio.com/x",
        "calls.create",
        None,
        AT,
        201,
        packed,
        dictionary=dictionary,
    )


def call_json(n: int) -> bytes:
    return json.dumps(
        {"sid": f"CA{n:032x}", "status": "queued", "to": f"+1555867{n:04d}"}
        | {f"field_{i}": f"value {i} " * 3 for i in range(40)}
    ).encode()


def test_later_answers_of_a_kind_are_packed_against_the_first_and_come_back_whole() -> None:
    packer = BodyPacker()
    bodies = [call_json(n) for n in range(5)] + [noise(5000), b"{}"]
    packed = [packer.pack("calls.create", body) for body in bodies]
    assert [entry(*pair).body for pair in packed] == bodies
    first, second = packed[:2]
    # the first is kept as the dictionary itself: one copy, nothing compressed
    assert first == (b"D", bodies[0]) and first[1] is bodies[0]
    assert second[0][:1] == b"d" and second[1] is bodies[0]
    assert len(second[0]) < len(pack_body(bodies[0])) / 2
    assert packed[-1] == (b"={}", b"")
    # another kind starts its own dictionary
    listed = packer.pack("calls.list", call_json(9))
    assert listed == (b"D", call_json(9))


def test_a_first_answer_longer_than_a_dictionary_is_compressed_on_its_own() -> None:
    packer = BodyPacker()
    long_page = json.dumps([{"sid": f"CA{i:032x}"} for i in range(200)]).encode()
    assert len(long_page) > 4096
    packed = packer.pack("calls.list", long_page)
    assert packed == (pack_body(long_page), b"")
    later = packer.pack("calls.list", long_page.replace(b"CA0", b"CA1"))
    assert later[0][:1] == b"d" and later[1] == long_page[:4096]
    assert [entry(*pair).body for pair in (packed, later)] == [
        long_page,
        long_page.replace(b"CA0", b"CA1"),
    ]
