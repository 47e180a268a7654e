"""Split cells that ran together with no separator, using the arithmetic a row must satisfy.

Text scraped from Word often loses the cell boundaries: "基本支出2,384.29583.242,967.53".
Only the row's own arithmetic (年初 + 追加 = 全年, 全年 − 实际 = 结余, 实际 ÷ 全年 = 执行率)
tells where one number ends and the next begins.
"""

from __future__ import annotations

import re
from functools import cache

from flows.parsing.grid import Cell, is_numeric_token
from flows.parsing.headers import Column
from flows.parsing.numbers import is_none_mark, parse_cell_number

_TOKEN = re.compile(r"(?:[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*|0)(?:\.\d{1,6})?%?|-")
_GLUED_TAIL = re.compile(r"[\d,.%\-]+$")
_FIGURES = ("initial", "adjustment", "full_year", "actual", "balance", "rate")
MAX_CANDIDATES = 5000


def _tokenisations(tail: str, k: int) -> list[tuple[str, ...]]:
    """Every way to cut `tail` into k number tokens (a % only on the last one)."""
    results: list[tuple[str, ...]] = []

    @cache
    def rest(pos: int, left: int) -> tuple[tuple[str, ...], ...]:
        if left == 0:
            return ((),) if pos == len(tail) else ()
        found: list[tuple[str, ...]] = []
        for end in range(pos + 1, len(tail) + 1):
            token = tail[pos:end]
            if not _TOKEN.fullmatch(token):
                continue
            if token.endswith("%") and left != 1:
                continue
            for tail_tokens in rest(end, left - 1):
                found.append((token, *tail_tokens))
                if len(found) > MAX_CANDIDATES:
                    return tuple(found)
        return tuple(found)

    results.extend(rest(0, k))
    return results


def _value(token: str) -> float | None:
    if token == "-":
        return 0.0
    try:
        return float(token.rstrip("%").replace(",", ""))
    except ValueError:
        return None


def _identities(values: dict[str, float | None]) -> tuple[int, int]:
    """(identities that hold, identities the row's columns allow checking)."""
    ini, adj, full = values.get("initial"), values.get("adjustment"), values.get("full_year")
    act, bal, rate = values.get("actual"), values.get("balance"), values.get("rate")
    held = checked = 0
    if None not in (ini, adj, full):
        checked += 1
        held += abs(ini + adj - full) <= 0.011
    if None not in (full, act, bal):
        checked += 1
        held += abs(full - act - bal) <= 0.011
    if None not in (full, act, rate):
        checked += 1
        held += bool(full) and abs(act / full * 100 - rate) <= 0.0101
    elif full == 0 and act == 0 and rate is None and "rate" in values:
        checked += 1  # nothing budgeted, nothing spent, and "-" for the rate: consistent
        held += 1
    return held, checked


def _consistent(roles: list[str], tokens: tuple[str, ...]) -> bool:
    """Every identity the row allows holds (at least one must be checkable). A "-" rate
    states no rate (None); a "-" amount states none (0)."""
    values = {
        r: (None if r == "rate" and t == "-" else _value(t)) for r, t in zip(roles, tokens, strict=True)
    }
    held, checked = _identities(values)
    return checked > 0 and held == checked


def identities_hold(cells: dict[str | None, str]) -> bool:
    """Whether a row's written cells (by column role) satisfy every identity its columns
    allow checking, and at least one can be checked."""
    values: dict[str, float | None] = {}
    for role, text in cells.items():
        if role in _FIGURES:
            values[role] = None if role == "rate" and is_none_mark(text) else _cell_value(text)
    held, checked = _identities(values)
    return checked > 0 and held == checked


def _cell_value(text: str) -> float | None:
    """A cell's figure as written: '4,120.55' → 4120.55, '98.65%' → 98.65, '-' → 0."""
    if is_none_mark(text):
        return 0.0
    return parse_cell_number(text)[0]


def _same_decimals(roles: list[str], tokens: tuple[str, ...]) -> bool:
    """Whether the amounts are written to one precision ("153.80 157.46 157.46", not
    "153.801 57.461 57.46"): a table states its amounts alike, so when the arithmetic
    allows several splits (a rate rounds away a digit moved between two amounts), the one
    with uniform decimals is the row as written."""
    places = {
        len(token.partition(".")[2])
        for role, token in zip(roles, tokens, strict=True)
        if role != "rate" and token != "-"
    }
    return len(places) <= 1


def split_glued_row(row: list[Cell], columns: list[Column]) -> list[Cell] | None:
    """Re-cut a row whose figures ran together; None when no consistent split exists."""
    figure_idx = [i for i, c in enumerate(columns) if c.role in _FIGURES]
    if not figure_idx:
        return None
    joined_cells = [c for c in row if c.text]
    if not joined_cells:
        return None
    last = joined_cells[-1]
    match = _GLUED_TAIL.search(last.text)
    if not match or is_numeric_token(match.group(0)):
        return None  # one number, or none: nothing ran together
    tail = match.group(0).lstrip(",.")
    tail_start = last.start + len(last.text) - len(tail)
    head_text = last.text[: len(last.text) - len(tail)]
    before = joined_cells[:-1]
    # The tail holds the figures of every figure column not already filled.
    k = len(figure_idx) - max(0, len(before) - figure_idx[0]) if before else len(figure_idx)
    if k < 2:
        return None
    candidates = _tokenisations(tail, k)
    if not candidates or len(candidates) > MAX_CANDIDATES:
        return None  # too many ways to cut: no way to tell the right one
    roles = [columns[i].role for i in figure_idx][-k:]
    consistent = [toks for toks in candidates if _consistent(roles, toks)]
    if len(consistent) > 1:
        consistent = [toks for toks in consistent if _same_decimals(roles, toks)]
    if len(consistent) != 1:
        return None  # none or several splits satisfy the arithmetic: better no figure than a wrong one
    best = consistent[0]
    cells: list[Cell] = list(before)
    if head_text.strip():
        stripped = head_text.strip()
        offset = last.text.find(stripped)
        cells.append(Cell(stripped, last.start + offset, last.start + offset + len(stripped)))
    while len(cells) < figure_idx[0] + (len(figure_idx) - k):
        cells.insert(0, Cell("", last.start, last.start))
    pos = tail_start
    for token in best:
        cells.append(Cell(token, pos, pos + len(token)))
        pos += len(token)
    return cells
