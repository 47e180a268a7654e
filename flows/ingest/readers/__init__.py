"""Document readers: turn one input file into plain text, or refuse it with a reason.

`read_document` picks the reader from the file extension (after sniffing the first bytes
for files that lie about their type), enforces the size limit before anything is read and
raises `QuarantineError` for every file that cannot be read safely, so the flow can
quarantine it with `reason` and tell a person what to do from `detail`.

All readers return the same layout: paragraphs one per line, table rows as tab-separated
cells, a blank line between blocks. Merged table cells read alike in .docx, .html and .pdf:
a cell spanning columns comes once, a cell spanning rows is repeated in every row it covers.
Plain text is returned as written (newlines normalised). Pure functions: no Prefect, no DuckDB.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .base import DocumentText, QuarantineError
from .html import read_html
from .legacy import read_legacy_word
from .office import read_docx, read_xlsx
from .pdf import read_pdf
from .text import decode_text, read_txt

__all__ = ["DocumentText", "QuarantineError", "decode_text", "read_document"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

Reader = Callable[[Path], DocumentText]
_READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".docx": read_docx,
    ".xlsx": read_xlsx,
    ".pdf": read_pdf,
    ".html": read_html,
    ".htm": read_html,
    ".shtml": read_html,
    ".doc": read_legacy_word,
    ".wps": read_legacy_word,
}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office binary, or encrypted OOXML


def read_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> DocumentText:
    """Read `path` into a DocumentText or raise QuarantineError."""
    path = Path(path)
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        raise QuarantineError(
            "unsupported_type",
            f"{path.name}: files of type {suffix or '(no extension)'} are not read; "
            f"supported: {', '.join(sorted(_READERS))}",
        )
    size = path.stat().st_size
    if size > max_bytes:
        raise QuarantineError(
            "too_large",
            f"{path.name} is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:.1f} MB limit; "
            "split it or remove embedded images, or raise the limit for this run",
        )
    if size == 0:
        raise _empty(path)
    result = _sniffed_reader(path, suffix, reader)(path)
    if not result.text.strip():
        raise _empty(path)
    return result


def _sniffed_reader(path: Path, suffix: str, reader: Reader) -> Reader:
    """Correct for files whose content contradicts their extension.

    Download portals often serve a .docx named .doc, or a Word "web page" named .doc;
    both are read directly instead of being sent to a converter. A legacy binary (or a
    password-protected) Office file named .docx/.xlsx is refused with a clear reason.
    """
    with path.open("rb") as handle:
        head = handle.read(512)
    if suffix in (".doc", ".wps"):
        if head.startswith(_ZIP_MAGIC):
            return read_docx
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith((b"<html", b"<!doctype html")):
            return read_html
    if suffix in (".docx", ".xlsx") and head.startswith(_OLE_MAGIC):
        raise QuarantineError(
            "legacy_format",
            f"{path.name} is named {suffix} but is a legacy binary Office file (or a "
            f"password-protected one); rename it to {suffix[:-1]} or open it and save it as "
            f"{suffix} without a password",
        )
    return reader


def _empty(path: Path) -> QuarantineError:
    return QuarantineError(
        "empty",
        f"{path.name} contains no text; check that the right file was uploaded "
        "(and not a blank template or a failed download)",
    )
