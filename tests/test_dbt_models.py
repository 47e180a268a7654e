"""The dbt project on a small raw sample: `dbt build` (models, data tests, unit tests) then exact marts.

The sample (tests/fixtures/raw_sample.py) resembles the seed reports: 长沙市工业和信息化局 2022 and its
first edition, the same department in 2021, the 益阳 special fund, a 怀化 project form and two documents
the parser could not place. dbt runs in-process, once per module; target/ and logs/ go to tmp_path.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from dbt.cli.main import dbtRunnerResult

from tests.dbt_helpers import PROJECT_DIR, VARS, failures, run_dbt
from tests.fixtures.raw_sample import build_raw_sample

pytestmark = pytest.mark.slow  # one `dbt build` with unit tests: ~15 s on a 2-core machine


class Warehouse:
    """The built sample: its path, report ids by label, and a query helper."""

    def __init__(self, path: Path, report_ids: dict[str, str], work_dir: Path) -> None:
        self.path = path
        self.report_ids = report_ids
        self.labels = {report_id: label for label, report_id in report_ids.items()}
        self.work_dir = work_dir

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        con = duckdb.connect(str(self.path))
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def dbt(self, *args: str) -> dbtRunnerResult:
        """Invoke dbt in-process the way the flow does, with artefacts kept under work_dir."""
        return run_dbt(self.path, self.work_dir, *args, variables=VARS)


def source_tree_artefacts() -> set[str]:
    return {name for name in ("target", "logs", "dbt_packages", ".user.yml") if (PROJECT_DIR / name).exists()}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    work_dir = tmp_path_factory.mktemp("dbt")
    path = work_dir / "jixiao.duckdb"
    report_ids = build_raw_sample(path)
    before = source_tree_artefacts()
    built = Warehouse(path, report_ids, work_dir)
    result = built.dbt("build")
    assert result.success, "dbt build failed:\n" + "\n".join(failures(result))
    assert source_tree_artefacts() == before, "dbt wrote build artefacts into dbt_project/"
    yield built


# --- reports ----------------------------------------------------------------------------------


def test_reissued_report_replaces_the_first_edition(warehouse: Warehouse) -> None:
    reports = warehouse.rows("select report_id, department, fiscal_year, version_count from marts.dim_report")
    labels = {warehouse.labels[report_id] for report_id, *_ in reports}
    assert labels == {
        "changsha_2022",
        "changsha_2021",
        "yiyang_2022",
        "huaihua_2022",
        "unknown_a",
        "unknown_b",
    }
    current = next(row for row in reports if row[0] == warehouse.report_ids["changsha_2022"])
    assert current[1:] == ("长沙市工业和信息化局", 2022, 2)

    replaced = warehouse.report_ids["changsha_2022_v1"]
    for mart in ("fct_fund_execution", "fct_disbursement", "fct_indicator", "fct_anomaly"):
        assert warehouse.rows(f"select count(*) from marts.{mart} where report_id = ?", [replaced]) == [
            (0,)
        ], mart


def test_departments_share_a_key_across_years_and_spellings(warehouse: Warehouse) -> None:
    assert sorted(warehouse.rows("select * from marts.dim_department")) == [
        ("怀化市工业和信息化局", "怀化市工信局", "怀化市", 2022, 2022, 1),
        ("益阳市工业和信息化局", "益阳市工业和信息化局", "益阳市", 2022, 2022, 1),
        ("长沙市工业和信息化局", "长沙市工业和信息化局", "长沙市", 2021, 2022, 2),
    ]


# --- budget execution ---------------------------------------------------------------------------


def test_total_line_of_the_changsha_table(warehouse: Warehouse) -> None:
    [row] = warehouse.rows(
        """
        select initial_budget_wan_yuan, adjustment_wan_yuan, full_year_budget_wan_yuan, actual_wan_yuan,
               balance_wan_yuan, stated_execution_rate_pct, computed_execution_rate_pct, line_class, is_total,
               mention_count, has_conflict
        from marts.fct_fund_execution
        where report_id = ? and line_name = '合计'
        """,
        [warehouse.report_ids["changsha_2022"]],
    )
    assert row[:6] == (67895.07, 17683.42, 85578.49, 72375.11, 13203.38, 84.57)
    assert row[6] == pytest.approx(84.57, abs=0.01)
    # the table row and the 整体支出 sentence restating it are one fact
    assert row[7:] == ("total", True, 2, False)


def test_changsha_lines_are_reconciled_and_linked(warehouse: Warehouse) -> None:
    rows = warehouse.rows(
        """
        select line.line_name, line.line_class, line.rate_label, line.mention_count, parent.line_name
        from marts.fct_fund_execution as line
        left join marts.fct_fund_execution as parent on line.parent_line_id = parent.line_id
        where line.report_id = ?
        order by line.line_name
        """,
        [warehouse.report_ids["changsha_2022"]],
    )
    assert sorted(rows) == sorted(
        [
            ("合计", "total", "执行率", 2, None),
            ("基本支出", "basic", "执行率", 2, "合计"),  # + the 合计 of its breakdown table
            ("部门项目支出", "project", "执行率", 1, "合计"),
            ("公共项目支出", "public_project", "执行率", 2, "合计"),  # + the 公共项目 sentence
            ("人员经费", "personnel", "执行率", 1, "基本支出"),
            ("公用经费", "public_use", "执行率", 1, "基本支出"),
            ("三公经费", "three_public", "控制率", 2, None),  # table row + sentence
            ("公务用车购置和维护经费", "three_public", "控制率", 1, "三公经费"),
            ("公车购置", "three_public", "控制率", 1, "公务用车购置和维护经费"),
            ("公车运行维护", "three_public", "控制率", 1, "公务用车购置和维护经费"),
            ("因公出国（境）费", "three_public", "控制率", 1, "三公经费"),
            ("公务接待费", "three_public", "控制率", 1, "三公经费"),
            ("政府采购", "procurement", "执行率", 1, None),
            ("人社专项", "special_fund", "预算执行率", 1, None),
        ]
    )


def test_renshe_rate_is_computed_on_the_initial_budget(warehouse: Warehouse) -> None:
    [row] = warehouse.rows(
        """
        select full_year_budget_wan_yuan, budget_basis, budget_basis_wan_yuan, computed_execution_rate_pct,
               computed_balance_wan_yuan
        from marts.fct_fund_execution where report_id = ? and line_name = '人社专项'
        """,
        [warehouse.report_ids["changsha_2022"]],
    )
    assert row[:3] == (None, "initial_budget", 6000.0)
    assert row[3] == pytest.approx(23.68, abs=0.01)
    assert row[4] == pytest.approx(4578.98, abs=0.001)


def test_conflicting_mentions_keep_the_table_value(warehouse: Warehouse) -> None:
    [row] = warehouse.rows(
        """
        select actual_wan_yuan, mention_count, has_conflict, conflicting_measures
        from marts.fct_fund_execution where report_id = ? and line_name = '中小企业服务体系建设'
        """,
        [warehouse.report_ids["huaihua_2022"]],
    )
    assert row == (48.5, 2, True, ["actual_wan_yuan"])


def test_yiyang_fund_stated_three_times_is_judged_once(warehouse: Warehouse) -> None:
    """The fund in prose, the form's 年度资金总额 row and its 其中：当年财政拨款 row are one budget."""
    rows = warehouse.rows(
        """
        select line_name, form, mention_count, is_restatement, initial_budget_wan_yuan, full_year_budget_wan_yuan
        from marts.fct_fund_execution where report_id = ? order by line_no
        """,
        [warehouse.report_ids["yiyang_2022"]],
    )
    form = "服务先进制造业高质量发展专项资金"
    assert rows == [
        ("年度资金总额", form, 2, False, 752.0, 593.04),
        ("当年财政拨款", form, 1, True, 752.0, 593.04),
    ]
    assert [f for f in findings(warehouse) if f[0] == "yiyang_2022" and f[1] != "indicator_missed"] == [
        ("yiyang_2022", "masked_execution", "warning", f"{form} 年度资金总额")
    ]


# --- spending items and indicators --------------------------------------------------------------


def test_disbursements_leave_total_rows_out(warehouse: Warehouse) -> None:
    rows = warehouse.rows(
        "select item_name, amount_wan_yuan from marts.fct_disbursement where report_id = ? order by item_id",
        [warehouse.report_ids["changsha_2022"]],
    )
    assert rows == [
        ("人员经费", 2586.78),
        ("公用经费", 211.0),
        ("长沙市创新创业产品首次采购补贴奖励", 374.02),
        ("军民融合高层次人才引进奖励和项目资助", 1047.0),
    ]
    [(count, total)] = warehouse.rows(
        "select count(*), round(sum(amount_wan_yuan), 2) from marts.fct_disbursement where report_id = ?",
        [warehouse.report_ids["yiyang_2022"]],
    )
    assert (count, total) == (8, 593.04)


def test_indicators_are_parsed(warehouse: Warehouse) -> None:
    rows = warehouse.rows(
        """
        select level3, operator, target_value, actual_value, unit, is_met
        from marts.fct_indicator where report_id = ? order by indicator_id
        """,
        [warehouse.report_ids["huaihua_2022"]],
    )
    assert rows == [
        (None, "≥", 100.0, 90.0, "%", False),  # the form's 预算执行率 row
        ("服务中小企业数量", "≥", 500.0, 460.0, "家", False),
        ("培训合格率", "≥", 95.0, 97.0, "%", True),
        ("培训人均成本", "≤", 800.0, 760.0, "元", True),
        ("带动就业", "qualitative", None, None, None, None),
        ("企业满意度", "≥", 90.0, 92.0, "%", True),  # written >=90%
    ]
    [(count, met, unknown)] = warehouse.rows(
        "select count(*), count(*) filter (is_met), count(*) filter (is_met is null) from marts.fct_indicator where report_id = ?",
        [warehouse.report_ids["yiyang_2022"]],
    )
    assert (count, met, unknown) == (15, 9, 6)


# --- findings -------------------------------------------------------------------------------------

EXPECTED_FINDINGS = {
    ("changsha_2022", "low_execution_rate", "critical", "人社专项"),
    ("changsha_2022", "low_execution_rate", "critical", "部门项目支出"),
    ("changsha_2022", "low_execution_rate", "warning", "公共项目支出"),
    ("changsha_2022", "low_execution_rate", "warning", "合计"),
    ("changsha_2022", "stated_rate_mismatch", "warning", "公务接待费"),  # 1.16 ÷ 4.00 is 29.00%, not 28.88%
    ("changsha_2021", "over_execution", "warning", "项目支出"),
    ("changsha_2021", "total_mismatch", "warning", "合计 实际支出"),
    ("changsha_2021", "total_mismatch", "warning", "合计 结余"),
    ("changsha_2021", "total_mismatch", "warning", "支出明细 合计 实际支出"),
    ("changsha_2021", "balance_mismatch", "warning", "培训经费"),
    ("changsha_2021", "budget_mismatch", "warning", "信息化建设经费"),
    ("changsha_2021", "stated_rate_mismatch", "warning", "宣传经费"),
    ("changsha_2021", "missing_execution", "info", "安全生产专项"),
    ("changsha_2021", "control_rate_over", "warning", "三公经费控制率"),
    ("yiyang_2022", "masked_execution", "warning", "服务先进制造业高质量发展专项资金 年度资金总额"),
    ("yiyang_2022", "indicator_missed", "info", "服务先进制造业高质量发展专项资金 规模以上工业增加值"),
    ("huaihua_2022", "conflicting_figures", "warning", "中小企业服务体系建设 实际支出"),
    ("huaihua_2022", "indicator_missed", "warning", "中小企业发展专项 服务中小企业数量"),
    ("huaihua_2022", "indicator_missed", "warning", "中小企业发展专项 预算执行率"),
    ("huaihua_2022", "score_mismatch", "warning", "中小企业发展专项 自评得分"),
}


def findings(warehouse: Warehouse) -> set[tuple[str, str, str, str]]:
    rows = warehouse.rows("select report_id, rule_id, severity, subject from marts.fct_anomaly")
    return {
        (warehouse.labels[report_id], rule, severity, subject) for report_id, rule, severity, subject in rows
    }


def test_findings_are_exactly_the_expected_ones(warehouse: Warehouse) -> None:
    assert findings(warehouse) == EXPECTED_FINDINGS
    fired = {rule for _, rule, _, _ in EXPECTED_FINDINGS}
    assert fired == {rule for (rule,) in warehouse.rows("select rule_id from reference.anomaly_rules")}


@pytest.mark.parametrize(
    ("label", "subject", "rule"),
    [
        pytest.param("changsha_2022", "人员经费", None, id="healthy-94.19-percent"),
        pytest.param("changsha_2022", "基本支出", None, id="balance-off-by-exactly-0.01"),
        pytest.param("changsha_2022", "三公经费", None, id="control-rate-is-not-an-execution-rate"),
        pytest.param("changsha_2022", "政府雇员控制率", None, id="control-rate-exactly-100"),
        pytest.param(
            "changsha_2021", "信息化建设经费", "low_execution_rate", id="rate-exactly-at-the-threshold"
        ),
        pytest.param("changsha_2021", "基本支出", None, id="clean-line"),
        pytest.param("huaihua_2022", "中小企业发展专项 年度资金总额", None, id="rate-exactly-90"),
    ],
)
def test_healthy_lines_raise_nothing(
    warehouse: Warehouse, label: str, subject: str, rule: str | None
) -> None:
    raised = [f for f in findings(warehouse) if f[0] == label and f[3] == subject]
    assert not [f for f in raised if rule is None or f[1] == rule]


def test_messages_read_like_a_finance_officer_wrote_them(warehouse: Warehouse) -> None:
    messages = dict(warehouse.rows("select subject, message from marts.fct_anomaly"))
    assert messages["人社专项"] == (
        "人社专项 预算执行率 23.68%，低于 60% 的严重阈值（实际支出 1,421.02 万元 / 全年预算 6,000.00 万元）"
    )
    assert messages["服务先进制造业高质量发展专项资金 年度资金总额"] == (
        "服务先进制造业高质量发展专项资金 年度资金总额 全年预算由年初 752.00 万元调减至 593.04 万元，"
        "预算执行率 100.00% 看似正常，但按年初预算计仅 78.86%，低于 90% 的预警阈值"
        "（实际支出 593.04 万元 / 年初预算 752.00 万元）"
    )


def test_findings_keep_their_ids_across_runs_and_take_acks(warehouse: Warehouse) -> None:
    before = dict(warehouse.rows("select finding_id, status from marts.fct_anomaly"))
    assert set(before.values()) == {"open"}  # the stale ack in the sample attaches to nothing
    [(masked_id,)] = warehouse.rows(
        "select finding_id from marts.fct_anomaly where rule_id = 'masked_execution'"
    )

    con = duckdb.connect(str(warehouse.path))
    try:
        con.execute(
            "insert into ops.finding_acks values (?, 'finance officer', timestamp '2023-05-08 09:30', '已核实：年中调减')",
            [masked_id],
        )
    finally:
        con.close()
    result = warehouse.dbt("build", "--select", "fct_anomaly", "--exclude-resource-type", "unit_test")
    assert result.success, "\n".join(failures(result))

    after = dict(warehouse.rows("select finding_id, status from marts.fct_anomaly"))
    assert after.keys() == before.keys()
    assert {finding_id for finding_id, status in after.items() if status == "acked"} == {masked_id}
