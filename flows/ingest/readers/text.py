"""Plain-text decoding.

Reports arrive as UTF-8, as GBK/GB2312 (the Windows default for Chinese, read here with its
superset GB18030), or as UTF-16 ("Unicode" in Notepad), with or without a byte-order mark.
Guessing wrong silently produces mojibake that no parser can recover from, so every
candidate decoding is checked for plausibility and binary junk is refused outright.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from charset_normalizer import from_bytes

from .base import DocumentText, QuarantineError

# Codecs that consume their own BOM. UTF-32 LE comes before UTF-16 LE because its BOM
# starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 control bytes that never occur in text (tab, newlines, VT, FF and ESC are allowed).
# They are never part of a multi-byte character in UTF-8, GB18030, Big5 or Shift-JIS.
_BINARY_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r\x0b\x0c\x1b")
_MAX_BINARY_SHARE = 0.05  # share of control bytes / junk characters tolerated
_TEXT_CONTROLS = "\t\n\r\x0b\x0c\x1b"
_SAMPLE_CHARS = 500_000


def decode_text(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode raw text bytes; return (text, encoding) or raise QuarantineError("undecodable").

    Order: byte-order mark, UTF-16 without a BOM (NUL-byte pattern), strict UTF-8, the
    `declared` charset if any (e.g. an HTML <meta charset>), strict GB18030, then
    charset-normalizer's best guess. UTF-8 beats a declaration because pages labelled
    GB2312 are often re-encoded to UTF-8 by the server, while GB text is almost never valid
    UTF-8. GB2312/GBK are read as GB18030, their superset (files labelled GB2312 routinely
    hold GBK-only characters). Line endings come back as "\\n" and the BOM is dropped.

    `encoding` is a Python codec name: "utf-8-sig" / "utf-16" / "utf-32" when a BOM said
    so, "utf-16-le" / "utf-16-be" when guessed, else "utf-8", "gb18030", the declared
    charset, or whatever charset-normalizer found (e.g. "big5").
    """
    if not data:
        return "", "utf-8"
    for text, encoding in _candidates(data, _codec_name(declared)):
        if _plausible(text):
            return _normalise_newlines(text).lstrip("\ufeff"), encoding
    raise QuarantineError(
        "undecodable",
        "the file is not readable text in any known encoding (it looks like binary data); "
        "re-export it as UTF-8 text, or upload the original .docx/.pdf instead",
    )


def read_txt(path: Path) -> DocumentText:
    """Read a plain-text report with encoding detection."""
    text, encoding = decode_text(path.read_bytes())
    return DocumentText(text=text, source_format="txt", encoding=encoding)


def _candidates(data: bytes, declared: str | None):
    """Yield (text, encoding) guesses, most trustworthy first."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            # A BOM is an explicit declaration: tolerate a few bad bytes (e.g. a truncated
            # last character) and let the plausibility check refuse real junk.
            yield data.decode(encoding, errors="replace"), encoding
            return
    utf16 = _utf16_without_bom(data)
    if utf16:
        text = _strict(data, utf16)
        if text is not None:
            yield text, utf16
            return
    if _binary_share(data) > _MAX_BINARY_SHARE:
        return  # NULs and control bytes: binary, whatever a detector might claim
    for encoding in dict.fromkeys(filter(None, ("utf-8", declared, "gb18030"))):
        text = _strict(data, encoding)
        if text is not None:
            yield text, encoding
    best = from_bytes(data).best()
    if best is not None:
        yield str(best), best.encoding


def _utf16_without_bom(data: bytes) -> str | None:
    """Spot BOM-less UTF-16 by its NUL bytes.

    ASCII characters (digits, newlines, punctuation in a report) become a character byte
    plus a NUL, so NULs pile up on the odd positions for little-endian and on the even ones
    for big-endian. Text in a single-byte or GB encoding has no NULs at all.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    units = len(data) // 2
    even, odd = data[0::2].count(0), data[1::2].count(0)
    high, low = max(even, odd), min(even, odd)
    if high < 0.02 * units or low * 4 > high:
        return None
    return "utf-16-le" if odd > even else "utf-16-be"


def _codec_name(label: str | None) -> str | None:
    """Python's name for a charset label; GB2312/GBK widened to GB18030; None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "gb18030" if name in ("gb2312", "gbk") else name


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _binary_share(data: bytes) -> float:
    return (len(data) - len(data.translate(None, _BINARY_BYTES))) / len(data)


def _plausible(text: str) -> bool:
    """Reject decodings with many replacement, control or unassigned characters.

    Long texts are judged on their first and last _SAMPLE_CHARS characters to stay fast.
    """
    if len(text) > 2 * _SAMPLE_CHARS:
        text = text[:_SAMPLE_CHARS] + text[-_SAMPLE_CHARS:]
    if not text:
        return True
    junk = sum(
        1
        for ch in text
        if ch == "\ufffd" or (ch not in _TEXT_CONTROLS and unicodedata.category(ch) in ("Cc", "Cs", "Cn"))
    )
    return junk / len(text) <= _MAX_BINARY_SHARE


def _normalise_newlines(text: str) -> str:
    """CRLF (Windows) and lone CR (old Mac) line endings become "\\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
