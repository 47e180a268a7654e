"""Build the marts: `dbt build` in-process (no CLI start-up per run)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from prefect import task

from flows.settings import Settings


@dataclass(slots=True)
class DbtOutcome:
    success: bool
    models: int = 0
    tests: int = 0
    failures: list[str] = field(default_factory=list)


def dbt_args(settings: Settings, command: str = "build") -> list[str]:
    """Arguments for dbt; target and logs live beside the warehouse, not in the source tree.

    dbt unit tests check the SQL logic, not the data: they run in `make test`, not every run.
    """
    work = settings.warehouse.parent / "dbt"
    return [
        command,
        "--project-dir",
        str(settings.dbt_project_dir),
        "--profiles-dir",
        str(settings.dbt_project_dir),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
        "--vars",
        json.dumps(settings.dbt_vars()),
        "--quiet",
    ] + (["--exclude-resource-type", "unit_test"] if command == "build" else [])


def invoke_dbt(settings: Settings, command: str = "build") -> DbtOutcome:
    """Run dbt against the warehouse file named in settings."""
    from dbt.cli.main import dbtRunner  # noqa: PLC0415 - dbt import is slow; only when needed

    os.environ["JIXIAO_WAREHOUSE"] = str(Path(settings.warehouse).resolve())
    try:
        result = dbtRunner().invoke(dbt_args(settings, command))
    finally:
        _release_dbt_connection()
    outcome = DbtOutcome(success=bool(result.success))
    if result.exception is not None:
        outcome.failures.append(f"dbt error: {result.exception}")
    for node in getattr(result.result, "results", None) or []:
        resource = getattr(node.node, "resource_type", "")
        if str(resource).endswith("model"):
            outcome.models += 1
        elif str(resource).endswith("test") or str(resource).endswith("unit_test"):
            outcome.tests += 1
        status = str(getattr(node, "status", ""))
        if status.lower().endswith(("error", "fail")):
            outcome.failures.append(
                f"{node.node.name}: {status} {getattr(node, 'message', '') or ''}".strip()
            )
    return outcome


def _release_dbt_connection() -> None:
    """dbt-duckdb keeps its DuckDB handle open for the life of the process; close it so the
    flow (and anyone else) can open the file again, read-only or not."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager  # noqa: PLC0415

    env = DuckDBConnectionManager._ENV  # noqa: SLF001 - no public API to release it
    if env is not None and hasattr(env, "close"):
        env.close()
    DuckDBConnectionManager.close_all_connections()


@task(name="dbt-build", retries=1, retry_delay_seconds=2)
def run_dbt_build(settings: Settings) -> DbtOutcome:
    """Rebuild staging, intermediate and marts from raw (marts are always derived, never patched)."""
    outcome = invoke_dbt(settings, "build")
    if not outcome.success:
        raise RuntimeError("dbt build failed: " + "; ".join(outcome.failures[:5]))
    return outcome
