"""Office Open XML readers: .docx through python-docx, .xlsx through openpyxl.

Both formats are zip archives, so `check_ooxml` vets them (zip bomb, DOCTYPE/ENTITY) before
the library opens them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import docx
import openpyxl
from docx.oxml.ns import qn
from docx.table import Table

from .archive import check_ooxml
from .base import DocumentText, QuarantineError, clean_cell, join_blocks, table_lines

_P, _TBL, _SDT, _SDT_CONTENT, _CUSTOM_XML = (
    qn("w:p"),
    qn("w:tbl"),
    qn("w:sdt"),
    qn("w:sdtContent"),
    qn("w:customXml"),
)
# Runs of a paragraph at any depth (hyperlinks, insertions, smart tags, fields), except
# those in text boxes: Word stores a text box twice (DrawingML + VML fallback).
_RUNS_XPATH = ".//w:r[not(ancestor::w:txbxContent)]"
_PERCENT_DECIMALS = re.compile(r"\.(0+)%")


def read_docx(path: Path) -> DocumentText:
    """Paragraphs and tables in document order.

    python-docx lists paragraphs and tables separately, which would move every table to
    the end; walking the body's children keeps a table between the sentences around it.
    Empty paragraphs end a block, as they do visually.
    """
    check_ooxml(path, "word/document.xml", ".docx")
    try:
        document = docx.Document(str(path))
        items = list(_body_items(document.element.body, document))
    except Exception as exc:  # python-docx/lxml raise many types on malformed parts
        raise _corrupt(path, ".docx", exc) from exc
    return DocumentText(text=join_blocks(_group(items)), source_format="docx")


def read_xlsx(path: Path) -> DocumentText:
    """Every sheet, every non-empty row as tab-separated cells; one block per sheet.

    data_only=True gives the values Excel last calculated rather than formulas.
    """
    check_ooxml(path, "xl/workbook.xml", ".xlsx")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, TypeError... on bad parts
        raise _corrupt(path, ".xlsx", exc) from exc
    try:
        blocks = [_sheet_lines(sheet) for sheet in workbook.worksheets]
    except Exception as exc:
        raise _corrupt(path, ".xlsx", exc) from exc
    finally:
        workbook.close()
    return DocumentText(text=join_blocks(blocks), source_format="xlsx")


def _body_items(container, document) -> Iterator[str | list[str]]:
    """Yield a paragraph's text ("" for an empty one) or a table's lines, in order.

    Content controls (w:sdt, e.g. a cover page) and custom XML wrappers are opened up.
    """
    for child in container.iterchildren():
        if child.tag == _P:
            yield _paragraph_text(child)
        elif child.tag == _TBL:
            yield _table_lines(Table(child, document), document)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _body_items(content, document)
        elif child.tag == _CUSTOM_XML:
            yield from _body_items(child, document)


def _paragraph_text(paragraph) -> str:
    """Text of a w:p; tabs become spaces so that tabs only ever separate table cells."""
    text = "".join(run.text for run in paragraph.xpath(_RUNS_XPATH))
    lines = (line.replace("\t", " ").strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _table_lines(table: Table, document) -> list[str]:
    """One tab-separated line per row.

    python-docx repeats a horizontally merged cell once per grid column it spans; it is
    kept once (same <w:tc>). A vertically merged cell keeps its text in every row it covers.
    """
    rows = []
    for row in table.rows:
        try:
            cells = row.cells
        except (ValueError, IndexError):  # malformed vMerge: fall back to the raw cells
            cells = None
        tcs = [cell._tc for cell in cells] if cells is not None else list(row._tr.tc_lst)
        unique = [tc for i, tc in enumerate(tcs) if i == 0 or tc is not tcs[i - 1]]
        rows.append([_cell_text(tc, document) for tc in unique])
    return table_lines(rows)


def _cell_text(tc, document) -> str:
    """All text of a cell, nested tables included, on one line."""
    parts = []
    for item in _body_items(tc, document):
        parts.append(item if isinstance(item, str) else " ".join(item))
    return clean_cell(" ".join(parts))


def _group(items: list[str | list[str]]) -> list[list[str]]:
    """Runs of paragraphs become blocks; an empty paragraph or a table ends a block."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for item in items:
        if isinstance(item, list):
            blocks += [current, item]
            current = []
        elif item:
            current.append(item)
        else:
            blocks.append(current)
            current = []
    blocks.append(current)
    return blocks


def _sheet_lines(sheet) -> list[str]:
    # Some generators write a wrong <dimension>; read_only mode would trust it and cut rows.
    sheet.reset_dimensions()
    rows = [[_cell_value(cell) for cell in row] for row in sheet.iter_rows()]
    width = max((_content_width(row) for row in rows), default=0)
    return table_lines(row[:width] + [""] * (width - len(row)) for row in rows)


def _content_width(row: list[str]) -> int:
    return max((i + 1 for i, value in enumerate(row) if value), default=0)


def _cell_value(cell) -> str:
    """A cell as Excel shows it, roughly: percentages as "99.58%", no float noise."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        number_format = getattr(cell, "number_format", None) or ""
        if "%" in number_format:
            match = _PERCENT_DECIMALS.search(number_format)
            decimals = len(match.group(1)) if match else 0
            return f"{value * 100:.{decimals}f}%"
        return f"{value:.15g}" if isinstance(value, float) else str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return clean_cell(value)


def _corrupt(path: Path, kind: str, exc: Exception) -> QuarantineError:
    return QuarantineError(
        "corrupt",
        f"{path.name} could not be read as {kind} ({type(exc).__name__}: {exc}); open it in "
        f"Office/WPS and save it again as {kind}",
    )
