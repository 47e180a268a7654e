"""Shared result and error types for the readers, plus the text-layout helpers.

Every reader returns the same layout so the parser does not care where text came from:
paragraphs one per line, each table row one line of tab-separated cells, and a blank
line between blocks (a table, a sheet, a run of paragraphs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

REASONS = frozenset(
    {
        "empty",
        "too_large",
        "undecodable",
        "unsupported_type",
        "corrupt",
        "scanned_pdf",
        "unsafe_archive",
        "legacy_format",
        "timeout",
    }
)


@dataclass(slots=True, frozen=True)
class DocumentText:
    """What a reader got out of one file."""

    text: str
    source_format: str  # txt | docx | pdf | html | xlsx | doc
    encoding: str | None = None  # only for byte-decoded formats (txt, html)


class QuarantineError(Exception):
    """The file cannot be read safely; it goes to quarantine instead of the warehouse.

    `reason` is a short machine code (see `REASONS`) for grouping and alerting;
    `detail` is a sentence for the person who has to fix the file.
    """

    def __init__(self, reason: str, detail: str) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown quarantine reason {reason!r}")
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail

    def __reduce__(self):  # keep it picklable for Prefect's result persistence
        return (type(self), (self.reason, self.detail))


_CELL_SPACE = re.compile(r"\s+")
_BLANK_RUNS = re.compile(r"\n{3,}")


def clean_cell(value: object) -> str:
    """One table cell as a single line: newlines and tabs inside it would break the row."""
    if value is None:
        return ""
    return _CELL_SPACE.sub(" ", str(value)).strip()


def table_lines(rows: Iterable[Iterable[object]]) -> list[str]:
    """Rows as tab-separated lines; rows whose cells are all blank are dropped."""
    lines = []
    for row in rows:
        cells = [clean_cell(cell) for cell in row]
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def join_blocks(blocks: Iterable[Iterable[str]]) -> str:
    """Blocks of lines into the shared layout: one blank line between blocks, none at the ends."""
    parts = ["\n".join(block) for block in blocks]
    text = "\n\n".join(part for part in parts if part.strip())
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")
