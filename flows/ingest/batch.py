"""Parse a batch of inbox files in a worker process: read, normalise, hash, extract.

Pure with respect to the warehouse (no DuckDB, no Prefect): the parent process writes.
Every file comes back either loaded or quarantined with a reason; nothing is dropped.
"""

from __future__ import annotations

import hashlib
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.ingest.readers import QuarantineError, read_document
from flows.parsing.extract import extract_document


@dataclass(slots=True, frozen=True)
class InboxFile:
    """A file found in the inbox: absolute path, path relative to the inbox, size, and the
    sha256 of its bytes when discovery already computed it (so workers do not read it twice)."""

    path: str
    source_file: str
    size_bytes: int
    file_sha256: str | None = None


@dataclass(slots=True)
class ParsedFile:
    """What one file became. `extraction` is the `jixiao extract` dict when loaded."""

    source_file: str
    file_name: str
    file_sha256: str
    size_bytes: int
    status: str  # loaded | quarantined (duplicates are decided by the writer)
    reason: str | None = None
    report_id: str | None = None
    content_sha256: str | None = None
    source_format: str | None = None
    encoding: str | None = None
    normalized_text: str | None = None
    extraction: dict[str, Any] = field(default_factory=dict)


class ParseTimeout(Exception):
    """One file took longer than the per-file limit."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """SIGALRM-based limit (worker processes run files in their main thread)."""
    if seconds <= 0 or not hasattr(signal, "setitimer"):
        yield
        return

    def _raise(signum: int, frame: object) -> None:  # noqa: ARG001
        raise ParseTimeout

    try:
        previous = signal.signal(signal.SIGALRM, _raise)
    except ValueError:  # not in the main thread: run without a limit
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def content_sha256(normalized_text: str) -> str:
    """Identity of a report: the hash of its normalised text (same content, any encoding)."""
    return hashlib.sha256(normalized_text.encode("utf-8")).hexdigest()


def parse_file(item: InboxFile, max_bytes: int, timeout_seconds: float) -> ParsedFile:
    """Read and extract one file; quarantine it with a reason when that is impossible."""
    path = Path(item.path)
    result = ParsedFile(
        source_file=item.source_file,
        file_name=path.name,
        file_sha256="",
        size_bytes=item.size_bytes,
        status="quarantined",
    )
    try:
        result.file_sha256 = item.file_sha256 or file_sha256(path)
    except OSError as exc:
        result.reason = f"unreadable: {exc.strerror or exc}"
        return result
    try:
        with _time_limit(timeout_seconds):
            document = read_document(path, max_bytes=max_bytes)
            text, extraction = extract_document(document.text)
    except QuarantineError as exc:
        result.reason = f"{exc.reason}: {exc.detail}"
        return result
    except ParseTimeout:
        result.reason = f"timeout: parsing took longer than {timeout_seconds:g} s"
        return result
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
        result.reason = f"corrupt: {type(exc).__name__}: {exc}"
        return result
    data = extraction.to_dict()
    has_figures = any(data[key] for key in ("budget_lines", "disbursements", "indicators", "ratios"))
    if not text.strip():
        result.reason = "empty: the document holds no text"
        return result
    if not has_figures and not data["report"]["title"]:
        result.reason = "no_report_content: no report title and no figures found"
        return result
    digest = content_sha256(text)
    result.status = "loaded"
    result.report_id = digest[:16]
    result.content_sha256 = digest
    result.source_format = document.source_format
    result.encoding = document.encoding
    result.normalized_text = text
    result.extraction = data
    return result


def parse_batch(items: list[InboxFile], max_bytes: int, timeout_seconds: float) -> list[ParsedFile]:
    """Parse files one after another (a batch runs in one worker process)."""
    return [parse_file(item, max_bytes, timeout_seconds) for item in items]
