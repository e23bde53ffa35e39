"""What ran of each TwiML document a call was served: the documents, and each top-level
verb's span of virtual time.

The transcript says what the far end heard; the trace says which verbs produced it and
when each began and ended, which is what a timeline draws and what path coverage counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from twimlsim.twiml import nodes

__all__ = ["ServedDocument", "VerbRun"]


@dataclass(slots=True, eq=False)
class ServedDocument:
    """A document a call ran: the URL it came from (None for inline ``Twiml`` and Twilio's
    own application-error document), when it began, and the parsed document itself."""

    url: str | None
    at: datetime
    document: nodes.Response

    @property
    def verbs(self) -> tuple[nodes.Node, ...]:
        """The document's top-level verbs, in order."""
        return self.document.children


@dataclass(slots=True, eq=False)
class VerbRun:
    """One top-level verb as it ran: its position in ``served``, its virtual start, and its
    end (None while it runs). A verb cut short by a hang-up ends at the hang-up.
    ``call.transcript[events_from:events_to]`` are the events it produced."""

    served: ServedDocument
    index: int
    started: datetime
    events_from: int
    ended: datetime | None = field(default=None)
    events_to: int | None = field(default=None)

    @property
    def verb(self) -> nodes.Node:
        """The TwiML node that ran."""
        return self.served.document.children[self.index]

    @property
    def tag(self) -> str:
        """The verb's name (``Say``, ``Gather``...)."""
        return self.verb.tag
