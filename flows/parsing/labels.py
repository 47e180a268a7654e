"""The vocabulary of reports: what a column header or a label means, whatever its spelling.

All patterns run on the match text (simplified characters, NFKC-folded), see normalize.py.
"""

from __future__ import annotations

import re
from functools import lru_cache

from flows.parsing.normalize import match_text
from flows.parsing.per_document import per_document

# Column roles, checked in order: the first rule whose pattern matches the header wins.
# More specific spellings come first (调整后预算 is a full-year budget, not an adjustment).
COLUMN_ROLE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(pattern))
    for role, pattern in (
        ("seq", r"^(序号|编号|序)$"),
        ("prior", r"上年|上一年|去年|前年"),
        ("rate", r"执行率|控制率|完成率|支出率|使用率|执行进度"),
        ("weight", r"^(分值|权重|标准分|满分)"),
        ("score", r"^(得分|自评得分|评分)"),
        ("share", r"占比|比重|比例|构成"),
        ("balance", r"结余|结转|余额|剩余"),
        # "年度预算情况(万元)" heads a form's row labels, not a figure column.
        ("name", r"名称|^预算项目$|^项目$|^支出项目|^科目|分类|^类别|^单位|^资金来源$|^项目资金|情况$"),
        ("full_year", r"调整后|全年预算|全年指标|本年预算|预算总额|预算合计|全年.*预算|小计"),
        ("adjustment", r"追加|调整|调增|调减|追减|增减|变动数"),
        ("initial", r"年初|批复|预留|年初预算|预算批复|初始预算"),
        ("actual", r"实际|执行数|决算|支出数|拨付|已支出|完成数|执行金额|累计支出|支出金额|使用金额|到位"),
        ("full_year", r"预算|计划|安排|指标数|金额"),
        ("purpose", r"用途|用于|内容|说明|备注"),
        ("name", r"项目|名称|科目|分类|类别|资金|单位|支出|内容|经费"),
    )
)
RATE_ROLES = frozenset({"rate"})
FIGURE_COLUMN_ROLES = frozenset({"initial", "adjustment", "full_year", "actual", "balance", "rate", "prior"})
# Header labels as they run together when cell borders are lost ("序号项目年初预算年中追加…").
# Longer spellings first, so 项目名称 is one label, not 项目 + 名称.
GLUED_HEADER_RE = re.compile(
    r"序号|编号|项目名称|支出项目|预算项目|科目名称|单位名称|项目|科目|"
    r"年初预算数|年初预算|预算批复数|预算批复|年中追加数|年中追加|年中调整数|年中调整|调整后预算数|调整后预算|"
    r"调整预算数|调整预算|全年预算数|全年预算|本年预算数|本年预算|预算数|"
    r"实际支出数|实际支出|全年执行数|执行数|本年决算数|本年决算|上年决算数|上年决算|决算数|"
    r"指标结余|结转结余|结余|预算执行率|执行率|控制率|备注"
)
# A sentence opening with a cut-off date ("截至2021年12月31日,实际支出…") names no fund.
CUT_OFF_START = re.compile(r"^\s*(?:截[至止]|至\s*(?:年末|年底|(?:19|20)\d{2}\s*年))")
# Words a spending item's name ends in (智能制造专项, 生活补贴, 应急救援队伍建设补助).
ITEM_FUND_WORDS = r"经费|资金|专项|项目|费|补助|补贴|奖补|奖励"
# What a project's name ends in when it names no fund word (危桥改造工程, 贷款贴息).
PROJECT_WORDS = r"工程|贴息|建设|改造|购置|维护|运维|补偿|保障"
# Between a change word and its amount ("追加省级补助资金 350 万元"): at most this many
# characters before the fund word, none starting a figure label (追加后全年预算资金 is a full-year figure).
CHANGE_QUALIFIER_MAX = 8
CHANGE_QUALIFIER_STOP = r"预算|支出|执行|结余|决算|全年|合计|累计|实际|后|共"
AMOUNT_ROLES = frozenset({"initial", "adjustment", "full_year", "actual", "balance", "prior"})

ORG_SUFFIX = r"(?:局|委员会|委|厅|办公室|办|院|中心|部|所|站|馆|队|署|会|府|学校|医院|大学|学院|集团|公司|处|室|社|协会|联合会|支队|大队)"
# How a report refers to its own agency (我局, 本单位, 我厅 …): boilerplate, never a fund name.
AGENCY_WORDS = r"(?:单位|部门|中心|公司|局|厅|委|院|办|处|所|站|馆|部|署|会|社|队|校)"
ORG_AT_END = re.compile(rf"{ORG_SUFFIX}$")
# Total rows: 合计/总计/小计 alone, or a label ending in 合计/总计/总额 (年度资金总额, 三公经费合计).
TOTAL_NAME_RE = re.compile(r"^(合计|总计|小计|共计)$|(?:合计|总计|总额)$")
_NUMBERING_RE = re.compile(
    r"^\s*(?:其中\s*[:：]?\s*)?(?:"
    r"[(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]\s*[、.．]?"
    r"|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|\d{1,3}\s*[、.．](?!\d)"
    r"|\d{1,3}\s*[)）]"
    r"|[①-⑳⑴-⒇❶-❿➀-➉]"
    r")\s*"
)
# A cell that is only a row number (1, 12, 一, 十二, (一), 二、): a 序号, never a row's name.
ROW_NUMBER_RE = re.compile(r"^[(（]?(?:\d{1,3}|[一二三四五六七八九十]{1,3})[)）]?[、.．]?$")
_LEADING_QIZHONG_RE = re.compile(r"^\s*其中\s*[:：]?\s*")
_BRACKETED = re.compile(r"[(（\[][^)）\]]*[)）\]]")
_SPACE_IN_WORDS = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
_QIZHONG_RE = re.compile(r"^\s*(?:[\d.、]+\s*)?其中")
_QUOTES_RE = re.compile(r"[“”\"'‘’「」『』《》]")
# Trailing punctuation cut from names (whitespace too), see strip_trailing.
TRAILING_PUNCT = ",，.。;；:：、"


@lru_cache(maxsize=4096)
def column_role(header: str) -> str | None:
    """The meaning of a column from its header text, or None when unrecognised."""
    compact = "".join(header.split())
    compact = _BRACKETED.sub("", compact) or compact
    if not compact:
        return None
    for role, pattern in COLUMN_ROLE_RULES:
        if pattern.search(compact):
            return role
    return None


def strip_trailing(text: str, chars: str) -> str:
    """`text` without its trailing run of whitespace and `chars`.

    The same as re.sub(rf"[\\s{chars}]+$", "", text) (whitespace includes a final line
    break, so `$` matching before one changes nothing), but a regex ending in `+$` starts a
    match at every punctuation mark of the text and fails at all but the last.
    """
    end = len(text)
    while end and (text[end - 1] in chars or text[end - 1].isspace()):
        end -= 1
    return text[:end]


@per_document
def clean_name(name: str) -> str:
    """A line or item name as written, minus numbering, 其中, quotes and trailing punctuation."""
    text = " ".join(name.split())
    previous = None
    while previous != text:
        previous = text
        # Both patterns are anchored at the start: cutting their match off is their sub().
        numbering = _NUMBERING_RE.match(text)
        text = text[numbering.end() :] if numbering else text
        qizhong = _LEADING_QIZHONG_RE.match(text)
        text = text[qizhong.end() :] if qizhong else text
    text = _QUOTES_RE.sub("", text)
    text = strip_trailing(text, TRAILING_PUNCT)
    # Chinese words split by a stray space ("工业 30 条" keeps its spaces around digits).
    text = _SPACE_IN_WORDS.sub("", text) if " " in text else text
    return text.strip()


def is_total_name(name: str) -> bool:
    """合计/总计/小计 rows, and names ending in 合计 (局本级合计); 合計 counts too."""
    return bool(TOTAL_NAME_RE.search("".join(match_text(name).split())))


def is_qizhong(name: str) -> bool:
    """A row introduced by 其中 is a sub-item of the row above."""
    return bool(_QIZHONG_RE.match(name))
