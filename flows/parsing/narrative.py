"""Budget figures stated in sentences, and spending items with what they were used for.

"…工业和信息化工作经费年初预算 151.95 万元，实际支出 151.31 万元，指标结余 0.64 万元，预算执行率
99.58%" is a budget line; "智能制造专项实际支出 17,803.08 万元。主要用于…" is a disbursement.
A figure counts only when a label stands right before it: an unlabelled amount is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from flows.parsing.breakdown import Part, breakdown, has_breakdown
from flows.parsing.labels import (
    AGENCY_WORDS,
    CHANGE_QUALIFIER_MAX,
    CHANGE_QUALIFIER_STOP,
    CUT_OFF_START,
    ITEM_FUND_WORDS,
    PROJECT_WORDS,
    clean_name,
    strip_trailing,
)
from flows.parsing.normalize import original
from flows.parsing.numbers import (
    AMOUNT_NUMBER,
    NUMBER_AHEAD,
    figure_value,
    matched_number,
    to_wan_yuan,
)
from flows.parsing.records import BudgetLine, Disbursement, Source

# NUMBER_AHEAD changes no match: it lets the engine skip most positions (see numbers.py).
_FIGURE_RE = re.compile(rf"{NUMBER_AHEAD}(?<![\d.,])({AMOUNT_NUMBER})\s*(亿元|万元|千元|元|%)")
# "年中追加中央资金 645.38 万元", "年中追加省级补助资金 350 万元", "追加疫情防控等资金 N 万元":
# who provides the money or what it is for may stand between the change word and the amount
# (a few characters ending in a fund word, none of them a figure label); the figure is still
# the change.
_FUNDS_QUALIFIED = (
    r"(?:(?:中央|省级?|市级?|区级?|县级?|上级|财政)?(?:指标|预算)"
    rf"|(?:(?!{CHANGE_QUALIFIER_STOP})[\u4e00-\u9fff]){{0,{CHANGE_QUALIFIER_MAX}}}(?:资金|经费|补助))?"
)
# Labels by role, longest spellings first. They must end right before the figure
# (a few joining words such as 为/是/共计 may stand between).
_ROLE_LABELS: tuple[tuple[str, str], ...] = (
    # "预算执行进度达到94.52%", "全年共支出N万元，占全年预算的96.3%", "支出进度96.04%",
    # the share of the budget spent (预算完成率 stays a ratio: the samples state it as one).
    (
        "rate",
        r"(?:预算|资金|政府采购|采购|项目)?执行率|预算执行(?:率|进度)?|(?<!预算)控制率|支出率|(?:资金)?支出进度|占(?:全年|调整后)?预算(?:数)?的?(?:比例|比重)?",
    ),
    ("balance", r"(?:指标|资金|预算)?结余(?:指标|资金)?|结转结余|结转资金|剩余资金"),
    (
        "full_year",
        r"(?:调整后(?:的)?)?全年预算(?:合计|总额|数)?|调整后(?:的)?预算(?:数|总额)?|全年(?:预算)?指标|全年资金总额|(?:指标|资金|预算)下达|(?:共|累计)?下达(?:资金|指标|预算)(?:总额)?",
    ),
    (
        "adjustment",
        rf"(?:年中)?(?:追加|调增|调减|追减){_FUNDS_QUALIFIED}|年中调整(?:预算)?|调整年初预算|调整预算|预算调整(?:数)?",
    ),
    (
        "initial",
        r"年初预算(?:支出)?(?:数|安排)?|年初批复|年初预留(?:指标)?|预算批复|批复(?:的)?(?:年初)?预算|年初安排|预算安排|年初",
    ),
    (
        "actual",
        r"实际(?:支出|执行|拨付(?:资金)?|使用|到位|完成)(?:金额|资金|数)?|实际[\u4e00-\u9fff]{1,6}金额|决算(?:总)?(?:支出)?(?:金额|数)?|支出决算(?:数)?|本年支出|全年支出|全年执行(?:数)?|执行数|已支出|累计支出|(?<=[费金])支出(?:共计|合计|总额|金额)?|(?<=项目)支出(?:共计|合计|总额)|(?<=[年度])支出(?:合计|总计)|(?:全年)?共支出|(?<![\u4e00-\u9fff])(?:已|累计)?执行(?:金额)?",
    ),
    ("budget", r"预算(?:总额|金额|资金|数)?"),
)
_JOINERS = r"(?:\s|为|是|:|达到?|共计|合计|总计|共|总额|约|计)*"
_PRIOR_YEAR = re.compile(r"(?:上年|上一年|去年|前年|上年度)[\u4e00-\u9fff]{0,4}$")
_ARRANGED = re.compile(
    r"(?P<verb>预算安排|年初安排|安排|批复|(?<!年初)下达)(?P<name>[\u4e00-\u9fff“”()]{2,40}?(?:资金|经费|专项|项目))$"
)


def _prior_year(before_label: str) -> bool:
    """Whether a previous year (上年, 去年, 前年…) is named right before a label; the `in`
    tests rule out most texts (no 上, 去年 or 前年) without the end-anchored search."""
    if "上" not in before_label and "去年" not in before_label and "前年" not in before_label:
        return False
    return _PRIOR_YEAR.search(before_label) is not None


_LABEL_AT_END = [(role, re.compile(rf"(?:{pattern}){_JOINERS}$")) for role, pattern in _ROLE_LABELS]
# "实际支出公用经费总额 134.49 万元": the label, then the fund's name with 总额/金额. Tried only
# when no label ends the gap (a fallback costs less than an optional part in every pattern).
_NAMED_TOTAL_END = re.compile(r"(?:经费|资金)(?:总额|金额)\s*$")
# A bare amount right after a fund's or a project's name ("财政信息化建设项目1,260万元",
# "危桥改造工程450万元", "项目贷款贴息3000万元"): its budget when what was spent of it follows
# at once (see _executed_next). Other names ("资产配置40.78万元，实际使用…") are not funds.
_BARE_FUND_END = re.compile(rf"(?:{ITEM_FUND_WORDS}|{PROJECT_WORDS})\s*$")
NAMED_TOTAL_MAX_NAME = 8


# Per role, words of which every spelling in _ROLE_LABELS holds at least one (e.g. every
# rate label holds 执行, 率 or 占). A gap holding none of them cannot end in that role's
# label, so its regex is skipped: `in` tests cost far less than a search that tries every
# start in the gap, and most gaps hold no label or only a later role's.
_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "rate": ("执行", "率", "占", "进度"),
    "balance": ("结", "剩余"),
    "full_year": ("全年", "调整后", "下达"),
    "adjustment": ("追", "调"),
    "initial": ("年初", "批复", "预算安排"),
    "actual": ("实际", "决算", "支出", "执行"),
    "budget": ("预算",),
}
_LABEL_CHECKS = [(role, _ROLE_WORDS[role], pattern) for role, pattern in _LABEL_AT_END]
# Any word of any role: a gap holding none (about 4 in 10) needs no test per role.
_ANY_ROLE_WORD = re.compile("|".join(word for words in _ROLE_WORDS.values() for word in words))


def _first_label(gap: str) -> tuple[str, re.Match[str]] | None:
    """The first role (in _ROLE_LABELS order) whose label ends `gap`, with its match."""
    if not _ANY_ROLE_WORD.search(gap):
        return None
    for role, words, pattern in _LABEL_CHECKS:
        for word in words:
            if word in gap:
                break
        else:
            continue  # none of the role's words: its label cannot be in the gap
        label = pattern.search(gap)
        if label:
            return role, label
    return None


@lru_cache(maxsize=4096)
def _label_at_end(gap: str) -> tuple[str, re.Match[str]] | None:
    """The role label ending `gap` (role, match), or None; a short fund name with 总额 may
    stand between the label and the figure (shortest name first).

    Cached for one document (see read_narrative): a clause, its run of clauses and the whole
    sentence are read in turn, and their figures mostly share the text before them.
    """
    found = _first_label(gap)
    # Both spellings _NAMED_TOTAL_END accepts (总额, 金额) hold 额: most gaps have none.
    tail = None if found or "额" not in gap else _NAMED_TOTAL_END.search(gap)
    if tail is None:
        return found
    for name_length in range(1, NAMED_TOTAL_MAX_NAME + 1):
        head = gap[: tail.start() - name_length]
        if not head or not "\u4e00" <= gap[tail.start() - name_length] <= "\u9fff":
            return None
        found = _first_label(head)
        if found:
            return found
    return None


_NONE_STATEMENTS = (
    ("initial", re.compile(r"年初无预算|年初未安排|无年初预算")),
    ("actual", re.compile(r"实际无支出|未支出|无实际支出")),
)
_SUBJECT_NOISE = re.compile(
    rf"^(?:\d{{4}}\s*年(?:度)?|[,，、]|本年度?|当年|全年|[我本]{AGENCY_WORDS}|[我本全](?:省|市|县|区|州|旗)|"
    # Who granted it ("省级下达我市X资金", "上级拨付"): not part of the fund's name.
    r"(?:中央|省|市|县|区|州|上)级?(?:批复|下达|安排|拨付)给?|"
    # 财政 as the agency (财政批复的, 市财政下达), not the first word of a fund (财政信息化建设项目).
    r"(?:经|由)?(?:省|市|县|区|州)?(?:级)?财政(?!(?!批复|下达|安排|局)[\u4e00-\u9fff]{2,12}(?:项目|经费|专项)(?:[,，:]|$))(?:局)?(?:批复|下达|安排)?(?:的)?|市经财政批复|经财政批复的?|"
    r"(?:主要)?原因(?:之)?[一二三四五]?是|[一二三四五]是|其中|即|\s|"
    # A cut-off date ("截至2020年12月31日实际支出…") is time, not a fund.
    r"截[至止]|至(?=\s*(?:年末|年底|\d))|年末|年底|\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?(?:底|末)?)+"
)
# Cut from the end of a subject, with whitespace (see labels.strip_trailing).
_SUBJECT_TAIL = "的,，、:"
_GENERIC_SUBJECTS = frozenset(
    {
        "",
        "部门",
        "单位",
        "本单位",
        "部门整体",
        "整体",
        "预算",
        "部门预算",
        "局本级",
        "本级",
        "资金",
        "项目",
        "全局",
        # "该项目年初预算…": the fund is the one the heading names.
        *(
            f"{this}{what}"
            for this in "该本此"
            for what in ("项目", "资金", "专项", "专项资金", "经费", "项目资金")
        ),
    }
)
_PURPOSE_LEAD = r"(?:主要用于|主要用在|主要为|用于)"
# What introduces a purpose inside a sentence: the leads plus 主要内容为-style wordings.
_PURPOSE_WORDS = r"(?:主要用于|主要用在|主要为|用于|主要内容为|主要内容是|主要开展)"
# Figure labels: a name holding one is a budget statement, not a spending item's name.
_LABEL_WORDS_IN_NAME = re.compile(r"预算|支出|执行|结余|决算|追加|调整|安排|合计|共计|总计")
_PURPOSE_RE = re.compile(rf"{_PURPOSE_WORDS}(.+?)(?:[。;]|$)")
_SENTENCE_SPLIT = re.compile(r"[^。!?\n]+[。!?]?")
_HEADING_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.](?!\d)|[①-⑳])"
)
_FUND_WORDS = re.compile(r"支出|经费|专项|资金|项目|费")
_REDUCTION = re.compile(r"调减|追减|核减|压减|减少")
# Patterns used per clause, compiled once (re's own cache costs a lookup per call).
_CLAUSE_END = re.compile(r"[。;]")
_COMMA_OR_COLON = re.compile(r"[,，:]")
_BUDGET_TAIL = re.compile(r"(?:预算|资金预算)$")
_CN_NUMERAL = re.compile(r"[一二三四五六七八九十]+")
_DIGITS = re.compile(r"\d+")
_ITEM_SEPARATOR = re.compile(r"[,，;；、]|其中[:：]?")
_ITEM_SEPARATOR_HINT = re.compile(r"[,，;；、]|其中")
# A heading about the department's whole budget names no particular fund.
_WHOLE_BUDGET = re.compile(r"整体")
# A heading naming a project without a fund word ("(二)城市公交智能调度系统建设").
_PROJECT_END = re.compile(rf"(?:{PROJECT_WORDS})$")


def _has_figure(sentence: str) -> bool:
    """Whether an amount or percentage stands in the sentence.

    Every unit _FIGURE_RE accepts ends in 元 or is %, so most sentences (no unit at all) are
    ruled out by two substring tests instead of the regex. Leading or trailing whitespace
    does not change the answer.
    """
    return ("元" in sentence or "%" in sentence) and _FIGURE_RE.search(sentence) is not None


@dataclass(slots=True)
class Figure:
    role: str
    value: float
    label: str
    start: int
    end: int
    subject: str | None = None  # a name stated between the label and the figure (安排X资金N万元)


# Labels with their joining words are short: look only this far back for one (a label
# search tries every start in the gap, so the window bounds the cost). A name stated after
# 安排 (安排X专项资金N万元) can be longer.
LABEL_WINDOW = 24
ARRANGED_WINDOW = 48


@lru_cache(maxsize=4096)
def _local_figures(sentence: str) -> tuple[Figure, ...]:
    """Labelled figures of a sentence, in order, at offsets within the sentence; unlabelled
    amounts are skipped. Cached: a sentence is read whole, by clause and for items (callers
    add the sentence's offset where they need one, instead of copying every figure)."""
    if "元" not in sentence and "%" not in sentence:
        return ()  # every unit _FIGURE_RE accepts ends in 元 or is % (see _has_figure)
    figures: list[Figure] = []
    previous_end = 0
    depth, scanned = 0, 0
    # Without "(" the depth never rises above 0: most sentences need no counting.
    parenthesised = "(" in sentence
    for match in _FIGURE_RE.finditer(sentence):
        at, end = match.span()
        if parenthesised:
            depth += sentence.count("(", scanned, at) - sentence.count(")", scanned, at)
            scanned = at
            if depth > 0:
                continue  # a figure inside (…) is a breakdown or a remark
        gap_start = previous_end
        gap_at = at - LABEL_WINDOW if at - LABEL_WINDOW > gap_start else gap_start
        gap = sentence[gap_at:at]
        previous_end = end
        number, unit = match.groups()
        found = _label_at_end(gap)
        if found is None and (unit == "%" or figures):
            continue  # unlabelled: only a first amount may be read (安排X资金N万元), no need to parse it
        amount = figure_value(number, unit)
        if amount is None:
            continue  # not finite (400 digits, an overflow in conversion): no figure is stated
        if found:
            role, label = found
            if (role == "rate") != (unit == "%") or _prior_year(gap[: label.start()]):
                continue
            if role == "adjustment" and _REDUCTION.search(label.group(0)) and amount > 0:
                amount = -amount  # 年中调减 120 万元: a cut, whatever the sign as written
            figures.append(Figure(role, amount, label.group(0).strip(), gap_at + label.start(), end))
        else:
            gap_at = max(gap_start, at - ARRANGED_WINDOW)
            arranged = _ARRANGED.search(sentence[gap_at:at].rstrip())
            if arranged:
                # What was 下达 (allotted) over the year is the fund's full-year budget.
                role = "full_year" if arranged.group("verb") == "下达" else "initial"
                figures.append(
                    Figure(
                        role,
                        amount,
                        "安排",
                        gap_at + arranged.start(),
                        end,
                        subject=_SUBJECT_NOISE.sub("", clean_name(arranged.group("name"))) or None,
                    )
                )
            elif _BARE_FUND_END.search(gap):
                # A bare amount after a name: kept only when what was spent of it follows.
                figures.append(Figure("budget", amount, "", at, end))
    if figures and figures[0].label == "" and not _executed_next(sentence, figures):
        figures.pop(0)
    return tuple(figures)


def _executed_next(sentence: str, figures: list[Figure]) -> bool:
    """Whether a bare amount after a fund name ("财政信息化建设项目1,260万元,执行1,188.40万元")
    is directly followed, in the same clause, by what was spent of it: then it is the fund's
    budget; otherwise it says nothing this reader can place."""
    if len(figures) < 2 or figures[1].role != "actual":
        return False
    return not sentence[figures[0].end : figures[1].start].strip(" ,，")


def _subject(sentence: str, first_label_at: int) -> str:
    """The fund a sentence speaks of: the last meaningful clause before its first figure."""
    head = _CLAUSE_END.split(sentence[:first_label_at])[-1]
    # "重点项目中:X工程612万元": the name follows the colon; "X项目:年初预算…": it precedes it.
    for segment in reversed(_COMMA_OR_COLON.split(head)):
        if any(p.search(segment) for _, p in _NONE_STATEMENTS):
            continue
        subject = _SUBJECT_NOISE.sub("", clean_name(segment))
        subject = _BUDGET_TAIL.sub("", subject)
        subject = clean_name(strip_trailing(subject, _SUBJECT_TAIL))
        if subject:
            return subject
    return ""


_ANALYSIS_TAIL = re.compile(
    r"(?:资金)?(?:安排落实|总投入|使用方向|实际使用|使用|管理)?[、,]?(?:总投入)?等?情况(?:分析)?$"
)


def _heading_style(heading: str) -> str:
    """'2.' and '1.' share a numbering style, as do '(二)' and '(一)'."""
    match = _HEADING_RE.match(heading)
    mark = match.group(0).strip() if match else ""
    return _CN_NUMERAL.sub("一", _DIGITS.sub("0", mark))


def _enclosing(headings: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The latest heading and those above it: a heading closes its siblings' sections."""
    stack: list[tuple[tuple[str, int], str]] = []  # (heading, its numbering style)
    for heading in headings:
        style = _heading_style(heading[0])
        same = next((i for i, (_, s) in enumerate(stack) if s == style), None)
        stack = stack[:same] if same is not None else stack
        stack.append((heading, style))
    return [heading for heading, _ in stack]


def _heading_name(headings: list[tuple[str, int]], text: str, mt: str) -> str | None:
    """The fund the latest heading names (“（二）基本支出情况” → 基本支出), as written.

    An analysis heading ("(1)部门项目资金安排落实、总投入等情况分析") names its fund only in
    passing; the enclosing heading that is the fund's bare name ("2. 部门项目支出") is used
    when it starts the same way.
    """
    for heading, at in headings[-1:]:
        name = clean_name(heading)
        analysis = _ANALYSIS_TAIL.search(name)
        name = _ANALYSIS_TAIL.sub("", name)
        name = re.sub(r"(?:规模|情况|分析)$", "", name)
        if _WHOLE_BUDGET.search(name):
            return None
        if analysis and name:
            for outer, outer_at in reversed(_enclosing(headings)[:-1]):
                bare = clean_name(outer)
                if (
                    bare.startswith(name)
                    and bare != name
                    and _FUND_WORDS.search(bare[len(name) :])
                    and len(bare) <= 20
                ):
                    return original(text, mt, outer_at, outer_at + len(outer), bare)
        if name and (_FUND_WORDS.search(name) or _PROJECT_END.search(name)) and len(name) <= 20:
            return original(text, mt, at, at + len(heading), name)
    return None


def _arranged_is_total(figures: tuple[Figure, ...]) -> Figure | None:
    """The 安排 figure when it is the full-year budget, else None.

    "安排X资金1.36亿元，其中年初预算1.12亿元，年中追加0.24亿元": the head amount is what was
    arranged over the whole year; the labelled 年初 figure after it is the initial budget.
    An unlabelled 安排 amount reads as the initial budget only when no 年初 figure follows.
    """
    arranged = next((f for f in figures if f.label == "安排"), None)
    if arranged is None or any(f.role == "full_year" for f in figures):
        return None
    later_initial = any(
        f.role == "initial" and f.label != "安排" and f.start > arranged.start for f in figures
    )
    return arranged if later_initial else None


def _budget_line(
    sentence: str, offset: int, text: str, mt: str, headings: list[tuple[str, int]]
) -> BudgetLine | None:
    """A clause (or run of clauses) stating a budget figure with an actual, balance or rate."""
    figures = _local_figures(sentence)
    if not figures:
        return None  # no figure to name and anchor a line (see `if not roles` below)
    roles: dict[str, Figure] = {}
    arranged_total = _arranged_is_total(figures)
    for fig in figures:
        role = fig.role
        if fig is arranged_total:
            role = "full_year"
        elif role == "budget":
            later = {f.role for f in figures}
            role = "initial" if later & {"adjustment", "full_year"} else "full_year"
        roles.setdefault(role, fig)
    values: dict[str, float | None] = {r: f.value for r, f in roles.items()}
    for role, pattern in _NONE_STATEMENTS:
        if role not in values and pattern.search(sentence):
            values[role] = 0.0
    budget_roles = {"initial", "adjustment", "full_year"} & values.keys()
    other_roles = {"actual", "balance", "rate"} & values.keys()
    explicit_budget = [
        f
        for r, f in roles.items()
        if r in {"initial", "adjustment", "full_year"} and f.label not in {"预算", "安排", ""}
    ]
    single = len(values) == 1 and explicit_budget
    if not single and (len(values) < 2 or not (budget_roles or {"actual", "rate"} <= other_roles)):
        return None
    if not budget_roles and not other_roles - {"rate"}:
        return None
    if not roles:
        return None  # only "年初无预算"/"未支出" statements: no figure to name and anchor the line
    first = min(f.start for f in roles.values())
    named = next((f.subject for f in roles.values() if f.subject), None)
    name = named or _subject(sentence, first)
    start = offset + len(sentence) - len(sentence.lstrip())
    end = offset + max(f.end for f in roles.values())
    if name in _GENERIC_SUBJECTS or len(name) > 40:
        name = _heading_name(headings, text, mt) or "整体支出"
    else:
        name = original(text, mt, start, end, name)
    rate_fig = roles.get("rate")
    rate_label = None
    if rate_fig is not None:
        rate_label = (
            "控制率" if "控制" in rate_fig.label else ("预算执行率" if "预算" in rate_fig.label else "执行率")
        )
        rate_label = original(text, mt, offset + rate_fig.start, offset + rate_fig.end, rate_label)
    return BudgetLine(
        name=name,
        initial_budget=values.get("initial"),
        adjustment=values.get("adjustment"),
        full_year_budget=values.get("full_year"),
        actual=values.get("actual"),
        balance=values.get("balance"),
        execution_rate=values.get("rate"),
        rate_label=rate_label,
        source=Source(start, end, text[start:end]),
        origin="narrative",
    )


def _sub_lines(clause: str, offset: int, text: str, mt: str) -> list[BudgetLine]:
    """Budget lines for the sub-items a budget clause lists (其中基本支出…，项目支出…).

    They point at the clause's line (parent, resolved in link_parents) only when there are
    two or more: a lone "其中 X" is often a partial breakdown, not the whole of the total.
    """
    if not has_breakdown(clause):
        return []
    parts, _ = breakdown(clause, list(_local_figures(clause)))
    linked = -1 if len(parts) >= 2 else None
    out = []
    for part in parts:
        start, end = offset + part.start, offset + part.end
        values = part.values
        out.append(
            BudgetLine(
                name=original(text, mt, start, end, part.name),
                initial_budget=values.get("initial"),
                adjustment=values.get("adjustment"),
                full_year_budget=values.get("full_year"),
                actual=values.get("actual"),
                balance=values.get("balance"),
                source=Source(start, end, text[start:end]),
                group=f"p{offset}",
                parent=linked,
                origin="narrative",
            )
        )
    return out


def _purpose(sentence: str, following: str | None) -> str | None:
    for candidate in (sentence, following or ""):
        match = _PURPOSE_RE.search(candidate)
        if match:
            return match.group(1).strip(" ,，") or None
    return None


_LISTED_FUND_ITEM = re.compile(rf"^(.{{2,40}}?(?:{ITEM_FUND_WORDS}))\s*({AMOUNT_NUMBER})\s*(亿元|万元|元)")
# Any name, when the item's purpose follows its amount: "1.安全生产监管执法装备购置2286.47万元。
# 主要用于…" names a spending item though 购置 is no fund word.
_LISTED_ANY_ITEM = re.compile(
    rf"^([\u4e00-\u9fff“”()、A-Za-z]{{2,40}}?)\s*({AMOUNT_NUMBER})\s*(亿元|万元|元)\s*(?=[,，。]?\s*$|[,，]\s*{_PURPOSE_LEAD})"
)
_PURPOSE_START = re.compile(rf"^\s*{_PURPOSE_LEAD}")


def _listed_item(cleaned: str, following: str | None) -> re.Match[str] | None:
    """The name and amount of a numbered spending item ("1.X专项经费100万元。主要用于…").

    A name ending in a fund word is enough. Any other name (…装备购置, …LED节能改造, …其他项目支出) counts only
    when the amount ends the item and what it was used for comes right after (", 主要用于…"
    or the next sentence): without a purpose the amount could be any figure about the item.
    """
    match = _LISTED_FUND_ITEM.match(cleaned)
    if match:
        return match
    match = _LISTED_ANY_ITEM.match(cleaned)
    # A spending category may end in 支出 ("7.其他项目支出90.40万元，主要用于…"); any other
    # figure label in the name makes it a budget statement.
    if match is None or _LABEL_WORDS_IN_NAME.search(match.group(1).removesuffix("支出")):
        return None
    ends_sentence = not cleaned[match.end() :].strip(" ,，。")
    if ends_sentence and not (following and _PURPOSE_START.match(following)):
        return None
    return match


def _disbursements(
    sentence: str, offset: int, text: str, mt: str, following: str | None, listed: bool
) -> list[Disbursement]:
    """Spending items: 'X实际支出 N 万元', or a numbered item 'X经费 N 万元' in a list."""
    out: list[Disbursement] = []
    figures = [f for f in _local_figures(sentence) if f.role == "actual"]
    clause_start = 0
    for n, fig in enumerate(figures):
        head = sentence[clause_start : fig.start]
        head = _ITEM_SEPARATOR.split(head)[-1] if _ITEM_SEPARATOR_HINT.search(head) else head
        name = _SUBJECT_NOISE.sub("", clean_name(head))
        name = clean_name(strip_trailing(name, _SUBJECT_TAIL))
        clause_start = fig.end
        if not name or name in _GENERIC_SUBJECTS or len(name) > 40:
            continue
        start = offset + (sentence.find(head.strip()) if head.strip() else fig.start)
        end = offset + fig.end
        out.append(
            Disbursement(
                name=original(text, mt, start, end, name),
                actual=fig.value,
                purpose=_purpose(
                    sentence[clause_start : figures[n + 1].start if n + 1 < len(figures) else None],
                    following if n + 1 == len(figures) else None,
                ),
                source=Source(start, end, text[start:end]),
                origin="narrative",
            )
        )
    if out or not listed:
        return out
    # A numbered list item naming a fund and one amount: the amount is what it received.
    match = _listed_item(clean_name(sentence), following)
    if match:
        cleaned = clean_name(sentence)
        lead = max(sentence.find(cleaned[:4]) if cleaned else 0, 0)
        while lead > 0 and sentence[lead - 1] in '“"‘「『':
            lead -= 1  # the name's opening quote belongs to the source
        # clean_name dropped quotes, so the figure is found in the sentence, not by length.
        figure = re.compile(rf"{re.escape(match.group(2))}\s*{match.group(3)}").search(sentence, lead)
        start = offset + lead
        end = offset + (figure.end() if figure else lead + match.end())
        out.append(
            Disbursement(
                name=original(text, mt, start, end, clean_name(match.group(1))),
                actual=to_wan_yuan(matched_number(match.group(2)), match.group(3)),
                purpose=_purpose(sentence[match.end() :], following),
                source=Source(start, end, text[start:end]),
                origin="narrative",
            )
        )
    return out


def _with_sub_items(
    found: list[Disbursement],
    sentence: str,
    offset: int,
    text: str,
    mt: str,
    following: str | None,
    headings: list[tuple[str, int]],
) -> list[Disbursement]:
    """A spending sentence's 其中 list: its items point at the head figure's item.

    The head is the actual figure just before the list; when its sentence names no fund
    ("2022年度决算支出 3635.1 万元，其中…"), it is the section's fund or 整体支出. The head's
    purpose is read before the list (or in the next sentence), each item's after its figure.
    """
    if not has_breakdown(sentence):
        return found
    labelled = list(_local_figures(sentence))
    parts, mark = breakdown(sentence, labelled)
    heads = [f for f in labelled if f.role == "actual" and mark is not None and f.end <= mark]
    if not parts or not heads:
        return found
    fig = heads[-1]
    by_end = {d.source.end - offset: d for d in found if d.source}
    head = by_end.get(fig.end)
    if head is None:
        head = _generic_head(sentence, offset, fig.end, text, mt, headings)
        found.append(head)
    head.purpose = _purpose(sentence[fig.end : mark], following)
    group = f"p{offset}"
    head.group = group
    linked = -1 if len(parts) >= 2 else None
    for n, part in enumerate(parts):
        item = by_end.get(part.end)
        if item is None:
            next_start = parts[n + 1].start if n + 1 < len(parts) else len(sentence)
            item = _part_item(part, sentence[part.purpose_from : next_start], offset, text, mt)
            found.append(item)
        item.group, item.parent = group, linked
    found.sort(key=lambda d: d.source.start if d.source else 0)
    return found


def _generic_head(
    sentence: str, offset: int, fig_end: int, text: str, mt: str, headings: list[tuple[str, int]]
) -> Disbursement:
    """The whole spending a sentence with no fund name breaks down (决算支出 N，其中…)."""
    start = offset + len(sentence) - len(sentence.lstrip())
    end = offset + fig_end
    head_fig = next(f for f in _local_figures(sentence) if f.end == fig_end)
    return Disbursement(
        name=_heading_name(headings, text, mt) or "整体支出",
        actual=head_fig.value,
        source=Source(start, end, text[start:end]),
        origin="narrative",
    )


def _part_item(part: Part, after: str, offset: int, text: str, mt: str) -> Disbursement:
    start, end = offset + part.start, offset + part.end
    budget = part.values.get("full_year", part.values.get("initial"))
    return Disbursement(
        name=original(text, mt, start, end, part.name),
        budget=budget,
        actual=part.values.get("actual"),
        purpose=_purpose(after, None),
        source=Source(start, end, text[start:end]),
        origin="narrative",
    )


# "主要用于：一是X资金 N 万元，主要用于…；二是…" / "…用于：（一）X经费 N 万元；（二）…": a colon
# opens a list of spending items, one per ';'-separated piece, each numbered.
_SPENDING_LIST_RE = re.compile(r"(?:主要用于|用于|主要包括|包括|具体如下|具体为)\s*:")
_LIST_ITEM_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+是|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|\d{1,2}[、.](?!\d))\s*"
)
_LIST_ITEM_RE = re.compile(
    rf"(?P<name>[^,:;。]{{2,40}}?(?:经费|资金|专项|项目|费|补助|补贴|奖励|资助|拨款))\s*(?P<num>{AMOUNT_NUMBER})\s*(?P<unit>亿元|万元|千元|元)"
)
SPENDING_LIST_MIN_ITEMS = 2


def _spending_list(sentence: str, offset: int, text: str, mt: str) -> list[Disbursement]:
    """Numbered spending items after "用于：", a bare amount each (the amount spent).

    Every piece must be numbered and read as "fund name + amount", and there must be two
    or more: otherwise it is prose that happens to follow a colon, and nothing is read.
    """
    opener = _SPENDING_LIST_RE.search(sentence)
    if opener is None:
        return []
    out: list[Disbursement] = []
    at = opener.end()
    for piece in sentence[opener.end() :].split(";"):
        number = _LIST_ITEM_NUMBER.match(piece)
        item = _LIST_ITEM_RE.match(piece, number.end()) if number else None
        if item is None:
            return []
        name = clean_name(item.group("name"))
        start, end = offset + at + item.start("name"), offset + at + item.end()
        out.append(
            Disbursement(
                name=original(text, mt, start, end, name),
                actual=to_wan_yuan(matched_number(item.group("num")), item.group("unit")),
                purpose=_purpose(piece[item.end() :], None),
                source=Source(start, end, text[start:end]),
                group=f"p{offset}",
                origin="narrative",
            )
        )
        at += len(piece) + 1
    return out if len(out) >= SPENDING_LIST_MIN_ITEMS else []


def _clause_groups(sentence: str) -> list[tuple[str, int]]:
    """A sentence cut at ';' into runs of clauses, each run speaking of one fund.

    "其中:基本支出全年预算…;项目支出全年预算…" holds two lines: a clause that names its own fund
    before its first figure starts a new run; a clause opening with a label ("实际支出…")
    continues the run before it. Returns (text, offset within the sentence) per run.
    """
    if ";" not in sentence:
        return [(sentence, 0)]  # one run: no need to read each part's subject
    groups: list[tuple[str, int]] = []
    pos = 0
    for part in sentence.split(";"):
        figures = _local_figures(part)
        names_fund = bool(figures) and _subject(part, figures[0].start) not in _GENERIC_SUBJECTS
        if groups and not names_fund:
            text, at = groups[-1]
            groups[-1] = (f"{text};{part}", at)
        else:
            groups.append((part, pos))
        pos += len(part) + 1
    return groups


def _continued_by_cut_off(sentence: str, offset: int, following: tuple[str, int]) -> bool:
    """Whether the next sentence, opening with a cut-off date ("截至2021年12月31日,实际支出…"),
    states what was spent of the budget this sentence states: a date names no fund, so it
    continues this sentence's line."""
    text, at = following
    if at != offset + len(sentence) or not CUT_OFF_START.match(text):
        return False
    if not _has_figure(sentence):
        return False
    budget = {"initial", "adjustment", "full_year", "budget"}
    roles = {f.role for f in _local_figures(sentence)}
    later = _local_figures(text)
    if not roles & budget or roles & {"actual", "rate"} or not later or later[0].role != "actual":
        return False
    return not budget & {f.role for f in later} and _subject(text, later[0].start) in _GENERIC_SUBJECTS


def _at_line_start(text: str, offset: int) -> bool:
    """Whether only whitespace stands between the start of its line and `offset`."""
    return not text[text.rfind("\n", 0, offset) + 1 : offset].strip()


def read_narrative(
    text: str, mt: str, regions: list[tuple[int, int]]
) -> tuple[list[BudgetLine], list[Disbursement]]:
    """Budget lines and disbursements from prose regions [(start, end)].

    Matching runs on the match text `mt`; sources and names are cut from the normalised `text`.
    """
    _local_figures.cache_clear()  # the cache serves one document (clauses and items re-read a sentence)
    _label_at_end.cache_clear()
    lines: list[BudgetLine] = []
    items: list[Disbursement] = []
    headings: list[tuple[str, int]] = []
    for region_start, region_end in regions:
        chunk = mt[region_start:region_end]
        sentences = [(m.group(0), region_start + m.start()) for m in _SENTENCE_SPLIT.finditer(chunk)]
        skip_next = False
        for idx, (sentence, offset) in enumerate(sentences):
            if skip_next:
                skip_next = False
                continue
            stripped = sentence.strip()
            if not stripped:
                continue
            # 截/至 first: a cut-off date (截至, 至年末) is rare, and the call costs more than the test.
            if (
                idx + 1 < len(sentences)
                and ("截" in sentences[idx + 1][0] or "至" in sentences[idx + 1][0])
                and _continued_by_cut_off(sentence, offset, sentences[idx + 1])
            ):
                sentence, skip_next = sentence + sentences[idx + 1][0], True
            if not _has_figure(sentence):
                # Cheap tests first: most sentences are neither headings nor hold a figure.
                if len(stripped) <= 40 and _HEADING_RE.match(stripped) and _at_line_start(text, offset):
                    headings.append((stripped, offset + sentence.find(stripped)))
                continue
            found: list[BudgetLine] = []
            for clause, at in _clause_groups(sentence):
                line = _budget_line(clause, offset + at, text, mt, headings)
                if line is None:
                    continue
                found.append(line)
                subs = _sub_lines(clause, offset + at, text, mt)
                if subs:
                    line.group = subs[0].group
                    found.extend(subs)
            if found:
                lines.extend(found)
                continue
            following = sentences[idx + 1][0] if idx + 1 < len(sentences) else None
            listed = bool(_HEADING_RE.match(stripped)) and _at_line_start(text, offset)
            found_items = _disbursements(sentence, offset, text, mt, following, listed)
            found_items = found_items or _spending_list(sentence, offset, text, mt)
            items.extend(_with_sub_items(found_items, sentence, offset, text, mt, following, headings))
    return lines, items
