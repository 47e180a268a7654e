"""dbt in-process for the tests: the project, the flow's default thresholds, and how to invoke it.

Used by tests/test_dbt_models.py and tests/test_rule_thresholds.py. Target and logs go under a
work directory of the test's (tmp_path), never into dbt_project/.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from dbt.cli.main import dbtRunner, dbtRunnerResult

PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"

# The thresholds the flow passes with --vars: the project defaults, as floats like flows.settings.
VARS: dict[str, float] = {
    "low_rate_warning_pct": 90.0,
    "low_rate_critical_pct": 60.0,
    "over_execution_pct": 100.0,
    "rate_tolerance_pp": 0.05,
    "amount_tolerance_wan": 0.01,
    "control_rate_max_pct": 100.0,
}


def run_dbt(warehouse: Path, work_dir: Path, *args: str, variables: dict[str, float]) -> dbtRunnerResult:
    """Invoke dbt in-process on `warehouse`, artefacts under `work_dir`, thresholds as --vars."""
    previous = os.environ.get("JIXIAO_WAREHOUSE")
    os.environ["JIXIAO_WAREHOUSE"] = str(warehouse)
    try:
        return dbtRunner().invoke(
            [
                *args,
                "--project-dir",
                str(PROJECT_DIR),
                "--profiles-dir",
                str(PROJECT_DIR),
                "--target-path",
                str(work_dir / "target"),
                "--log-path",
                str(work_dir / "logs"),
                "--vars",
                json.dumps(variables),
                "--no-use-colors",
                "--no-send-anonymous-usage-stats",
            ]
        )
    finally:
        if previous is None:
            os.environ.pop("JIXIAO_WAREHOUSE", None)
        else:
            os.environ["JIXIAO_WAREHOUSE"] = previous


def failures(result: dbtRunnerResult) -> list[str]:
    """What went wrong in an invocation, one line per failed node."""
    if result.exception is not None:
        return [repr(result.exception)]
    return [
        f"{r.node.unique_id}: {r.status} {r.message}"
        for r in (result.result.results if result.result is not None else [])
        if str(r.status) not in ("success", "pass")
    ]
