"""What analysts touch: the SQL cookbook (docs/cookbook.md), `jixiao query` and `jixiao export`.

One warehouse per module, built from seeds/*.txt without Prefect: parse_file → land_batch →
`dbt build` in-process (invoke_dbt, which closes dbt's DuckDB handle afterwards). Every ```sql
block of the cookbook runs on it and must return the columns its "Returns:" line promises; the
CLI runs as analysts run it, a subprocess of the venv's `jixiao`.
"""

from __future__ import annotations

import codecs
import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from flows.ingest.batch import InboxFile, parse_file
from flows.settings import get_settings
from flows.warehouse.loader import land_batch
from flows.warehouse.raw_schema import ensure_raw_schema

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
COOKBOOK = ROOT / "docs" / "cookbook.md"
JIXIAO = Path(sys.executable).with_name("jixiao")  # .venv/bin/jixiao under `make test`
MARTS = (
    "dim_department",
    "dim_report",
    "fct_anomaly",
    "fct_disbursement",
    "fct_fund_execution",
    "fct_indicator",
)

pytestmark = pytest.mark.slow  # one `dbt build` (~20 s of CPU) and ten CLI start-ups (~2.5 s each)


# --- the cookbook, parsed -----------------------------------------------------------------------

_SECTION = re.compile(r"^## (?P<title>.+?)\n(?P<body>.*?)(?=^## |\Z)", re.S | re.M)
_SQL_BLOCK = re.compile(r"^```sql\n(?P<sql>.*?)^```", re.S | re.M)
_RETURNS = re.compile(r"^Returns: (?P<columns>.+)$", re.M)


def _recipes() -> list[dict[str, object]]:
    """Each `## N. question` section: its title, its one ```sql block and its Returns: columns."""
    recipes = []
    for section in _SECTION.finditer(COOKBOOK.read_text(encoding="utf-8")):
        blocks = _SQL_BLOCK.findall(section["body"])
        if not blocks:
            continue
        returns = _RETURNS.search(section["body"])
        recipes.append(
            {
                "title": section["title"].strip(),
                "number": int(section["title"].split(".", 1)[0]),
                "blocks": blocks,
                "columns": re.findall(r"`([^`]+)`", returns["columns"]) if returns else [],
            }
        )
    return recipes


RECIPES = _recipes()
RECIPE_PARAMS = [pytest.param(r, id=f"recipe-{r['number']}") for r in RECIPES]


def _by_number(number: int) -> str:
    (recipe,) = [r for r in RECIPES if r["number"] == number]
    return recipe["blocks"][0]


# --- the warehouse ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """seeds/*.txt landed and built into marts, in a tmp DuckDB file (dbt target/logs beside it)."""
    from flows.tasks.transform import invoke_dbt  # imports Prefect (~4 s): only when the module runs

    path = tmp_path_factory.mktemp("cookbook") / "warehouse" / "jixiao.duckdb"
    path.parent.mkdir()
    settings = get_settings(warehouse=path, inbox=SEEDS)
    items = [InboxFile(str(p), p.name, p.stat().st_size) for p in sorted(SEEDS.glob("*.txt"))]
    parsed = [parse_file(item, settings.max_file_bytes, settings.parse_timeout_seconds) for item in items]
    assert [p.status for p in parsed] == ["loaded"] * len(items), [p.reason for p in parsed]
    with duckdb.connect(str(path)) as con:
        ensure_raw_schema(con)
        land_batch(con, parsed, run_id="cookbook")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JIXIAO_WAREHOUSE", str(path))  # invoke_dbt sets it; undone after the build
        outcome = invoke_dbt(settings)
    assert outcome.success, outcome.failures
    return path


def _frame(warehouse: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).df()


def _jixiao(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(JIXIAO), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


# --- cookbook -----------------------------------------------------------------------------------


def test_cookbook_has_eight_or_more_recipes_each_with_one_query_and_its_columns() -> None:
    assert len(RECIPES) >= 8
    for recipe in RECIPES:
        assert len(recipe["blocks"]) == 1, recipe["title"]
        assert recipe["columns"], f"{recipe['title']}: no 'Returns:' line after the query"


@pytest.mark.parametrize("recipe", RECIPE_PARAMS)
def test_recipe_is_lowercase_sql(recipe: dict[str, object]) -> None:
    code = re.sub(r"'[^']*'", "''", recipe["blocks"][0])  # string literals may hold anything
    code = re.sub(r"--[^\n]*", "", code)
    assert not re.findall(r"[A-Z]\w*", code), "GitLab style: lowercase keywords and identifiers"


@pytest.mark.parametrize("recipe", RECIPE_PARAMS)
def test_recipe_runs_and_returns_its_columns(warehouse: Path, recipe: dict[str, object]) -> None:
    frame = _frame(warehouse, recipe["blocks"][0])
    assert list(frame.columns) == recipe["columns"]
    if "source_text" in frame.columns:
        assert frame["source_text"].notna().all(), "every fact row carries its source text"


def test_recipes_answer_the_questions_on_the_samples(warehouse: Path) -> None:
    under_90 = _frame(warehouse, _by_number(1))
    assert ("长沙市工业和信息化局", 2022) in set(zip(under_90.department, under_90.fiscal_year, strict=True))
    assert (under_90.execution_rate_pct < 90).all()

    top = _frame(warehouse, _by_number(2))
    assert top.amount_wan_yuan.is_monotonic_decreasing
    assert top.item_name.iloc[0] == "智能制造专项"

    missed = _frame(warehouse, _by_number(3))
    assert "规模以上工业增加值" in set(missed.level3)  # 4 of 5 points

    mismatch = _frame(warehouse, _by_number(5))
    assert "公务接待费" in set(mismatch.line_name)  # 28.88% stated, 1.16 / 4.00 = 29.00%

    cut = _frame(warehouse, _by_number(6))
    masked = set(cut[cut.is_masked].line_name)
    assert {"年度资金总额", "商品和服务支出"} <= masked

    critical = _frame(warehouse, _by_number(7))
    assert not critical.empty
    assert set(critical.rule_id) <= {"low_execution_rate", "masked_execution"}

    three_public = _frame(warehouse, _by_number(8))
    assert {"三公经费", "公务接待费"} <= set(three_public.line_name)

    figures = _frame(warehouse, _by_number(9))
    assert {"budget_line", "spending_item"} <= set(figures.figure_kind)


# --- jixiao query -------------------------------------------------------------------------------


def test_query_json_returns_rows(warehouse: Path, tmp_path: Path) -> None:
    sql = "select report_id, department, fiscal_year, published_on, self_score from marts.dim_report"
    result = _jixiao("query", "--warehouse", str(warehouse), "--format", "json", sql, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    expected = _frame(warehouse, sql)
    assert len(rows) == len(expected) == 4
    assert set(rows[0]) == set(expected.columns)
    assert {r["department"] for r in rows} == set(expected.department)  # Chinese, not \\u escapes


def test_query_runs_a_cookbook_recipe(warehouse: Path, tmp_path: Path) -> None:
    result = _jixiao("query", "--warehouse", str(warehouse), "--format", "json", _by_number(1), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(
        _frame(warehouse, _by_number(1)).to_json(orient="records", force_ascii=False)
    )


@pytest.mark.parametrize(
    "sql",
    [
        pytest.param("create table x as select 1", id="create"),
        pytest.param("delete from marts.fct_anomaly", id="delete"),
    ],
)
def test_query_refuses_to_write(warehouse: Path, tmp_path: Path, sql: str) -> None:
    result = _jixiao("query", "--warehouse", str(warehouse), sql, cwd=tmp_path)
    assert result.returncode != 0
    assert "read-only" in result.stderr
    assert "Traceback" not in result.stderr
    tables = set(_frame(warehouse, "select table_name from information_schema.tables").table_name)
    assert "x" not in tables
    assert len(_frame(warehouse, "select * from marts.fct_anomaly")) > 0


# --- jixiao export ------------------------------------------------------------------------------


def _export(warehouse: Path, mart: str, fmt: str, out: Path) -> subprocess.CompletedProcess[str]:
    return _jixiao(
        "export",
        "--warehouse",
        str(warehouse),
        "--mart",
        mart,
        "--format",
        fmt,
        "--out",
        str(out),
        cwd=out.parent,
    )


def test_export_csv_has_a_bom_and_round_trips_chinese(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "预算执行.csv"
    result = _export(warehouse, "fct_fund_execution", "csv", out)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(codecs.BOM_UTF8)
    back = pd.read_csv(out, encoding="utf-8-sig")
    mart = _frame(warehouse, "select * from marts.fct_fund_execution")
    assert list(back.columns) == list(mart.columns)
    assert list(back.line_name) == list(mart.line_name)
    assert list(back.source_text) == list(mart.source_text)  # tabs and line breaks inside cells too


def test_export_parquet_matches_the_mart(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "fct_disbursement.parquet"
    result = _export(warehouse, "fct_disbursement", "parquet", out)
    assert result.returncode == 0, result.stderr
    back = pd.read_parquet(out)
    mart = _frame(warehouse, "select * from marts.fct_disbursement")
    assert list(back.columns) == list(mart.columns)
    assert len(back) == len(mart) > 0
    pd.testing.assert_frame_equal(back, mart, check_dtype=False)


def test_export_xlsx_has_chinese_headers_and_amount_formats(warehouse: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "fct_fund_execution.xlsx"
    result = _export(warehouse, "fct_fund_execution", "xlsx", out)
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(out).active
    headers = [cell.value for cell in sheet[1]]
    assert {"预算项目", "年初预算(万元)", "全年预算(万元)", "实际支出(万元)", "原文"} <= set(headers)
    mart = _frame(warehouse, "select * from marts.fct_fund_execution")
    assert sheet.max_row == len(mart) + 1
    budget = headers.index("全年预算(万元)") + 1
    cells = [sheet.cell(row=r, column=budget) for r in range(2, sheet.max_row + 1)]
    assert all(cell.number_format == "#,##0.00" for cell in cells)
    stated = [cell.value for cell in cells if cell.value is not None]
    assert stated == pytest.approx(mart.full_year_budget_wan_yuan.dropna().tolist())


def test_export_of_an_unknown_mart_lists_the_marts(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "nope.csv"
    result = _export(warehouse, "fct_nope", "csv", out)
    assert result.returncode != 0
    assert "unknown mart 'fct_nope'" in result.stderr
    assert all(name in result.stderr for name in MARTS)
    assert "Traceback" not in result.stderr
    assert not out.exists()
