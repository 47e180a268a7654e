"""One writer per warehouse: an advisory file lock beside the DuckDB file.

DuckDB allows one writing process at a time; a second `jixiao run` must wait or stop
with a clear message instead of failing half-way or corrupting anything.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse lock."""


@contextmanager
def warehouse_lock(warehouse: Path, timeout_seconds: float = 0.0) -> Iterator[Path]:
    """Hold `<warehouse>.lock` for the duration; wait up to `timeout_seconds` for it."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    lock_path = warehouse.with_name(warehouse.name + ".lock")
    handle = lock_path.open("a+")
    deadline = time.monotonic() + timeout_seconds
    try:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise WarehouseBusy(
                        f"{warehouse} is in use by {holder}; wait for it to finish "
                        f"or set JIXIAO_LOCK_TIMEOUT_SECONDS to wait"
                    ) from None
                time.sleep(0.5)
        handle.seek(0)
        handle.truncate()
        handle.write(f"jixiao run pid {os.getpid()}")
        handle.flush()
        yield lock_path
    finally:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        finally:
            handle.close()
