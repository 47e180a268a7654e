"""Find tables in report text and cut them into rows of cells, whatever the layout.

Layouts: tab-separated rows; `|`-separated rows; one cell per line (rows separated by blank
lines, a cell continuing on lines without a leading tab); rows whose cells are separated
by runs of spaces; a whole table flattened onto one line. Cells keep their character span
so every figure can point back to its source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flows.parsing.normalize import original
from flows.parsing.numbers import NUMBER, unit_in_line

_NUMERIC_TOKEN = re.compile(rf"^(?:{NUMBER})(?:%|万元|元|亿元|分)?$|^[-—–/]$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADER_WORDS = re.compile(r"预算|执行|决算|结余|支出|指标|得分|分值|项目|名称|合计|金额|序号|权重|完成")


@dataclass(slots=True)
class Cell:
    """One table cell: its text (continuation lines joined) and span in the normalised text."""

    text: str
    start: int
    end: int
    raw: str = ""  # the same cell as written (traditional characters kept), see with_originals

    @property
    def shown(self) -> str:
        """The cell as written, for output; `text` (match text) is for matching only."""
        return self.raw or self.text


@dataclass(slots=True)
class Grid:
    """A table found in the text: rows of cells, plus what stood just above it."""

    rows: list[list[Cell]]
    start: int
    end: int
    layout: str
    unit: str | None = None
    caption: str = ""
    context: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Line:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def split_lines(text: str) -> list[Line]:
    """Lines with their start offsets."""
    lines: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        lines.append(Line(raw, pos))
        pos += len(raw) + 1
    return lines


def is_numeric_token(token: str) -> bool:
    return bool(_NUMERIC_TOKEN.match(token.strip()))


def _cell(text: str, start: int) -> Cell:
    """A cell trimmed of surrounding whitespace, its span following the trim."""
    stripped = text.strip()
    offset = text.find(stripped) if stripped else 0
    return Cell(stripped, start + offset, start + offset + len(stripped))


def _split_on(line: Line, pattern: re.Pattern[str]) -> list[Cell]:
    cells: list[Cell] = []
    pos = 0
    for match in pattern.finditer(line.text):
        cells.append(_cell(line.text[pos : match.start()], line.start + pos))
        pos = match.end()
    cells.append(_cell(line.text[pos:], line.start + pos))
    return cells


_TAB = re.compile(r"\t")
_PIPE = re.compile(r"\|")
_SPACES = re.compile(r" {2,}")
_ONE_SPACE = re.compile(r"\s+")


def _is_single_leading_tab(line: str) -> bool:
    return line.lstrip(" ").startswith("\t") and line.count("\t") == 1


def _tab_block(lines: list[Line], i: int) -> tuple[Grid, int]:
    """A block of tab lines from lines[i]; returns the grid and the index after it."""
    j = i
    block: list[Line] = []
    while j < len(lines):
        text = lines[j].text
        if "\t" in text:
            block.append(lines[j])
            j += 1
            continue
        if text.strip() and block and lines[j - 1].text.strip():
            block.append(lines[j])  # continuation of the cell above (no blank line between)
            j += 1
            continue
        if not text.strip():
            # Blank lines inside a table separate rows; two tab-less lines end it.
            k = j
            while k < len(lines) and not lines[k].text.strip() and "\t" not in lines[k].text:
                k += 1
            if k < len(lines) and "\t" in lines[k].text and k - j <= 2:
                block.extend(lines[j:k])
                j = k
                continue
        break
    tab_lines = [ln for ln in block if "\t" in ln.text]
    single = sum(1 for ln in tab_lines if _is_single_leading_tab(ln.text))
    if tab_lines and single / len(tab_lines) >= 0.7:
        rows = _one_cell_per_line_rows(block)
        layout = "cell_per_line"
    else:
        rows = []
        for ln in block:
            if not ln.text.strip():
                continue
            if "\t" not in ln.text and rows:
                # A wrapped cell: append to the last non-empty cell of the previous row.
                last = next((c for c in reversed(rows[-1]) if c.text), rows[-1][-1])
                last.text = f"{last.text}{ln.text.strip()}"
                last.end = ln.end
                continue
            rows.append(_split_on(ln, _TAB))
        layout = "tab"
    grid = Grid(rows=rows, start=block[0].start, end=block[-1].end, layout=layout)
    return grid, j


def _one_cell_per_line_rows(block: list[Line]) -> list[list[Cell]]:
    """Rows separated by blank lines; each tab-led line is a cell, other lines continue it."""
    rows: list[list[Cell]] = []
    current: list[Cell] = []
    for ln in block:
        text = ln.text
        if not text.strip() and "\t" not in text:
            if current:
                rows.append(current)
                current = []
            continue
        if "\t" in text:
            tab = text.index("\t")
            current.append(_cell(text[tab + 1 :], ln.start + tab + 1))
        elif current:
            cell = current[-1]
            cell.text = f"{cell.text}{text.strip()}" if cell.text else text.strip()
            if cell.start == cell.end:
                cell.start = ln.start + (len(text) - len(text.lstrip()))
            cell.end = ln.end - (len(text) - len(text.rstrip()))
    if current:
        rows.append(current)
    return rows


def _pipe_block(lines: list[Line], i: int) -> tuple[Grid, int]:
    j = i
    rows: list[list[Cell]] = []
    while j < len(lines) and lines[j].text.count("|") >= 2:
        ln = lines[j]
        j += 1
        if _PIPE_SEPARATOR.match(ln.text):
            continue
        cells = _split_on(ln, _PIPE)
        if cells and not cells[0].text and ln.text.lstrip().startswith("|"):
            cells = cells[1:]
        if cells and not cells[-1].text and ln.text.rstrip().endswith("|"):
            cells = cells[:-1]
        rows.append(cells)
    return Grid(rows=rows, start=lines[i].start, end=lines[j - 1].end, layout="pipe"), j


def _space_cells(ln: Line) -> list[Cell]:
    """Cells of a space-separated row: runs of 2+ spaces, else single spaces with words merged."""
    cells = _split_on(ln, _SPACES)
    if len([c for c in cells if c.text]) >= 3:
        return [c for c in cells if c.text]
    tokens = [c for c in _split_on(ln, _ONE_SPACE) if c.text]
    merged: list[Cell] = []
    for tok in tokens:
        if merged and not is_numeric_token(tok.text) and not is_numeric_token(merged[-1].text):
            merged[-1] = Cell(f"{merged[-1].text} {tok.text}", merged[-1].start, tok.end)
        else:
            merged.append(tok)
    return merged


def _looks_like_space_row(text: str) -> bool:
    stripped = text.strip()
    if "\t" in text or stripped.count("|") >= 2 or len(stripped) > 400:
        return False
    if re.search(r"[。;；]|[\u4e00-\u9fff],|,[\u4e00-\u9fff]", stripped):
        return False  # prose with figures, not a table row
    tokens = stripped.split()
    numeric = sum(1 for t in tokens if is_numeric_token(t))
    return len(tokens) >= 3 and numeric >= 2 and numeric >= len(tokens) / 3


def _looks_like_space_header(text: str) -> bool:
    tokens = text.split()
    if len(tokens) < 3 or "\t" in text or any(is_numeric_token(t) for t in tokens):
        return False
    if any(len(t) > 14 for t in tokens) or re.search(r"[，。,；;]", text):
        return False
    return sum(1 for t in tokens if _HEADER_WORDS.search(t)) >= 2


def _space_block(lines: list[Line], i: int) -> tuple[Grid, int] | None:
    j = i
    rows: list[list[Cell]] = []
    while j < len(lines):
        text = lines[j].text
        if _looks_like_space_row(text) or (not rows and _looks_like_space_header(text)) or (
            rows and _looks_like_space_header(text) and len(rows) <= 2
        ):
            rows.append(_space_cells(lines[j]))
            j += 1
            continue
        if not text.strip() and j + 1 < len(lines) and _looks_like_space_row(lines[j + 1].text):
            j += 1
            continue
        break
    data_rows = sum(1 for r in rows if any(is_numeric_token(c.text) for c in r))
    if data_rows < 1 or len(rows) < 2:
        return None
    return Grid(rows=rows, start=lines[i].start, end=lines[j - 1].end, layout="space"), j


def _is_short_cell_line(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and len(stripped) <= 40 and "\t" not in text and not re.search(r"[。；;，,]$", stripped)


def _plain_cell_block(lines: list[Line], i: int) -> tuple[Grid, int] | None:
    """Header cells one per line, then each row's cells one per line (no tabs at all)."""
    header: list[Line] = []
    j = i
    while j < len(lines) and _is_short_cell_line(lines[j].text) and not is_numeric_token(lines[j].text):
        if not _HEADER_WORDS.search(lines[j].text) and not re.match(r"^(序号|单位)", lines[j].text.strip()):
            break
        header.append(lines[j])
        j += 1
    width = len(header)
    if width < 3:
        return None
    cells: list[Line] = []
    while j < len(lines):
        text = lines[j].text
        if not text.strip():
            j += 1
            continue
        if not _is_short_cell_line(text):
            break
        cells.append(lines[j])
        j += 1
    usable = len(cells) - len(cells) % width
    if usable < width or not any(is_numeric_token(c.text) for c in cells[:usable]):
        return None
    rows = [[_cell(ln.text, ln.start) for ln in header]]
    for r in range(0, usable, width):
        rows.append([_cell(ln.text, ln.start) for ln in cells[r : r + width]])
    end_line = cells[usable - 1]
    return Grid(rows=rows, start=lines[i].start, end=end_line.end, layout="plain_cells"), lines.index(end_line) + 1


def find_grids(text: str) -> list[Grid]:
    """Every table-like block in the text, in document order."""
    lines = split_lines(text)
    grids: list[Grid] = []
    i = 0
    while i < len(lines):
        text_i = lines[i].text
        grid: Grid | None = None
        nxt = i + 1
        if "\t" in text_i and text_i.strip():
            grid, nxt = _tab_block(lines, i)
        elif text_i.count("|") >= 2:
            grid, nxt = _pipe_block(lines, i)
        elif _looks_like_space_header(text_i) or _looks_like_space_row(text_i):
            found = _space_block(lines, i)
            if found:
                grid, nxt = found
        elif _is_short_cell_line(text_i) and _HEADER_WORDS.search(text_i):
            found = _plain_cell_block(lines, i)
            if found:
                grid, nxt = found
        if grid is not None and grid.rows:
            _attach_context(grid, lines, i)
            grids.append(grid)
            i = max(nxt, i + 1)
        else:
            i += 1
    return grids


def _attach_context(grid: Grid, lines: list[Line], first: int) -> None:
    """The unit line and caption just above a table (a few non-blank lines back)."""
    seen = 0
    k = first - 1
    while k >= 0 and seen < 4:
        text = lines[k].text.strip()
        k -= 1
        if not text:
            continue
        seen += 1
        grid.context.append(text)
        if grid.unit is None:
            grid.unit = unit_in_line(text)
        if not grid.caption and len(text) <= 40:
            grid.caption = text


def with_originals(grids: list[Grid], text: str, mt: str) -> list[Grid]:
    """Give every cell its original characters: grids are found on the match text."""
    if text == mt:
        return grids
    for grid in grids:
        for row in grid.rows:
            for cell in row:
                cell.raw = original(text, mt, cell.start, cell.end, cell.text)
    return grids
