"""Listing the inbox: which files are reports to read (pure: no Prefect, no DuckDB)."""

from __future__ import annotations

from pathlib import Path

from flows.ingest.batch import InboxFile, file_sha256

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
    return file_sha256(Path(item.path))
