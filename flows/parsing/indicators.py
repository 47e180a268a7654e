"""Indicator rows (绩效指标): older and newer form layouts, merged level cells carried down."""

from __future__ import annotations

import re

from flows.parsing.grid import Cell, is_numeric_token
from flows.parsing.headers import Column
from flows.parsing.numbers import parse_cell_number
from flows.parsing.records import Indicator, Source

_SCORE_ANNOTATION = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]")
_OPERATORS = {"≥", "≤", "=", ">", "<", "≠", ">=", "<=", "≧", "≦", "═"}
LEVEL_ROLES = ("level1", "level2", "level3")


def _label(text: str) -> str | None:
    cleaned = _SCORE_ANNOTATION.sub("", text)
    cleaned = re.sub(r"\s+", "", cleaned)
    return cleaned or None


def _points(text: str) -> float | None:
    value, suffix = parse_cell_number(text)
    return value if suffix in (None, "分") else None


def _align(row: list[Cell], columns: list[Column]) -> list[list[tuple[Cell, Column]]]:
    """Pair cells with columns; a row holding two records (a lost row break) is split."""
    width = len(columns)
    if len(row) <= width:
        return [list(zip(row, columns, strict=False))]
    score_idx = next((i for i, c in enumerate(columns) if c.role == "score"), width - 1)
    first = list(zip(row[: score_idx + 1], columns[: score_idx + 1], strict=False))
    rest = row[score_idx + 1 :]
    # Right-align the remainder: it ends with the score, or with the note after it.
    ends_with_note = bool(rest) and not is_numeric_token(rest[-1].text or "x")
    end_col = width if ends_with_note else score_idx + 1
    start_col = max(0, end_col - len(rest))
    second = list(zip(rest[-(end_col - start_col) :], columns[start_col:end_col], strict=False))
    return [first, second]


def read_indicator_row(
    row: list[Cell], columns: list[Column], carried: dict[str, str | None], text: str, form: str | None
) -> list[Indicator]:
    """Zero, one or two indicators from one table row; `carried` holds merged level labels."""
    out: list[Indicator] = []
    for pairs in _align(row, columns):
        fields: dict[str, str] = {}
        cells: list[Cell] = []
        for cell, column in pairs:
            if column.role and cell.text:
                fields.setdefault(column.role, cell.shown)
                cells.append(cell)
        for level in LEVEL_ROLES:
            if fields.get(level):
                carried[level] = _label(fields[level])
                # A new upper level resets the ones below it.
                for lower in LEVEL_ROLES[LEVEL_ROLES.index(level) + 1 :]:
                    if not fields.get(lower):
                        carried[lower] = None
        if not fields.get("level3") and not (fields.get("target") or fields.get("actual")):
            continue
        target = fields.get("target")
        unit = fields.get("unit")
        nature = (fields.get("nature") or "").strip()
        if target is not None:
            target = re.sub(r"\s+", "", target)
            if nature in _OPERATORS and not target.startswith(tuple(_OPERATORS)):
                target = nature + target
            if unit and not target.endswith(unit):
                target += unit
        actual = fields.get("actual")
        if actual is not None:
            # As written: the 度量单位 column is not appended (it belongs to the target).
            actual = re.sub(r"\s+", "", actual)
        filled = [c for c in cells if c.text]
        source = (
            Source(filled[0].start, filled[-1].end, text[filled[0].start : filled[-1].end])
            if filled
            else None
        )
        out.append(
            Indicator(
                level1=carried.get("level1"),
                level2=carried.get("level2"),
                level3=_label(fields["level3"]) if fields.get("level3") else carried.get("level3"),
                target=target,
                actual=actual,
                weight=_points(fields["weight"]) if fields.get("weight") else None,
                score=_points(fields["score"]) if fields.get("score") else None,
                note=fields.get("note") or None,
                form=form,
                source=source,
            )
        )
    return out
