"""Find report files in the inbox (I/O: retried)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from prefect import task

from flows.ingest.batch import InboxFile

IGNORED_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})


def list_inbox(inbox: Path) -> list[InboxFile]:
    """Every regular file below the inbox (hidden files and temp files skipped), sorted."""
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox {inbox} is not a folder")
    found: list[InboxFile] = []
    for path in sorted(inbox.rglob("*")):
        rel = path.relative_to(inbox)
        if any(part.startswith(".") for part in rel.parts) or path.name in IGNORED_NAMES:
            continue
        if path.name.startswith("~$") or not path.is_file() or path.is_symlink():
            continue
        found.append(InboxFile(str(path), rel.as_posix(), path.stat().st_size))
    return found


def quick_fingerprint(item: InboxFile) -> str:
    """sha256 of the bytes, to skip files an earlier run already recorded."""
    digest = hashlib.sha256()
    with open(item.path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@task(name="discover-inbox", retries=2, retry_delay_seconds=1)
def discover_inbox(inbox: Path, known: frozenset[tuple[str, str]]) -> tuple[list[InboxFile], int]:
    """Files to parse now, and how many were skipped as already recorded."""
    files = list_inbox(inbox)
    fresh = [f for f in files if (f.source_file, quick_fingerprint(f)) not in known]
    return fresh, len(files) - len(fresh)
