"""Triage state of findings (发现/预警): what was alerted, what people acknowledged.

Findings live in `marts.fct_anomaly` (rebuilt by dbt on every run; a finding keeps its
`finding_id` while the report and the rule still produce it). What happened to them lives
in `ops.*`, which only Python writes and dbt never rebuilds, so acks and the alert log
survive every rebuild:

- `ops.alert_log`: one row per finding per alert that carried it.
- `ops.finding_acks`: one row per acknowledgement (确认/已处理), appended, never updated:
  the audit trail of who reviewed what, when and why. The latest row is the current ack.

All functions take an open DuckDB connection (the pipeline holds the single writer) and
create the ops tables if they are missing. Timestamps are UTC, stored as naive TIMESTAMP.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import duckdb

from flows.alerting import SEVERITY_ORDER, severity_rank
from flows.warehouse.raw_schema import ensure_raw_schema

if TYPE_CHECKING:
    import pandas as pd

FINDINGS_TABLE = "marts.fct_anomaly"
REPORTS_TABLE = "marts.dim_report"
STATUSES = ("open", "acked")
# Report columns joined onto findings, so an alert can name the department and year.
REPORT_COLUMNS = ("department", "fiscal_year", "region", "source_file")


class UnknownFindingError(LookupError):
    """The finding_id is not in marts.fct_anomaly."""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _table_exists(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    schema, _, table = qualified.partition(".")
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


def _columns(con: duckdb.DuckDBPyConnection, qualified: str) -> set[str]:
    schema, _, table = qualified.partition(".")
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchall()
    return {row[0] for row in rows}


def _ensure_ops(con: duckdb.DuckDBPyConnection) -> None:
    """Create the ops tables when missing; no DDL at all when they exist (read-only use)."""
    if all(_table_exists(con, t) for t in ("ops.alert_log", "ops.finding_acks")):
        return
    try:
        ensure_raw_schema(con)
    except duckdb.Error as exc:
        raise RuntimeError(
            "ops.alert_log / ops.finding_acks are missing and could not be created "
            f"({type(exc).__name__}); open the warehouse writable once"
        ) from exc


def _require_findings(con: duckdb.DuckDBPyConnection) -> None:
    _ensure_ops(con)
    if not _table_exists(con, FINDINGS_TABLE):
        raise RuntimeError(f"{FINDINGS_TABLE} does not exist yet: run the pipeline (dbt build) first")


def _findings_select(con: duckdb.DuckDBPyConnection) -> str:
    """fct_anomaly rows with report columns, effective status and latest ack / alert."""
    report_columns = ""
    report_join = ""
    if _table_exists(con, REPORTS_TABLE):
        available = _columns(con, REPORTS_TABLE)
        taken = _columns(con, FINDINGS_TABLE)
        picked = [c for c in REPORT_COLUMNS if c in available and c not in taken]
        report_columns = "".join(f", r.{c}" for c in picked)
        report_join = f"left join {REPORTS_TABLE} as r on r.report_id = a.report_id"
    return f"""
        with latest_acks as (
            select finding_id, acked_by, acked_at, note
            from ops.finding_acks
            qualify row_number() over (
                partition by finding_id order by acked_at desc, rowid desc
            ) = 1
        ),
        alerts as (
            select finding_id, min(sent_at) as first_alerted_at, count(*) as times_alerted
            from ops.alert_log
            group by finding_id
        )
        select
            a.* exclude (status),
            case
                when k.finding_id is not null or a.status = 'acked' then 'acked'
                else 'open'
            end as status{report_columns},
            k.acked_by,
            k.acked_at,
            k.note as ack_note,
            l.first_alerted_at,
            coalesce(l.times_alerted, 0) as times_alerted
        from {FINDINGS_TABLE} as a
        {report_join}
        left join latest_acks as k on k.finding_id = a.finding_id
        left join alerts as l on l.finding_id = a.finding_id
    """


def _severity_sort() -> str:
    cases = " ".join(f"when '{s}' then {r}" for s, r in SEVERITY_ORDER.items())
    return f"case lower(severity) {cases} else -1 end desc"


def unalerted_findings(con: duckdb.DuckDBPyConnection, min_severity: str = "info") -> pd.DataFrame:
    """Open findings at or above `min_severity` that no alert has carried yet.

    A finding is left out once its id is in ops.alert_log or it is acknowledged
    (ops.finding_acks, or status 'acked' in the mart). Most severe first.
    """
    floor = severity_rank(min_severity)
    wanted = [s for s, rank in SEVERITY_ORDER.items() if rank >= floor]
    _require_findings(con)
    query = f"""
        select * from ({_findings_select(con)})
        where status = 'open'
          and times_alerted = 0
          and lower(severity) in (select unnest(?::varchar[]))
        order by {_severity_sort()}, report_id, rule_id, finding_id
    """
    return con.execute(query, [wanted]).df()


def record_alerted(con: duckdb.DuckDBPyConnection, finding_ids: Iterable[str], run_id: str) -> int:
    """Log that an alert of run `run_id` carried these findings; returns rows written."""
    ids = list(dict.fromkeys(str(f) for f in finding_ids if f is not None))
    if not ids:
        return 0
    _ensure_ops(con)
    con.execute(
        "insert into ops.alert_log (finding_id, run_id, sent_at) select unnest(?::varchar[]), ?, ?",
        [ids, run_id, _now()],
    )
    return len(ids)


def list_findings(con: duckdb.DuckDBPyConnection, status: str | None = None) -> pd.DataFrame:
    """All findings with their triage state; `status` 'open' or 'acked' filters them."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES} or None, not {status!r}")
    _require_findings(con)
    where = "where status = ?" if status else ""
    query = f"""
        select * from ({_findings_select(con)})
        {where}
        order by {_severity_sort()}, report_id, rule_id, finding_id
    """
    return con.execute(query, [status] if status else []).df()


def ack_finding(
    con: duckdb.DuckDBPyConnection,
    finding_id: str,
    acked_by: str,
    note: str | None = None,
) -> datetime:
    """Acknowledge a finding (append to ops.finding_acks); returns the ack time (UTC).

    Raises UnknownFindingError when `finding_id` is not in marts.fct_anomaly, and
    ValueError when `acked_by` is empty. Acking again appends another row: the latest
    one is shown, the earlier ones stay as the audit trail.
    """
    if not acked_by or not acked_by.strip():
        raise ValueError("acked_by is required: who reviewed the finding")
    _require_findings(con)
    row = con.execute(f"select count(*) from {FINDINGS_TABLE} where finding_id = ?", [finding_id]).fetchone()
    if not row or not row[0]:
        raise UnknownFindingError(
            f"finding_id {finding_id!r} is not in {FINDINGS_TABLE}; "
            "see `jixiao findings list` for the current ids"
        )
    acked_at = _now()
    con.execute(
        "insert into ops.finding_acks (finding_id, acked_by, acked_at, note) values (?, ?, ?, ?)",
        [finding_id, acked_by.strip(), acked_at, note],
    )
    return acked_at


def ack_history(con: duckdb.DuckDBPyConnection, finding_id: str | None = None) -> pd.DataFrame:
    """The ack audit trail (all rows, oldest first), for one finding or all."""
    _ensure_ops(con)
    where = "where finding_id = ?" if finding_id is not None else ""
    return con.execute(
        f"select finding_id, acked_by, acked_at, note from ops.finding_acks {where} order by acked_at, rowid",
        [finding_id] if finding_id is not None else [],
    ).df()
