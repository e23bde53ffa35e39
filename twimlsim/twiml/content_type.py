"""Reading a webhook answer's Content-Type: its media type, its charset, and a
``text/plain`` body decoded as text."""

from __future__ import annotations

import codecs

__all__ = ["charset_of", "codec_of", "media_type", "plain_text"]


def media_type(content_type: str | None) -> str | None:
    """The lower-case media type of a Content-Type header, parameters dropped."""
    if content_type is None:
        return None
    return content_type.split(";", 1)[0].strip().lower()


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type, as written, or None."""
    for parameter in (content_type or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"') or None
    return None


def codec_of(charset: str | None) -> str:
    """Python's name of a charset; UTF-8 for none or one Python does not know."""
    try:
        return codecs.lookup(charset or "utf-8").name
    except LookupError:
        return "utf-8"


#: Byte order marks and the codecs that read them (UTF-32's first: its little-endian mark
#: starts with UTF-16's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def plain_text(data: bytes, content_type: str | None) -> str:
    """A ``text/plain`` body as text: by its byte order mark when it starts with one (as
    browsers decode text), else by the charset its Content-Type names."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    codec = codec_of(charset_of(content_type))
    return data.decode(codec, errors="replace")
