"""PDF reader via pdfplumber.

Tables are found per page and emitted as tab-separated rows; the text outside them is
emitted as lines, interleaved with the tables by vertical position so a table stays
between the sentences around it. A PDF without a text layer (a scan) cannot be read
without OCR and is refused rather than loaded as empty.
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber

from .base import DocumentText, QuarantineError, join_blocks, table_lines

_CID = re.compile(r"\(cid:\d+\)")
_MAX_CID_SHARE = 0.3  # share of the text made of "(cid:N)" glyph codes


def read_pdf(path: Path) -> DocumentText:
    """Text lines and tables, page by page."""
    blocks: list[list[str]] = []
    has_text = False
    try:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                has_text = has_text or any(char["text"].strip() for char in page.chars)
                blocks += _page_blocks(page)
    except Exception as exc:  # pdfminer raises PDFSyntaxError, PSEOF, KeyError, ... on bad files
        raise _corrupt(path, exc) from exc
    if not has_text:
        raise QuarantineError(
            "scanned_pdf",
            f"{path.name} has no text layer (it is a scan or images only); OCR it first "
            "(e.g. `ocrmypdf --language chi_sim in.pdf out.pdf`) or upload the original document",
        )
    text = join_blocks(blocks)
    if sum(map(len, _CID.findall(text))) > _MAX_CID_SHARE * len(text):
        raise QuarantineError(
            "undecodable",
            f"{path.name} uses fonts without a Unicode map, so its text comes out as glyph "
            "codes like (cid:123); export the PDF again from the source document or OCR it",
        )
    return DocumentText(text=text, source_format="pdf")


def _page_blocks(page) -> list[list[str]]:
    """The page's text lines and tables, ordered top to bottom."""
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    items: list[tuple[float, str | list[str]]] = [
        (line["top"], line["text"]) for line in outside.extract_text_lines(strip=True)
    ]
    items += [(table.bbox[1], table_lines(_table_rows(table))) for table in tables]
    items.sort(key=lambda item: item[0])

    blocks: list[list[str]] = [[]]
    for _top, item in items:
        if isinstance(item, list):
            blocks += [item, []]
        elif item.strip():
            blocks[-1].append(item.strip())
    return blocks


def _table_rows(table) -> list[list[str]]:
    """A ruled table's rows, merged cells given as the docx reader gives them.

    pdfplumber puts a table on the grid of all its cells' edges and returns None for every
    grid position a merged cell covers beyond its first. Padding those with empty cells
    would shift a header's later labels away from the columns they name (a 全年预算 spanning
    预算批复/年中追加/小计 would be followed by two phantom columns) and leave rows below a
    vertically merged label one cell short of their meaning. So, like Word's own table model:
    a cell spanning columns is kept once, and a cell spanning rows is repeated in every row
    it covers.
    """
    values = table.extract()
    xs = sorted({cell[0] for cell in table.cells})
    text_of: dict[tuple[float, float, float, float], str] = {}
    rows: list[list[str]] = []
    for row, row_values in zip(table.rows, values, strict=True):
        top = row.bbox[1]
        line: list[str] = []
        previous = None
        for x, bbox, value in zip(xs, row.cells, row_values, strict=True):
            if bbox is not None:
                text_of[bbox] = value or ""
                line.append(value or "")
                previous = bbox
                continue
            covering = _covering_cell(table.cells, x, top)
            if covering is None:  # a hole in the ruling: keep the column
                line.append("")
                previous = None
            elif covering != previous:
                line.append(text_of.get(covering, ""))
                previous = covering
        rows.append(line)
    return rows


def _covering_cell(cells, x: float, top: float):
    """The cell whose box holds the grid position (x, top), if any."""
    px, py = x + 0.5, top + 0.5
    for cell in cells:
        if cell[0] <= px < cell[2] and cell[1] <= py < cell[3]:
            return cell
    return None


def _inside(char: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _corrupt(path: Path, exc: Exception) -> QuarantineError:
    name = type(exc).__name__
    if "Password" in f"{name} {exc!r}":  # pdfplumber wraps pdfminer's PDFPasswordIncorrect
        hint = "it is password-protected; remove the password and upload it again"
    else:
        hint = "it may be truncated or not a PDF at all; re-download or export it again"
    return QuarantineError("corrupt", f"{path.name} could not be read as PDF ({name}: {exc}); {hint}")
