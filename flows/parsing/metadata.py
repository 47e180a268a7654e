"""Report metadata: year, department, region, kind, self score, grade, title, date."""

from __future__ import annotations

import re

from flows.parsing.labels import ORG_AT_END as _ORG_AT_END
from flows.parsing.labels import ORG_SUFFIX
from flows.parsing.normalize import NOT_A_TITLE, original
from flows.parsing.numbers import NUMBER, parse_number
from flows.parsing.records import ReportMeta

_TITLE_WORDS = re.compile(r"(自评报告|自评表|评价报告|绩效报告|自评情况|自评工作报告)")
_TITLE_CONTINUATION = re.compile(r"^(绩效|专项资金|自评|项目支出|整体支出|部门整体|支出绩效|预算绩效)")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年度?")
_KIND_SPLIT = re.compile(r"(部门整体|单位整体|整体支出|项目支出|专项资金|专项|绩效|自评|预算)")
_SIGNATURE_ORG = re.compile(rf"^[\u4e00-\u9fff()]{{3,30}}{ORG_SUFFIX}$")
_REGION_RE = re.compile(
    r"^((?:[\u4e00-\u9fff]{2,7}?(?:省|自治区))?(?:[\u4e00-\u9fff]{2,7}?(?:市|自治州|州|盟|地区))?"
    # A county-level city has two or more characters before 市 (浏阳市); "城市管理局" is no place.
    r"(?:[\u4e00-\u9fff]{1,6}?(?:区|县|旗)|[\u4e00-\u9fff]{2,6}?市)?)"
)
_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DATE_RE = re.compile(
    r"([〇零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
)
_SCORE_RE = re.compile(
    rf"(?:自评(?:综合|总)?得分|自评总分|综合得分|评价得分|总得分)\s*(?:为|是|:)?\s*({NUMBER})\s*分"
)
# The grade, after its label ("自评等级为优秀") or before a grade word ("评为优秀等级"). Two
# patterns searched apart (see _grade) run faster than their alternation, which the regex
# engine tries in full at every position of the text.
_GRADE_AFTER_LABEL_RE = re.compile(
    r"(?:自评结论|自评等级|评价结论|评价等级|绩效等级|自评结果|评定等级|等级)\s*"
    # One grade for several projects: 等级均为优秀, 等级全部评为优秀, 等级都是良好; 等级评定为优秀.
    r"(?:(?:均|皆|都|全部|全都|全)\s*(?:被?评定?为|为|是)|(?:被?评定|评)?为|是|:)?\s*[“\"「『‘]?(优秀|良好|合格|中等|中|差|优|良)"
)
_GRADE_BEFORE_WORD_RE = re.compile(
    r"[为评定]\s*[“\"「『‘]?(优秀|良好|合格|优|良|中|差)[”\"」』’]?\s*(?:等级|等次|级)"
)
_GRADE_NAMES = {"优": "优秀", "良": "良好", "中等": "中"}
_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


# Every label _GRADE_AFTER_LABEL_RE knows holds one of these words, starting at most 2
# characters in (自评等级, 评价结论, 自评结果…); every spelling _SCORE_RE knows holds 得分 or 总分,
# starting at most 4 characters in (自评综合得分): no match starts earlier before the first one.
_GRADE_LABEL_WORDS = ("等级", "结论", "结果")
GRADE_LABEL_LEAD = 2
_SCORE_WORDS = ("得分", "总分")
SCORE_LEAD = 4


def _search_from_first(
    pattern: re.Pattern[str], mt: str, words: tuple[str, ...], lead: int
) -> re.Match[str] | None:
    """pattern.search(mt), started `lead` characters before the first of `words` (which every
    match holds that far in): str.find skips the text before it far faster than the regex."""
    found = [at for at in (mt.find(word) for word in words) if at >= 0]
    if not found:
        return None
    return pattern.search(mt, max(0, min(found) - lead))


# An overall score stated beside the parts' own ("A项目自评得分98.7分，B项目自评得分95.47分，
# 按资金规模加权综合得分97.53分") is the report's score.
_OVERALL_SCORE = re.compile(r"综合|总|加权")
OVERALL_SCORE_LEAD = 6


def _overall_score(mt: str) -> re.Match[str] | None:
    """The report's self score: the first stated, unless a later one is labelled overall."""
    first = _search_from_first(_SCORE_RE, mt, _SCORE_WORDS, SCORE_LEAD)
    if first is None or _OVERALL_SCORE.search(mt, max(0, first.start() - OVERALL_SCORE_LEAD), first.start(1)):
        return first
    for later in _SCORE_RE.finditer(mt, first.end()):
        if _OVERALL_SCORE.search(mt, max(0, later.start() - OVERALL_SCORE_LEAD), later.start(1)):
            return later
    return first


def _grade(mt: str) -> str | None:
    """The grade word of the first grade statement in the text.

    As one alternation of the two patterns would find it: the match that starts first, the
    label form when both start at the same character.
    """
    after_label = _search_from_first(_GRADE_AFTER_LABEL_RE, mt, _GRADE_LABEL_WORDS, GRADE_LABEL_LEAD)
    before_word = _GRADE_BEFORE_WORD_RE.search(mt)
    if after_label and (before_word is None or after_label.start() <= before_word.start()):
        return after_label.group(1)
    return before_word.group(1) if before_word else None


def _cn_number(text: str) -> int:
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def find_title(lines: list[str]) -> str | None:
    """The title line(s) near the top: a line naming the report, joined to its first half."""
    seen: list[str] = []
    for line in lines[:40]:
        stripped = line.strip()
        if not stripped or "\t" in line:
            continue
        if _TITLE_WORDS.search(stripped) and len(stripped) <= 80 and not NOT_A_TITLE.search(stripped):
            if _TITLE_CONTINUATION.match(stripped) and seen and len(seen[-1]) <= 60:
                stripped = seen[-1] + stripped
            return re.sub(r"\s+", "", stripped)
        seen.append(stripped)
    return None


def report_kind(title: str | None, text: str) -> str:
    probe = title or text[:2000]
    if re.search(r"部门整体|单位整体|整体支出|部门支出", probe):
        return "department_overall"
    if title and re.search(r"项目支出", title):
        return "project"  # "项目支出绩效自评报告（X专项经费）": a project report on a fund named 专项
    if re.search(r"专项资金|专项", probe):
        return "special_fund"
    if re.search(r"项目", probe):
        return "project"
    if title and re.search(r"(资金|基金|补助|补贴)(使用)?(管理)?(情况)?绩效", title):
        return "special_fund"  # "XX市水利发展资金绩效自评报告": a fund report without the word 专项
    return "department_overall"


def department_from_title(title: str) -> str | None:
    body = _YEAR_RE.sub("", title, count=1).strip()
    head = _KIND_SPLIT.split(body, maxsplit=1)[0].strip()
    head = re.sub(r"\s+", "", head)
    return head if head and _ORG_AT_END.search(head) else None


def department_from_signature(lines: list[str]) -> str | None:
    for line in reversed(lines[-15:]):
        stripped = re.sub(r"\s+", "", line)
        if _SIGNATURE_ORG.match(stripped):
            return stripped
    return None


def region_of(name: str | None) -> str | None:
    if not name:
        return None
    match = _REGION_RE.match(name)
    region = match.group(1) if match else ""
    return region or None


def _date_in(line: str) -> tuple[str, bool] | None:
    """The valid date a line states, and whether the line is little more than that date."""
    if "月" not in line or "日" not in line:
        return None  # both forms need them; the Chinese-numeral one is tried at every character
    for pattern, to_int in ((_DATE_RE, int), (_CN_DATE_RE, _cn_number)):
        match = pattern.search(line)
        if match:
            y, m, d = (to_int(g) for g in match.groups())
            if 1 <= m <= 12 and 1 <= d <= 31:
                rest = (line[: match.start()] + line[match.end() :]).strip()
                return f"{y:04d}-{m:02d}-{d:02d}", len(rest) <= 6
    return None


def published_on(lines: list[str]) -> str | None:
    """The signing date: a date line at the end, else one under the title, else the last date
    line above the end (a form attached after the signature), else a date in the last lines
    that is not a cut-off (截至2021年12月31日 dates the figures, not the report)."""
    tail = [found for line in reversed(lines[-12:]) if (found := _date_in(line))]
    head = [found for line in lines[1:8] if (found := _date_in(line))]
    for date, alone in tail + head:
        if alone:
            return date
    # A signature above an attached form ("…局\n2020年4月15日\n附件：项目支出绩效自评表…").
    for line in reversed(lines[8:-12]):
        if ("月" in line and "日" in line) and (found := _date_in(line)) and found[1]:
            return found[0]
    for line in reversed(lines[-12:]):
        found = _date_in(line)
        if found and not re.search(r"截[至止]\s*(?:19|20)\d{2}", line):
            return found[0]
    return None


def _written(text: str, mt: str, value: str | None) -> str | None:
    """A string found in the match text, in the characters the report uses (繁體 kept).

    The value is looked up near its first occurrence; it may have lost inner whitespace
    (a title "2022 年度…" is read as "2022年度…"), so the span allows for some slack.
    """
    if not value or text is mt:
        return value
    at = mt.find(value[:4])
    if at < 0:
        return value
    return original(text, mt, at, min(len(mt), at + 2 * len(value) + 8), value)


def read_metadata(
    mt: str, form_department: str | None = None, form_score: float | None = None, text: str | None = None
) -> ReportMeta:
    """Report-level facts, matched on the match text; names come out as written in `text`."""
    meta = _read_metadata(mt, form_department, form_score)
    if text is not None and text != mt:
        region, department = meta.region, meta.department
        meta.title = _written(text, mt, meta.title)
        meta.department = _written(text, mt, department)
        if region and department and department.startswith(region) and meta.department:
            meta.region = meta.department[: len(region)]
        else:
            meta.region = _written(text, mt, region)
    return meta


def _read_metadata(mt: str, form_department: str | None, form_score: float | None) -> ReportMeta:
    """Report-level facts from the match text (simplified characters)."""
    lines = mt.split("\n")
    filled = [ln for ln in lines if ln.strip()]  # the signature and date are read from the last ones
    title = find_title(lines)
    meta = ReportMeta(title=title)
    year_source = title or ""
    year = _YEAR_RE.search(year_source) or _YEAR_RE.search(mt[:3000])
    meta.fiscal_year = int(year.group(1)) if year else None
    meta.report_kind = report_kind(title, mt)
    department = (department_from_title(title) if title else None) or form_department
    department = department or department_from_signature(filled)
    meta.department = department
    meta.region = region_of(department) or (
        region_of(_YEAR_RE.sub("", title or "", count=1).strip()) if title else None
    )
    score = _overall_score(mt)
    meta.self_score = parse_number(score.group(1)) if score else form_score
    value = _grade(mt)
    if value:
        meta.grade = _GRADE_NAMES.get(value, value)
    meta.published_on = published_on(filled)
    return meta
