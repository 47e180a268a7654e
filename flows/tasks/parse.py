"""Parse batches across processes and land each one as it arrives.

One Prefect task per *window* of batches, never per report. Parsed content never passes
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

from flows.ingest.batch import InboxFile, parse_batch
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
            outcome.counts.add(land_batch(con, parsed, run_id))
            outcome.quarantined += [
                (p.source_file, p.reason or "") for p in parsed if p.status == "quarantined"
            ]
            logger.debug("landed a batch of %d files", len(parsed))
    return outcome
