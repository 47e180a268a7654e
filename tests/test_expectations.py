"""Great Expectations suites and checkpoint on small mart DataFrames built in code."""

from __future__ import annotations

from types import SimpleNamespace

import duckdb
import pandas as pd
import pytest

from expectations.checkpoint import ValidationSummary, run_checkpoint
from expectations.suites import CONTRACTS, MARTS, Thresholds, prepare_frame

# The contract's columns of fct_fund_execution, plus two more the mart has (rate_label decides
# execution vs control rate).
FUND_COLUMNS = [*CONTRACTS["fct_fund_execution"].columns, "rate_label", "is_total"]


def fund_line(name, budget, actual, stated, computed, label="预算执行率", report_id="r1"):
    return {
        "report_id": report_id,
        "line_name": name,
        "initial_budget_wan_yuan": budget,
        "adjustment_wan_yuan": 0.0,
        "full_year_budget_wan_yuan": budget,
        "actual_wan_yuan": actual,
        "balance_wan_yuan": None if budget is None or actual is None else budget - actual,
        "stated_execution_rate_pct": stated,
        "computed_execution_rate_pct": computed,
        "source_text": f"{name} 全年预算 {budget} 万元, 实际支出 {actual} 万元, {label} {stated}%",
        "rate_label": label,
        "is_total": False,
    }


def healthy_frames() -> dict[str, pd.DataFrame]:
    """A small, clean mart set: every suite passes on it."""
    dim_report = pd.DataFrame(
        {
            "report_id": ["r1", "r2"],
            "source_file": ["seeds/a.txt", "seeds/b.txt"],
            "content_sha256": ["a" * 64, "b" * 64],
            "fiscal_year": [2022, 2021],
            "department": ["长沙市工业和信息化局", "怀化市工业和信息化局"],
            "region": ["长沙市", "怀化市"],
            "report_kind": ["department_overall", "special_fund"],
            "self_score": [96.5, None],
            "grade": ["优秀", None],
        }
    )
    fund = pd.DataFrame(
        [
            fund_line("基本支出", 151.95, 151.31, 99.58, 99.58),
            # adjustment may be negative (调减)
            fund_line("项目支出", 200.0, 190.0, 95.0, 95.0) | {"adjustment_wan_yuan": -20.0},
            # stated vs computed exactly at the tolerance (0.05 pp) passes
            fund_line("专项资金", 100.0, 99.95, 99.95, 100.0),
            # a control rate: low is good, never an execution-rate finding
            fund_line("三公经费", 10.0, 4.163, 41.63, 41.63, label="三公经费控制率"),
            # a narrative line without amounts: nothing to compute, nothing to flag
            fund_line("整体", None, None, 98.0, None, report_id="r2"),
        ],
        columns=FUND_COLUMNS,
    )
    disbursement = pd.DataFrame(
        {
            "report_id": ["r2", "r2"],
            "item_name": ["智能制造专项", "技术改造"],
            "budget_wan_yuan": [None, 300.0],
            "amount_wan_yuan": [17803.08, 300.0],
            "purpose": ["支持企业智能化改造", None],
            "source_text": ["…", "…"],
        }
    )
    indicator = pd.DataFrame(
        {
            "report_id": ["r1", "r1"],
            "level1": ["产出指标", "满意度指标"],
            "level2": ["数量指标", "服务对象满意度指标"],
            "level3": ["支持企业数", "企业满意度"],
            "target_text": ["≥10家", "≥90%"],
            "actual_text": ["12家", None],
            "weight": [10.0, 10.0],
            "score": [10.0, 9.0],
            "is_met": pd.array([True, None], dtype="boolean"),
            "source_text": ["…", "…"],
        }
    )
    anomaly = pd.DataFrame(
        {
            "finding_id": ["f1"],
            "report_id": ["r1"],
            "rule_id": ["execution_rate_low"],
            "severity": ["warning"],
            "subject": ["项目支出"],
            "observed": ["95.00%"],
            "expected": [">= 90%"],
            "message": ["…"],
            "source_text": ["…"],
            "status": ["open"],
        }
    )
    return {
        "dim_report": dim_report,
        "fct_fund_execution": fund,
        "fct_disbursement": disbursement,
        "fct_indicator": indicator,
        "fct_anomaly": anomaly,
    }


def anomalous_frames() -> dict[str, pd.DataFrame]:
    """The healthy set plus one line or row for each anomaly rule."""
    frames = healthy_frames()
    extra = pd.DataFrame(
        [
            fund_line("智能制造专项", 50.0, 11.84, 23.68, 23.68),
            fund_line("公用经费", 80.0, 67.76, 84.57, 84.70),
            fund_line("超支项目", 20.0, 21.0, 105.0, 105.0),
            fund_line("公务接待费", 5.0, 6.0, 120.0, 120.0, label="公务接待费控制率"),
        ],
        columns=FUND_COLUMNS,
    )
    frames["fct_fund_execution"] = pd.concat([frames["fct_fund_execution"], extra], ignore_index=True)
    indicator = frames["fct_indicator"].copy()
    indicator.loc[len(indicator)] = {
        "report_id": "r1",
        "level1": "效益指标",
        "level2": "经济效益指标",
        "level3": "带动投资",
        "target_text": "≥5亿元",
        "actual_text": "3亿元",
        "weight": 10.0,
        "score": 6.0,
        "is_met": False,
        "source_text": "…",
    }
    frames["fct_indicator"] = indicator
    return frames


def failed_rules(summary: ValidationSummary, suite: str) -> set[str]:
    return {f.rule for f in summary.suite(suite).failures}


def unexpected_lines(summary: ValidationSummary, suite: str, rule: str) -> set[str]:
    failure = next(f for f in summary.suite(suite).failures if f.rule == rule)
    return {e["line_name"] for e in failure.examples}


@pytest.fixture(scope="module")
def anomalous() -> ValidationSummary:
    return run_checkpoint(anomalous_frames(), Thresholds(), data_docs_dir=None)


def test_healthy_marts_pass_and_data_docs_are_written(tmp_path):
    docs = tmp_path / "data_docs"
    summary = run_checkpoint(healthy_frames(), Thresholds(), docs, run_name="test-run")

    failures = [(s.suite_name, f.rule, f.examples, f.error) for s, f in summary.failures()]
    assert summary.success, failures
    assert summary.failed == 0
    assert summary.evaluated > 50
    assert [r.suite_name for r in summary.results] == [
        "contract_dim_report",
        "contract_fct_fund_execution",
        "contract_fct_disbursement",
        "contract_fct_indicator",
        "contract_fct_anomaly",
        "execution_rate_anomalies",
        "indicator_anomalies",
    ]
    assert summary.data_docs_index == (docs / "index.html").resolve()
    assert summary.data_docs_index.is_file()
    index = summary.data_docs_index.read_text(encoding="utf-8")
    assert "execution_rate_anomalies" in index
    pages = list(docs.glob("validations/**/*.html"))
    assert len(pages) == 7  # one page per suite

    again = run_checkpoint(healthy_frames(), Thresholds(), docs, run_name="test-run-2")
    assert again.data_docs_index == summary.data_docs_index
    assert len(list(docs.glob("validations/**/*.html"))) == 7  # the latest run only


def test_low_execution_rate_is_flagged_with_its_line(anomalous):
    assert not anomalous.success
    assert anomalous.contract_success  # the marts are well formed; the reports are not
    suite = anomalous.suite("execution_rate_anomalies")
    assert not suite.success
    assert "智能制造专项" in unexpected_lines(anomalous, suite.suite_name, "execution_rate_out_of_range")
    critical = next(f for f in suite.failures if f.rule == "execution_rate_critically_low")
    assert critical.severity == "critical"
    assert [(e["report_id"], e["line_name"]) for e in critical.examples] == [("r1", "智能制造专项")]
    assert critical.examples[0]["computed_execution_rate_pct"] == pytest.approx(23.68)


def test_stated_rate_differs_from_computed(anomalous):
    failure = next(
        f for f in anomalous.suite("execution_rate_anomalies").failures if f.rule == "stated_rate_mismatch"
    )
    assert [e["line_name"] for e in failure.examples] == ["公用经费"]  # not 专项资金 at exactly 0.05
    assert failure.examples[0]["rate_gap_pp"] == pytest.approx(0.13)
    assert failure.examples[0]["stated_execution_rate_pct"] == pytest.approx(84.57)


def test_over_execution_and_control_rates(anomalous):
    out_of_range = unexpected_lines(anomalous, "execution_rate_anomalies", "execution_rate_out_of_range")
    assert out_of_range == {"智能制造专项", "公用经费", "超支项目"}  # 84.70% is below 90% too
    assert "三公经费" not in out_of_range and "公务接待费" not in out_of_range
    assert unexpected_lines(anomalous, "execution_rate_anomalies", "control_rate_over_max") == {"公务接待费"}


def test_indicator_not_met(anomalous):
    suite = anomalous.suite("indicator_anomalies")
    assert failed_rules(anomalous, "indicator_anomalies") == {"indicator_not_met"}
    assert [e["level3"] for e in suite.failures[0].examples] == ["带动投资"]


def test_thresholds_change_the_verdict():
    frames = anomalous_frames()
    relaxed = Thresholds(low_rate_warning_pct=20, low_rate_critical_pct=10, over_execution_pct=110)
    summary = run_checkpoint(
        {"fct_fund_execution": frames["fct_fund_execution"]}, relaxed, data_docs_dir=None
    )
    assert failed_rules(summary, "execution_rate_anomalies") == {
        "stated_rate_mismatch",
        "control_rate_over_max",
    }
    assert summary.skipped_marts == ["dim_report", "fct_disbursement", "fct_indicator", "fct_anomaly"]


def test_empty_frames_do_not_crash():
    empty = {name: frame.iloc[0:0] for name, frame in healthy_frames().items()}
    summary = run_checkpoint(empty, Thresholds(), data_docs_dir=None)
    assert summary.success, [(s.suite_name, f.rule, f.error) for s, f in summary.failures()]


def test_frames_without_columns_fail_the_contract_without_crashing():
    summary = run_checkpoint({name: pd.DataFrame() for name in MARTS}, Thresholds(), data_docs_dir=None)
    assert not summary.success
    assert not summary.contract_success
    assert "column_exists.report_id" in failed_rules(summary, "contract_dim_report")
    anomaly_failures = summary.suite("execution_rate_anomalies").failures
    assert anomaly_failures and all(f.error for f in anomaly_failures)  # missing columns, not a crash


def test_contract_catches_bad_values():
    frames = healthy_frames()
    frames["dim_report"].loc[1, "report_kind"] = "annual"
    frames["fct_fund_execution"].loc[0, "actual_wan_yuan"] = -1.0
    anomaly = pd.concat([frames["fct_anomaly"]] * 2, ignore_index=True)
    anomaly.loc[1, "severity"] = "urgent"
    anomaly.loc[1, "rule_id"] = "not a rule"
    frames["fct_anomaly"] = anomaly

    summary = run_checkpoint(frames, Thresholds(), data_docs_dir=None)

    assert not summary.contract_success
    assert failed_rules(summary, "contract_dim_report") == {"in_set.report_kind"}
    assert failed_rules(summary, "contract_fct_fund_execution") == {"non_negative.actual_wan_yuan"}
    assert failed_rules(summary, "contract_fct_anomaly") == {
        "unique.finding_id",
        "in_set.severity",
        "pattern.rule_id",
    }
    kind = next(f for f in summary.suite("contract_dim_report").failures)
    assert kind.examples == [
        {
            "report_id": "r2",
            "department": "怀化市工业和信息化局",
            "fiscal_year": 2021,
            "report_kind": "annual",
        }
    ]


def test_known_rule_ids_are_enforced_when_given():
    summary = run_checkpoint(
        {"fct_anomaly": healthy_frames()["fct_anomaly"]},
        Thresholds(),
        data_docs_dir=None,
        rule_ids=("stated_rate_mismatch",),
    )
    assert failed_rules(summary, "contract_fct_anomaly") == {"in_set.rule_id"}


def test_frames_read_back_from_duckdb(tmp_path):
    """The dtypes DuckDB hands pandas 3 (str, nullable booleans, NaN) validate like the originals."""
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))  # not marts.duckdb: catalog = schema
    con.execute("create schema marts")
    for name, frame in anomalous_frames().items():
        con.register("frame", frame)
        con.execute(f"create table marts.{name} as select * from frame")
        con.unregister("frame")
    frames = {name: con.execute(f"select * from marts.{name}").df() for name in MARTS}
    con.close()

    summary = run_checkpoint(frames, Thresholds(), data_docs_dir=None)

    assert summary.contract_success, [(s.suite_name, f.rule, f.error) for s, f in summary.failures()]
    assert failed_rules(summary, "execution_rate_anomalies") == {
        "execution_rate_out_of_range",
        "execution_rate_critically_low",
        "stated_rate_mismatch",
        "control_rate_over_max",
    }
    assert failed_rules(summary, "indicator_anomalies") == {"indicator_not_met"}


def test_prepare_frame_derives_gap_and_kind():
    frame = healthy_frames()["fct_fund_execution"].set_index("line_name", drop=False)
    prepared = prepare_frame("fct_fund_execution", frame)
    assert list(prepared.index) == list(range(len(frame)))
    assert list(prepared["rate_kind"]) == ["execution", "execution", "execution", "control", "no_budget"]
    assert prepared["rate_gap_pp"].iloc[2] == pytest.approx(0.05)
    assert pd.isna(prepared["rate_gap_pp"].iloc[4])
    assert "rate_gap_pp" not in frame.columns  # the caller's frame is left alone


def test_thresholds_from_settings_and_unknown_marts():
    assert Thresholds.from_settings(SimpleNamespace(low_rate_warning_pct=80, other=1)) == Thresholds(
        low_rate_warning_pct=80
    )
    with pytest.raises(ValueError, match="unknown mart"):
        run_checkpoint({"fct_nope": pd.DataFrame()}, Thresholds(), data_docs_dir=None)
