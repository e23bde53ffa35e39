"""What the parser reports: `Problem` (one Twilio debugger alert) and `ParsedTwiml` (the result).

A document-level problem stops the document (`ParsedTwiml.fatal`); Twilio then requests the
fallback URL or plays the application-error message. The fatal codes are those the error
dictionary logs at ERROR level for the whole response (twilio-reference §2.3):

- 11750 body over 64 kB, 11770 empty body, 12300 invalid Content-Type;
- 12100 document parse failure (including every safety refusal: DOCTYPE, depth);
- 12101 invalid `version` on `<Response>` (fidelity choice: an ERROR-level document alert, so
  treated as fatal like 12102);
- 12102 root element is not `<Response>`;
- 13321, an invalid `voice` on a `<Say>` nested in `<Gather>`: Twilio's TwiML changelog
  says "Twilio will treat this as a failure and hit the fallback URL. Previously, we
  ignored the invalid TwiML and hit the action URL of the <Gather>" (the dictionary still
  logs it as a warning, so its level stays `warning`).

Every other problem is attached to one element and leaves the document runnable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .kinds import Level

if TYPE_CHECKING:
    from .nodes import Response

FATAL_CODES: frozenset[int] = frozenset({11750, 11770, 12100, 12101, 12102, 12300, 13321})
"""Codes that stop the whole document."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem Twilio would log for a TwiML document, with Twilio's code and level."""

    code: int
    level: Level
    message: str
    element: str | None = None
    attribute: str | None = None
    line: int | None = None

    @property
    def more_info(self) -> str:
        """Twilio's documentation page for the code."""
        return f"https://www.twilio.com/docs/errors/{self.code}"

    @property
    def fatal(self) -> bool:
        """True when this problem stops the whole document."""
        return self.code in FATAL_CODES

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "line ?"
        what = ""
        if self.element is not None:
            what = f" <{self.element}>"
            if self.attribute is not None:
                what += f" {self.attribute}"
        return f"{where}:{what} {self.level} {self.code}: {self.message} ({self.more_info})"


@dataclass(frozen=True, slots=True)
class ParsedTwiml:
    """The result of `parse_twiml`: the document (None when a fatal problem stops it) and
    every problem found, in document order."""

    document: Response | None
    problems: tuple[Problem, ...] = ()
    #: A ``text/plain`` body that is valid TwiML, run as TwiML (Twilio's TwiML changelog).
    plain_text_twiml: bool = False

    @property
    def fatal(self) -> Problem | None:
        """The problem that stops the document (see the module docstring), or None."""
        for problem in self.problems:
            if problem.fatal:
                return problem
        return None

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The error-level problems."""
        return tuple(p for p in self.problems if p.level == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The warning-level problems."""
        return tuple(p for p in self.problems if p.level == "warning")
