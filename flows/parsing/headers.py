"""Table headers: merge multi-row headers (merged cells) into one meaning per column."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from flows.parsing.grid import Cell, is_numeric_token
from flows.parsing.labels import column_role
from flows.parsing.numbers import unit_in_header

INDICATOR_ROLE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(pattern))
    for role, pattern in (
        ("level1", r"一级指标"),
        ("level2", r"二级指标"),
        ("level3", r"三级指标|指标名称|具体指标|^指标内容$"),
        ("nature", r"指标性质|指标方向|^符号$|^性质$"),
        ("unit", r"度量单位|计量单位|^单位$"),
        ("weight", r"^(分值|权重|标准分|满分)"),
        ("score", r"^(得分|自评得分|评分)"),
        ("note", r"原因|改进措施|备注|说明"),
        ("actual", r"实际完成|完成值|实际值|完成情况|实际完成值|实际"),
        ("target", r"指标值|目标值|年度指标|预期目标|计划值|年度目标|标准值|目标"),
    )
)


_COMPARISONS = ("≥", "≤", "=", ">", "<", "≠", "≧", "≦", "═")


@dataclass(slots=True)
class Column:
    """One column's meaning: the role, the full header text, and its declared unit."""

    role: str | None
    header: str
    unit: str | None
    group: str | None = None  # the merged top header when the sub-header is a line name
    label: str = ""  # the column's own label as written (traditional characters kept)


@lru_cache(maxsize=4096)
def indicator_role(header: str) -> str | None:
    compact = "".join(header.split())
    for role, pattern in INDICATOR_ROLE_RULES:
        if pattern.search(compact):
            return role
    return None


def is_indicator_header(texts: list[str]) -> bool:
    if not any("指标" in t for t in texts):
        return False  # every level column (一级/二级/三级指标, 指标名称) says 指标
    roles = {indicator_role(t) for t in texts if t}
    return ("level3" in roles or "level1" in roles or "level2" in roles) and bool(
        roles & {"target", "actual", "score"}
    )


def is_budget_header(texts: list[str]) -> bool:
    """At least two recognised budget columns and no figures: a header row."""
    if any(is_numeric_token(t) for t in texts if t and not (t.isdigit() and len(t) <= 3)):
        return False
    if any(t.startswith(_COMPARISONS) for t in texts if t):
        return False  # "≤预算数" is an indicator's target, not a column header
    roles = [column_role(t) for t in texts if t]
    figure_roles = [
        r for r in roles if r in {"initial", "adjustment", "full_year", "actual", "balance", "rate", "prior"}
    ]
    return len(figure_roles) >= 2 or (len(figure_roles) >= 1 and "name" in roles)


def _spread(top: list[str], width: int, leading_empty: int) -> list[str]:
    """Top header cells stretched over `width` columns when merged cells were collapsed."""
    if len(top) >= width:
        return top[:width]
    head = top[:leading_empty]
    groups = top[leading_empty:]
    rest = width - len(head)
    if groups and rest % len(groups) == 0:
        per = rest // len(groups)
        return head + [g for g in groups for _ in range(per)]
    return top + [""] * (width - len(top))


def merge_header_rows(rows: list[list[Cell]], width: int, shown: bool = False) -> list[tuple[str, str]]:
    """(top, sub) header text per column, carrying merged top cells to the right.

    `shown` gives the header as written instead of the match text (for labels in output).
    """
    texts = [[c.shown if shown else c.text for c in row] for row in rows]
    if len(texts) == 1:
        return [(t, "") for t in texts[0] + [""] * (width - len(texts[0]))]
    top, sub = texts[0], texts[-1]
    sub = sub + [""] * (width - len(sub))
    leading_empty = next((i for i, s in enumerate(sub) if s), len(sub))
    top = _spread(top, width, leading_empty)
    merged: list[tuple[str, str]] = []
    carry = ""
    for i in range(width):
        t = top[i] if i < len(top) else ""
        if t:
            carry = t
        elif sub[i]:
            t = carry  # a merged top cell spans this column
        merged.append((t, sub[i]))
    return merged


def budget_columns(rows: list[list[Cell]], width: int, grid_unit: str | None) -> list[Column]:
    """Column meanings for a budget table header (one or two header rows)."""
    columns: list[Column] = []
    shown = merge_header_rows(rows, width, shown=True)
    for (top, sub), (shown_top, shown_sub) in zip(merge_header_rows(rows, width), shown, strict=True):
        sub_role = column_role(sub) if sub else None
        top_role = column_role(top) if top else None
        unit = unit_in_header(sub) or unit_in_header(top) or grid_unit
        if (
            sub
            and sub_role in (None, "name")
            and top_role in {"initial", "adjustment", "full_year", "actual", "balance", "rate"}
        ):
            # Pivoted header: the top says what the figure is, the sub names the line.
            columns.append(Column(top_role, f"{top}/{sub}", unit, group=shown_sub, label=shown_top))
        elif sub_role is not None:
            columns.append(Column(sub_role, f"{top}/{sub}" if top else sub, unit, label=shown_sub))
        else:
            columns.append(Column(top_role, top, unit, label=shown_top))
    return columns


def indicator_columns(rows: list[list[Cell]], width: int) -> list[Column]:
    columns: list[Column] = []
    for top, sub in merge_header_rows(rows, width):
        text = sub or top
        columns.append(Column(indicator_role(text) or indicator_role(top), text, None))
    return columns
