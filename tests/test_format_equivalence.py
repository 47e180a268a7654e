"""The same report read from .txt, .docx, .pdf and .html yields the same figures.

Each sample in seeds/ is converted here, in tmp_path, into the other formats a report is
published in: a Word document whose tables are real Word tables, a typeset PDF with ruled
tables (Chinese text in Adobe's STSong-Light CID font, which needs no font file), and a web
page. The figures extracted from each (budget lines, disbursements, indicators and ratios:
names and values, not spans) must equal those from the .txt.

The converters below are also used by tests/test_inbox_accounting.py.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest

from flows.ingest.readers import read_document
from flows.parsing.extract import extract_document
from flows.warehouse.loader import ITEM_FIGURES

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))

# ------------------------------------------------------------------- sample layout


@dataclass(slots=True)
class Paragraph:
    text: str  # "" for a blank line


@dataclass(slots=True)
class Table:
    rows: list[list[str]]  # a cell may hold line breaks


def layout(text: str) -> list[Paragraph | Table]:
    """Paragraphs and tables of a sample text, as a person reading it sees them.

    The samples hold tables in two layouts: tab rows (cells on one line) and one cell per
    line (a line starting with a tab opens a cell, a line without one continues it, a blank
    line ends the row). Rows with only blank lines between them form one table.
    """
    lines = text.split("\n")
    blocks: list[Paragraph | Table] = []
    blanks = 0

    def add_row(cells: list[str]) -> None:
        nonlocal blanks
        if blocks and isinstance(blocks[-1], Table):
            blocks[-1].rows.append(cells)
        else:
            blocks.extend(Paragraph("") for _ in range(blanks))
            blocks.append(Table([cells]))
        blanks = 0

    i = 0
    while i < len(lines):
        line = lines[i]
        opens_cell = line.lstrip(" ").startswith("\t")
        if not line.strip() and line != "\t":
            blanks += 1
            i += 1
        elif line.count("\t") >= 2 or ("\t" in line and not opens_cell):
            add_row(line.split("\t"))
            i += 1
        elif opens_cell:
            cells: list[str] = []
            if line.startswith(" \t") and blocks and isinstance(blocks[-1], Table):
                # One sample lost the blank line before a row and the row's empty leading
                # (merged) cells: put its cells back under the columns they belong to.
                cells = [""] * (max(map(len, blocks[-1].rows)) - _cells_in_row(lines, i))
            start = i
            while i < len(lines) and (lines[i].strip() or lines[i] == "\t"):
                if i > start and lines[i].startswith(" \t"):
                    break
                if lines[i].lstrip(" ").startswith("\t"):
                    cells.append(lines[i].lstrip(" ")[1:])
                else:
                    cells[-1] += "\n" + lines[i]
                i += 1
            add_row(cells)
        else:
            blocks.extend(Paragraph("") for _ in range(blanks))
            blanks = 0
            blocks.append(Paragraph(line))
            i += 1
    return blocks


def _cells_in_row(lines: list[str], i: int) -> int:
    count = 1
    for line in lines[i + 1 :]:
        if (not line.strip() and line != "\t") or line.startswith(" \t"):
            break
        count += line.startswith("\t")
    return count


def _spans(rows: list[list[str]]) -> tuple[int, list[list[tuple[str, int]]]]:
    """Grid width, and each row's cells as (text, columns spanned).

    Word and HTML tables are rectangular: a row with fewer cells than the widest has its
    last cell span the remaining columns, as report forms do ("项目名称 | long name").
    """
    width = max(len(row) for row in rows)
    shaped = []
    for row in rows:
        cells = [(cell, 1) for cell in row]
        cells[-1] = (row[-1], width - len(row) + 1)
        shaped.append(cells)
    return width, shaped


# -------------------------------------------------------------------- converters


def to_docx(text: str, path: Path) -> Path:
    """Paragraphs as Word paragraphs (blank lines as empty ones), tables as Word tables."""
    document = docx.Document()
    for block in layout(text):
        if isinstance(block, Paragraph):
            document.add_paragraph(block.text.strip())
            continue
        width, rows = _spans(block.rows)
        table = document.add_table(rows=len(rows), cols=width)
        for row, cells in zip(table.rows, rows, strict=True):
            col = 0
            for value, span in cells:
                cell = row.cells[col]
                if span > 1:
                    cell = cell.merge(row.cells[col + span - 1])
                cell.text = value  # "\n" becomes a line break inside the cell
                col += span
    document.save(str(path))
    return path


def to_html(text: str, path: Path, encoding: str = "utf-8") -> Path:
    """A government-site page: menu and footer chrome around the report's <div>."""
    parts = [
        f'<!DOCTYPE html><html><head><meta charset="{encoding}"><title>绩效自评报告</title></head><body>',
        '<div class="header">网站首页 政务公开 信息公开</div>',
        '<div class="breadcrumb">当前位置：首页 &gt; 政务公开</div>',
        '<div class="content">',
    ]
    for block in layout(text):
        if isinstance(block, Paragraph):
            if block.text.strip():
                parts.append(f"<p>{html.escape(block.text.strip())}</p>")
            continue
        _, rows = _spans(block.rows)
        parts.append("<table>")
        for cells in rows:
            tds = "".join(
                f"<td{f' colspan={span}' if span > 1 else ''}>{html.escape(value).replace(chr(10), '<br>')}</td>"
                for value, span in cells
            )
            parts.append(f"<tr>{tds}</tr>")
        parts.append("</table>")
    parts.append('</div><div class="footer">版权所有 湘ICP备00000000号</div></body></html>')
    path.write_bytes("\n".join(parts).encode(encoding))
    return path


class Pdf:
    """A reportlab canvas writing Chinese in its built-in UnicodeCIDFont('STSong-Light'):
    a font every PDF reader knows, so nothing is embedded and no font file is needed."""

    FONT = "STSong-Light"

    def __init__(self, path: Path, size: tuple[float, float] = (595.0, 842.0)) -> None:
        from reportlab.pdfbase import pdfmetrics  # a dev dependency
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas

        pdfmetrics.registerFont(UnicodeCIDFont(self.FONT))
        self._metrics = pdfmetrics
        self.canvas = canvas.Canvas(str(path), pagesize=size)
        self.size = size
        self.font_size = 10.0
        self.canvas.setLineWidth(0.5)

    def string_width(self, text: str, size: float) -> float:
        return self._metrics.stringWidth(text, self.FONT, size)

    def set_font(self, size: float) -> None:
        self.font_size = size
        self.canvas.setFont(self.FONT, size)

    def text(self, x: float, y: float, text: str) -> None:
        self.canvas.drawString(x, y, text)

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.canvas.line(x1, y1, x2, y2)

    def show_page(self) -> None:
        self.canvas.showPage()
        self.canvas.setLineWidth(0.5)
        self.canvas.setFont(self.FONT, self.font_size)

    def save(self) -> None:
        self.canvas.save()


def needs_reportlab() -> None:
    pytest.importorskip(
        "reportlab", reason="reportlab (dev dependency) is not installed: `make` syncs it from uv.lock"
    )


_TOKEN = re.compile(r"[\x21-\x7e]+|.", re.S)  # a number or Latin word, or one character
MARGIN, BODY_SIZE, CELL_SIZE = 56.0, 10.5, 8.0


def wrap(pdf: Pdf, text: str, width: float, size: float) -> list[str]:
    """Lines of at most `width` points, breaking between characters as Chinese typesetting
    does, never inside a number."""
    lines: list[str] = []
    current = ""
    for token in _TOKEN.findall(text):
        if current and pdf.string_width(current + token, size) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current += token
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def to_pdf(text: str, path: Path) -> Path:
    """Typeset a sample on A4 pages: wrapped paragraphs, tables with every cell ruled
    (long cells wrap inside the cell; a table running off a page continues on the next)."""
    pdf = Pdf(path)
    page_width, page_height = pdf.size
    width = page_width - 2 * MARGIN
    y = page_height - MARGIN

    def new_page(size: float) -> None:
        nonlocal y
        pdf.show_page()
        pdf.set_font(size)
        y = page_height - MARGIN

    pdf.set_font(BODY_SIZE)
    for block in layout(text):
        if isinstance(block, Paragraph):
            if not block.text.strip():
                y -= BODY_SIZE * 0.6  # paragraph spacing
                continue
            for line in wrap(pdf, block.text.strip(), width, BODY_SIZE):
                if y - BODY_SIZE * 1.5 < MARGIN:
                    new_page(BODY_SIZE)
                y -= BODY_SIZE * 1.5
                pdf.text(MARGIN, y, line)
            continue
        columns, rows = _spans(block.rows)
        natural = [0.0] * columns
        for cells in rows:
            col = 0
            for value, span in cells:
                if span == 1:
                    longest = max(pdf.string_width(part, CELL_SIZE) for part in value.split("\n"))
                    natural[col] = max(natural[col], min(longest, 160.0))
                col += span
        weights = [max(n, 24.0) + 6 for n in natural]
        xs = [MARGIN]
        for weight in weights:
            xs.append(xs[-1] + width * weight / sum(weights))
        pdf.set_font(CELL_SIZE)
        leading = CELL_SIZE * 1.3
        y -= 4
        rule_top = True
        for cells in rows:
            col, placed = 0, []
            for value, span in cells:
                inner = xs[col + span] - xs[col] - 4
                lines = [ln for part in value.split("\n") for ln in wrap(pdf, part.strip(), inner, CELL_SIZE)]
                placed.append((col, lines))
                col += span
            height = max(len(lines) for _, lines in placed) * leading + 4
            if y - height < MARGIN:
                new_page(CELL_SIZE)
                rule_top = True
            if rule_top:
                pdf.line(xs[0], y, xs[-1], y)
                rule_top = False
            for col, lines in placed:
                for n, line in enumerate(lines, start=1):
                    pdf.text(xs[col] + 2, y - 2 - n * leading + 2, line)
                pdf.line(xs[col], y, xs[col], y - height)
            pdf.line(xs[-1], y, xs[-1], y - height)
            y -= height
            pdf.line(xs[0], y, xs[-1], y)
        y -= 4
        pdf.set_font(BODY_SIZE)
    pdf.save()
    return path


# ------------------------------------------------------------------------ figures

# Items are compared by what they state (the loader's ITEM_FIGURES), the report by these fields.
METADATA_FIELDS = ("fiscal_year", "department", "region", "report_kind", "title")


def figures(extraction: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """What a report says, without where it says it (spans differ between formats)."""
    found = {
        key: [tuple(item.get(f) for f in fields) for item in extraction[key]]
        for key, fields in ITEM_FIGURES.items()
    }
    found["report"] = [tuple(extraction["report"].get(f) for f in METADATA_FIELDS)]
    return found


def extract_file(path: Path) -> dict[str, Any]:
    _, extraction = extract_document(read_document(path).text)
    return extraction.to_dict()


@pytest.fixture(scope="module")
def txt_figures() -> dict[str, dict[str, list[tuple[Any, ...]]]]:
    return {seed.name: figures(extract_file(seed)) for seed in SEEDS}


# -------------------------------------------------------------------------- tests

FORMATS = {
    "docx": lambda text, path: to_docx(text, path.with_suffix(".docx")),
    "pdf": lambda text, path: to_pdf(text, path.with_suffix(".pdf")),
    "html": lambda text, path: to_html(text, path.with_suffix(".html")),
}


def test_every_sample_has_figures_to_compare(txt_figures) -> None:
    """The comparison below is not vacuous: each .txt sample yields figures."""
    for name, found in txt_figures.items():
        assert sum(len(found[k]) for k in ITEM_FIGURES) >= 3, name
        assert found["report"][0][0] is not None, name  # fiscal year


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:10])
def test_converted_sample_extracts_the_same_figures(
    tmp_path: Path, seed: Path, fmt: str, txt_figures
) -> None:
    if fmt == "pdf":
        needs_reportlab()
    path = FORMATS[fmt](seed.read_text(encoding="utf-8"), tmp_path / "converted")
    got = figures(extract_file(path))
    expected = txt_figures[seed.name]
    for key in expected:
        assert got[key] == expected[key], f"{fmt}: {key} differ from the .txt sample's"


def test_conversions_are_real_documents(tmp_path: Path) -> None:
    """Word tables in the .docx, ruled tables and a Unicode text layer in the PDF."""
    needs_reportlab()
    seed = next(s for s in SEEDS if "长沙市工业" in s.name)
    text = seed.read_text(encoding="utf-8")
    document = docx.Document(str(to_docx(text, tmp_path / "r.docx")))
    assert len(document.tables) >= 5
    assert document.tables[0].rows[0].cells[0].text == "序号"
    with pdfplumber.open(to_pdf(text, tmp_path / "r.pdf")) as pdf:
        assert len(pdf.pages) >= 5
        assert sum(len(page.find_tables()) for page in pdf.pages) >= 5
        assert "2022 年度长沙市工业和信息化局" in pdf.pages[0].extract_text()


# Merged cells: 项目 and 实际支出 span two rows, 全年预算 spans three columns.
MERGED = [  # (row, col, rowspan, colspan, text)
    (0, 0, 2, 1, "项目"),
    (0, 1, 1, 3, "全年预算"),
    (0, 4, 2, 1, "实际支出"),
    (1, 1, 1, 1, "预算批复"),
    (1, 2, 1, 1, "年中追加"),
    (1, 3, 1, 1, "小计"),
    *[(2, c, 1, 1, v) for c, v in enumerate(["基本支出", "100.00", "20.00", "120.00", "110.00"])],
    *[(3, c, 1, 1, v) for c, v in enumerate(["项目支出", "50.00", "", "50.00", "45.00"])],
]
MERGED_TEXT = (
    "项目\t全年预算\t实际支出\n"
    "项目\t预算批复\t年中追加\t小计\t实际支出\n"
    "基本支出\t100.00\t20.00\t120.00\t110.00\n"
    "项目支出\t50.00\t\t50.00\t45.00"
)


def merged_docx(path: Path) -> Path:
    document = docx.Document()
    table = document.add_table(rows=4, cols=5)
    for row, col, rowspan, colspan, value in MERGED:
        cell = table.cell(row, col)
        if rowspan > 1 or colspan > 1:
            cell = cell.merge(table.cell(row + rowspan - 1, col + colspan - 1))
        cell.text = value
    document.save(str(path))
    return path


def merged_html(path: Path) -> Path:
    rows: dict[int, list[str]] = {}
    for row, _col, rowspan, colspan, value in MERGED:
        attrs = (f" rowspan={rowspan}" if rowspan > 1 else "") + (
            f" colspan={colspan}" if colspan > 1 else ""
        )
        rows.setdefault(row, []).append(f"<td{attrs}>{value}</td>")
    body = "".join(f"<tr>{''.join(cells)}</tr>" for _, cells in sorted(rows.items()))
    path.write_text(f"<html><body><table>{body}</table></body></html>", encoding="utf-8")
    return path


def merged_pdf(path: Path) -> Path:
    needs_reportlab()
    pdf = Pdf(path)
    pdf.set_font(9)
    xs = [60.0 + 80 * c for c in range(6)]
    ys = [780.0 - 20 * r for r in range(5)]
    for row, col, rowspan, colspan, value in MERGED:
        left, right, top, bottom = xs[col], xs[col + colspan], ys[row], ys[row + rowspan]
        pdf.line(left, top, right, top)
        pdf.line(left, bottom, right, bottom)
        pdf.line(left, top, left, bottom)
        pdf.line(right, top, right, bottom)
        if value:
            pdf.text(left + 3, top - 14, value)
    pdf.save()
    return path


@pytest.mark.parametrize("make", [merged_docx, merged_html, merged_pdf], ids=["docx", "html", "pdf"])
def test_merged_cells_read_alike_in_every_format(tmp_path: Path, make) -> None:
    """A cell spanning columns comes once; a cell spanning rows is repeated in each row."""
    suffix = {"merged_docx": ".docx", "merged_html": ".html", "merged_pdf": ".pdf"}[make.__name__]
    assert read_document(make(tmp_path / f"merged{suffix}")).text == MERGED_TEXT
