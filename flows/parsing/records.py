"""Typed records the parser returns: one dataclass per kind of extracted content.

Amounts are in 万元 and rates in percent. `None` means the report does not state the value
(never 0 for unknown). Every item carries a `Source` span into the normalised text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True, frozen=True)
class Source:
    """Where an item came from: character span [start, end) in the normalised text."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class ReportMeta:
    """Report-level facts (报告基本信息)."""

    fiscal_year: int | None = None  # 年度
    department: str | None = None  # 部门/单位
    region: str | None = None  # 地区 (省/市/区县)
    report_kind: str | None = None  # department_overall | project | special_fund
    self_score: float | None = None  # 自评得分
    grade: str | None = None  # 等级: 优秀/良好/合格/差
    title: str | None = None  # 标题
    published_on: str | None = None  # 落款日期, ISO yyyy-mm-dd


@dataclass(slots=True)
class BudgetLine:
    """One budget-execution line (预算执行): a table row or a narrative sentence."""

    name: str
    initial_budget: float | None = None  # 年初预算
    adjustment: float | None = None  # 年中追加/调整 (may be negative)
    full_year_budget: float | None = None  # 全年预算
    actual: float | None = None  # 实际支出/执行数
    balance: float | None = None  # 结余
    execution_rate: float | None = None  # 预算执行率 (%), as stated
    rate_label: str | None = None  # the rate's own label: 预算执行率 / 执行率 / 控制率
    # A self-evaluation form scores its budget block (分值 10, 得分 9.68); form total =
    # this score + the indicators' scores. Only stated by forms, so only output when stated.
    weight: float | None = None  # 分值
    score: float | None = None  # 得分
    form: str | None = None  # which project form, when a document holds several
    source: Source | None = None
    group: str | None = None  # table or paragraph id, e.g. "t3" / "p12"
    is_total: bool = False  # 合计/总计/小计 row
    parent: int | None = None  # index of the total line this row sums into
    origin: str = "table"  # table | narrative


@dataclass(slots=True)
class Disbursement:
    """One spending item (支出明细/项目): what the money went to."""

    name: str
    budget: float | None = None  # 预算数
    actual: float | None = None  # 实际支出/决算数
    purpose: str | None = None  # 主要用于…
    form: str | None = None
    source: Source | None = None
    group: str | None = None
    is_total: bool = False
    parent: int | None = None
    origin: str = "table"


@dataclass(slots=True)
class Indicator:
    """One performance indicator row (绩效指标)."""

    level1: str | None = None  # 一级指标
    level2: str | None = None  # 二级指标
    level3: str | None = None  # 三级指标
    target: str | None = None  # 年度指标值/指标值 as written, e.g. "≥90%"
    actual: str | None = None  # 实际完成值/完成值 as written
    weight: float | None = None  # 分值/权重
    score: float | None = None  # 得分
    note: str | None = None  # 偏差原因/未完成原因
    form: str | None = None
    source: Source | None = None


@dataclass(slots=True)
class Ratio:
    """A named ratio stated in the text (控制率, 执行率, 满意度, 到位率 ...), in percent."""

    name: str
    value: float
    source: Source | None = None


@dataclass(slots=True)
class Extraction:
    """Everything the parser found in one document."""

    report: ReportMeta = field(default_factory=ReportMeta)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    disbursements: list[Disbursement] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    ratios: list[Ratio] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The `jixiao extract` JSON contract (plus a few extra keys per item)."""
        return {
            "report": asdict(self.report),
            "budget_lines": [_budget_line_dict(x) for x in self.budget_lines],
            "disbursements": [asdict(x) for x in self.disbursements],
            "indicators": [asdict(x) for x in self.indicators],
            "ratios": [asdict(x) for x in self.ratios],
            "warnings": list(self.warnings),
        }


def _budget_line_dict(line: BudgetLine) -> dict[str, Any]:
    """A budget line's JSON: `weight`/`score` appear only on form rows that state them."""
    data = asdict(line)
    if line.weight is None and line.score is None:
        del data["weight"], data["score"]
    return data
