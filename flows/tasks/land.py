"""Write parsed batches to the raw tables (the only writer)."""

from __future__ import annotations

from pathlib import Path

import duckdb
from prefect import task
from prefect.cache_policies import NONE

from flows.ingest.batch import ParsedFile
from flows.warehouse.loader import BatchCounts, already_recorded, land_batch


@task(name="load-known-files", retries=2, retry_delay_seconds=1)
def load_known_files(warehouse: Path) -> frozenset[tuple[str, str]]:
    """Files earlier runs recorded, so an unchanged inbox is not parsed again."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        return frozenset(already_recorded(con))


@task(name="land-batch", cache_policy=NONE, retries=2, retry_delay_seconds=1)
def land_parsed(warehouse: Path, parsed: list[ParsedFile], run_id: str) -> BatchCounts:
    """One transaction per batch: a crash leaves whole batches or nothing."""
    with duckdb.connect(str(warehouse)) as con:
        return land_batch(con, parsed, run_id)
