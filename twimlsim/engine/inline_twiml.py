"""TwiML given inline (``Twiml`` on a call create or update) as the bytes the parser reads.

Inline TwiML reaches Twilio as a form parameter: text, already decoded from the request.
An encoding its XML declaration names (``ISO-8859-1``, ``UTF-16``) therefore describes no
bytes, and an XML parser given a string ignores it; read as bytes in that encoding, 'café'
would become 'cafÃ©'. Twilio does not document how it parses ``Twiml``; reading it as the
text it is, whatever its declaration says, is twimlsim's choice (README, Fidelity notes).
"""

from __future__ import annotations

import re

__all__ = ["inline_bytes"]

#: The encoding pseudo-attribute of a leading XML declaration (after a byte order mark).
_DECLARED_ENCODING = re.compile(r"""\A(\ufeff?<\?xml\s[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")


def inline_bytes(twiml: str) -> bytes:
    """``twiml`` in UTF-8, its XML declaration's encoding, if any, made UTF-8 to match."""
    if "encoding" in twiml[:200]:  # else no declaration names one: no regex to run
        twiml = _DECLARED_ENCODING.sub(r"\1\2UTF-8\2", twiml, count=1)
    return twiml.encode("utf-8")
