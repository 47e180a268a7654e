"""The anomaly rules at their thresholds: dbt unit tests per rule, and thresholds as settings.

1. `dbt build --select +int_anomalies` on a warehouse holding the raw schema (dbt unit tests read
   the column types of a model's inputs from the warehouse, so the views they mock must exist and
   the build creates them in order) runs the unit tests of every rule before the views they test:
   models/intermediate/_intermediate__rule_unit_tests.yml (fire / not fire / exactly at the
   threshold or tolerance, per rule) and the rule tests of _intermediate__models.yml. Every rule_id
   of seeds/anomaly_rules.csv must appear in a unit test's expected findings.
2. The same views over a few raw rows, built with the flow's default thresholds and again with
   `--vars '{"low_rate_warning_pct": 80}'`: the setting changes what fires.

dbt runs in-process (dbtRunner) with target/ and logs/ under tmp_path, like tests/test_dbt_models.py
(both through tests/dbt_helpers.py).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from dbt.cli.main import dbtRunnerResult

from flows.warehouse.raw_schema import ensure_raw_schema
from tests.dbt_helpers import PROJECT_DIR, VARS, failures, run_dbt

INTERMEDIATE_DIR = PROJECT_DIR / "models" / "intermediate"
RULE_UNIT_TESTS = INTERMEDIATE_DIR / "_intermediate__rule_unit_tests.yml"
MODEL_UNIT_TESTS = INTERMEDIATE_DIR / "_intermediate__models.yml"

REPORT_ID = "c5a1e2d3f4b50622"

pytestmark = pytest.mark.slow  # two dbt invocations over ~17 views: about a minute on a 2-core machine


# --- helpers ----------------------------------------------------------------------------------


def unit_test_statuses(result: dbtRunnerResult) -> dict[str, str]:
    """{unit test name: status} of the unit tests an invocation ran."""
    assert result.result is not None
    return {r.node.name: str(r.status) for r in result.result.results if r.node.resource_type == "unit_test"}


def unit_tests_in(path: Path) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("unit_tests", [])


def rule_ids() -> list[str]:
    with (PROJECT_DIR / "seeds" / "anomaly_rules.csv").open(encoding="utf-8", newline="") as handle:
        return [row["rule_id"] for row in csv.DictReader(handle)]


def budget_row(line_no: int, name: str, snippet: str, **figures: float | None) -> dict[str, Any]:
    return {
        "report_id": REPORT_ID,
        "line_no": line_no,
        "name": name,
        "initial_budget": figures.get("initial"),
        "adjustment": None,
        "full_year_budget": figures.get("full_year"),
        "actual": figures.get("actual"),
        "balance": None,
        "execution_rate": figures.get("rate"),
        "rate_label": "预算执行率" if figures.get("rate") is not None else None,
        "weight": None,
        "score": None,
        "form": None,
        "group_id": figures.get("group_id"),
        "is_total": False,
        "parent_line_no": None,
        "origin": "table" if figures.get("group_id") else "narrative",
        "source_start": None,
        "source_end": None,
        "source_text": snippet,
    }


# What the parser would land for one 部门整体支出绩效自评报告 (amounts in 万元, rates in %).
BUDGET_LINES: list[dict[str, Any]] = [
    # 94.28%: healthy at any threshold used below.
    budget_row(
        1,
        "基本支出",
        "基本支出\t2,967.53\t2,797.78\t94.28%",
        full_year=2967.53,
        actual=2797.78,
        rate=94.28,
        group_id="t1",
    ),
    # 85.00%: below a 90% warning threshold, above an 80% one.
    budget_row(
        2,
        "项目支出",
        "项目支出\t1,000.00\t850.00\t85.00%",
        full_year=1000.00,
        actual=850.00,
        rate=85.00,
        group_id="t1",
    ),
    # 75.00%: below both.
    budget_row(
        3,
        "人社专项资金",
        "人社专项资金年初预算6,000万元，实际支出4,500万元，预算执行率75.00%",
        initial=6000.00,
        actual=4500.00,
        rate=75.00,
    ),
    # No stated rate: 100.08 ÷ 111.20 is exactly 90%, computed as 89.99999999999999 in doubles.
    budget_row(
        4, "公用经费", "公用经费全年预算111.20万元，实际支出100.08万元", full_year=111.20, actual=100.08
    ),
]


def create_warehouse(path: Path) -> None:
    """The raw schema as the flow creates it, with one current report's budget lines."""
    text = "\n".join(row["source_text"] for row in BUDGET_LINES)
    con = duckdb.connect(str(path))
    try:
        ensure_raw_schema(con)
        con.execute(
            "insert into raw.documents values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                REPORT_ID,
                REPORT_ID + "0" * 48,
                "inbox/长沙市工业和信息化局2022年部门整体支出绩效自评报告.docx",
                "f" * 64,
                "docx",
                "utf-8",
                text,
                len(text),
                "run-test",
                datetime(2023, 5, 6, 10, 0),
            ],
        )
        con.execute(
            "insert into raw.report_metadata values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [REPORT_ID, 2022, "长沙市工业和信息化局", "长沙市", "department_overall", None, None, None, None],
        )
        columns = list(BUDGET_LINES[0])
        con.executemany(
            f"insert into raw.budget_lines ({', '.join(columns)}) values ({', '.join('?' for _ in columns)})",
            [[row[column] for column in columns] for row in BUDGET_LINES],
        )
    finally:
        con.close()


def findings(path: Path) -> set[tuple[str, str, str, str]]:
    """(subject, rule_id, severity, expected) of every finding in the built views."""
    con = duckdb.connect(str(path))
    try:
        rows = con.execute(
            "select subject, rule_id, severity, expected from intermediate.int_anomalies"
        ).fetchall()
    finally:
        con.close()
    return {tuple(row) for row in rows}


@dataclass
class Built:
    warehouse: Path
    result: dbtRunnerResult


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """`dbt build --select +int_anomalies` with the default thresholds: unit tests, views, data tests."""
    work_dir = tmp_path_factory.mktemp("rules")
    warehouse = work_dir / "jixiao.duckdb"
    create_warehouse(warehouse)
    result = run_dbt(warehouse, work_dir, "build", "--select", "+int_anomalies", variables=VARS)
    assert result.success, "dbt build failed:\n" + "\n".join(failures(result))
    yield Built(warehouse, result)


# --- 1. unit tests ------------------------------------------------------------------------------


def test_every_rule_has_a_unit_test_that_fires_it() -> None:
    fired = {
        row["rule_id"]
        for path in (RULE_UNIT_TESTS, MODEL_UNIT_TESTS)
        for test in unit_tests_in(path)
        for row in test["expect"]["rows"]
        if "rule_id" in row
    }
    assert set(rule_ids()) <= fired, f"rules without a unit test: {sorted(set(rule_ids()) - fired)}"


def test_rule_unit_tests_pass(built: Built) -> None:
    statuses = unit_test_statuses(built.result)
    defined = [test["name"] for test in unit_tests_in(RULE_UNIT_TESTS)]
    assert len(defined) == len(set(defined))
    assert {name: statuses.get(name, "not run") for name in defined} == {name: "pass" for name in defined}
    # ... and every other unit test of the intermediate models ran and passed with them.
    others = [test["name"] for test in unit_tests_in(MODEL_UNIT_TESTS)]
    assert {name: statuses.get(name, "not run") for name in others} == {name: "pass" for name in others}


# --- 2. thresholds are settings -----------------------------------------------------------------


def test_default_thresholds_on_raw_rows(built: Built) -> None:
    # 85% and 75% are below 90%; 94.28% is not, and neither is 公用经费 at exactly 90% (its rate is
    # computed from the amounts, with floating-point noise, all the way through the views).
    assert findings(built.warehouse) == {
        ("项目支出", "low_execution_rate", "warning", "≥ 90%"),
        ("人社专项资金", "low_execution_rate", "warning", "≥ 90%"),
    }


def test_a_threshold_setting_changes_what_fires(tmp_path: Path) -> None:
    warehouse = tmp_path / "jixiao.duckdb"
    create_warehouse(warehouse)
    # The views only (and the seed they read): the unit tests ran in `built`.
    result = run_dbt(
        warehouse,
        tmp_path,
        "build",
        "--select",
        "+int_anomalies",
        "--resource-type",
        "seed",
        "--resource-type",
        "model",
        variables={**VARS, "low_rate_warning_pct": 80.0},
    )
    assert result.success, "dbt build failed:\n" + "\n".join(failures(result))
    # With the warning threshold at 80%, 项目支出 at 85% no longer fires; 人社专项资金 at 75% still does.
    assert findings(warehouse) == {
        ("人社专项资金", "low_execution_rate", "warning", "≥ 80%"),
    }
