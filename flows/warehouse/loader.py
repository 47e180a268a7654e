"""Land parsed batches into the raw tables: one writer, one transaction per batch.

Idempotent: a file already recorded with the same bytes is not recorded twice, and a
report whose content is already loaded is counted as a duplicate, never loaded twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from flows.ingest.batch import ParsedFile
from flows.warehouse.raw_schema import REPORT_CONTENT_TABLES, ensure_raw_schema


@dataclass(slots=True)
class BatchCounts:
    seen: int = 0
    loaded: int = 0
    duplicates: int = 0
    quarantined: int = 0
    skipped: int = 0  # already recorded by an earlier run

    def add(self, other: BatchCounts) -> None:
        self.seen += other.seen
        self.loaded += other.loaded
        self.duplicates += other.duplicates
        self.quarantined += other.quarantined
        self.skipped += other.skipped


# What each kind of item states, the same whatever format its report came in: a name and its
# figures (amounts in 万元, rates in %), or an indicator's levels, target, result and score.
ITEM_FIGURES: dict[str, tuple[str, ...]] = {
    "budget_lines": (
        "name",
        "initial_budget",
        "adjustment",
        "full_year_budget",
        "actual",
        "balance",
        "execution_rate",
    ),
    "disbursements": ("name", "budget", "actual"),
    "indicators": ("level1", "level2", "level3", "target", "actual", "weight", "score"),
    "ratios": ("name", "value"),
}
# Each raw table of items: the item kind it lands, and its columns: the figures, then how the
# item is labelled and scored and where it stands in its document.
_ITEM_COLUMNS = {
    "raw.budget_lines": (
        "budget_lines",
        [
            *ITEM_FIGURES["budget_lines"],
            "rate_label",
            "weight",
            "score",
            "form",
            "group",
            "is_total",
            "parent",
            "origin",
        ],
    ),
    "raw.disbursements": (
        "disbursements",
        [*ITEM_FIGURES["disbursements"], "purpose", "form", "group", "is_total", "parent", "origin"],
    ),
    "raw.indicators": ("indicators", [*ITEM_FIGURES["indicators"], "note", "form"]),
    "raw.ratios": ("ratios", [*ITEM_FIGURES["ratios"]]),
}
_RENAMES = {"group": "group_id", "parent": "parent_line_no"}


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _item_rows(report_id: str, items: list[dict[str, Any]], columns: list[str]) -> list[dict[str, Any]]:
    rows = []
    for line_no, item in enumerate(items):
        source = item.get("source") or {}
        row = {"report_id": report_id, "line_no": line_no}
        for column in columns:
            row[_RENAMES.get(column, column)] = item.get(column)
        row.update(
            source_start=source.get("start"), source_end=source.get("end"), source_text=source.get("text")
        )
        rows.append(row)
    return rows


def _append(con, table: str, rows: list[dict[str, Any]]) -> None:  # noqa: ANN001
    """Bulk insert by column name (a DataFrame scan, never row by row)."""
    if not rows:
        return
    frame = pd.DataFrame(rows)
    con.register("_landing", frame)
    try:
        columns = ", ".join(f'"{c}"' for c in frame.columns)
        con.execute(f"insert into {table} ({columns}) select {columns} from _landing")
    finally:
        con.unregister("_landing")


def already_recorded(con) -> set[tuple[str, str]]:  # noqa: ANN001
    """(source_file, file_sha256) pairs recorded by earlier runs."""
    ensure_raw_schema(con)
    return {(r[0], r[1]) for r in con.execute("select source_file, file_sha256 from raw.files").fetchall()}


def land_batch(con, parsed: list[ParsedFile], run_id: str) -> BatchCounts:  # noqa: ANN001
    """Write one batch atomically: files, documents and extracted content."""
    counts = BatchCounts()
    now = _now()
    con.execute("begin transaction")
    try:
        known_files = {
            (r[0], r[1]) for r in con.execute("select source_file, file_sha256 from raw.files").fetchall()
        }
        known_content = dict(con.execute("select content_sha256, source_file from raw.documents").fetchall())
        file_rows: list[dict[str, Any]] = []
        content_rows: dict[str, list[dict[str, Any]]] = {t: [] for t in REPORT_CONTENT_TABLES}
        document_rows: list[dict[str, Any]] = []
        for item in parsed:
            counts.seen += 1
            if (item.source_file, item.file_sha256) in known_files:
                counts.skipped += 1
                continue
            known_files.add((item.source_file, item.file_sha256))
            status, reason = item.status, item.reason
            if status == "loaded" and item.content_sha256 in known_content:
                status = "duplicate"
                reason = f"same content as {known_content[item.content_sha256]}"
            file_rows.append(
                {
                    "run_id": run_id,
                    "source_file": item.source_file,
                    "file_name": item.file_name,
                    "file_sha256": item.file_sha256,
                    "size_bytes": item.size_bytes,
                    "status": status,
                    "reason": reason,
                    "report_id": item.report_id,
                    "seen_at": now,
                }
            )
            if status == "quarantined":
                counts.quarantined += 1
                continue
            if status == "duplicate":
                counts.duplicates += 1
                continue
            counts.loaded += 1
            known_content[item.content_sha256] = item.source_file
            report_id = item.report_id
            document_rows.append(
                {
                    "report_id": report_id,
                    "content_sha256": item.content_sha256,
                    "source_file": item.source_file,
                    "file_sha256": item.file_sha256,
                    "source_format": item.source_format,
                    "encoding": item.encoding,
                    "normalized_text": item.normalized_text,
                    "char_count": len(item.normalized_text or ""),
                    "run_id": run_id,
                    "loaded_at": now,
                }
            )
            report = dict(item.extraction["report"])
            content_rows["raw.report_metadata"].append({"report_id": report_id, **report})
            for table, (key, columns) in _ITEM_COLUMNS.items():
                content_rows[table].extend(_item_rows(report_id, item.extraction[key], columns))
            content_rows["raw.warnings"].extend(
                {"report_id": report_id, "line_no": n, "message": w}
                for n, w in enumerate(item.extraction["warnings"])
            )
        _append(con, "raw.files", file_rows)
        _append(con, "raw.documents", document_rows)
        for table, rows in content_rows.items():
            _append(con, table, rows)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return counts


def record_run(con, run_id: str, inbox: str, status: str, started_at: datetime | None = None) -> None:  # noqa: ANN001
    """Upsert the run's row in raw.ingest_runs.

    Called with "running" by a run that has just taken the warehouse lock, so any other run
    still marked "running" died without finishing (killed, machine lost): it is marked
    "interrupted". What it landed is whole batches, which the new run skips as recorded.
    The row is replaced in one transaction, so a crash never leaves a run without its row.
    """
    ensure_raw_schema(con)
    now = _now()
    con.execute("begin transaction")
    try:
        if status == "running":
            con.execute(
                "update raw.ingest_runs set status = 'interrupted' where status = 'running' and run_id <> ?",
                [run_id],
            )
        previous = con.execute("select started_at from raw.ingest_runs where run_id = ?", [run_id]).fetchone()
        con.execute("delete from raw.ingest_runs where run_id = ?", [run_id])
        con.execute(
            "insert into raw.ingest_runs values (?, ?, ?, ?, ?)",
            [
                run_id,
                started_at or (previous[0] if previous else now),
                now if status != "running" else None,
                inbox,
                status,
            ],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
