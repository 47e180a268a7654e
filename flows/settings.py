"""Every path, threshold and knob of the pipeline, from `JIXIAO_*` environment variables.

One place so flows, CLI and tests agree; `jixiao run --inbox/--warehouse` override the two
most common ones.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Pipeline settings (env prefix JIXIAO_)."""

    model_config = SettingsConfigDict(env_prefix="JIXIAO_", env_file=".env", extra="ignore")

    inbox: Path = Field(default=PROJECT_ROOT / "seeds", description="Folder of report files to ingest.")
    warehouse: Path = Field(default=PROJECT_ROOT / "warehouse" / "jixiao.duckdb", description="DuckDB file.")
    dbt_project_dir: Path = PROJECT_ROOT / "dbt_project"
    data_docs_dir: Path | None = Field(
        default=None, description="Great Expectations Data Docs; default beside the warehouse."
    )

    # Volume: parse in batches across processes, memory bounded by batches in flight.
    batch_size: int = Field(default=200, ge=1)
    workers: int = Field(default_factory=lambda: max(1, (os.cpu_count() or 1)), ge=1)
    max_file_bytes: int = Field(default=50 * 1024 * 1024, ge=1)
    parse_timeout_seconds: float = Field(default=120.0, gt=0)
    task_runner: str = Field(
        default="processes",
        pattern="^(processes|dask)$",
        description="processes: a spawn pool on this machine; dask: Prefect's DaskTaskRunner.",
    )
    dask_address: str | None = Field(
        default=None,
        description="Dask scheduler (tcp://host:8786) for task_runner=dask; unset: a temporary "
        "LocalCluster of `workers` processes. Workers must see the inbox at the same path.",
    )
    lock_timeout_seconds: float = Field(
        default=0.0, ge=0, description="Wait this long for another run's lock; 0 = fail at once."
    )

    # Anomaly thresholds (see docs/anomaly-rules.md), passed to dbt as vars.
    low_rate_warning_pct: float = 90.0
    low_rate_critical_pct: float = 60.0
    over_execution_pct: float = 100.0
    rate_tolerance_pp: float = 0.05
    amount_tolerance_wan: float = 0.01
    control_rate_max_pct: float = 100.0

    # Alerting.
    alert_urls: str = Field(default="", description="Comma-separated Apprise URLs.")
    alert_min_severity: str = Field(default="warning", pattern="^(info|warning|critical)$")
    fail_on: str = Field(default="never", pattern="^(never|warning|critical)$")

    def resolved_data_docs_dir(self) -> Path:
        return self.data_docs_dir or self.warehouse.parent / "data_docs"

    def dbt_vars(self) -> dict[str, float]:
        """Thresholds for dbt; whole numbers as ints so messages read "90%", not "90.0%"."""
        values = {
            "low_rate_warning_pct": self.low_rate_warning_pct,
            "low_rate_critical_pct": self.low_rate_critical_pct,
            "over_execution_pct": self.over_execution_pct,
            "rate_tolerance_pp": self.rate_tolerance_pp,
            "amount_tolerance_wan": self.amount_tolerance_wan,
            "control_rate_max_pct": self.control_rate_max_pct,
        }
        return {k: int(v) if float(v).is_integer() else v for k, v in values.items()}


def get_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (None values ignored)."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
