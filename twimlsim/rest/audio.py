"""Playable audio of a recording's length: silence, as WAV or MP3.

WAV is 8 kHz 16-bit PCM (one channel per recorded channel), the format of Twilio's
recordings. MP3 is a run of silent MPEG-1 Layer III frames (32 kHz, 32 kbit/s, mono,
36 ms each): every decoder plays them as silence of the recorded length.

Audio is described, not built: ``SilentAudio`` knows its size and produces any span of
its bytes on demand, so serving a four-hour recording (230 MB of WAV) costs memory for
the piece being sent, not for the whole file.
"""

from __future__ import annotations

import io
import math
import struct
from collections.abc import Iterator
from dataclasses import dataclass

from werkzeug.wrappers import Response

__all__ = ["MediaResponse", "SilentAudio", "silent_mp3", "silent_wav"]

_WAV_RATE = 8000
_MP3_FRAME_SECONDS = 1152 / 32000
# header FF FB 18 C0: MPEG-1, Layer III, no CRC, 32 kbit/s, 32 kHz, mono; then 17 bytes
# of side information that are all zero (no audio data), padded to the frame's 144 bytes.
_MP3_FRAME = bytes([0xFF, 0xFB, 0x18, 0xC0]) + bytes(140)
#: Bytes produced at a time when the audio is sent piece by piece.
CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class SilentAudio:
    """A file of silence: ``header``, then ``unit`` repeated ``count`` times.

    ``unit`` is one second of WAV samples (all zero) or one MP3 frame. Any span of the
    file's bytes is produced from these on demand (``read``, ``chunks``, ``open``)."""

    content_type: str
    header: bytes
    unit: bytes
    count: int
    #: ``unit`` is all zero bytes (WAV silence).
    zeros: bool = False

    @property
    def size(self) -> int:
        """The file's length in bytes (its ``Content-Length``)."""
        return len(self.header) + len(self.unit) * self.count

    def read(self, offset: int, length: int) -> bytes:
        """The file's bytes from ``offset``, at most ``length`` of them (fewer at its end)."""
        end = min(offset + max(length, 0), self.size)
        if offset >= end:
            return b""
        head = self.header[offset:end]
        start = max(offset - len(self.header), 0)
        wanted = end - offset - len(head)
        if not wanted:
            return head
        unit = self.unit
        if self.zeros:  # any span of zeros is zeros
            return head + bytes(wanted)
        within = start % len(unit)
        repeats = (within + wanted + len(unit) - 1) // len(unit)
        return head + (unit * repeats)[within : within + wanted]

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        """The file's bytes, ``size`` at a time."""
        for offset in range(0, self.size, size):
            yield self.read(offset, size)

    def whole(self) -> bytes:
        """The whole file, built in memory (what ``chunks`` yields, joined)."""
        return self.read(0, self.size)

    def open(self) -> io.BufferedReader:
        """The file as a readable binary stream, produced as it is read."""
        return io.BufferedReader(_AudioReader(self), CHUNK)


class _AudioReader(io.RawIOBase):
    """``SilentAudio`` read from the start, as a raw stream."""

    def __init__(self, audio: SilentAudio) -> None:
        self._audio = audio
        self._offset = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        piece = self._audio.read(self._offset, len(buffer))
        buffer[: len(piece)] = piece
        self._offset += len(piece)
        return len(piece)


def silent_wav(seconds: int, channels: int = 1) -> SilentAudio:
    """A WAV file of ``seconds`` of silence (the header Python's ``wave`` writes)."""
    channels = max(channels, 1)
    second = bytes(2 * channels * _WAV_RATE)
    data = len(second) * max(seconds, 0)
    header = b"RIFF" + struct.pack("<I", 36 + data) + b"WAVE"
    header += b"fmt " + struct.pack(
        "<IHHIIHH", 16, 1, channels, _WAV_RATE, 2 * channels * _WAV_RATE, 2 * channels, 16
    )
    header += b"data" + struct.pack("<I", data)
    return SilentAudio("audio/x-wav", header, second, max(seconds, 0), zeros=True)


def silent_mp3(seconds: int) -> SilentAudio:
    """An MP3 stream of ``seconds`` of silence (rounded up to whole frames)."""
    frames = math.ceil(max(seconds, 0) / _MP3_FRAME_SECONDS)
    return SilentAudio("audio/mpeg", b"", _MP3_FRAME, frames)


class MediaResponse(Response):
    """The answer carrying ``audio``: sent piece by piece, with its ``Content-Length``."""

    def __init__(self, audio: SilentAudio) -> None:
        super().__init__(audio.chunks(), 200, content_type=audio.content_type)
        self.headers["Content-Length"] = str(audio.size)
        self.audio = audio
