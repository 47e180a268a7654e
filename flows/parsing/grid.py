"""Find tables in report text and cut them into rows of cells, whatever the layout.

Layouts: tab-separated rows; `|`-separated rows; one cell per line (rows separated by blank
lines, a cell continuing on lines without a leading tab); rows whose cells are separated
by runs of spaces; a whole table flattened onto one line. Cells keep their character span
so every figure can point back to its source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import accumulate

from flows.parsing.labels import FIGURE_COLUMN_ROLES, GLUED_HEADER_RE, column_role
from flows.parsing.normalize import original
from flows.parsing.numbers import NUMBER, SPACED_AMOUNT, unit_in_line
from flows.parsing.per_document import per_document

_NUMERIC_TOKEN = re.compile(
    rf"^(?:{NUMBER})(?:%|万元|元|亿元|分)?$|^[-—–/]$|^{SPACED_AMOUNT}\s*(?:万元|元|亿元)?$"
)
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_PROSE_MARKS = re.compile(r"[。;；]|[\u4e00-\u9fff],|,[\u4e00-\u9fff]")
_CLAUSE_PUNCT = re.compile(r"[，。,；;]")
_HEADER_WORDS = re.compile(
    r"预算|执行|决算|结余|支出|指标|得分|分值|项目|名称|合计|金额|序号|权重|完成|年初|年中|全年|实际|调整"
)


@dataclass(slots=True)
class Cell:
    """One table cell: its text (continuation lines joined) and span in the normalised text."""

    text: str
    start: int
    end: int
    raw: str = ""  # the same cell as written (traditional characters kept), see with_originals
    sub: bool = False  # names a sub row listed under a lone 其中 line (see space_grid)

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
    """Lines with their start offsets (each line starts one past the end of the previous)."""
    raws = text.split("\n")
    starts = accumulate(map(len, raws), lambda start, length: start + length + 1, initial=0)
    return list(map(Line, raws, starts))


@per_document
def is_numeric_token(token: str) -> bool:
    return bool(_NUMERIC_TOKEN.match(token.strip()))


def _cell(text: str, start: int) -> Cell:
    """A cell trimmed of surrounding whitespace, its span following the trim."""
    # The first occurrence of the stripped text is where its leading whitespace ends, so
    # the offset is that whitespace's length (no substring search needed).
    lead = text.lstrip()
    stripped = lead.rstrip()
    offset = len(text) - len(lead) if stripped else 0
    return Cell(stripped, start + offset, start + offset + len(stripped))


def _split_on(line: Line, pattern: re.Pattern[str]) -> list[Cell]:
    cells: list[Cell] = []
    pos = 0
    for match in pattern.finditer(line.text):
        cells.append(_cell(line.text[pos : match.start()], line.start + pos))
        pos = match.end()
    cells.append(_cell(line.text[pos:], line.start + pos))
    return cells


def _split_at(line: Line, separator: str) -> list[Cell]:
    """_split_on for a one-character separator (a tab, a pipe): str.split, without a regex
    match object per cell."""
    cells: list[Cell] = []
    pos = line.start
    for piece in line.text.split(separator):
        cells.append(_cell(piece, pos))
        pos += len(piece) + 1
    return cells


_NONE_WORDS = frozenset({"-", "—", "/", "无"})
_SPACES = re.compile(r" {2,}")
_ONE_SPACE = re.compile(r"\s+")


def _is_single_leading_tab(line: str) -> bool:
    return line.lstrip(" ").startswith("\t") and line.count("\t") == 1


_TABLE_NOTE = re.compile(r"^\s*(?:注|备注|说明|数据来源|资料来源)\s*\d*\s*[:：]")


def _continues_cell(previous: str, text: str) -> bool:
    """Whether a tab-less line right under a tab row continues that row's last cell.

    A note under the table ("注：上年结转资金为…") ends it; glued to the 合计 row's rate it
    would turn "95.58%" into text. A cell breaks inside text, never right after a figure,
    so a row ending in a figure is not continued either (single-cell lines of a one-cell-per-
    line form may still continue, their cells are rebuilt from content).
    """
    if _TABLE_NOTE.match(text):
        return False
    if _is_single_leading_tab(previous):
        return True
    last = previous.rsplit("\t", 1)[-1].strip()  # empty after a trailing tab: a new row may start
    return not (last and is_numeric_token(last))


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
        if text.strip() and block and lines[j - 1].text.strip() and _continues_cell(lines[j - 1].text, text):
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
        rows = _tab_rows(block)
        layout = "tab"
    grid = Grid(rows=rows, start=block[0].start, end=block[-1].end, layout=layout)
    return grid, j


def _record_end(block: list[Line], k: int, width: int) -> int | None:
    """Index of the line completing a row that starts at block[k] and spans several lines.

    A cell holding a line break splits its row over lines ("产出指标\n(50分)\t数量指标…",
    "\t可持续影\n响指标\t社会救助…"); the row is whole again once its lines hold `width` tabs,
    the tab count of the row above. A break falls inside text, never right after a number.
    """
    tabs = 0
    for m in range(k, len(block)):
        text = block[m].text
        if not text.strip():
            return None
        tabs += text.count("\t")
        if tabs == width:
            return m if m > k else None
        last_piece = text.rsplit("\t", 1)[-1].strip()
        if tabs > width or not last_piece or is_numeric_token(last_piece):
            return None
    return None


def _joined_cells(lines: list[Line]) -> list[Cell]:
    """Cells of one row spread over several lines: a line's last cell runs on into the next."""
    cells: list[Cell] = []
    for ln in lines:
        parts = _split_at(ln, "\t")
        if cells:
            head, last = parts[0], cells[-1]
            if head.text:
                if not last.text:
                    last.start = head.start
                last.text += head.text
                last.end = head.end
            parts = parts[1:]
        cells.extend(parts)
    return cells


def _tab_rows(block: list[Line]) -> list[list[Cell]]:
    """Rows of a tab table, rejoining rows whose cells hold line breaks."""
    rows: list[list[Cell]] = []
    k = 0
    while k < len(block):
        ln = block[k]
        if not ln.text.strip():
            k += 1
            continue
        if rows and ln.text.count("\t") < len(rows[-1]) - 1:
            end = _record_end(block, k, len(rows[-1]) - 1)
            if end is not None:
                rows.append(_joined_cells(block[k : end + 1]))
                k = end + 1
                continue
        if "\t" not in ln.text and rows:
            # A wrapped cell: append to the last non-empty cell of the previous row.
            last = next((c for c in reversed(rows[-1]) if c.text), rows[-1][-1])
            last.text = f"{last.text}{ln.text.strip()}"
            last.end = ln.end
        else:
            rows.append(_split_at(ln, "\t"))
        k += 1
    return rows


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
    """A block of `|` rows. Borders are decided per table, not per line.

    In a Markdown table every row starts and ends with `|`. Converters of merged-cell forms
    write an empty first cell as a leading `|` instead ("项目资金(万元)||年初预算数|…" over
    "|年度资金总额|85.00|…"): there the empty cell is real, and dropping it shifts every
    figure one column left. So a leading (trailing) `|` is a border only when every row of
    the block has one; otherwise it marks an empty cell and is kept.
    """
    j = i
    block: list[Line] = []
    while j < len(lines) and lines[j].text.count("|") >= 2:
        if not _PIPE_SEPARATOR.match(lines[j].text):
            block.append(lines[j])
        j += 1
    leading = all(ln.text.lstrip().startswith("|") for ln in block)
    trailing = all(ln.text.rstrip().endswith("|") for ln in block)
    rows: list[list[Cell]] = []
    for ln in block:
        cells = _split_at(ln, "|")
        if leading and cells and not cells[0].text:
            cells = cells[1:]
        if trailing and cells and not cells[-1].text:
            cells = cells[:-1]
        rows.append(cells)
    return Grid(rows=rows, start=lines[i].start, end=lines[j - 1].end, layout="pipe"), j


def _is_short_cell_line(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and len(stripped) <= 40 and "\t" not in text and stripped[-1] not in "。；;，,"


def _plain_cell_block(lines: list[Line], i: int) -> tuple[Grid, int] | None:
    """Header cells one per line, then each row's cells one per line (no tabs at all)."""
    header: list[Line] = []
    j = i
    while j < len(lines) and _is_short_cell_line(lines[j].text) and not is_numeric_token(lines[j].text):
        text = lines[j].text.strip()
        if (
            not _HEADER_WORDS.search(text)
            and not re.match(r"^(序号|单位)", text)
            and column_role(text) not in FIGURE_COLUMN_ROLES
        ):
            break
        header.append(lines[j])
        j += 1
    if (
        header
        and j < len(lines)
        and is_numeric_token(lines[j].text)
        and column_role(header[-1].text) not in FIGURE_COLUMN_ROLES | {"seq"}
    ):
        header.pop()  # "… 小计 / 基本支出 / 4,120.55": the last label before a figure names the first row
        j -= 1
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
    header_cells = [_cell(ln.text, ln.start) for ln in header]
    seq_at = next((k for k, c in enumerate(header_cells) if column_role(c.text) == "seq"), None)
    if (
        seq_at is not None
        and cells
        and is_numeric_token(cells[0].text)
        and (numbered := _numbered_rows(cells))
    ):
        # 序号 is a table's first column: cells above it are the caption and unit line.
        unit = next((u for u in (unit_in_line(c.text) for c in header_cells[:seq_at]) if u), None)
        return _numbered_cell_block(header_cells[seq_at:], numbered, cells, lines, unit)
    period = _row_period(cells)
    if period is not None and period[0] != width:
        # Fewer cells per row than header cells: a merged top cell spans a second header row.
        width, used = period
        cells = cells[:used]
        rows_text = [[ln.text.strip() for ln in cells[r : r + width]] for r in range(0, len(cells), width)]
        header_cells = _flattened_header(header_cells, rows_text) if width == len(header) - 1 else None
        if header_cells is None:
            return None  # rows cannot be cut safely: no rows rather than shifted ones
    usable = len(cells) - len(cells) % width
    if usable < width or not any(is_numeric_token(c.text) for c in cells[:usable]):
        return None
    rows = [header_cells]
    for r in range(0, usable, width):
        rows.append([_cell(ln.text, ln.start) for ln in cells[r : r + width]])
    end_line = cells[usable - 1]
    return Grid(rows=rows, start=lines[i].start, end=end_line.end, layout="plain_cells"), lines.index(
        end_line
    ) + 1


_SEQ_NUMBER = re.compile(r"^\d{1,3}$")


def _numbered_rows(cells: list[Line]) -> tuple[list[list[Cell]], int] | None:
    """(rows of [序号, name, figures…], cells used) of a flattened table whose rows start
    with a row number, read from the cells' content: a number followed by a label is the
    next row's 序号 (the next number in sequence), a label without one is a row without 序号
    (合计). Every row has the same number of figures; None when they do not (two rows at least)."""
    rows: list[list[Cell]] = []
    k, last_seq, used = 0, 0, 0

    def seq_number_at(at: int) -> int | None:
        if (
            at + 1 < len(cells)
            and _SEQ_NUMBER.match(cells[at].text.strip())
            and not _is_figure_line(cells[at + 1])
        ):
            number = int(cells[at].text.strip())
            return number if number == last_seq + 1 else None
        return None

    while k < len(cells):
        number = seq_number_at(k)
        seq = _cell(cells[k].text, cells[k].start) if number is not None else None
        k += seq is not None
        if k >= len(cells) or _is_figure_line(cells[k]):
            break
        name = cells[k]
        last_seq = number if number is not None else last_seq
        end = k + 1
        while end < len(cells) and _is_figure_line(cells[end]) and seq_number_at(end) is None:
            end += 1
        if end == k + 1:
            break  # a label with no figures: the text after the table
        if rows and end - k - 1 != len(rows[0]) - 2:
            return None  # rows of different widths: cut by nothing we can trust
        rows.append(
            [seq or Cell("", name.start, name.start), *(_cell(c.text, c.start) for c in cells[k:end])]
        )
        k = used = end
    return (rows, used) if len(rows) >= 2 else None


def _numbered_cell_block(
    header: list[Cell],
    numbered: tuple[list[list[Cell]], int],
    cells: list[Line],
    lines: list[Line],
    unit: str | None,
) -> tuple[Grid, int] | None:
    """A cell-per-line table with a 序号 column whose rows were cut by content (see
    _numbered_rows); a header with one cell more than the rows have is a flattened merged
    header, rebuilt only when the arithmetic fits one reading (see _flattened_header)."""
    rows, used = numbered
    if len(header) < 3:
        return None
    width = len(rows[0])
    if width == len(header) - 1:
        flat = _flattened_header(header, [[c.text for c in r] for r in rows], lead=2)
        if flat is None:
            return None
        header = flat
    elif width != len(header):
        return None
    end_line = cells[used - 1]
    grid = Grid(
        rows=[header, *rows], start=header[0].start, end=end_line.end, layout="plain_cells", unit=unit
    )
    return grid, lines.index(end_line) + 1


def _row_period(cells: list[Line]) -> tuple[int, int] | None:
    """(cells per row, cells in those rows), read from the data: each row is its name and
    then figures only, so the first two names give the period. Rows are counted while they
    keep that shape (two at least); None when the cells do not read that way."""
    labels = [k for k, ln in enumerate(cells[:64]) if not _is_figure_line(ln)]
    if len(labels) < 2 or labels[0] != 0:
        return None
    period = labels[1]
    used = 0
    while (
        used + period <= len(cells)
        and not _is_figure_line(cells[used])
        and all(_is_figure_line(ln) for ln in cells[used + 1 : used + period])
    ):
        used += period
    return (period, used) if period > 1 and used >= 2 * period else None


def _is_figure_line(line: Line) -> bool:
    return is_numeric_token(line.text) or line.text.strip() in _NONE_WORDS


def _flattened_header(header: list[Cell], rows: list[list[str]], lead: int = 1) -> list[Cell] | None:
    """One header row from a two-row header flattened into one cell per line.

    "支出类型 / 全年预算 / 实际支出 / 结余 / 预算执行率 / 年初预算 / 调整预算 / 小计": the top row's
    cells, then the sub cells of the one top cell that spans them. Which top cell spans and
    how many sub cells there are is not written anywhere, so every split is tried and kept
    only when the rows' arithmetic (年初 + 追加 = 全年, 全年 − 实际 = 结余, 实际 ÷ 全年 = 率) holds
    for it and for no other split.
    """
    from flows.parsing.arithmetic import identities_hold  # noqa: PLC0415 - it builds on this module

    fits: list[list[Cell]] = []
    for n_sub in range(2, len(header) - lead):
        top, sub = header[: len(header) - n_sub], header[len(header) - n_sub :]
        for spanning in range(lead, len(top)):
            flat = top[:spanning] + sub + top[spanning + 1 :]
            roles = [column_role(c.text) for c in flat[lead:]]
            if None in roles or len(set(roles)) < len(roles):
                continue
            if all(identities_hold(dict(zip(roles, row[lead:], strict=True))) for row in rows):
                fits.append(flat)
    return fits[0] if len(fits) == 1 else None


def _header_tokens(cells: list[Cell]) -> tuple[int, int] | None:
    """(label columns, figure columns) when cells read as a budget header: labels first."""
    roles = [column_role(c.text) for c in cells]
    figures = [r in FIGURE_COLUMN_ROLES for r in roles]
    if sum(figures) < 2 or None in roles:
        return None
    lead = figures.index(True)
    if not all(figures[lead:]):
        return None  # a label column after the figures: rows cannot be cut by count
    return lead, len(cells) - lead


def _one_line_grid(ln: Line) -> Grid | None:
    """A whole table on one line, cells split by single spaces (序号 项目 年初预算 … 1 人员经费 …).

    The header gives the number of figures per row, so rows are cut by counting: an
    optional row number, the name (its words), then exactly that many figures.
    """
    if ln.text.count(" ") < 5 or _PROSE_MARKS.search(ln.text):
        return None
    tokens = [c for c in _split_on(ln, _ONE_SPACE) if c.text]
    first_number = next((i for i, c in enumerate(tokens) if is_numeric_token(c.text)), None)
    if first_number is None or first_number < 3:
        return None
    # Without a 序号 column, the first row's name stands before the first figure too.
    header_end = max(
        (i + 1 for i in range(first_number) if column_role(tokens[i].text) in FIGURE_COLUMN_ROLES), default=0
    )
    header, caption = _caption_split(tokens[:header_end])
    shape = _header_tokens(header) if header else None
    if shape is None:
        return None
    lead, n_figures = shape
    has_seq = column_role(header[0].text) == "seq"
    rows: list[list[Cell]] = [header]
    k = header_end
    while k < len(tokens):
        seq: Cell | None = None
        if has_seq and re.fullmatch(r"\d{1,3}", tokens[k].text):
            seq, k = tokens[k], k + 1
        words: list[Cell] = []
        while k < len(tokens) and not is_numeric_token(tokens[k].text):
            words.append(tokens[k])
            k += 1
        figures = tokens[k : k + n_figures]
        if not words or len(figures) < n_figures or not all(is_numeric_token(c.text) for c in figures):
            return None  # the line does not split evenly: not a table we can read safely
        k += n_figures
        name = Cell(" ".join(w.text for w in words), words[0].start, words[-1].end)
        label_cells = ([seq or Cell("", name.start, name.start)] if has_seq else []) + [name]
        if len(label_cells) != lead:
            return None
        rows.append(label_cells + figures)
    if len(rows) < 2:
        return None
    unit = next((u for u in (unit_in_line(c.text) for c in caption) if u), None)
    return Grid(rows=rows, start=header[0].start, end=ln.end, layout="one_line", unit=unit)


def _caption_split(tokens: list[Cell]) -> tuple[list[Cell], list[Cell]]:
    """(header, caption) of the words before a one-line table's first figure.

    The table's title and unit may run into the header on the same line ("表1 2023年部门
    预算执行情况表 单位:万元 项目 年初预算 …"): the header is the longest tail of the words
    that reads as a header and starts with a label column (项目, 序号); the rest is caption.
    The shortest such tail: a caption word may read as a label too ("单位:万元").
    """
    for start in range(len(tokens) - 3, -1, -1):
        if column_role(tokens[start].text) not in {"seq", "name"} or _header_tokens(tokens[start:]) is None:
            continue
        if start > 0 and column_role(tokens[start - 1].text) == "seq":
            start -= 1  # 序号 项目 …: the row number column belongs to the header
        return tokens[start:], tokens[:start]
    return [], tokens


_WHITESPACE = re.compile(r"\s")
# The run of figures ends in a digit, a % or a "-" (a rate cell meaning "none").
_GLUED_ROW = re.compile(r"^(?P<name>\S*?\D)(?P<tail>[\d,.%\-]*\d(?:%|-)?)$")


def _glued_header(ln: Line) -> list[Cell] | None:
    """A header whose cells ran together: the line is nothing but known header labels."""
    text = ln.text.strip()
    if not text or len(text) > 80 or _WHITESPACE.search(text):
        return None
    if not GLUED_HEADER_RE.match(text):
        return None  # labels must cover the line from its first character (most lines fail here)
    offset = ln.start + ln.text.find(text)
    cells = [Cell(m.group(0), offset + m.start(), offset + m.end()) for m in GLUED_HEADER_RE.finditer(text)]
    if "".join(c.text for c in cells) != text or len(cells) < 3 or _header_tokens(cells) is None:
        return None
    return cells


def _glued_block(lines: list[Line], i: int) -> tuple[Grid, int] | None:
    """Header and rows scraped with no separators ("1人员经费1200.00300.00…96.67%").

    Rows are cut into the row number, the name and the run of figures; the figures are
    split later by the row's arithmetic (arithmetic.split_glued_row).
    """
    header = _glued_header(lines[i])
    if header is None:
        return None
    has_seq = column_role(header[0].text) == "seq"
    rows: list[list[Cell]] = [header]
    j = i + 1
    while j < len(lines):
        ln = lines[j]
        text = ln.text.strip()
        match = _GLUED_ROW.match(text)
        if not match or not re.search(r"[\u4e00-\u9fff]", match.group("name")):
            break
        at = ln.start + ln.text.find(text)
        name, name_at = match.group("name"), at
        cells: list[Cell] = []
        expected = str(len(rows))  # rows are numbered 1, 2, 3 …; a total row is not
        if has_seq:
            numbered = name.startswith(expected) and not name[len(expected)].isdigit()
            cells.append(Cell(expected if numbered else "", at, at + (len(expected) if numbered else 0)))
            if numbered:
                name, name_at = name[len(expected) :], at + len(expected)
        cells.append(Cell(name, name_at, name_at + len(name)))
        tail_at = at + match.start("tail")
        cells.append(Cell(match.group("tail"), tail_at, tail_at + len(match.group("tail"))))
        rows.append(cells)
        j += 1
    if len(rows) < 2:
        return None
    return Grid(rows=rows, start=header[0].start, end=lines[j - 1].end, layout="glued"), j


_SLASH = re.compile(r"\s*/\s*")
_LABEL_THEN_CELLS = re.compile(r"^\s*(\S(?:.*?\S)?)\s{2,}(\S.*?)\s*$")
# A label long enough to reach its figures leaves one space before them ("宗教活动场所安全整治经费
# 136.54 / 118.06 / 86.47%"): read only when the label ends in no digit and no figure has a space.
_LABEL_THEN_TIGHT_CELLS = re.compile(r"^\s*(\S(?:.*?[^\s\d.,])?)\s+([^\s/]+(?:\s*/\s*[^\s/]+)+)\s*$")


def _slash_cells(ln: Line) -> list[Cell] | None:
    """Cells of a line "label   a / b / c": a label, a run of spaces, then cells split by '/'."""
    if " / " not in ln.text:
        return None
    match = _LABEL_THEN_CELLS.match(ln.text) or _LABEL_THEN_TIGHT_CELLS.match(ln.text)
    if match is None:
        return None
    cells = [_cell(match.group(1), ln.start + match.start(1))]
    pos = match.start(2)
    rest = match.group(2)
    for piece in _SLASH.split(rest):
        at = ln.text.find(piece, pos)
        cells.append(_cell(piece, ln.start + at))
        pos = at + len(piece)
    return cells


def _slash_block(lines: list[Line], i: int) -> tuple[Grid, int] | None:
    """A summary whose figure columns are split by slashes ("科目   预算数 / 执行数 / 执行率",
    then "基本支出   1 846.27 / 1 812.90 / 98.19%").

    The header must name a figure column in every slash cell, and each row must have a name
    and exactly as many figures as the header has figure columns: a '/' is also a none mark
    and a date separator, so nothing less reads as this layout.
    """
    header = _slash_cells(lines[i])
    if (
        header is None
        or len(header) < 3
        or any(column_role(c.text) not in FIGURE_COLUMN_ROLES for c in header[1:])
    ):
        return None
    rows = [header]
    j = i + 1
    while j < len(lines):
        cells = _slash_cells(lines[j])
        if cells is None or len(cells) != len(header) or is_numeric_token(cells[0].text):
            break
        if not all(is_numeric_token(c.text) and c.text != "/" for c in cells[1:]):
            break
        rows.append(cells)
        j += 1
    if len(rows) < 2:
        return None
    return Grid(rows=rows, start=lines[i].start, end=lines[j - 1].end, layout="slash"), j


_FORM_LABEL_START = re.compile(r"^\s*(?:项目名称|主管部门|实施单位|部门名称)\s*$")


def find_grids(text: str) -> list[Grid]:
    """Every table-like block in the text, in document order."""
    # Imported here: cell_stream builds on this module's cells and lines.
    from flows.parsing.cell_stream import plain_form_block  # noqa: PLC0415
    from flows.parsing.space_grid import looks_like_space_header, looks_like_space_row, space_block  # noqa: PLC0415

    lines = split_lines(text)
    grids: list[Grid] = []
    i = 0
    while i < len(lines):
        text_i = lines[i].text
        if not text_i.strip():
            i += 1  # a blank line starts no layout below (each needs a cell); skip the tests
            continue
        grid: Grid | None = None
        nxt = i + 1
        # Words split by whitespace: a one-line table needs 4 or more, a glued header line
        # exactly one, a space-aligned header or row 3 or more. Counted once, the count spares
        # the calls that cannot match (most lines are prose: one word, no spaces).
        words = len(text_i.split())
        if "\t" in text_i and text_i.strip():
            grid, nxt = _tab_block(lines, i)
        elif text_i.count("|") >= 2:
            grid, nxt = _pipe_block(lines, i)
        elif " / " in text_i and (slashed := _slash_block(lines, i)) is not None:
            grid, nxt = slashed
        elif words >= 4 and (one_line := _one_line_grid(lines[i])) is not None:
            grid = one_line
        elif words == 1 and (glued := _glued_block(lines, i)) is not None:
            grid, nxt = glued
        elif words >= 3 and (looks_like_space_header(text_i) or looks_like_space_row(text_i)):
            found = space_block(lines, i)
            if found:
                grid, nxt = found
        elif _is_short_cell_line(text_i) and (
            _HEADER_WORDS.search(text_i) or _FORM_LABEL_START.match(text_i)
        ):
            found = plain_form_block(lines, i) or _plain_cell_block(lines, i)
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
