"""Read a table (a Grid) into budget lines, disbursements and indicators by header meaning.

A grid may hold several blocks one after another (a self-evaluation form has a budget block,
a goals block and an indicator block); each header row starts a new block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flows.parsing.arithmetic import identities_hold, split_glued_row
from flows.parsing.grid import Cell, Grid, is_numeric_token
from flows.parsing.headers import (
    Column,
    budget_columns,
    indicator_columns,
    is_budget_header,
    is_indicator_header,
)
from flows.parsing.indicators import read_indicator_row
from flows.parsing.labels import (
    AMOUNT_ROLES,
    ORG_AT_END,
    ROW_NUMBER_RE,
    clean_name,
    column_role,
    is_qizhong,
    is_total_name,
)
from flows.parsing.numbers import is_none_mark, parse_cell_number, to_wan_yuan
from flows.parsing.records import BudgetLine, Disbursement, Indicator, Source

FIGURE_ROLES = frozenset({"initial", "adjustment", "full_year", "actual", "balance", "rate"})
DISBURSEMENT_ROLES = frozenset({"seq", "name", "full_year", "actual", "purpose", "share", None})
# Whole-cell labels of a form, compared with cells whose whitespace is removed.
_FORM_NAME_LABELS = frozenset({"项目名称", "专项名称", "资金名称", "项目(资金)名称"})
_DEPARTMENT_LABELS = frozenset({"主管部门", "主管单位", "预算部门", "部门名称", "单位名称", "实施单位"})
_TOTAL_SCORE_LABELS = frozenset({"总分", "合计得分", "总得分", "自评总分", "综合得分"})
# How far (percentage points) a stated rate may stray from actual ÷ full-year before the row's
# column reading is doubted: reports round, and some rates use another base, but a 10 under
# 执行率 where the row's figures give 97% is a shifted row.
RATE_SLACK = 5.0
_DECIMAL = re.compile(r"\d\.\d")
_TEXT_BLOCK_RE = re.compile(r"年度总体目标|总体目标|预期目标|绩效目标")


@dataclass(slots=True)
class GridResult:
    budget_lines: list[BudgetLine] = field(default_factory=list)
    disbursements: list[Disbursement] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    form_name: str | None = None
    department: str | None = None
    total_score: float | None = None
    warnings: list[str] = field(default_factory=list)


def _source(text: str, cells: list[Cell]) -> Source | None:
    filled = [c for c in cells if c.text]
    if not filled:
        return None
    # Cells placed by meaning may stand in another order than in the text.
    start, end = min(c.start for c in filled), max(c.end for c in filled)
    return Source(start, end, text[start:end])


def _texts(row: list[Cell]) -> list[str]:
    return [c.text for c in row]


def _has_real_figure(row: list[Cell], columns: list[Column]) -> bool:
    """At least one figure cell holds a number, or every amount cell a none mark: "上年结转
    资金 | - | - | -" states 0 for each amount. A row of blanks and a stray '-' states nothing."""
    pairs = [
        (cell, column) for cell, column in zip(row, columns, strict=False) if column.role in FIGURE_ROLES
    ]
    if any(parse_cell_number(cell.text)[0] is not None for cell, _ in pairs):
        return True
    amounts = [cell for cell, column in pairs if column.role != "rate"]
    return bool(amounts) and all(is_none_mark(cell.text) for cell in amounts)


def _amount(cell: Cell, column: Column) -> float | None:
    if not cell.text:
        return None
    if is_none_mark(cell.text):
        return None if column.role == "rate" else 0.0
    value, suffix = parse_cell_number(cell.text)
    if value is None:
        return None
    if column.role == "rate":
        return value
    unit = suffix if suffix in {"元", "万元", "亿元", "千元"} else column.unit
    return to_wan_yuan(value, unit)


def _row_name(row: list[Cell], columns: list[Column]) -> Cell | None:
    """The cell naming a row: the first text cell outside the figure columns."""
    for cell, column in zip(row, columns, strict=False):
        if column.role in FIGURE_ROLES or column.role in {"weight", "score", "prior", "share", "purpose"}:
            continue
        if cell.text and not is_numeric_token(cell.text) and not ROW_NUMBER_RE.match(cell.text):
            return cell
    return None


def _is_disbursement_table(columns: list[Column]) -> bool:
    roles = {c.role for c in columns}
    return roles <= DISBURSEMENT_ROLES and "actual" in roles and not any(c.group for c in columns)


def _split_side_by_side(columns: list[Column]) -> int | None:
    """Width of one half when a header repeats itself (two tables side by side)."""
    roles = [c.role for c in columns]
    n = len(roles)
    if n >= 4 and n % 2 == 0 and roles[: n // 2] == roles[n // 2 :] and "name" in roles:
        return n // 2
    return None


class _Block:
    """Rows under one header, turned into lines."""

    def __init__(self, columns: list[Column], text: str, group: str, form: str | None) -> None:
        self.columns = columns
        self.text = text
        self.group = group
        self.form = form
        self.warnings: list[str] = []  # rows left out, for the auditor

    def lines(self, rows: list[list[Cell]]) -> tuple[list[BudgetLine], list[Disbursement]]:
        half = _split_side_by_side(self.columns)
        if half:
            left = [r[:half] for r in rows]
            right = [r[half:] for r in rows]
            self.columns = self.columns[:half]
            rows = left + right
        if _is_disbursement_table(self.columns):
            return [], self._disbursements(rows)
        if any(c.group for c in self.columns):
            return self._pivoted(rows), []
        return self._budget_lines(rows), []

    def _values(self, row: list[Cell]) -> dict[str, float | None]:
        values: dict[str, float | None] = {}
        for cell, column in zip(row, self.columns, strict=False):
            if column.role in FIGURE_ROLES and values.get(column.role) is None:
                values[column.role] = _amount(cell, column)
        return values

    def _points(self, row: list[Cell], role: str) -> float | None:
        """A form budget row's 分值 or 得分 cell ('10分' → 10); None when blank or absent."""
        for cell, column in zip(row, self.columns, strict=False):
            if column.role == role and cell.text:
                value, suffix = parse_cell_number(cell.text)
                return value if suffix in (None, "分") else None
        return None

    def _budget_lines(self, rows: list[list[Cell]]) -> list[BudgetLine]:
        out: list[BudgetLine] = []
        rate_label = next(
            (c.label or c.header.split("/")[-1] for c in self.columns if c.role == "rate"), None
        )
        for row in rows:
            row = self._checked(self._shift_to_figures(self._repair(row)))
            name_cell = _row_name(row, self.columns)
            if not name_cell or not _has_real_figure(row, self.columns):
                continue
            values = self._values(row)
            name = name_cell.text
            out.append(
                BudgetLine(
                    name=clean_name(name_cell.shown),
                    initial_budget=values.get("initial"),
                    adjustment=values.get("adjustment"),
                    full_year_budget=values.get("full_year"),
                    actual=values.get("actual"),
                    balance=values.get("balance"),
                    execution_rate=values.get("rate"),
                    rate_label=rate_label if values.get("rate") is not None else None,
                    weight=self._points(row, "weight"),
                    score=self._points(row, "score"),
                    form=self.form,
                    source=_source(self.text, row),
                    group=self.group,
                    is_total=is_total_name(clean_name(name)),
                    origin="table",
                )
            )
            sub = is_qizhong(name) or name_cell.sub
            out[-1].parent = -1 if sub else None  # resolved in link_parents
        return out

    def _shift_to_figures(self, row: list[Cell]) -> list[Cell]:
        """A row with more label cells than the header has label columns: its figures start
        after its last label, not at the header's first figure column.

        Forms nest row labels in merged cells the header does not count ("按收入性质分 |
        一般公共预算资金 | 37,862.40 …" under a header with one label column): the row is
        realigned on its content, the last label naming it and the figures following it.
        """
        first_figure = next((i for i, c in enumerate(self.columns) if c.role in FIGURE_ROLES), None)
        first_number = next((i for i, c in enumerate(row) if c.text and is_numeric_token(c.text)), None)
        if first_figure is None or first_figure == 0 or first_number is None:
            return row
        labels = [i for i, c in enumerate(row[:first_number]) if c.text and not is_none_mark(c.text)]
        if not labels or labels[-1] < first_figure:
            return row
        last = labels[-1]
        figures = row[last + 1 :]
        if not figures or len(figures) > len(self.columns) - first_figure:
            return []  # the figures cannot be placed: better no line than shifted values
        padding = [Cell("", row[last].start, row[last].start) for _ in range(first_figure - 1)]
        return [*padding, row[last], *figures]

    def _implausible(self, row: list[Cell]) -> bool:
        """Whether the row's own figures contradict this column reading: a percentage in an
        amount column, or a rate far (more than RATE_SLACK points) from actual ÷ full-year."""
        by_role: dict[str, float] = {}
        for cell, column in zip(row, self.columns, strict=False):
            if column.role not in FIGURE_ROLES or not cell.text:
                continue
            value, suffix = parse_cell_number(cell.text)
            if column.role != "rate" and suffix == "%":
                return True
            if value is not None:
                by_role.setdefault(column.role, value)
        rate, full_year, actual = by_role.get("rate"), by_role.get("full_year"), by_role.get("actual")
        if rate is None or not full_year or actual is None:
            return False
        return abs(actual / full_year * 100 - rate) > RATE_SLACK

    def _checked(self, row: list[Cell]) -> list[Cell]:
        """Safety net for a row read one column off (a lost or extra empty cell).

        When the row's arithmetic contradicts its reading badly (see _implausible), the row
        shifted one column right (an empty cell put first) or left (its empty first cell
        removed) is tried; it is taken only when it alone reads plausibly and its identities
        (全年 = 年初 + 追加, 结余 = 全年 − 实际, 率 = 实际 ÷ 全年) hold. Otherwise the row stays
        as written (its arithmetic may simply be wrong: a finding), unless a percentage stands
        in an amount column: then none of its figures is trusted and the row states nothing.
        """
        if not row or not self._implausible(row):
            return row
        candidates = [[Cell("", row[0].start, row[0].start), *row]]
        if not row[0].text:
            candidates.append(row[1:])
        by_type = self._by_type(row)
        if by_type is not None:
            candidates.append(by_type)
        figures = self._placed_figures(row)
        fits = [
            c
            for c in candidates
            if not self._implausible(c)
            and identities_hold(self._by_role(c))
            and self._placed_figures(c) == figures
        ]
        if len(fits) == 1:
            return fits[0]
        columns = [*self.columns, *[Column(None, "", None)] * len(row)]
        if any(
            column.role in AMOUNT_ROLES and cell.text.endswith("%")
            for cell, column in zip(row, columns, strict=False)
        ):
            # A % in an amount column: the row is read out of place and no reading fits, so
            # its amounts may sit in the wrong columns too. A missing figure beats a wrong one.
            name = _row_name(row, self.columns)
            self.warnings.append(
                f"table {self.group}: row {name.text if name else '(unnamed)'!r} left out: a "
                "percentage stands in an amount column and no reading of its cells fits the header"
            )
            return [
                Cell("", cell.start, cell.start) if column.role in FIGURE_ROLES else cell
                for cell, column in zip(row, columns, strict=False)
            ]
        return row

    def _placed_figures(self, row: list[Cell]) -> int:
        """Figures standing in figure columns: a reading must not push one out of them."""
        return sum(
            1
            for cell, column in zip(row, self.columns, strict=False)
            if column.role in FIGURE_ROLES and cell.text and is_numeric_token(cell.text)
        )

    def _by_type(self, row: list[Cell]) -> list[Cell] | None:
        """The row's figures placed by what they are: PDF text may give a row's cells in
        another order than its header (the rate first, then the amounts). With one rate
        column and one % cell standing in an amount column, the % goes to the rate column
        and the amounts, in their order, to the amount columns (taken by _checked only
        when the row's arithmetic confirms it)."""
        figure_at = [k for k, c in enumerate(self.columns) if c.role in FIGURE_ROLES and k < len(row)]
        rate_at = [k for k in figure_at if self.columns[k].role == "rate"]
        percent_at = [k for k in figure_at if row[k].text.endswith("%")]
        if len(rate_at) != 1 or len(percent_at) != 1 or percent_at == rate_at:
            return None
        amounts = [row[k] for k in figure_at if k != percent_at[0]]
        if any(c.text.endswith("%") for c in amounts):
            return None
        placed = list(row)
        placed[rate_at[0]] = row[percent_at[0]]
        for k, cell in zip([k for k in figure_at if k != rate_at[0]], amounts, strict=True):
            placed[k] = cell
        return placed

    def _by_role(self, row: list[Cell]) -> dict[str | None, str]:
        return {
            column.role: cell.text
            for cell, column in zip(row, self.columns, strict=False)
            if column.role in FIGURE_ROLES and cell.text
        }

    def _repair(self, row: list[Cell]) -> list[Cell]:
        """Cells run together with no separator: split them using the row's arithmetic."""
        if len(row) >= len(self.columns) or not row:
            return row
        return split_glued_row(row, self.columns) or row

    def _pivoted(self, rows: list[list[Cell]]) -> list[BudgetLine]:
        """Top header = figure, sub header = line name: one line per sub name per row."""
        out: list[BudgetLine] = []
        for row in rows:
            row_name = _row_name(row, self.columns)
            by_line: dict[str, dict[str, float | None]] = {}
            cells_by_line: dict[str, list[Cell]] = {}
            for cell, column in zip(row, self.columns, strict=False):
                if not column.group or column.role not in FIGURE_ROLES:
                    continue
                by_line.setdefault(column.group, {})[column.role] = _amount(cell, column)
                cells_by_line.setdefault(column.group, []).append(cell)
            for line_name, values in by_line.items():
                if all(v is None for v in values.values()):
                    continue
                name = clean_name(line_name)
                out.append(
                    BudgetLine(
                        name=name,
                        initial_budget=values.get("initial"),
                        adjustment=values.get("adjustment"),
                        full_year_budget=values.get("full_year"),
                        actual=values.get("actual"),
                        balance=values.get("balance"),
                        execution_rate=values.get("rate"),
                        form=self.form,
                        source=_source(
                            self.text,
                            [row[0], *cells_by_line[line_name]] if row_name else cells_by_line[line_name],
                        ),
                        group=self.group,
                        is_total=is_total_name(name),
                        origin="table",
                    )
                )
        return out

    def _disbursements(self, rows: list[list[Cell]]) -> list[Disbursement]:
        out: list[Disbursement] = []
        for row in rows:
            name_cell = _row_name(row, self.columns)
            values = self._values(row)
            if not name_cell or all(v is None for v in values.values()):
                continue
            name = name_cell.text
            purpose = next(
                (
                    c.shown
                    for c, col in zip(row, self.columns, strict=False)
                    if col.role == "purpose" and c.text
                ),
                None,
            )
            out.append(
                Disbursement(
                    name=clean_name(name_cell.shown),
                    budget=values.get("full_year", values.get("initial")),
                    actual=values.get("actual"),
                    purpose=purpose,
                    form=self.form,
                    source=_source(self.text, row),
                    group=self.group,
                    is_total=is_total_name(clean_name(name)),
                    origin="table",
                )
            )
        return out


def _label_value(row: list[str], labels: frozenset[str], cells: list[Cell] | None = None) -> str | None:
    """The first filled cell after a label cell (项目名称 | X); as written when `cells` given."""
    if labels.isdisjoint(row):
        return None  # most rows hold no label: one set test instead of a loop over the cells
    for i, cell in enumerate(row[:-1]):
        if cell in labels:
            k = next((k for k in range(i + 1, len(row)) if row[k]), None)
            if k is None:
                return None
            return cells[k].shown if cells is not None else row[k]
    return None


def _has_points(texts: list[str]) -> bool:
    """An indicator row states its 分值/得分 as small whole numbers; a header row has none,
    so a row like "成本指标 | 三公经费控制 | 预算数 | 10 | 10" stays in the indicator block."""
    return any(t.isdigit() and len(t) <= 3 for t in texts)


def read_grid(grid: Grid, text: str, group: str, form: str | None) -> GridResult:
    """Everything a table states, block by block."""
    result = GridResult(form_name=None)
    rows = [r for r in grid.rows if any(c.text for c in r)]
    width = max((len(r) for r in rows), default=0)
    header_rows: list[list[Cell]] = []
    block: _Block | None = None
    indicator_cols: list[Column] | None = None
    carried: dict[str, str | None] = {}
    block_rows: list[list[Cell]] = []

    def flush() -> None:
        nonlocal block_rows
        if block is not None and block_rows:
            lines, items = block.lines(block_rows)
            result.budget_lines.extend(lines)
            result.disbursements.extend(items)
            result.warnings.extend(block.warnings)
            block.warnings = []
        block_rows = []

    for row in rows:
        texts = _texts(row)
        compact = ["".join(t.split()) for t in texts]
        form_name = _label_value(compact, _FORM_NAME_LABELS, row)
        # "序号 | 项目名称 | 预算数 | 决算数" is a list's header, not a form's name row.
        if form_name and len([t for t in texts if t]) <= 4 and not is_budget_header(compact):
            flush()
            block, indicator_cols = None, None
            form = result.form_name = clean_name(form_name)
            continue
        department = _label_value(compact, _DEPARTMENT_LABELS)
        if department and ORG_AT_END.search(department) and not is_budget_header(compact):
            result.department = result.department or department
            continue
        filled = [t for t in compact if t]
        if filled and filled[0] in _TOTAL_SCORE_LABELS:
            scores = [parse_cell_number(t)[0] for t in filled[1:]]
            scores = [s for s in scores if s is not None]
            if scores:
                result.total_score = scores[-1]
            continue
        if is_indicator_header(compact):
            flush()
            block = None
            indicator_cols = indicator_columns([row], len(row))
            carried = {}
            continue
        if is_budget_header(compact) and not (indicator_cols is not None and _has_points(compact)):
            if block is not None and not block_rows and header_rows:
                header_rows.append(row)  # stacked header rows (merged cells above)
            else:
                flush()
                header_rows = [row]
            indicator_cols = None
            block = _Block(budget_columns(header_rows, width, grid.unit), text, group, form)
            continue
        if filled and _TEXT_BLOCK_RE.search(filled[0]) and not any(is_numeric_token(t) for t in filled):
            flush()
            block, indicator_cols = None, None
            continue
        if indicator_cols is not None:
            result.indicators.extend(read_indicator_row(row, indicator_cols, carried, text, form))
            continue
        if block is not None:
            # A second header row directly under the first (merged header cells); a row
            # whose figures ran together ("人员经费 | 1,186.401,243.18…") holds a decimal.
            if (
                not block_rows
                and not any(is_numeric_token(t) or _DECIMAL.search(t) for t in texts if t)
                and any(column_role(t) for t in texts if t)
            ):
                header_rows.append(row)
                block = _Block(budget_columns(header_rows, width, grid.unit), text, group, form)
                continue
            block_rows.append(row)
            header_rows = []
    flush()
    return result
