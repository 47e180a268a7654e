"""What the warehouse already holds, so an unchanged inbox is not parsed again."""

from __future__ import annotations

from pathlib import Path

import duckdb
from prefect import task

from flows.warehouse.loader import already_recorded


@task(name="load-known-files", retries=2, retry_delay_seconds=1)
def load_known_files(warehouse: Path) -> frozenset[tuple[str, str]]:
    """Files earlier runs recorded, so an unchanged inbox is not parsed again."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        return frozenset(already_recorded(con))
