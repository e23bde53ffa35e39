"""The REST request log keeps long answers compressed and gives them back byte for byte."""

from __future__ import annotations

import json
import random
import zlib

import pytest

from twimlsim.model.api_log import pack_body


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
