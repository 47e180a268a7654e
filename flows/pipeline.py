"""The parent flow: inbox → parse (batched, parallel) → raw → dbt build → GX → alert → summary.

Runnable on its own: `python -m flows.pipeline [INBOX] [WAREHOUSE]`.
"""

from __future__ import annotations

import sys
import time
import uuid
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import duckdb
from prefect import flow, get_run_logger
from prefect.context import get_run_context

from flows.runners import on_distributed_runner, pipeline_task_runner
from flows.settings import Settings, get_settings
from flows.tasks.discover import discover_inbox
from flows.tasks.land import load_known_files
from flows.tasks.notify import AlertOutcome, alert_findings
from flows.tasks.parse import batched, parse_and_land_on_runner, parse_and_land_window, shutdown_pool
from flows.tasks.transform import run_dbt_build
from flows.tasks.validate import mart_row_counts, validate_marts
from flows.warehouse.loader import BatchCounts, record_run
from flows.warehouse.lock import warehouse_lock


class CriticalFindings(RuntimeError):
    """Raised at the end of a run whose findings reach the `fail_on` severity."""


@dataclass(slots=True)
class RunSummary:
    run_id: str
    inbox: str
    warehouse: str
    files: BatchCounts = field(default_factory=BatchCounts)
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    mart_rows: dict[str, int] = field(default_factory=dict)
    expectations_evaluated: int = 0
    expectations_failed: int = 0
    findings_by_severity: dict[str, int] = field(default_factory=dict)
    alert: AlertOutcome = field(default_factory=AlertOutcome)
    data_docs: str | None = None
    seconds: float = 0.0

    def render(self) -> str:
        """The short text a data engineer reads at the end of `jixiao run`."""
        f = self.files
        lines = [
            f"jixiao run {self.run_id} finished in {self.seconds:.1f} s",
            f"  files: {f.seen + f.skipped} seen, {f.loaded} loaded, {f.duplicates} duplicates, "
            f"{f.quarantined} quarantined, {f.skipped} unchanged since an earlier run",
        ]
        lines += [f"    quarantined {name}: {reason}" for name, reason in self.quarantined[:10]]
        lines.append("  marts: " + ", ".join(f"{k} {v}" for k, v in self.mart_rows.items()))
        sev = ", ".join(f"{k} {v}" for k, v in sorted(self.findings_by_severity.items())) or "none"
        lines.append(f"  findings (open): {sev}")
        lines.append(
            f"  expectations: {self.expectations_evaluated} evaluated, {self.expectations_failed} failed"
        )
        a = self.alert
        if a.channels:
            lines.append(
                f"  alerts: {a.delivered}/{a.channels} channels notified of {a.new_findings} new findings"
            )
        elif a.new_findings:
            lines.append(
                f"  alerts: {a.new_findings} new findings (no JIXIAO_ALERT_URLS set: summary logged only)"
            )
        else:
            lines.append("  alerts: nothing new to send")
        lines += [
            "  next:",
            f"    warehouse   {self.warehouse}  (schemas raw, staging, intermediate, marts)",
            '    query       .venv/bin/jixiao query "select * from marts.fct_anomaly"',
            "    findings    .venv/bin/jixiao findings --status open",
        ]
        if self.data_docs:
            lines.append(f"    data docs   {self.data_docs}")
        return "\n".join(lines)


def _run_id() -> str:
    try:
        return str(get_run_context().flow_run.id)[:8]
    except Exception:  # noqa: BLE001 - outside a flow run (tests calling .fn)
        return uuid.uuid4().hex[:8]


def _open_findings(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse)) as con:
        rows = con.execute(
            "select severity, count(*) from marts.fct_anomaly where status = 'open' group by 1"
        ).fetchall()
    return {r[0]: r[1] for r in rows}


def ingest(settings: Settings, run_id: str, summary: RunSummary) -> None:
    """Discover, parse in windows of batches across processes (this machine's spawn pool, or
    the flow's Dask task runner), land each batch."""
    logger = get_run_logger()
    known = load_known_files(settings.warehouse)
    files, skipped = discover_inbox(settings.inbox, known)
    summary.files.skipped = skipped
    batches = batched(files, settings.batch_size)
    window = max(1, settings.workers * 2)
    limits = {"max_bytes": settings.max_file_bytes, "timeout_seconds": settings.parse_timeout_seconds}
    if on_distributed_runner():
        parse_window = partial(parse_and_land_on_runner, **limits)
    else:
        parse_window = partial(parse_and_land_window, workers=settings.workers, **limits)
    done = 0
    for i in range(0, len(batches), window):
        result = parse_window(batches[i : i + window], settings.warehouse, run_id)
        summary.files.add(result.counts)
        summary.quarantined += result.quarantined
        done += sum(len(b) for b in batches[i : i + window])
        logger.info("parsed and landed %d/%d new files", done, len(files))


# The runner is chosen once, from the environment, so `jixiao run`, `jixiao serve` and a
# deployment of this entrypoint all honour JIXIAO_TASK_RUNNER.
@flow(name="jixiao-pipeline", task_runner=pipeline_task_runner(get_settings()))
def jixiao_pipeline(inbox: str | None = None, warehouse: str | None = None) -> RunSummary:
    """Ingest an inbox of reports and rebuild, validate and alert on the warehouse."""
    started = time.monotonic()
    settings = get_settings(inbox=inbox, warehouse=warehouse)
    logger = get_run_logger()
    run_id = _run_id()
    summary = RunSummary(run_id, str(settings.inbox), str(settings.warehouse))
    with warehouse_lock(settings.warehouse, settings.lock_timeout_seconds):
        with duckdb.connect(str(settings.warehouse)) as con:
            record_run(con, run_id, str(settings.inbox), "running")
        try:
            _build(settings, run_id, summary, logger)
        except BaseException:
            with duckdb.connect(str(settings.warehouse)) as con:
                record_run(con, run_id, str(settings.inbox), "failed")
            raise
    summary.seconds = time.monotonic() - started
    logger.info(
        "run %s: %d loaded, %d quarantined, %d open findings",
        run_id,
        summary.files.loaded,
        summary.files.quarantined,
        sum(summary.findings_by_severity.values()),
    )
    _enforce_fail_on(settings, summary)
    return summary


def _build(settings: Settings, run_id: str, summary: RunSummary, logger) -> None:  # noqa: ANN001
    """The run under the lock: ingest, dbt, validation, alert; fills `summary`."""
    try:
        ingest(settings, run_id, summary)
    finally:
        shutdown_pool()
    dbt = run_dbt_build(settings)
    logger.info("dbt build: %d models, %d tests passed", dbt.models, dbt.tests)
    summary.mart_rows = mart_row_counts(settings.warehouse)
    validation = validate_marts(settings, run_id)
    summary.expectations_evaluated = validation.evaluated
    summary.expectations_failed = validation.failed
    summary.data_docs = str(validation.data_docs_index) if validation.data_docs_index else None
    summary.alert = alert_findings(settings, run_id, validation)
    if summary.alert.body and not summary.alert.channels:
        logger.warning("%s\n%s", summary.alert.title, summary.alert.body)
    summary.findings_by_severity = _open_findings(settings.warehouse)
    with duckdb.connect(str(settings.warehouse)) as con:
        record_run(con, run_id, str(settings.inbox), "completed")


def _enforce_fail_on(settings: Settings, summary: RunSummary) -> None:
    """Let the flow's final state follow `fail_on` so Prefect automations can react."""
    levels = {"warning": ("warning", "critical"), "critical": ("critical",)}.get(settings.fail_on, ())
    hits = sum(summary.findings_by_severity.get(level, 0) for level in levels)
    if hits:
        raise CriticalFindings(f"{hits} open findings at or above '{settings.fail_on}' (JIXIAO_FAIL_ON)")


if __name__ == "__main__":
    args = sys.argv[1:]
    print(jixiao_pipeline(*args[:2]).render())
