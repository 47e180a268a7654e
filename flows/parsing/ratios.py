"""Named ratios stated in prose: 控制率, 执行率, 完成率, 到位率, 满意度, 变动率 and the like."""

from __future__ import annotations

import re

from flows.parsing.normalize import original
from flows.parsing.numbers import NUMBER, matched_number
from flows.parsing.records import Ratio, Source

# A rate word with its value; the name is read backwards from the rate word (faster than a
# lazy prefix tried at every position of the text).
# "超载率控制在 0.5% 以内", "命案破案率保持100%": a rate held to a stated level is stated as that level.
# "报销比例稳定在70%", "满意度调查结果为92.4%": a 比例 is a named rate too, and a survey's
# result may stand between the rate word and its value.
# "治理率提高到46.5%", "比例由85%提高到88.2%": a rate moved to a level is stated as that level.
_RATIO_RE = re.compile(
    rf"(?:率|满意度|比例)\s*(?:调查结果|测评结果|结果)?\s*"
    rf"(?:为|是|达到?|:|约|控制在|保持在?|稳定在?|(?:由\s*{NUMBER}\s*%\s*)?(?:提高|提升|上升|增长|增加|下降|降低|降)(?:到|至))?"
    rf"\s*({NUMBER})\s*%"
)
_RATE_WORDS = ("满意度", "比例")
_NAME_CHAR = re.compile(r"[\u4e00-\u9fff“”\"]")
NAME_MAX_LEAD = 24


def _name_start(mt: str, anchor: int, floor: int) -> int:
    """Start of the run of name characters (at most NAME_MAX_LEAD) ending at `anchor`."""
    start = anchor
    while start > floor and anchor - start < NAME_MAX_LEAD and _NAME_CHAR.match(mt, start - 1):
        start -= 1
    return start


_LEAD_NOISE = re.compile(
    # 及 as "and", not inside a word (普及率, 涉及, 及时率).
    r"^.*(?:亿元|万元|元|其中|以及|并且|的|为|是|和|(?<![普涉危波])及(?!时)|年末|全年|我局|我单位|本单位|累计|同比)"
)
# "2022年度资金到位率": the year's 年度 belongs to the date, not to the ratio's name.
_YEAR_TAIL = re.compile(r"^年度?")
_QUOTES = re.compile(r"[“”\"]")


def _ratio_name(raw: str, after_digit: bool) -> str:
    name = _QUOTES.sub("", raw)
    if after_digit:
        name = _YEAR_TAIL.sub("", name)
    trimmed = _LEAD_NOISE.sub("", name)
    # Keep at least the ratio word itself (…控制率 → 控制率 when everything before is noise).
    return trimmed if len(trimmed) >= 2 else name[-3:]


def read_ratios(text: str, mt: str, regions: list[tuple[int, int]]) -> list[Ratio]:
    """Every named rate in the prose regions, value in percent."""
    out: list[Ratio] = []
    for region_start, region_end in regions:
        floor = region_start
        for match in _RATIO_RE.finditer(mt, region_start, region_end):
            value = matched_number(match.group(1))
            if value is None:
                continue
            start, end = _name_start(mt, match.start(), floor), match.end()
            floor = end
            word = next((w for w in _RATE_WORDS if mt.startswith(w, match.start())), "率")
            word_end = match.start() + len(word)
            after_digit = start > 0 and mt[start - 1].isdigit()
            name_mt = _ratio_name(mt[start:word_end], after_digit)
            # The source starts at the name when lead-in words were cut ("1.4亿元清偿率" → 清偿率).
            at = mt.find(name_mt, start, word_end)
            start = at if at > start else start
            name = original(text, mt, start, end, name_mt)
            out.append(Ratio(name=name, value=value, source=Source(start, end, text[start:end])))
    return out
