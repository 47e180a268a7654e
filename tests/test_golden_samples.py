"""Golden tests on the four real sample reports (seeds/*.txt), hand-checked figure by figure.

Each seed's whole `jixiao extract` output (source spans, groups and parents included) must equal
tests/golden/<stem>.json. The headline assertions below restate key figures from the reports
themselves, so a golden file regenerated without checking would still be caught.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.ingest.readers import read_document
from flows.parsing.extract import extract_document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLDEN = ROOT / "tests" / "golden"
LISTS = ("budget_lines", "disbursements", "indicators", "ratios")


def _extract(stem_part: str) -> tuple[str, dict]:
    path = next(p for p in SEEDS if stem_part in p.stem)
    text, extraction = extract_document(read_document(path).text)
    return text, extraction.to_dict()


def _close(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) < 1e-6


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:12])
def test_sample_matches_golden(seed: Path) -> None:
    text, extraction = extract_document(read_document(seed).text)
    got = extraction.to_dict()
    expected = json.loads((GOLDEN / f"{seed.stem}.json").read_text(encoding="utf-8"))
    assert got == expected
    for key in LISTS:
        for item in got[key]:
            source = item["source"]
            assert source is not None
            assert text[source["start"] : source["end"]] == source["text"]


def test_changsha_2022_total_row() -> None:
    _, data = _extract("2022_长沙市")
    totals = [b for b in data["budget_lines"] if b["is_total"] and _close(b["initial_budget"], 67895.07)]
    assert totals, "the 2022 合计 row of the department-wide table"
    row = totals[0]
    assert row["name"] == "合计"
    for key, value in (
        ("adjustment", 17683.42),
        ("full_year_budget", 85578.49),
        ("actual", 72375.11),
        ("balance", 13203.38),
        ("execution_rate", 84.57),
    ):
        assert _close(row[key], value), key


def test_changsha_renshe_fund() -> None:
    _, data = _extract("2022_长沙市")
    line = next(
        b for b in data["budget_lines"] if b["name"].startswith("人社专项") and _close(b["actual"], 1421.02)
    )
    assert _close(line["initial_budget"], 6000)
    assert _close(line["execution_rate"], 23.68)


def test_huaihua_side_by_side_projects() -> None:
    _, data = _extract("怀化")
    table = [d for d in data["disbursements"] if d["origin"] == "table"]
    items = [d for d in table if not d["is_total"]]
    totals = [d for d in table if d["is_total"]]
    assert len(items) == 23
    assert abs(sum(d["actual"] for d in items) - 1974.16) < 0.005
    assert abs(sum(d["budget"] for d in items) - 1974.16) < 0.005
    assert len(totals) == 1 and totals[0]["name"] == "合计" and _close(totals[0]["actual"], 1974.16)
    total_index = data["disbursements"].index(totals[0])
    assert all(d["parent"] == total_index for d in items)


def test_yiyang_indicators_and_form_budget() -> None:
    _, data = _extract("益阳")
    assert len(data["indicators"]) == 15
    total = next(b for b in data["budget_lines"] if b["name"] == "年度资金总额")
    assert _close(total["initial_budget"], 752)
    assert _close(total["full_year_budget"], 593.04)
    assert _close(total["actual"], 593.04)
    assert _close(total["execution_rate"], 100)
    assert total["is_total"]
    assert _close(total["weight"], 10) and _close(total["score"], 10)
    # Form total = budget-execution score + indicator scores.
    assert _close(total["score"] + sum(i["score"] for i in data["indicators"]), 99)


def test_yiyang_report_score_and_grade() -> None:
    _, data = _extract("益阳")
    assert _close(data["report"]["self_score"], 99)
    assert data["report"]["grade"] == "优秀"
