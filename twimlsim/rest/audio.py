"""Playable audio of a recording's length: silence, as WAV or MP3.

WAV is 8 kHz 16-bit PCM (one channel per recorded channel), the format of Twilio's
recordings. MP3 is a run of silent MPEG-1 Layer III frames (32 kHz, 32 kbit/s, mono,
36 ms each): every decoder plays them as silence of the recorded length.
"""

from __future__ import annotations

import io
import math
import wave
from functools import lru_cache

__all__ = ["silent_mp3", "silent_wav"]

_WAV_RATE = 8000
_MP3_FRAME_SECONDS = 1152 / 32000
# header FF FB 18 C0: MPEG-1, Layer III, no CRC, 32 kbit/s, 32 kHz, mono; then 17 bytes
# of side information that are all zero (no audio data), padded to the frame's 144 bytes.
_MP3_FRAME = bytes([0xFF, 0xFB, 0x18, 0xC0]) + bytes(140)


@lru_cache(maxsize=64)
def silent_wav(seconds: int, channels: int = 1) -> bytes:
    """A WAV file of ``seconds`` of silence."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(max(channels, 1))
        out.setsampwidth(2)
        out.setframerate(_WAV_RATE)
        out.writeframes(bytes(2 * max(channels, 1) * _WAV_RATE * max(seconds, 0)))
    return buffer.getvalue()


@lru_cache(maxsize=64)
def silent_mp3(seconds: int) -> bytes:
    """An MP3 stream of ``seconds`` of silence (rounded up to whole frames)."""
    return _MP3_FRAME * math.ceil(max(seconds, 0) / _MP3_FRAME_SECONDS)
