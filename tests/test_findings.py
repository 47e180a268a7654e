"""Triage state in DuckDB: unalerted → alerted, acks with an audit trail, unknown ids."""

from __future__ import annotations

import duckdb
import pytest

from flows.findings import (
    UnknownFindingError,
    ack_finding,
    ack_history,
    list_findings,
    record_alerted,
    unalerted_findings,
)

FINDINGS = [
    # finding_id, report_id, rule_id, severity, subject, observed, expected, message
    ("f-low", "r1", "execution_rate_low", "critical", "项目支出", "23.68%", ">= 90%", "执行率偏低"),
    ("f-gap", "r1", "stated_rate_mismatch", "warning", "基本支出", "84.57%", "84.70%", "不一致"),
    ("f-info", "r2", "indicator_not_met", "info", "满意度", "85%", ">=90%", "未完成"),
]


def _build_marts(con: duckdb.DuckDBPyConnection) -> None:
    """What dbt would build: marts.fct_anomaly and marts.dim_report (drop + create)."""
    con.execute("create schema if not exists marts")
    con.execute("drop table if exists marts.fct_anomaly")
    con.execute(
        """create table marts.fct_anomaly (
            finding_id varchar, report_id varchar, rule_id varchar, severity varchar,
            subject varchar, observed varchar, expected varchar, message varchar,
            source_text varchar, status varchar
        )"""
    )
    con.executemany(
        "insert into marts.fct_anomaly values (?, ?, ?, ?, ?, ?, ?, ?, 'src', 'open')",
        FINDINGS,
    )
    con.execute("drop table if exists marts.dim_report")
    con.execute(
        """create table marts.dim_report as
        select * from (values
            ('r1', 'a.txt', '长沙市工业和信息化局', 2022, '长沙市'),
            ('r2', 'b.txt', '怀化市工业和信息化局', 2022, '怀化市')
        ) as t(report_id, source_file, department, fiscal_year, region)"""
    )


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    _build_marts(connection)
    yield connection
    connection.close()


def test_unalerted_then_recorded_leaves_none(con):
    fresh = unalerted_findings(con, "info")
    assert list(fresh["finding_id"]) == ["f-low", "f-gap", "f-info"]  # most severe first
    assert set(fresh["department"]) == {"长沙市工业和信息化局", "怀化市工业和信息化局"}

    assert record_alerted(con, fresh["finding_id"], run_id="run-1") == 3
    assert unalerted_findings(con, "info").empty
    log = con.execute("select finding_id, run_id from ops.alert_log order by 1").fetchall()
    assert log == [("f-gap", "run-1"), ("f-info", "run-1"), ("f-low", "run-1")]


def test_min_severity_filters(con):
    assert list(unalerted_findings(con, "warning")["finding_id"]) == ["f-low", "f-gap"]
    assert list(unalerted_findings(con, "critical")["finding_id"]) == ["f-low"]
    with pytest.raises(ValueError, match="unknown severity"):
        unalerted_findings(con, "urgent")


def test_ack_marks_acked_and_never_alerted(con):
    ack_finding(con, "f-gap", acked_by="王会计", note="四舍五入尾差, 已核实")

    acked = list_findings(con, "acked")
    assert list(acked["finding_id"]) == ["f-gap"]
    assert acked.iloc[0]["acked_by"] == "王会计"
    assert list(list_findings(con, "open")["finding_id"]) == ["f-low", "f-info"]
    assert "f-gap" not in set(unalerted_findings(con, "info")["finding_id"])


def test_ack_keeps_audit_trail_and_survives_rebuild(con):
    ack_finding(con, "f-low", acked_by="alice", note="first look")
    ack_finding(con, "f-low", acked_by="bob", note="explained in 说明")
    _build_marts(con)  # dbt rebuilds the marts; ops.* is untouched

    history = ack_history(con, "f-low")
    assert list(history["acked_by"]) == ["alice", "bob"]
    row = list_findings(con).set_index("finding_id").loc["f-low"]
    assert row["status"] == "acked"
    assert row["acked_by"] == "bob"  # the latest ack is the current one


def test_ack_unknown_id_raises(con):
    with pytest.raises(UnknownFindingError, match="f-nope"):
        ack_finding(con, "f-nope", acked_by="alice")
    assert ack_history(con).empty


def test_ack_requires_who(con):
    with pytest.raises(ValueError, match="acked_by"):
        ack_finding(con, "f-low", acked_by="  ")


def test_list_rejects_unknown_status(con):
    with pytest.raises(ValueError, match="status"):
        list_findings(con, "closed")


def test_without_dim_report_and_ops_tables(tmp_path):
    connection = duckdb.connect(str(tmp_path / "bare.duckdb"))
    _build_marts(connection)
    connection.execute("drop table marts.dim_report")
    fresh = unalerted_findings(connection, "info")  # creates ops.* on the way
    assert len(fresh) == 3
    assert "department" not in fresh.columns
    connection.close()


def test_missing_mart_is_a_clear_error(tmp_path):
    connection = duckdb.connect(str(tmp_path / "empty.duckdb"))
    with pytest.raises(RuntimeError, match=r"marts\.fct_anomaly does not exist"):
        unalerted_findings(connection)
    connection.close()


def test_list_on_a_read_only_connection(tmp_path):
    path = tmp_path / "ro.duckdb"
    writer = duckdb.connect(str(path))
    _build_marts(writer)
    ack_finding(writer, "f-info", acked_by="alice")  # creates ops.* as the pipeline does
    writer.close()

    with duckdb.connect(str(path), read_only=True) as reader:
        assert list(list_findings(reader, "acked")["finding_id"]) == ["f-info"]
        assert len(unalerted_findings(reader, "info")) == 2
