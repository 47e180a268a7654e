"""Pure pieces of the parent flow: the run summary and the fail_on policy."""

from __future__ import annotations

import pytest

from flows.pipeline import CriticalFindings, RunSummary, _enforce_fail_on
from flows.settings import get_settings
from flows.warehouse.loader import BatchCounts


def _summary(**findings: int) -> RunSummary:
    summary = RunSummary("abc12345", "seeds", "warehouse/jixiao.duckdb")
    summary.files = BatchCounts(seen=3, loaded=2, duplicates=1, quarantined=0, skipped=1)
    summary.findings_by_severity = dict(findings)
    return summary


@pytest.mark.parametrize(
    ("fail_on", "findings", "fails"),
    [
        pytest.param("never", {"critical": 3}, False, id="never"),
        pytest.param("critical", {"warning": 5}, False, id="critical-only-warnings"),
        pytest.param("critical", {"critical": 1}, True, id="critical-hit"),
        pytest.param("warning", {"warning": 1}, True, id="warning-hit"),
        pytest.param("warning", {"info": 9}, False, id="warning-only-info"),
    ],
)
def test_fail_on_follows_the_setting(fail_on: str, findings: dict[str, int], fails: bool) -> None:
    settings = get_settings(fail_on=fail_on)
    if fails:
        with pytest.raises(CriticalFindings):
            _enforce_fail_on(settings, _summary(**findings))
    else:
        _enforce_fail_on(settings, _summary(**findings))


def test_summary_says_what_happened_and_where_to_look() -> None:
    text = _summary(critical=2, warning=1).render()
    assert "4 seen, 2 loaded, 1 duplicates, 0 quarantined, 1 unchanged" in text
    assert "findings (open): critical 2, warning 1" in text
    assert "jixiao query" in text and "jixiao findings" in text


def test_thresholds_reach_dbt_as_clean_numbers() -> None:
    settings = get_settings(low_rate_warning_pct=85.0, rate_tolerance_pp=0.05)
    assert settings.dbt_vars()["low_rate_warning_pct"] == 85
    assert isinstance(settings.dbt_vars()["low_rate_warning_pct"], int)
    assert settings.dbt_vars()["rate_tolerance_pp"] == 0.05
