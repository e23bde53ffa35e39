"""The REST request log keeps long answers compressed and gives them back byte for byte."""

from __future__ import annotations

import json
import random
import zlib
from datetime import UTC, datetime

import pytest

from twimlsim.model.api_log import ApiRequest, BodyPacker, Template, pack_body

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


def values_of(request: ApiRequest) -> tuple[bytes, ...]:
    assert request.call_sid is not None
    return (request.call_sid.encode(), request.at.isoformat().encode())


def created(
    packer: BodyPacker, n: int, at: datetime, to: str = "+15558670000"
) -> tuple[ApiRequest, bytes]:
    """A create's log entry, packed by ``packer``, and its answer: SID and time vary."""
    sid = f"CA{n:032x}"
    body = json.dumps(
        {"sid": sid, "to": to, "date_created": at.isoformat(), "uri": f"/Calls/{sid}.json"}
        | {f"field_{i}": f"value {i} " * 3 for i in range(40)}
    ).encode()
    packed, reference = packer.pack("calls.create", body, (sid.encode(), at.isoformat().encode()))
    request = ApiRequest(
        "POST",
        "https://api.twilio.com/x",
        "calls.create",
        sid,
        at,
        201,
        packed,
        dictionary=reference,
    )
    return request, body


def test_the_same_request_again_is_kept_as_a_marker_and_rebuilt_whole() -> None:
    packer = BodyPacker(values_of=values_of)
    first, first_body = created(packer, 1, AT)
    later = [created(packer, n, datetime(2026, 1, 1, 0, n, tzinfo=UTC)) for n in range(2, 5)]
    assert first.packed_body == b"D" and first.dictionary is first_body
    assert [request.packed_body for request, _ in later] == [b"T", b"T", b"T"]
    assert [request.body for request, _ in later] == [body for _, body in later]
    # one template, shared by every later answer of the kind, holds the first answer
    template = later[0][0].dictionary
    assert isinstance(template, Template)
    assert all(request.dictionary is template for request, _ in later)
    assert template.body is first_body
    assert template.values == (f"CA{1:032x}".encode(), AT.isoformat().encode())


def test_an_answer_that_differs_in_more_than_its_values_is_compressed_as_before() -> None:
    packer = BodyPacker(values_of=values_of)
    first, first_body = created(packer, 1, AT)
    other, body = created(packer, 2, AT, to="+442079460000")
    assert other.packed_body[:1] == b"d" and other.dictionary is first.dictionary
    assert other.body == body


@pytest.mark.parametrize("values", [(), (b"", b"2026")], ids=["none", "an-empty-one"])
def test_without_usable_values_a_packer_makes_no_template(values: tuple[bytes, ...]) -> None:
    # an empty value would be put in between every byte of the answer
    packer = BodyPacker(values_of=values_of)
    body = call_json(1)
    assert packer.pack("calls.create", body, values) == (b"D", body)
    again = packer.pack("calls.create", body, values)
    assert again[0][:1] == b"d" and again[1] is body


def test_a_packer_without_values_of_makes_no_template() -> None:
    packer = BodyPacker()
    body = call_json(1)
    packer.pack("calls.create", body, (b"CA1", b"2026"))
    assert packer.pack("calls.create", body, (b"CA1", b"2026"))[0][:1] == b"d"
