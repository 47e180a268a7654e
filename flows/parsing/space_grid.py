"""Tables aligned by runs of spaces (text from PDF): cells placed by screen position.

PDF text keeps a table only as screen columns, and real reports bend them in every way:
a header cell wraps onto a second line (`全年预算` over `下达数`) or a merged top cell stands
over its sub cells (`预  算  数` over `年初预算   调整后预算`); a label is spaced out to fill
its cell (`合        计`, `科    目`); a row leaves cells blank (the merged level cells of
an indicator table, a 其中 row without 序号); a long name wraps onto the next line; a page
break leaves blank lines inside the table. Counting cells reads none of these, so every cell
goes under the header column it stands under on screen, and a cell that has none is not
guessed at (no row is better than a shifted one).
"""

from __future__ import annotations

import re
from itertools import pairwise
from unicodedata import east_asian_width

from flows.parsing.grid import (
    _CLAUSE_PUNCT,
    _HEADER_WORDS,
    _ONE_SPACE,
    _PROSE_MARKS,
    _TABLE_NOTE,
    Cell,
    Grid,
    Line,
    _split_on,
    is_numeric_token,
)
from flows.parsing.labels import FIGURE_COLUMN_ROLES, column_role, is_total_name

_SPACES = re.compile(r" {2,}")
# Blank lines a page break leaves inside a table once its furniture (page number, running
# header) is removed; a table resumes only with a row that fits its header's columns.
MAX_BREAK_BLANKS = 6
# Header lines below the first: a wrapped cell's second line, or the sub cells of a merged cell.
MAX_HEADER_CONTINUATIONS = 2
MAX_WRAPPED_CHARS = 30  # the wrapped tail of a name or a level label, never a sentence
_STARTS_NEW_LABEL = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,3}[、.](?!\d)|其中|注|备注)"
)
_UNIT_LINE = re.compile(r"^\s*(?:金额)?单位")
_TOTAL_LABEL = re.compile(r"^(?:合计|总计|小计|共计)$")
_LONE_QIZHONG = re.compile(r"^\s*其中\s*[:：]?\s*$")

Span = tuple[int, int]


def _is_letter(cell: Cell) -> bool:
    """A lone CJK character: a piece of a label spaced out to fill its cell."""
    return len(cell.text) == 1 and "\u4e00" <= cell.text <= "\u9fff" and cell.text != "无"


def _word_gap(gaps: list[int]) -> float:
    """The smallest gap that parts two cells within a run of spaced-out letters.

    Letters of one label are spread evenly over its cell; the gap to the next cell's letters
    is wider. The cut is at the widest jump (twice or more) between the sorted gaps; with no
    such jump every gap is inside one label.
    """
    ordered = sorted(set(gaps))
    best_ratio, cut = 0.0, float("inf")
    for narrow, wide in pairwise(ordered):
        ratio = wide / max(narrow, 1)
        if ratio >= 2 and ratio > best_ratio:
            best_ratio, cut = ratio, wide
    return cut


def _joined_letters(cells: list[Cell]) -> list[Cell]:
    """Runs of spaced-out letters as one cell each (`科    目` → 科目, `合        计` → 合计)."""
    if sum(1 for c in cells if _is_letter(c)) < 2:
        return cells  # the usual row: nothing spaced out
    out: list[Cell] = []
    k = 0
    while k < len(cells):
        end = k
        while end < len(cells) and _is_letter(cells[end]):
            end += 1
        if end - k < 2:
            out.append(cells[k])
            k += 1
            continue
        run = cells[k:end]
        gaps = [b.start - a.end for a, b in pairwise(run)]
        cut = _word_gap(gaps)
        piece = [run[0]]
        for cell, gap in zip(run[1:], gaps, strict=True):
            if gap >= cut:
                out.append(Cell("".join(c.text for c in piece), piece[0].start, piece[-1].end))
                piece = [cell]
            else:
                piece.append(cell)
        out.append(Cell("".join(c.text for c in piece), piece[0].start, piece[-1].end))
        k = end
    return out


def _wide_cells(ln: Line) -> list[Cell]:
    """Cells split by runs of 2+ spaces only: a line under a header or a row holds one or
    two cells, and single spaces inside them are not cell borders."""
    return _joined_letters([c for c in _split_on(ln, _SPACES) if c.text])


def space_cells(ln: Line) -> list[Cell]:
    """Cells of a space-separated row: runs of 2+ spaces, else single spaces with words merged."""
    cells = [c for c in _split_on(ln, _SPACES) if c.text]
    if len(cells) >= 3:
        return _joined_letters(cells)
    tokens = [c for c in _split_on(ln, _ONE_SPACE) if c.text]
    merged: list[Cell] = []
    for tok in tokens:
        if merged and not is_numeric_token(tok.text) and not is_numeric_token(merged[-1].text):
            merged[-1] = Cell(f"{merged[-1].text} {tok.text}", merged[-1].start, tok.end)
        else:
            merged.append(tok)
    return merged


def looks_like_space_row(text: str) -> bool:
    stripped = text.strip()
    if "\t" in text or stripped.count("|") >= 2 or len(stripped) > 400:
        return False
    tokens = stripped.split()
    if len(tokens) < 3:
        return False  # too few cells (tested first: most prose lines have no spaces)
    if _PROSE_MARKS.search(stripped):
        return False  # prose with figures, not a table row
    numeric = sum(1 for t in tokens if is_numeric_token(t))
    return numeric >= 2 and numeric >= len(tokens) / 3


def looks_like_space_header(text: str) -> bool:
    tokens = text.split()
    if len(tokens) < 3 or "\t" in text or any(is_numeric_token(t) for t in tokens):
        return False
    if any(len(t) > 14 for t in tokens) or _CLAUSE_PUNCT.search(text):
        return False
    return sum(1 for t in tokens if _HEADER_WORDS.search(t)) >= 2


def _width(text: str) -> int:
    return len(text) + sum(1 for ch in text if east_asian_width(ch) in "WF")


def display_span(cell: Cell, line: Line) -> Span:
    """The columns a cell covers on screen: a CJK (wide) character takes two columns, so
    space-aligned columns line up by display width, not by character count."""
    start = _width(line.text[: cell.start - line.start])
    return start, start + _width(line.text[cell.start - line.start : cell.end - line.start])


def _overlap(a: Span, b: Span) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def _nearest_column(span: Span, spans: list[Span]) -> int:
    """The column a cell stands under: the one it overlaps most, else the nearest on screen
    (a merged top cell is centred over its sub cells, which may reach past it)."""
    overlaps = [_overlap(span, s) for s in spans]
    best = max(range(len(spans)), key=overlaps.__getitem__)
    if overlaps[best] > 0:
        return best
    return min(range(len(spans)), key=lambda k: -overlaps[k])


def align_by_position(spans: list[Span], row: list[Cell], line: Line) -> list[Cell] | None:
    """A space-aligned row with a different number of cells than its header (a total row
    with no 序号, merged level cells left blank): each cell goes under the header column it
    overlaps on screen. Label pieces under one column are joined; None when a figure has no
    column of its own (no row is better than a row with shifted values)."""
    out: list[Cell | None] = [None] * len(spans)
    last_label: int | None = None  # the column of the label piece just placed
    for cell in row:
        lo, hi = display_span(cell, line)
        overlaps = [_overlap((lo, hi), s) for s in spans]
        best = max(range(len(spans)), key=overlaps.__getitem__)
        if overlaps[best] <= 0:
            if last_label is None or is_numeric_token(cell.text):
                return None
            best = last_label  # "合    計": a label spaced out past its header cell's width
        last_label = None if is_numeric_token(cell.text) else best
        held = out[best]
        if held is None:
            out[best] = Cell(cell.text, cell.start, cell.end)
        elif is_numeric_token(held.text) or is_numeric_token(cell.text):
            return None
        else:
            out[best] = Cell(held.text + cell.text, held.start, cell.end)
    return [c if c is not None else Cell("", line.start, line.start) for c in out]


def _header_continuation(ln: Line) -> list[Cell] | None:
    """Cells of a line that continues the header above it: short labels, no figures."""
    text = ln.text.strip()
    if not text or "\t" in text or _CLAUSE_PUNCT.search(text) or _UNIT_LINE.match(text):
        return None
    if _STARTS_NEW_LABEL.match(text):
        return None  # a numbered or 其中 line is the first row's label, not a header's
    cells = _wide_cells(ln)
    if any(is_numeric_token(c.text) or len(c.text) > 14 for c in cells):
        return None
    if len(cells) == 1 and _TOTAL_LABEL.match(cells[0].text):
        return None  # a total row's label alone; 小计 among sub cells is a header's
    return cells


def _read_header(lines: list[Line], i: int) -> tuple[list[list[Cell]], list[Span], int]:
    """(header rows, screen span of each column, index after the header) from lines[i].

    A line below the header holding only short labels continues it: one label under a
    header cell is that cell wrapped (`全年预算` / `下达数` → 全年预算下达数); two or more are
    the sub cells of a merged top cell (`预算数` over `年初预算` `调整后预算`), read as a second
    header row. Each goes under the header cell it overlaps on screen.
    """
    top = space_cells(lines[i])
    top_spans = [display_span(c, lines[i]) for c in top]
    subs: list[list[tuple[Cell, Span]]] = [[] for _ in top]
    j = i + 1
    while j < len(lines) and j - i <= MAX_HEADER_CONTINUATIONS:
        cells = _header_continuation(lines[j])
        if cells is None:
            break
        for cell in cells:
            span = display_span(cell, lines[j])
            subs[_nearest_column(span, top_spans)].append((cell, span))
        j += 1
    split = any(len(s) >= 2 for s in subs)
    top_row: list[Cell] = []
    sub_row: list[Cell] = []
    spans: list[Span] = []
    for cell, span, below in zip(top, top_spans, subs, strict=True):
        if len(below) >= 2:
            for k, (sub, sub_span) in enumerate(below):
                top_row.append(cell if k == 0 else Cell("", sub.start, sub.start))
                sub_row.append(sub)
                spans.append(sub_span)
            continue
        if below:  # a wrapped cell: its lines joined
            (sub, sub_span), *_ = below
            cell = Cell(cell.text + sub.text, cell.start, sub.end)
            span = (min(span[0], sub_span[0]), max(span[1], sub_span[1]))
        top_row.append(cell)
        sub_row.append(Cell("", cell.end, cell.end))
        spans.append(span)
    return ([top_row, sub_row] if split else [top_row]), spans, j


def _figure_columns(header_rows: list[list[Cell]]) -> set[int]:
    """Columns whose header names a figure (an amount or a rate), by any header row."""
    return {
        k
        for row in header_rows
        for k, cell in enumerate(row)
        if cell.text and column_role(cell.text) in FIGURE_COLUMN_ROLES
    }


class _SpaceTable:
    """Rows read under one header, each cell kept under its screen column."""

    def __init__(self, header_rows: list[list[Cell]], spans: list[Span] | None) -> None:
        self.header_rows = header_rows
        self.spans = spans
        self.figure_columns = _figure_columns(header_rows) if spans else set()
        self.rows: list[list[Cell]] = []
        self.row_lines: list[Line | None] = []  # the line each row was read from
        self.sub_indent: int | None = None  # rows indented past this are under a lone 其中 line

    def open_sub_rows(self, line: Line) -> bool:
        """A lone `其中:` line under a row: the rows below it indented past that row's label
        are its sub rows (`  其中:` / `  教育费附加项目  960.00 …`), and the table goes on.
        Only indentation tells where such a list ends (the `合  计` row below is not indented)."""
        row_line = self.row_lines[-1] if self.row_lines else None
        if row_line is None or not _LONE_QIZHONG.match(line.text):
            return False
        self.sub_indent = _width(row_line.text) - _width(row_line.text.lstrip())
        return True

    def place(self, cells: list[Cell], line: Line) -> list[Cell] | None:
        """The row's cells one per header column, or None when they cannot be placed."""
        if self.spans is None or len(cells) == len(self.spans):
            return cells
        return align_by_position(self.spans, cells, line)

    def fits(self, cells: list[Cell], line: Line) -> bool:
        """A row of this table although it has few figures (an indicator row: labels, a
        target and an actual in words, then 分值 and 得分): its cells fall under the
        header's columns one each, and one at least is a figure."""
        if self.spans is None or len(cells) < 3 or not any(is_numeric_token(c.text) for c in cells):
            return False
        return self.place(cells, line) is not None

    def add(self, cells: list[Cell], line: Line) -> None:
        placed = self.place(cells, line)
        if placed is None:
            return  # a row that cannot be aligned is left out
        if self.sub_indent is not None:
            indent = _width(line.text) - _width(line.text.lstrip())
            label = next((c for c in placed if c.text and not is_numeric_token(c.text)), None)
            if indent <= self.sub_indent or label is None or is_total_name(label.text):
                self.sub_indent = None  # the list of sub rows ended
            else:
                label.sub = True
        self.rows.append(placed)
        self.row_lines.append(line)

    def continue_cells(self, line: Line) -> bool:
        """Join a line that wraps the cells of the row above (`农村改厕(无害化卫生` /
        `厕所改造)`): text only, each piece under a label column where the row above has text
        it overlaps. A numbered, 其中, total or note line starts a row of its own."""
        if self.spans is None or not self.rows or len(self.rows[-1]) != len(self.spans):
            return False
        text = line.text.strip()
        if _TABLE_NOTE.match(text) or _STARTS_NEW_LABEL.match(text) or _PROSE_MARKS.search(text):
            return False
        row, row_line = self.rows[-1], self.row_lines[-1]
        if row_line is None:
            return False
        cells = _wide_cells(line)
        targets: list[int] = []
        for cell in cells:
            span = display_span(cell, line)
            if is_numeric_token(cell.text) or len(cell.text) > MAX_WRAPPED_CHARS or is_total_name(cell.text):
                return False
            column = _nearest_column(span, self.spans)
            above = row[column] if column < len(row) else None
            if (
                column in self.figure_columns
                or above is None
                or not above.text
                or row_line.start > above.start
                or _overlap(span, display_span(above, row_line)) <= 0
            ):
                return False
            targets.append(column)
        if len(set(targets)) != len(targets):
            return False
        for cell, column in zip(cells, targets, strict=True):
            held = row[column]
            row[column] = Cell(held.text + cell.text, held.start, cell.end)
        return True


def space_block(lines: list[Line], i: int) -> tuple[Grid, int] | None:
    """A space-aligned table from lines[i]: its header (one or more lines), then its rows."""
    if looks_like_space_header(lines[i].text):
        header_rows, spans, j = _read_header(lines, i)
        if len(header_rows[0]) < 3:
            header_rows, spans, j = [], None, i
    else:
        header_rows, spans, j = [], None, i
    table = _SpaceTable(header_rows, spans)
    last = j - 1
    previous_was_row = False
    while j < len(lines):
        ln = lines[j]
        text = ln.text
        if not text.strip():
            k = j
            while k < len(lines) and not lines[k].text.strip():
                k += 1
            limit = MAX_BREAK_BLANKS if spans else 1
            if k < len(lines) and k - j <= limit and _resumes(table, lines[k]):
                j = k
                previous_was_row = False
                continue
            break
        if looks_like_space_row(text):
            table.add(space_cells(ln), ln)
        elif spans is None and looks_like_space_header(text) and len(table.rows) <= 2:
            table.rows.append(space_cells(ln))  # a header row under a caption-like first row
            table.row_lines.append(None)
        elif (cells := space_cells(ln)) and table.fits(cells, ln):
            table.add(cells, ln)
        elif previous_was_row and table.open_sub_rows(ln):
            previous_was_row = False  # nothing wraps onto a lone 其中 line
            j += 1
            continue
        elif not (previous_was_row and table.continue_cells(ln)):
            break
        previous_was_row = True
        last = j
        j += 1
    rows = [*header_rows, *table.rows]
    data_rows = sum(1 for r in rows if any(is_numeric_token(c.text) for c in r))
    if data_rows < 1 or len(rows) < 2:
        return None
    return Grid(rows=rows, start=lines[i].start, end=lines[last].end, layout="space"), last + 1


def _resumes(table: _SpaceTable, ln: Line) -> bool:
    """Whether a row after blank lines continues the table: a space row (after one blank
    line, as before), or, after a page break's blank lines, a row placed under the header."""
    if table.spans is None:
        return looks_like_space_row(ln.text)
    cells = space_cells(ln)
    if looks_like_space_row(ln.text):
        return table.place(cells, ln) is not None
    return table.fits(cells, ln)
