"""Numbers, units and percentages as they are written in reports, converted to 万元 and %."""

from __future__ import annotations

import math
import re

from flows.parsing.per_document import per_document

# A number as written: thousands separators, decimals, an optional sign.
NUMBER = r"[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
NUMBER_RE = re.compile(NUMBER)
# Put before a lookbehind + NUMBER in a scanning pattern: a number starts with a sign or a
# digit. It changes no match; it lets the engine skip most positions of a text before
# trying the (costlier) lookbehind and the number itself.
NUMBER_AHEAD = r"(?=[-\u2212\d])"
UNIT = r"(?:亿元|万元|千元|元)"
# Thousands grouped by spaces ("9 862.37万元", "164 820元", a cell "1 200.00"): read only as
# an amount, i.e. followed by a money unit or filling a table cell, and only when every group
# after the first has exactly three digits (so "共3 个" or "2019 年" never read as one number).
SPACED_AMOUNT = r"[-−]?\d{1,3}(?: \d{3})+(?:\.\d+)?"
# A number in prose followed by its unit: space-grouped only when a money unit follows.
AMOUNT_NUMBER = rf"(?:{SPACED_AMOUNT}(?=\s*{UNIT})|{NUMBER})"
# An amount with its unit right after it ("1,000.00 万元").
AMOUNT_RE = re.compile(rf"(?<![\d.])({NUMBER})\s*({UNIT})")
PERCENT_RE = re.compile(rf"(?<![\d.])({NUMBER})\s*%")
UNIT_FACTORS = {"元": 0.0001, "千元": 0.1, "万元": 1.0, "亿元": 10000.0}
# Cells that mean "none" in an amount column.
NONE_MARKS = frozenset({"-", "—", "——", "–", "/", "－", "—-", "--", "无"})
_CELL_NUMBER_RE = re.compile(rf"^\s*({NUMBER})\s*(%|{UNIT}|分)?\s*$")
_CELL_SPACED_RE = re.compile(rf"^\s*({SPACED_AMOUNT})\s*({UNIT})?\s*$")
_UNIT_LINE_RE = re.compile(rf"(?:金额)?单位\s*[:：]?\s*(?:人民币)?\s*({UNIT})")
_HEADER_UNIT_RE = re.compile(rf"[(（\[]\s*({UNIT})\s*[)）\]]|单位\s*[:：]?\s*(?:人民币)?\s*({UNIT})")
# What parse_number accepts: one written number (a leading + too), nothing else.
_WHOLE_NUMBER_RE = re.compile(rf"(?:\+(?![-\u2212]))?{NUMBER}")


def parse_number(text: str) -> float | None:
    """'2,384.29' → 2384.29; '−5' → -5.0; anything else → None.

    Only a number as written in a report: float() alone would also take 'nan', 'inf',
    '1e5', '1_000' and misplaced commas ('1,23'), and 400 digits would overflow to inf.
    """
    if text is None:
        return None
    cleaned = text.strip()
    if not _WHOLE_NUMBER_RE.fullmatch(cleaned):
        return None
    try:
        value = float(cleaned.replace(",", "").replace("−", "-"))
    except ValueError:  # pragma: no cover - the pattern only lets decimal digits through
        return None
    return value if math.isfinite(value) else None


@per_document
def matched_number(text: str) -> float | None:
    """The value of text a NUMBER pattern matched whole ('2,384.29' → 2384.29).

    parse_number's fast path for callers that took the text from a NUMBER group: it is
    already known to be a number as written, so the check is skipped. Still None when the
    value is not finite (400 digits).
    """
    value = float(text.replace(",", "").replace(" ", "").replace("−", "-"))
    return value if math.isfinite(value) else None


def to_wan_yuan(value: float | None, unit: str | None) -> float | None:
    """Convert an amount in `unit` (元/千元/万元/亿元, default 万元) to 万元, rounded sanely.

    Rounded to 6 decimals of 万元, i.e. to the fen. A result that is not finite (an input of
    nan/inf, or an overflow such as 1e305 亿元) is None: no amount is stated.
    """
    if value is None:
        return None
    factor = UNIT_FACTORS.get(unit or "万元", 1.0)
    result = value * factor
    return round(result, 6) if math.isfinite(result) else None


@per_document
def figure_value(number: str, unit: str) -> float | None:
    """A figure in prose from its number (as a NUMBER pattern matched it) and its unit: a
    percentage as written, an amount in 万元; None when the value is not finite. Keyed by
    the text, not the float (0.0 and -0.0 are equal keys but print differently)."""
    value = matched_number(number)
    if value is None or unit == "%":
        return value
    return to_wan_yuan(value, unit)


@per_document
def parse_cell_number(cell: str) -> tuple[float | None, str | None]:
    """A table cell holding one number, with an optional %, unit or 分 suffix.

    Returns (value, suffix). ("", None) cells give (None, None).
    """
    match = _CELL_NUMBER_RE.match(cell)
    if not match:
        match = _CELL_SPACED_RE.match(cell) if " " in cell else None
        if not match:
            return None, None
    return matched_number(match.group(1)), match.group(2)


def is_none_mark(cell: str) -> bool:
    """'-', '—', '/' and the like: written instead of zero / none."""
    return cell.strip() in NONE_MARKS


def unit_in_line(line: str) -> str | None:
    """The unit a line declares for the table below it ('金额单位：万元', '单位:元')."""
    match = _UNIT_LINE_RE.search(line)
    return match.group(1) if match else None


@per_document
def unit_in_header(header: str) -> str | None:
    """The unit a column header declares ('年初预算数（万元）' → 万元)."""
    match = _HEADER_UNIT_RE.search(header)
    if not match:
        return None
    return match.group(1) or match.group(2)


def parse_percent(text: str) -> float | None:
    """'84.57%' → 84.57; '100 %' → 100.0; no percent sign → None."""
    match = PERCENT_RE.search(text)
    return matched_number(match.group(1)) if match else None
