"""Named ratios stated in prose: 控制率, 执行率, 完成率, 到位率, 满意度, 变动率 and the like."""

from __future__ import annotations

import re

from flows.parsing.numbers import NUMBER, parse_number
from flows.parsing.records import Ratio, Source

_RATIO_RE = re.compile(
    rf"([\u4e00-\u9fff“”\"]{{0,24}}?(?:率|满意度))\s*(?:为|是|达到?|:|约)?\s*({NUMBER})\s*%"
)
_LEAD_NOISE = re.compile(r"^.*(?:亿元|万元|元|其中|以及|并且|的|为|是|和|及|年度|年末|全年|我局|我单位|本单位|累计|同比)")
_QUOTES = re.compile(r"[“”\"]")


def _ratio_name(raw: str) -> str:
    name = _QUOTES.sub("", raw)
    trimmed = _LEAD_NOISE.sub("", name)
    # Keep at least the ratio word itself (…控制率 → 控制率 when everything before is noise).
    return trimmed if len(trimmed) >= 2 else name[-3:]


def read_ratios(text: str, mt: str, regions: list[tuple[int, int]]) -> list[Ratio]:
    """Every named rate in the prose regions, value in percent."""
    out: list[Ratio] = []
    for region_start, region_end in regions:
        for match in _RATIO_RE.finditer(mt, region_start, region_end):
            value = parse_number(match.group(2))
            if value is None:
                continue
            start, end = match.start(), match.end()
            out.append(Ratio(name=_ratio_name(match.group(1)), value=value, source=Source(start, end, text[start:end])))
    return out
