"""Validate the marts with the Great Expectations checkpoint (on DataFrames, see perf notes)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
from prefect import task
from prefect.cache_policies import NONE

from flows.settings import Settings

MARTS = ("dim_report", "fct_fund_execution", "fct_disbursement", "fct_indicator", "fct_anomaly")


def read_marts(warehouse: Path) -> dict[str, pd.DataFrame]:
    """Every contract mart as a DataFrame.

    Same connection configuration as dbt-duckdb's (which stays open in this process):
    DuckDB refuses a second, read-only connection to a file already open read-write.
    """
    with duckdb.connect(str(warehouse)) as con:
        return {name: con.execute(f"select * from marts.{name}").df() for name in MARTS}


def mart_row_counts(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse)) as con:
        return {name: con.execute(f"select count(*) from marts.{name}").fetchone()[0] for name in MARTS}


@task(name="validate-marts", cache_policy=NONE)
def validate_marts(settings: Settings, run_name: str):  # noqa: ANN201 - GX summary type imported lazily
    """Run every suite through one checkpoint; Data Docs are rebuilt on each run."""
    from expectations.checkpoint import run_checkpoint  # noqa: PLC0415 - GX import costs ~2 s
    from expectations.suites import Thresholds  # noqa: PLC0415

    frames = read_marts(settings.warehouse)
    return run_checkpoint(
        frames,
        Thresholds.from_settings(settings),
        settings.resolved_data_docs_dir(),
        run_name=run_name,
    )
