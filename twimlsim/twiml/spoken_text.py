"""The text a TwiML element holds: an element's own text, and the words a ``<Say>`` speaks
through its SSML children."""

from __future__ import annotations

from lxml import etree

__all__ = ["own_text", "spoken_text"]


def own_text(el: etree._Element) -> str:
    """An element's own text: its text and its children's tails, joined and stripped."""
    parts = [str(el.text or "")]
    parts.extend(str(child.tail or "") for child in el)
    return "".join(parts).strip()


#: SSML elements that end a word whatever surrounds them: a pause, a paragraph, a sentence.
_SSML_BREAKS = frozenset({"break", "p", "s"})


def spoken_text(say: etree._Element, *, aliases: bool) -> str:
    """The words a ``<Say>`` speaks: its text and its SSML descendants' text, whitespace
    collapsed. An SSML element's edge between two letters or digits is a word boundary
    (``Hi<emphasis>there</emphasis>`` says "Hi there", as twilio-python's builder writes
    ``say.emphasis(...)`` straight after the text), but not before punctuation
    (``<emphasis>world</emphasis>!`` stays "world!"); ``<break>``, ``<p>`` and ``<s>``
    always end a word. (How Twilio's speech engines read an inline element written
    mid-word is not documented: twimlsim reports the words a listener would write down.)

    With ``aliases`` (a voice that reads SSML) a ``<sub>`` with an ``alias`` speaks the
    alias in place of its text: Twilio's TwiML schema describes the attribute as the word
    to "substitute ... for selected text such as an acronym or abbreviation", as SSML and
    Amazon Polly define ``<sub>``. A basic voice (``man``, ``woman``, ``alice``), which
    reads no SSML (Twilio's 13513 page), says the text: a choice, UNCONFIRMED.
    """
    if len(say) == 0:  # plain text, the usual case
        return " ".join(str(say.text or "").split())
    parts = [str(say.text or "")]

    def add(text: str | None) -> None:
        if not text:
            return
        if parts[-1][-1:].isalnum() and text[0].isalnum():
            parts.append(" ")
        parts.append(text)

    def walk(element: etree._Element) -> None:
        for child in element:
            alias = child.get("alias") if aliases and child.tag == "sub" else None
            if alias is not None and alias.strip():
                add(alias)
                add(child.tail)
                continue
            breaks = child.tag in _SSML_BREAKS
            if breaks:
                parts.append(" ")
            add(child.text)
            walk(child)
            if breaks:
                parts.append(" ")
            add(child.tail)

    walk(say)
    return " ".join("".join(parts).split())
