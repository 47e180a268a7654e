"""Find report files in the inbox (I/O: retried)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from prefect import task

from flows.ingest.batch import InboxFile
from flows.ingest.inbox import IGNORED_NAMES, list_inbox, quick_fingerprint

__all__ = ["IGNORED_NAMES", "discover_inbox", "list_inbox", "quick_fingerprint"]


@task(name="discover-inbox", retries=2, retry_delay_seconds=1)
def discover_inbox(inbox: Path, known: frozenset[tuple[str, str]]) -> tuple[list[InboxFile], int]:
    """Files to parse now, and how many were skipped as already recorded."""
    files = [replace(f, file_sha256=quick_fingerprint(f)) for f in list_inbox(inbox)]
    fresh = [f for f in files if (f.source_file, f.file_sha256) not in known]
    return fresh, len(files) - len(fresh)
