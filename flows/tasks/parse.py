"""Parse batches across processes and land each one as it arrives.

On one machine: one Prefect task per *window* of batches, never per report, parsing on a
spawn pool. Past one machine (`JIXIAO_TASK_RUNNER=dask`): one `parse-batch` task per batch on
the flow's DaskTaskRunner, landed by the flow as each finishes. Parsed content never passes
through Prefect as a task parameter or result: Prefect walks every nested value of those
(to resolve futures), which cost seconds per batch of 200 reports. The process pool lives
for the whole flow run and uses `spawn`, so workers never inherit the server's threads.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import duckdb
from prefect import get_run_logger, task
from prefect.cache_policies import NONE
from prefect.context import FlowRunContext
from prefect.futures import as_completed
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.ingest.batch import InboxFile, ParsedFile, parse_batch
from flows.warehouse.loader import BatchCounts, land_batch

_POOL: ProcessPoolExecutor | None = None


def get_pool(workers: int) -> ProcessPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    return _POOL


def shutdown_pool() -> None:
    global _POOL
    if _POOL is not None:
        _POOL.shutdown(cancel_futures=True)
        _POOL = None


def batched(items: list[InboxFile], size: int) -> list[list[InboxFile]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@dataclass(slots=True)
class WindowResult:
    """What a window of batches became: counts, and each quarantined file with its reason."""

    counts: BatchCounts = field(default_factory=BatchCounts)
    quarantined: list[tuple[str, str]] = field(default_factory=list)

    def land(self, con: duckdb.DuckDBPyConnection, parsed: list[ParsedFile], run_id: str) -> None:
        """Land one parsed batch in its own transaction and count what became of it."""
        self.counts.add(land_batch(con, parsed, run_id))
        self.quarantined += [(p.source_file, p.reason or "") for p in parsed if p.status == "quarantined"]


@task(name="parse-and-land-window", cache_policy=NONE)
def parse_and_land_window(
    batches: list[list[InboxFile]],
    warehouse: Path,
    run_id: str,
    workers: int,
    max_bytes: int,
    timeout_seconds: float,
) -> WindowResult:
    """Parse batches in parallel; land each finished batch in its own transaction.

    Small inputs stay in-process (no spawn cost). Memory holds at most the window's
    batches, whatever the size of the inbox.
    """
    logger = get_run_logger()
    work = partial(parse_batch, max_bytes=max_bytes, timeout_seconds=timeout_seconds)
    if workers <= 1 or sum(len(b) for b in batches) <= 8:
        results = map(work, batches)
    else:
        results = get_pool(workers).map(work, batches)
    outcome = WindowResult()
    with duckdb.connect(str(warehouse)) as con:
        for parsed in results:
            outcome.land(con, parsed, run_id)
            logger.debug("landed a batch of %d files", len(parsed))
    return outcome


@task(name="parse-batch", cache_policy=NONE)
def parse_batch_task(batch: list[InboxFile], max_bytes: int, timeout_seconds: float) -> list[ParsedFile]:
    """One batch parsed wherever the task runner puts it (a Dask worker). Dask runs tasks in
    worker threads, where the per-file SIGALRM limit cannot be set: there it is not enforced."""
    return parse_batch(batch, max_bytes=max_bytes, timeout_seconds=timeout_seconds)


def parse_and_land_on_runner(
    batches: list[list[InboxFile]], warehouse: Path, run_id: str, max_bytes: int, timeout_seconds: float
) -> WindowResult:
    """Submit each batch to the flow's task runner; land each as it finishes (called from the
    flow, so the flow's runner, not a task's, runs them). Results come back as task results,
    never as another task's parameters (see the module docstring)."""
    # Task runs on the workers report to this flow's API. Without it each worker of a
    # temporary LocalCluster would start a temporary Prefect server of its own.
    api_url = str(FlowRunContext.get().client.api_url)
    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        futures = [parse_batch_task.submit(batch, max_bytes, timeout_seconds) for batch in batches]
    outcome = WindowResult()
    with duckdb.connect(str(warehouse)) as con:
        for future in as_completed(futures):
            outcome.land(con, future.result(), run_id)
    return outcome
