"""Parse batches across processes: CPU-bound work outside Prefect's per-task overhead.

One Prefect task per *window* of batches, never per report; the process pool lives for
the whole flow run and uses `spawn`, so workers never inherit the server's threads.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from prefect import task
from prefect.cache_policies import NONE

from flows.ingest.batch import InboxFile, ParsedFile, parse_batch

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


@task(name="parse-window", cache_policy=NONE)
def parse_window(
    batches: list[list[InboxFile]], workers: int, max_bytes: int, timeout_seconds: float
) -> list[list[ParsedFile]]:
    """Parse a window of batches in parallel; small inputs stay in-process (no spawn cost)."""
    work = partial(parse_batch, max_bytes=max_bytes, timeout_seconds=timeout_seconds)
    if workers <= 1 or sum(len(b) for b in batches) <= 8:
        return [work(b) for b in batches]
    return list(get_pool(workers).map(work, batches))
