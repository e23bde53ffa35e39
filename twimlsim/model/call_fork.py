"""What a live call's forks share: a media stream, a real-time transcription, a SIPREC
session (Twilio's Stream, Transcription and Siprec resources) are ``in-progress`` until
stopped, once, by the app, their TwiML or the call's end."""

from __future__ import annotations

from datetime import datetime

__all__ = ["StoppedOnce"]


class StoppedOnce:
    """``status`` from ``stopped_at``, and ``stop()``; the dataclass mixing it in holds
    the two instants as fields."""

    __slots__ = ()

    stopped_at: datetime | None
    updated_at: datetime

    @property
    def status(self) -> str:
        """``in-progress`` or ``stopped``, as Twilio's resources say."""
        return "in-progress" if self.stopped_at is None else "stopped"

    def stop(self, now: datetime) -> None:
        """Stop it now (once)."""
        if self.stopped_at is None:
            # the slots are the dataclass's, which mypy does not see from here
            self.stopped_at = now  # type: ignore[misc]
            self.updated_at = now  # type: ignore[misc]
