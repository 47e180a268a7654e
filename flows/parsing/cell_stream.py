"""Self-evaluation forms flattened to one cell per line, with nothing marking row ends.

HTML and Word forms often come out as a bare stream of cells ("项目名称 / X / 主管部门 / Y /
年初预算数 / 全年预算数 / … / 年度资金总额 / 2950.00 / …"), with merged cells simply absent
and a blank cell sometimes a blank line, sometimes nothing at all. Counting cells cannot cut
such a stream into rows, so rows are rebuilt from what the cells say:

- label / value pairs (项目名称, 主管部门 …) are two cells;
- a budget block is a header run (年初预算数 … 得分), then rows of a name and exactly one
  figure or "none" mark (`/`, `-`) per header cell;
- an indicator row ends with its 分值 and 得分 (two small numbers, the score not above the
  weight) and the deviation note; before them stand the actual, the target (or 指标性质 /
  指标值 / 度量单位, the nature being an operator or 定性), the 三级指标, and the level
  labels of merged cells (…指标) when they change.

A row that does not fit its pattern is left out: no row is better than a shifted one.
"""

from __future__ import annotations

import re

from flows.parsing.grid import Cell, Grid, Line, is_numeric_token
from flows.parsing.headers import indicator_role
from flows.parsing.labels import AMOUNT_ROLES, FIGURE_COLUMN_ROLES, ITEM_FUND_WORDS, column_role
from flows.parsing.numbers import is_none_mark, parse_cell_number, unit_in_line

_FORM_LABEL = re.compile(
    r"^(?:项目名称|专项名称|资金名称|主管部门|主管单位|预算部门|实施单位|部门名称|单位名称)$"
)
_TOTAL_SCORE = re.compile(r"^(?:总分|合计得分|总得分|自评总分|综合得分)$")
_LEVEL_CELL = re.compile(r"^[\u4e00-\u9fff]{2,10}指标$")
_LEVEL1_WORDS = frozenset({"产出指标", "效益指标", "满意度指标"})
_NATURES = frozenset({"≥", "≤", "=", ">", "<", "≠", ">=", "<=", "≧", "≦", "═", "定性", "定量"})
BUDGET_HEADER_ROLES = FIGURE_COLUMN_ROLES | {"weight", "score"}
MAX_CELL_CHARS = 80  # a deviation note may be a sentence; a cell is never a paragraph
MAX_CAPTION_LINES = 2  # 项目资金 / (万元) above a budget header, 绩效指标 above indicators
MIN_INDICATOR_HEADER = 5
# A budget row's name standing alone (上年结转资金, 其他资金, 当年财政拨款): its cells were all blank.
_ROW_LABEL_END = re.compile(rf"(?:{ITEM_FUND_WORDS}|拨款|收入)$")
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.](?!\d))"
)


def _cell(line: Line) -> Cell:
    text = line.text.strip()
    start = line.start + (len(line.text) - len(line.text.lstrip()))
    return Cell(text, start, start + len(text))


def _is_cell_line(line: Line) -> bool:
    text = line.text.strip()
    return bool(text) and "\t" not in line.text and len(text) <= MAX_CELL_CHARS


def _run(lines: list[Line], j: int, accept) -> int:
    """End of the run of cell lines from lines[j] whose text `accept` takes."""
    k = j
    while k < len(lines) and _is_cell_line(lines[k]) and accept(lines[k].text.strip()):
        k += 1
    return k


def _budget_header_at(lines: list[Line], j: int) -> tuple[int, int] | None:
    """(header start, header end) when a budget header run starts within a caption's reach."""
    start = j
    captions = 0
    while captions <= MAX_CAPTION_LINES:
        if start < len(lines) and not lines[start].text.strip():
            start += 1
            continue  # an empty cell beside the caption (项目资金(万元) | | 年初预算数 …)
        if start >= len(lines) or not _is_cell_line(lines[start]):
            return None
        end = _run(lines, start, lambda t: column_role(t) in BUDGET_HEADER_ROLES)
        if end - start >= 2 and any(
            column_role(lines[k].text.strip()) in FIGURE_COLUMN_ROLES for k in range(start, end)
        ):
            return start, end
        if unit_in_line(lines[start].text) is None:
            captions += 1  # a unit line inside the form (金额单位:元) is no caption
        start += 1
    return None


def _indicator_header_at(lines: list[Line], j: int) -> tuple[int, int] | None:
    for skip in range(MAX_CAPTION_LINES + 1):
        start = j + skip
        if start >= len(lines) or not _is_cell_line(lines[start]):
            return None
        end = _run(lines, start, lambda t: indicator_role(t) is not None)
        roles = {indicator_role(lines[k].text.strip()) for k in range(start, end)}
        if end - start >= MIN_INDICATOR_HEADER and {"level3", "weight", "score"} <= roles:
            return start, end
    return None


def _is_figure(text: str) -> bool:
    return is_numeric_token(text) or is_none_mark(text)


def _figure_run(lines: list[Line], k: int) -> int:
    """End of the run of figure cells from lines[k]."""
    while k < len(lines) and _is_cell_line(lines[k]) and _is_figure(lines[k].text.strip()):
        k += 1
    return k


def _short_row(name: Line, figures: list[Line], roles: list[str | None]) -> list[Cell] | None:
    """A row whose blank cells were left out entirely (`其中:当年财政拨款 / 320.00 / 356.00 /
    341.28`, then the next row's name), its figures placed by type, or None.

    With the blanks gone nothing says which cells they were, so only the one reading the
    form allows is taken: a `%` goes to the single rate column, and the other figures fill
    the amount columns in header order when there are exactly as many (分值/执行率/得分 left
    blank: merged cells or a total-row-only score), or every non-rate column when there are
    as many as those. Any other count is a row that does not fit.
    """
    percents = [f for f in figures if f.text.strip().endswith("%")]
    plain = [f for f in figures if not f.text.strip().endswith("%")]
    rate_at = [k for k, r in enumerate(roles) if r == "rate"]
    if percents and (len(percents) != 1 or len(rate_at) != 1):
        return None
    amount_at = [k for k, r in enumerate(roles) if r in AMOUNT_ROLES]
    other_at = [k for k, r in enumerate(roles) if r != "rate"]
    if len(plain) == len(amount_at):
        targets = amount_at
    elif len(plain) == len(other_at):
        targets = other_at
    else:
        return None
    row = [Cell("", name.end, name.end) for _ in roles]
    for k, figure in zip(targets, plain, strict=True):
        row[k] = _cell(figure)
    if percents:
        row[rate_at[0]] = _cell(percents[0])
    return [_cell(name), *row]


def _budget_rows(lines: list[Line], j: int, roles: list[str | None]) -> tuple[list[list[Cell]], int]:
    """Rows of a name and one figure per header cell each, from lines[j]; stops at the first
    misfit. A row with fewer figures, then another cell, had its blank cells left out (see
    _short_row); a name with none, before such a row, is a row of blanks (上年结转资金)."""
    width = len(roles)
    rows: list[list[Cell]] = []
    while True:
        k = j
        if k + 1 < len(lines) and not lines[k].text.strip() and _is_cell_line(lines[k + 1]):
            k += 1  # the empty first cell of a form row (the merged 项目资金 column), written as a blank line
        if k + 1 >= len(lines):
            break
        name = lines[k]
        if not _is_cell_line(name) or _is_figure(name.text.strip()):
            break
        figures = lines[k + 1 : k + 1 + width]
        if len(figures) == width and all(not f.text.strip() for f in figures):
            j = k + 1 + width  # a name over blank cells (其他资金 | | | …) states nothing
            continue
        if len(figures) == width and all(_is_cell_line(f) and _is_figure(f.text.strip()) for f in figures):
            rows.append([_cell(name), *(_cell(f) for f in figures)])
            j = k + 1 + width
            continue
        end = _figure_run(lines, k + 1)
        if end == k + 1:
            following = lines[end] if end < len(lines) else None
            if (
                following is not None
                and _is_cell_line(following)
                and _ROW_LABEL_END.search(name.text.strip())
                and _figure_run(lines, end + 1) > end + 1
            ):
                j = end  # a row of blanks left out entirely, before a row with figures
                continue
            break
        row = _short_row(name, lines[k + 1 : end], roles)
        if row is not None:
            rows.append(row)
        j = end
    return rows, j


def _points(text: str) -> float | None:
    value, suffix = parse_cell_number(text)
    return value if suffix in (None, "分") and value is not None and 0 <= value <= 100 else None


def _blank_cells_continue(lines: list[Line], j: int, width: int) -> int | None:
    """End of a run of blank lines from lines[j] when they are empty cells of the form, else None.

    Some converters write every cell on its own line, empty ones too, so merged level cells
    and a blank note make runs of blank lines inside the stream. A run shorter than a row,
    followed by another cell that is neither a heading nor a new form's label, continues it;
    a longer run, or one before a heading or a paragraph, ends the form.
    """
    end = j
    while end < len(lines) and not lines[end].text.strip():
        end += 1
    if end - j >= width or end >= len(lines) or not _is_cell_line(lines[end]):
        return None
    text = lines[end].text.strip()
    if _HEADING.match(text) or _FORM_LABEL.match(text) or _TOTAL_SCORE.match(text):
        return None
    return end


def _indicator_cells(lines: list[Line], j: int, width: int) -> tuple[list[Cell], int]:
    """The cells after an indicator header: up to the 总分 row, a paragraph or blank lines that
    are not empty cells (see _blank_cells_continue). A single blank line is an empty cell."""
    cells: list[Cell] = []
    while j < len(lines):
        line = lines[j]
        if not line.text.strip():
            if j + 1 >= len(lines):
                break
            if not lines[j + 1].text.strip():
                end = _blank_cells_continue(lines, j, width)
                if end is None:
                    break
                cells.extend(Cell("", ln.start, ln.start) for ln in lines[j:end])
                j = end
                continue
            cells.append(Cell("", line.start, line.start))
        elif not _is_cell_line(line) or _TOTAL_SCORE.match(line.text.strip()):
            break
        else:
            cells.append(_cell(line))
        j += 1
    return cells, j


def _anchors(cells: list[Cell]) -> list[int]:
    """Indices of each row's 分值 cell: 分值 and 得分 are two points in a row (得分 ≤ 分值),
    and the cell after them is not a number (a run "actual 12 12" keeps the last pair)."""
    out: list[int] = []
    k = 0
    while k + 1 < len(cells):
        weight, score = _points(cells[k].text), _points(cells[k + 1].text)
        after = cells[k + 2].text if k + 2 < len(cells) else ""
        if (
            weight is not None
            and score is not None
            and score <= weight
            and parse_cell_number(after)[0] is None
        ):
            out.append(k)
            k += 2
            continue
        k += 1
    return out


def _joined_levels(cells: list[Cell]) -> list[Cell]:
    """Level labels broken across lines (`社会效` / `益指标`) joined: a piece that is no level
    label alone, and with the piece before it makes one."""
    out: list[Cell] = []
    for cell in cells:
        if (
            out
            and not _LEVEL_CELL.match(cell.text)
            and not _LEVEL_CELL.match(out[-1].text)
            and _LEVEL_CELL.match(out[-1].text + cell.text)
        ):
            out[-1] = Cell(out[-1].text + cell.text, out[-1].start, cell.end)
        else:
            out.append(cell)
    return out


def _level_cells(cells: list[Cell], at: int) -> list[Cell] | None:
    """[level1, level2] from the merged level labels (产出指标 / 数量指标) before a 三级指标,
    blank cells for the ones not repeated; None when a cell there is no level label."""
    if len(cells) > 2 or not all(_LEVEL_CELL.match(c.text) for c in cells):
        return None
    blank = Cell("", at, at)
    if len(cells) == 1:
        return [cells[0], blank] if cells[0].text in _LEVEL1_WORDS else [blank, cells[0]]
    return cells if cells else [blank, blank]


def _target_cells(segment: list[Cell], roles: list[str]) -> tuple[int, list[Cell]] | None:
    """(index of the 三级指标 cell, the target cells in header order) of a row's segment
    (the cells before its 分值, ending with the actual)."""
    if "nature" not in roles:
        width = len(roles)  # target cells + actual, one cell each
        if len(segment) < width + 1:
            return None
        return len(segment) - width - 1, segment[-width:-1]
    nature_at = next((i for i in range(len(segment) - 2, 0, -1) if segment[i].text in _NATURES), None)
    if nature_at is None:
        return None
    middle = segment[nature_at + 1 : -1]  # 指标值 and 度量单位; a blank unit may be absent
    if not 1 <= len(middle) <= 2:
        return None
    value = middle[0]
    unit = middle[1] if len(middle) == 2 else Cell("", value.end, value.end)
    by_role = {"nature": segment[nature_at], "target": value, "unit": unit}
    return nature_at - 1, [by_role[r] for r in roles[:-1]]


def _indicator_rows(cells: list[Cell], header_roles: list[str]) -> list[list[Cell]]:
    """Rows in header order, rebuilt around each row's 分值/得分 anchor."""
    level3 = header_roles.index("level3")
    weight = header_roles.index("weight")
    if level3 > 2 or header_roles[weight + 1 : weight + 2] != ["score"]:
        return []
    middle_roles = header_roles[level3 + 1 : weight]  # target parts, then the actual
    has_note = "note" in header_roles[weight:]
    rows: list[list[Cell]] = []
    start = 0
    previous: list[Cell] | None = None
    for anchor in _anchors(cells):
        segment = cells[start:anchor]
        start = anchor + 2
        found = (
            _target_cells(segment, middle_roles) if middle_roles and middle_roles[-1] == "actual" else None
        )
        if found is None or found[0] < 0:
            previous = None
            continue
        name_at, targets = found
        left = _joined_levels(segment[:name_at])
        if has_note and previous is not None and left and not _LEVEL_CELL.match(left[0].text):
            previous.append(left[0])  # the previous row's deviation note
            left = left[1:]
        name = segment[name_at]
        levels = _level_cells([c for c in left if c.text], name.start)  # blank merged cells say nothing
        if levels is None or not name.text or is_numeric_token(name.text) or name.text in _NATURES:
            previous = None
            continue
        row = [*levels[2 - level3 :], name, *targets, segment[-1], cells[anchor], cells[anchor + 1]]
        rows.append(row)
        previous = row if has_note else None
    if previous is not None and start < len(cells):
        previous.append(cells[start])
    return rows


def plain_form_block(lines: list[Line], i: int) -> tuple[Grid, int] | None:
    """A form flattened to one cell per line, from lines[i]; None when it is not one."""
    if i + 1 >= len(lines) or not _is_cell_line(lines[i + 1]):
        return None  # a stream has cells on consecutive lines; a heading stands alone (cheap test)
    rows: list[list[Cell]] = []
    unit: str | None = None
    j = i
    if not _FORM_LABEL.match(lines[i].text.strip()):
        # The form's caption lines ("附件:项目支出绩效自评表" / "2022年度项目支出绩效自评表") stay prose.
        reach = range(i + 1, min(i + 1 + MAX_CAPTION_LINES, len(lines)))
        label = next((k for k in reach if _FORM_LABEL.match(lines[k].text.strip())), None)
        if label is not None and all(_is_cell_line(lines[k]) for k in range(i, label)):
            j = i = label
    while j < len(lines):
        line = lines[j]
        if not line.text.strip():
            if not rows or j + 1 >= len(lines) or not lines[j + 1].text.strip():
                break  # two blank lines end the form
            j += 1
            continue
        text = line.text.strip()
        if _FORM_LABEL.match(text) and j + 1 < len(lines) and _is_cell_line(lines[j + 1]):
            rows.append([_cell(line), _cell(lines[j + 1])])
            j += 2
            continue
        if (budget := _budget_header_at(lines, j)) is not None:
            start, end = budget
            # "金额单位：元" between the form's labels and its budget header holds for the figures.
            unit = unit or next((u for u in (unit_in_line(ln.text) for ln in lines[j:start]) if u), None)
            header = [
                Cell("", lines[start].start, lines[start].start),
                *(_cell(ln) for ln in lines[start:end]),
            ]
            body, j = _budget_rows(lines, end, [column_role(c.text) for c in header[1:]])
            if not body:
                break
            rows.extend([header, *body])
            continue
        if (indicator := _indicator_header_at(lines, j)) is not None:
            start, end = indicator
            header = [_cell(ln) for ln in lines[start:end]]
            roles = [indicator_role(c.text) or "" for c in header]
            cells, j = _indicator_cells(lines, end, end - start)
            body = _indicator_rows(cells, roles) if roles.index("level3") < roles.index("weight") else []
            if not body:
                break
            rows.extend([header, *body])
            continue
        if _TOTAL_SCORE.match(text):
            figures = _run(lines, j + 1, is_numeric_token)
            rows.append([_cell(ln) for ln in lines[j:figures]])
            j = figures
        break
    if not any(any(is_numeric_token(c.text) for c in r) for r in rows):
        return None  # label pairs and headers only: not a form this reader understood
    end_line = max((c.end for r in rows for c in r), default=lines[i].start)
    return Grid(rows=rows, start=lines[i].start, end=end_line, layout="cell_stream", unit=unit), max(j, i + 1)
