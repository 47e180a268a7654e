"""Expectation suites for the marts, built in code from thresholds (阈值).

Two kinds of suite:

- `contract` suites, one per mart: the columns the marts promise (字段契约), keys not null and
  unique, enumerations in their sets, amounts (万元) >= 0 and rates (%) within 0..1000. A
  failure here means the warehouse itself is wrong, not a report.
- `anomaly` suites: what a finance officer would question in a report. `execution_rate_anomalies`
  on fct_fund_execution (预算执行率 too low or above 100%, stated rate ≠ computed rate, a 控制率
  above its ceiling) and `indicator_anomalies` on fct_indicator (绩效指标未完成).

Great Expectations is imported lazily inside the builders, so `Thresholds` and the contracts
can be imported (by settings, the CLI, alerting) without paying GX's ~2-3 s import.
Every expectation carries GX's own `severity` and a `meta["rule"]` name, so a failure can be
mapped to a finding-like record; `prepare_frame` gives every frame a RangeIndex so that GX's
`unexpected_index_list` is a list of row positions in the validated frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    import great_expectations as gx

MARTS: tuple[str, ...] = (
    "dim_report",
    "fct_fund_execution",
    "fct_disbursement",
    "fct_indicator",
    "fct_anomaly",
)
REPORT_KINDS: tuple[str, ...] = ("department_overall", "project", "special_fund")
SEVERITIES: tuple[str, ...] = ("critical", "warning", "info")
FINDING_STATUSES: tuple[str, ...] = ("open", "acked")
# Used for fct_anomaly.rule_id when no explicit list of rule ids is given: snake_case,
# optionally dotted or dashed (e.g. `execution_rate.low`, `r-001`).
RULE_ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.\-]*$"
# A line whose rate label contains this is a control rate (控制率: spending ÷ allowance,
# ≤ 100% is good), not an execution rate (执行率).
CONTROL_RATE_MARKER = "控制率"

# Derived columns added by `prepare_frame` to fct_fund_execution.
RATE_GAP_COLUMN = "rate_gap_pp"
RATE_KIND_COLUMN = "rate_kind"  # execution | control | no_budget


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Thresholds of the anomaly suites, in percent (%) and percentage points (pp)."""

    low_rate_warning_pct: float = 90  # 预算执行率 below this needs an explanation
    low_rate_critical_pct: float = 60  # 预算执行率 below this is critical
    over_execution_pct: float = 100  # 超预算执行: computed rate above this
    rate_tolerance_pp: float = 0.05  # |stated - computed| 执行率 allowed (rounding)
    control_rate_max_pct: float = 100  # 控制率 ceiling

    @classmethod
    def from_settings(cls, settings: object) -> Thresholds:
        """Take each threshold the settings object has under the same name; defaults elsewhere."""
        values = {f.name: getattr(settings, f.name) for f in fields(cls) if hasattr(settings, f.name)}
        return cls(**values)


@dataclass(frozen=True, slots=True)
class MartContract:
    """What one mart promises (字段契约) and which columns identify one of its rows."""

    columns: tuple[str, ...]
    row_keys: tuple[str, ...]  # shown with every unexpected row, to find it again
    not_null: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()
    non_negative: tuple[str, ...] = ()  # amounts in 万元
    rates_pct: tuple[str, ...] = ()  # rates in percent, 0..1000
    in_sets: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Extra columns worth showing next to a failure.
    context_columns: tuple[str, ...] = ()


CONTRACTS: dict[str, MartContract] = {
    "dim_report": MartContract(
        columns=(
            "report_id",
            "source_file",
            "content_sha256",
            "fiscal_year",
            "department",
            "region",
            "report_kind",
            "self_score",
            "grade",
        ),
        row_keys=("report_id", "department", "fiscal_year"),
        not_null=("report_id", "content_sha256"),
        unique=("report_id",),
        in_sets=(("report_kind", REPORT_KINDS),),
    ),
    "fct_fund_execution": MartContract(
        columns=(
            "report_id",
            "line_name",
            "initial_budget_wan_yuan",
            "adjustment_wan_yuan",
            "full_year_budget_wan_yuan",
            "actual_wan_yuan",
            "balance_wan_yuan",
            "stated_execution_rate_pct",
            "computed_execution_rate_pct",
            "source_text",
        ),
        row_keys=("report_id", "line_name"),
        not_null=("report_id", "line_name"),
        # adjustment (年中追加/调减) may be negative by nature; balance (结余) is negative
        # whenever a line is over-executed, which the anomaly suite reports as a finding.
        non_negative=(
            "initial_budget_wan_yuan",
            "full_year_budget_wan_yuan",
            "actual_wan_yuan",
        ),
        rates_pct=("stated_execution_rate_pct", "computed_execution_rate_pct"),
        context_columns=(
            "rate_label",
            "full_year_budget_wan_yuan",
            "actual_wan_yuan",
            "stated_execution_rate_pct",
            "computed_execution_rate_pct",
        ),
    ),
    "fct_disbursement": MartContract(
        columns=(
            "report_id",
            "item_name",
            "budget_wan_yuan",
            "amount_wan_yuan",
            "purpose",
            "source_text",
        ),
        row_keys=("report_id", "item_name"),
        not_null=("report_id", "item_name"),
        non_negative=("budget_wan_yuan", "amount_wan_yuan"),
    ),
    "fct_indicator": MartContract(
        columns=(
            "report_id",
            "level1",
            "level2",
            "level3",
            "target_text",
            "actual_text",
            "weight",
            "score",
            "is_met",
            "source_text",
        ),
        row_keys=("report_id", "level1", "level2", "level3"),
        not_null=("report_id",),
        non_negative=("weight", "score"),
        context_columns=("target_text", "actual_text"),
    ),
    "fct_anomaly": MartContract(
        columns=(
            "finding_id",
            "report_id",
            "rule_id",
            "severity",
            "subject",
            "observed",
            "expected",
            "message",
            "source_text",
            "status",
        ),
        row_keys=("finding_id", "report_id", "rule_id"),
        not_null=("finding_id", "report_id", "rule_id", "severity"),
        unique=("finding_id",),
        in_sets=(("severity", SEVERITIES), ("status", FINDING_STATUSES)),
        context_columns=("subject",),
    ),
}


@dataclass(frozen=True, slots=True)
class SuiteSpec:
    """One suite to run: its name, the mart it validates, its kind, and how to build it."""

    name: str
    mart: str
    kind: str  # contract | anomaly
    build: Callable[[], gx.ExpectationSuite] = field(repr=False, compare=False)


def contract_suite(mart: str, rule_ids: tuple[str, ...] | None = None) -> gx.ExpectationSuite:
    """The contract suite of one mart (`contract_<mart>`); `rule_ids` pins fct_anomaly.rule_id."""
    import great_expectations as gx

    contract = CONTRACTS[mart]
    exp = gx.expectations
    suite = gx.ExpectationSuite(name=f"contract_{mart}", meta={"mart": mart, "kind": "contract"})

    def add(kind: type, rule: str, description: str, **kwargs: Any) -> None:
        meta = {"rule": rule, "mart": mart, "kind": "contract"}
        suite.add_expectation(kind(severity="critical", meta=meta, description=description, **kwargs))

    for column in contract.columns:
        add(
            exp.ExpectColumnToExist,
            f"column_exists.{column}",
            f"{mart}.{column} exists (字段存在)",
            column=column,
        )
    for column in contract.not_null:
        add(
            exp.ExpectColumnValuesToNotBeNull,
            f"not_null.{column}",
            f"{mart}.{column} is never null (不得为空)",
            column=column,
        )
    for column in contract.unique:
        add(
            exp.ExpectColumnValuesToBeUnique,
            f"unique.{column}",
            f"{mart}.{column} is unique (唯一)",
            column=column,
        )
    for column in contract.non_negative:
        add(
            exp.ExpectColumnValuesToBeBetween,
            f"non_negative.{column}",
            f"{mart}.{column} >= 0 万元 (金额非负)",
            column=column,
            min_value=0,
        )
    for column in contract.rates_pct:
        add(
            exp.ExpectColumnValuesToBeBetween,
            f"rate_range.{column}",
            f"{mart}.{column} between 0 and 1000 % (比率范围)",
            column=column,
            min_value=0,
            max_value=1000,
        )
    for column, values in contract.in_sets:
        add(
            exp.ExpectColumnValuesToBeInSet,
            f"in_set.{column}",
            f"{mart}.{column} in {{{', '.join(values)}}}",
            column=column,
            value_set=list(values),
        )
    if mart == "fct_anomaly" and rule_ids:
        add(
            exp.ExpectColumnValuesToBeInSet,
            "in_set.rule_id",
            f"fct_anomaly.rule_id is one of the {len(rule_ids)} known rules",
            column="rule_id",
            value_set=list(rule_ids),
        )
    elif mart == "fct_anomaly":
        add(
            exp.ExpectColumnValuesToMatchRegex,
            "pattern.rule_id",
            f"fct_anomaly.rule_id looks like a rule id ({RULE_ID_PATTERN})",
            column="rule_id",
            regex=RULE_ID_PATTERN,
        )
    return suite


def execution_rate_anomalies(thresholds: Thresholds) -> gx.ExpectationSuite:
    """预算执行率 anomalies on fct_fund_execution, run on the frame from `prepare_frame`.

    - every line with a budget whose rate is an execution rate: computed 执行率 between
      `low_rate_warning_pct` and `over_execution_pct` (warning), and not below
      `low_rate_critical_pct` (critical). Control-rate lines (控制率) are left out: for them a
      low rate is good.
    - every line stating a rate: |stated - computed| <= `rate_tolerance_pp` (derived column
      `rate_gap_pp`, see `prepare_frame`).
    - control lines (rate label contains 控制率): stated rate <= `control_rate_max_pct`.
    """
    import great_expectations as gx
    from great_expectations.expectations.row_conditions import Column

    t = thresholds
    exp = gx.expectations
    suite = gx.ExpectationSuite(
        name="execution_rate_anomalies",
        meta={
            "mart": "fct_fund_execution",
            "kind": "anomaly",
            "thresholds": thresholds_as_dict(thresholds),
        },
    )
    execution_lines = Column(RATE_KIND_COLUMN) == "execution"
    control_lines = Column(RATE_KIND_COLUMN) == "control"

    def add(kind: type, rule: str, severity: str, description: str, **kwargs: Any) -> None:
        meta = {"rule": rule, "mart": "fct_fund_execution", "kind": "anomaly"}
        suite.add_expectation(kind(severity=severity, meta=meta, description=description, **kwargs))

    add(
        exp.ExpectColumnValuesToBeBetween,
        "execution_rate_out_of_range",
        "warning",
        f"预算执行率 (computed) between {t.low_rate_warning_pct:g}% and {t.over_execution_pct:g}%"
        " on every line with a budget",
        column="computed_execution_rate_pct",
        min_value=t.low_rate_warning_pct,
        max_value=t.over_execution_pct,
        mostly=1.0,
        row_condition=execution_lines,
    )
    add(
        exp.ExpectColumnValuesToBeBetween,
        "execution_rate_critically_low",
        "critical",
        f"预算执行率 (computed) not below {t.low_rate_critical_pct:g}%",
        column="computed_execution_rate_pct",
        min_value=t.low_rate_critical_pct,
        mostly=1.0,
        row_condition=execution_lines,
    )
    add(
        exp.ExpectColumnValuesToBeBetween,
        "stated_rate_mismatch",
        "warning",
        f"|stated - computed| 执行率 <= {t.rate_tolerance_pp:g} pp (报告所述执行率与测算一致)",
        column=RATE_GAP_COLUMN,
        min_value=0,
        max_value=t.rate_tolerance_pp,
        mostly=1.0,
    )
    add(
        exp.ExpectColumnValuesToBeBetween,
        "control_rate_over_max",
        "warning",
        f"控制率 (stated) <= {t.control_rate_max_pct:g}%",
        column="stated_execution_rate_pct",
        max_value=t.control_rate_max_pct,
        mostly=1.0,
        row_condition=control_lines,
    )
    return suite


def indicator_anomalies() -> gx.ExpectationSuite:
    """绩效指标 anomalies on fct_indicator: no indicator is marked as not met (is_met = false)."""
    import great_expectations as gx

    suite = gx.ExpectationSuite(name="indicator_anomalies", meta={"mart": "fct_indicator", "kind": "anomaly"})
    # NotBeInSet([False]) rather than BeInSet([True]): it reads as the rule (is_met is not
    # false) and behaves the same on numpy bool, object and pandas' nullable boolean dtype;
    # null (not stated) passes either way.
    suite.add_expectation(
        gx.expectations.ExpectColumnValuesToNotBeInSet(
            column="is_met",
            value_set=[False],
            mostly=1.0,
            severity="warning",
            meta={
                "rule": "indicator_not_met",
                "mart": "fct_indicator",
                "kind": "anomaly",
            },
            description="绩效指标已完成: is_met is not false",
        )
    )
    return suite


def build_suites(thresholds: Thresholds, rule_ids: tuple[str, ...] | None = None) -> list[SuiteSpec]:
    """All suites, contracts first, in a stable order."""
    specs = [
        SuiteSpec(
            name=f"contract_{mart}",
            mart=mart,
            kind="contract",
            build=lambda mart=mart: contract_suite(mart, rule_ids),
        )
        for mart in MARTS
    ]
    specs.append(
        SuiteSpec(
            name="execution_rate_anomalies",
            mart="fct_fund_execution",
            kind="anomaly",
            build=lambda: execution_rate_anomalies(thresholds),
        )
    )
    specs.append(
        SuiteSpec(
            name="indicator_anomalies",
            mart="fct_indicator",
            kind="anomaly",
            build=indicator_anomalies,
        )
    )
    return specs


def prepare_frame(mart: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as validated: a copy with a RangeIndex, plus derived columns where needed.

    GX reports unexpected rows by index label; a RangeIndex makes those labels row positions
    that `run_checkpoint` maps back to report_id / line_name.

    fct_fund_execution gets two derived columns, because GX 1.x has no expectation that
    compares two columns within a tolerance (`ExpectColumnPairValuesToBeEqual` is exact,
    `UnexpectedRowsExpectation` needs SQL, and SQL on DuckDB via duckdb-engine is broken) and
    its row conditions cannot test "label contains 控制率":

    - `rate_gap_pp` = |stated - computed| 执行率 in percentage points, rounded to 1e-6 so that
      a gap of exactly the tolerance is not failed by float noise; null when either is missing.
    - `rate_kind`: `control` when rate_label contains 控制率, else `execution` when the line has
      a budget (全年预算, else 年初预算, > 0), else `no_budget`.

    The derived columns are plain columns, so they show up in Data Docs next to the others.
    Missing source columns are left missing: the contract suite reports them.
    """
    prepared = frame.reset_index(drop=True).copy()
    if mart != "fct_fund_execution":
        return prepared
    columns = prepared.columns
    if "computed_execution_rate_pct" in columns:
        # 100.08 ÷ 111.20 × 100 is 89.99999999999999: round as the dbt rules do, so a rate of
        # exactly a threshold is not failed by float noise.
        prepared["computed_execution_rate_pct"] = pd.to_numeric(
            prepared["computed_execution_rate_pct"], errors="coerce"
        ).round(6)
    if {"stated_execution_rate_pct", "computed_execution_rate_pct"} <= set(columns):
        stated = pd.to_numeric(prepared["stated_execution_rate_pct"], errors="coerce")
        computed = pd.to_numeric(prepared["computed_execution_rate_pct"], errors="coerce")
        prepared[RATE_GAP_COLUMN] = (stated - computed).abs().round(6).astype("float64")
    budget = pd.Series(float("nan"), index=prepared.index, dtype="float64")
    for column in ("full_year_budget_wan_yuan", "initial_budget_wan_yuan"):
        if column in columns:
            budget = budget.fillna(pd.to_numeric(prepared[column], errors="coerce"))
    label = (
        prepared["rate_label"].astype("object").where(prepared["rate_label"].notna(), "")
        if "rate_label" in columns
        else pd.Series("", index=prepared.index, dtype="object")
    )
    is_control = label.map(lambda value: CONTROL_RATE_MARKER in str(value)).astype(bool)
    kind = pd.Series("no_budget", index=prepared.index, dtype="object")
    kind[budget.gt(0)] = "execution"
    kind[is_control] = "control"
    prepared[RATE_KIND_COLUMN] = kind
    return prepared


def example_columns(mart: str, column: str | None) -> list[str]:
    """Columns to show for an unexpected row: the row's keys, the checked column, context."""
    contract = CONTRACTS.get(mart)
    names: list[str] = list(contract.row_keys) if contract else []
    if column:
        names.append(column)
    if contract:
        names.extend(contract.context_columns)
    if mart == "fct_fund_execution" and column == RATE_GAP_COLUMN:
        names.append(RATE_GAP_COLUMN)
    return list(dict.fromkeys(names))


def thresholds_as_dict(thresholds: Thresholds) -> dict[str, float]:
    """The thresholds as a plain dict (for logs and the suite's metadata in Data Docs)."""
    return {f.name: getattr(thresholds, f.name) for f in fields(thresholds)}
