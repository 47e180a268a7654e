"""Breakdowns in prose: the sub-items a sentence lists after a figure with 其中 / 包括.

"决算支出 3635.1 万元，其中基本支出 1660.94 万元，项目支出 1974.16 万元" states two more figures
than its head: each sub-item takes the role of the labelled figure it follows (here 实际支出),
and a sub-item named twice in one sentence (预算…其中基本支出 A；决算…其中基本支出 B) is one item.
A breakdown runs until the next labelled figure that names no fund of its own (";决算金额为…").
Only names that end in a fund word (支出/经费/专项/资金/费 …) count: "其中用于设备购置 300 万元"
or "比上年增加 20 万元" are remarks, not sub-items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from flows.parsing.labels import clean_name
from flows.parsing.numbers import AMOUNT_NUMBER, NUMBER_AHEAD, matched_number, to_wan_yuan

_AMOUNT_RE = re.compile(rf"{NUMBER_AHEAD}(?<![\d.,])({AMOUNT_NUMBER})\s*(亿元|万元|千元|元)(?!\s*/)")
_MARK_RE = re.compile(r"其中\s*:?|包括")
_PARENS_RE = re.compile(r"\([^()]*\)")
_ITEM_END = re.compile(r"(?:支出|经费|专项|资金|项目|费|费用|补助|补贴|资助|奖励|奖金|拨款)$")
# "基本支出调整 615.31 万元": a change word after the fund's name is the figure's own label.
_CHANGE_TAIL = re.compile(
    r"(?<=[出费项金目助贴励款])(?:年中)?(?P<word>调整|追加|调增|调减|追减)(?:数|预算|指标)?$"
)
_REDUCTION = re.compile(r"调减|追减")
_NOT_A_NAME = re.compile(r"^(?:比|较|同比|上年|去年|累计|合计|共计|均为|主要|用于)|\d{4}\s*年")
_NONE_ITEM = re.compile(r"^无(?P<name>.{2,30})$")
_LEAD_SEPARATORS = " 、,;:"
_PIECE_SPLIT = re.compile(r"[,;、。]")
# An item's name is bounded by the list's separators, so it may be longer than a subject.
ITEM_NAME_MAX = 80
BUDGET_ROLES = ("initial", "adjustment", "full_year")


class Labelled(Protocol):
    """A labelled figure as narrative.py finds it (role, value in 万元 with its sign, label
    start, figure end)."""

    role: str
    value: float
    start: int
    end: int


@dataclass(slots=True)
class Part:
    """One sub-item: its figures by role, and the span from its name to its last figure."""

    name: str
    values: dict[str, float] = field(default_factory=dict)
    start: int = 0
    end: int = 0
    purpose_from: int = 0  # end of the item's first figure: its purpose (用于…) follows


def _top_level_amounts(sentence: str) -> list[re.Match[str]]:
    """Amounts outside (…): a figure in brackets is a remark or a nested breakdown."""
    out: list[re.Match[str]] = []
    depth, scanned = 0, 0
    for match in _AMOUNT_RE.finditer(sentence):
        depth += sentence.count("(", scanned, match.start()) - sentence.count(")", scanned, match.start())
        scanned = match.start()
        if depth <= 0:
            out.append(match)
    return out


def _last_clause(raw: str) -> tuple[str, int]:
    """The text after the last ';' (else ','), with its offset in `raw`: one item's name."""
    cut = raw.rfind(";")
    if cut < 0:
        cut = raw.rfind(",")
    return raw[cut + 1 :], cut + 1


def _item_name(raw: str) -> tuple[str | None, str | None]:
    """(name, change word) when `raw` names a fund; (None, None) for remarks."""
    name = clean_name(raw.lstrip(_LEAD_SEPARATORS))
    change = _CHANGE_TAIL.search(name)
    word = change.group("word") if change else None
    if change:
        name = name[: change.start()]
    if not (2 <= len(name) <= ITEM_NAME_MAX) or not _ITEM_END.search(name) or _NOT_A_NAME.search(name):
        return None, None
    return name, word


def _resolve(role: str, roles: set[str]) -> str:
    """A bare 预算 is the initial budget next to a change or full-year figure, else full-year."""
    if role != "budget":
        return role
    return "initial" if roles & {"adjustment", "full_year"} else "full_year"


def has_breakdown(sentence: str) -> bool:
    """Cheap test before the scan: a list needs its 其中 / 包括."""
    return "其中" in sentence or "包括" in sentence


def breakdown(sentence: str, labelled: list[Labelled]) -> tuple[list[Part], int | None]:
    """Sub-items listed after a head figure, and the position where the first list starts.

    `labelled` are the sentence's labelled figures (local offsets). Returns ([], None) when
    the sentence lists none.
    """
    if not has_breakdown(sentence):
        return [], None
    by_end = {f.end: f for f in labelled}
    roles = {f.role for f in labelled}
    parts: dict[str, Part] = {}
    head_role: str | None = None
    inside = False
    first_mark: int | None = None
    prev_end = 0
    for match in _top_level_amounts(sentence):
        gap_start, prev_end = prev_end, match.end()
        gap = sentence[gap_start : match.start()]
        marks = list(_MARK_RE.finditer(_PARENS_RE.sub(lambda m: " " * len(m.group(0)), gap)))
        if marks and head_role:
            inside = True
            gap_start += marks[-1].end()
            first_mark = gap_start if first_mark is None else first_mark
        fig = by_end.get(match.end())
        name_end = fig.start if fig is not None and gap_start <= fig.start else match.start()
        raw, at = _last_clause(sentence[gap_start:name_end])
        name_at = gap_start + at
        word: str | None = None
        if fig is not None:
            name, _ = _item_name(raw) if inside else (None, None)
            if name is None:  # a labelled figure of the head itself: the list (if any) ends
                if inside and head_role:
                    _trailing_zero_items(sentence, gap_start, name_end, head_role, parts)
                head_role, inside = _resolve(fig.role, roles), False
                continue
            role = _resolve(fig.role, roles)
        elif inside and head_role:
            raw, skipped = _zero_items(raw, name_at, head_role, parts)
            name_at += skipped
            name, word = _item_name(raw)
            if name is None:
                continue
            role = "adjustment" if word else head_role
        else:
            continue
        # A labelled figure's value already carries its sign (项目支出调减 412.6 → −412.6).
        value = fig.value if fig is not None else to_wan_yuan(matched_number(match.group(1)), match.group(2))
        if value is None:
            continue
        if word and _REDUCTION.search(word) and value > 0:
            value = -value  # "基本支出调减 20 万元" is a cut, whatever the sign as written
        _add(parts, name, role, value, name_at + len(raw) - len(raw.lstrip(_LEAD_SEPARATORS)), match.end())
    if inside and head_role:
        _trailing_zero_items(sentence, prev_end, len(sentence), head_role, parts)
    return list(parts.values()), first_mark


def _trailing_zero_items(sentence: str, start: int, end: int, role: str, parts: dict[str, Part]) -> None:
    """'…公务接待费 6.17 万元、无因公出国(境)费。': a 无X piece after the list's last figure
    states 0 for X (the list ends there, so nothing else of the gap is an item)."""
    at = start
    for piece in _PIECE_SPLIT.split(sentence[start:end]):
        stripped = piece.strip()
        none = _NONE_ITEM.match(clean_name(stripped)) if stripped.startswith("无") else None
        name = _item_name(none.group("name"))[0] if none else None
        if name is not None:
            begin = sentence.find(stripped, at, end)
            _add(parts, name, role, 0.0, begin, begin + len(stripped))
        at += len(piece) + 1


def _zero_items(raw: str, at: int, role: str, parts: dict[str, Part]) -> tuple[str, int]:
    """'无因公出国(境)费、公务接待费 1.16 万元': the 无 pieces state 0 for their items.

    Returns the rest of `raw` (the next item's name) and how far it starts into `raw`.
    """
    offset = len(raw) - len(raw.lstrip(_LEAD_SEPARATORS))
    pieces = raw[offset:].split("、")
    taken = 0
    while len(pieces) > 1:
        stripped = pieces[0].strip()
        none = _NONE_ITEM.match(clean_name(stripped))
        if not none:
            break
        name, _ = _item_name(none.group("name"))
        if name is None:
            break
        begin = at + offset + pieces[0].find(stripped)
        _add(parts, name, role, 0.0, begin, begin + len(stripped))
        offset += len(pieces[0]) + 1
        pieces = pieces[1:]
        taken += 1
    return ("、".join(pieces), offset) if taken else (raw, 0)


def _add(parts: dict[str, Part], name: str, role: str, value: float, start: int, end: int) -> None:
    """Record one figure of an item; the first figure per role wins, spans grow."""
    part = parts.get(name)
    if part is None:
        part = parts[name] = Part(name=name, start=start, end=end, purpose_from=end)
    part.values.setdefault(role, value)
    part.start, part.end = min(part.start, start), max(part.end, end)
