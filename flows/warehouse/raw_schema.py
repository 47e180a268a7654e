"""DDL of the raw tables the flows land, in the parser's own shape.

Python only ever writes `raw.*` (what was read) and `ops.*` (what people and alerts did);
dbt reads `raw` as its single source and builds everything else. Amounts are in 万元,
rates in percent, exactly as the parser returns them.
"""

RAW_DDL: tuple[str, ...] = (
    "create schema if not exists raw",
    "create schema if not exists ops",
    # One row per run of the pipeline.
    """create table if not exists raw.ingest_runs (
        run_id varchar primary key,
        started_at timestamp,
        finished_at timestamp,
        inbox varchar,
        status varchar
    )""",
    # Every file that entered, with its fate: loaded, duplicate or quarantined.
    """create table if not exists raw.files (
        run_id varchar,
        source_file varchar,
        file_name varchar,
        file_sha256 varchar,
        size_bytes bigint,
        status varchar,
        reason varchar,
        report_id varchar,
        seen_at timestamp
    )""",
    # One row per distinct document content (report_id = first 16 hex of content_sha256).
    """create table if not exists raw.documents (
        report_id varchar primary key,
        content_sha256 varchar,
        source_file varchar,
        file_sha256 varchar,
        source_format varchar,
        encoding varchar,
        normalized_text varchar,
        char_count integer,
        run_id varchar,
        loaded_at timestamp
    )""",
    """create table if not exists raw.report_metadata (
        report_id varchar primary key,
        fiscal_year integer,
        department varchar,
        region varchar,
        report_kind varchar,
        self_score double,
        grade varchar,
        title varchar,
        published_on date
    )""",
    # Budget execution lines (预算执行): table rows and narrative sentences alike.
    """create table if not exists raw.budget_lines (
        report_id varchar,
        line_no integer,
        name varchar,
        initial_budget double,
        adjustment double,
        full_year_budget double,
        actual double,
        balance double,
        execution_rate double,
        rate_label varchar,
        weight double,
        score double,
        form varchar,
        group_id varchar,
        is_total boolean,
        parent_line_no integer,
        origin varchar,
        source_start integer,
        source_end integer,
        source_text varchar
    )""",
    # Spending items (项目/支出明细): what money went to, with the purpose text.
    """create table if not exists raw.disbursements (
        report_id varchar,
        line_no integer,
        name varchar,
        budget double,
        actual double,
        purpose varchar,
        form varchar,
        group_id varchar,
        is_total boolean,
        parent_line_no integer,
        origin varchar,
        source_start integer,
        source_end integer,
        source_text varchar
    )""",
    # Performance indicators (绩效指标), text as written.
    """create table if not exists raw.indicators (
        report_id varchar,
        line_no integer,
        level1 varchar,
        level2 varchar,
        level3 varchar,
        target varchar,
        actual varchar,
        weight double,
        score double,
        note varchar,
        form varchar,
        source_start integer,
        source_end integer,
        source_text varchar
    )""",
    # Named ratios stated in the report (控制率, 执行率, 满意度 ...), in percent.
    """create table if not exists raw.ratios (
        report_id varchar,
        line_no integer,
        name varchar,
        value double,
        source_start integer,
        source_end integer,
        source_text varchar
    )""",
    """create table if not exists raw.warnings (
        report_id varchar,
        line_no integer,
        message varchar
    )""",
    # Alerts already sent, so an unchanged re-run sends nothing new.
    """create table if not exists ops.alert_log (
        finding_id varchar,
        run_id varchar,
        sent_at timestamp
    )""",
    # Triage audit trail: who reviewed which finding, when and why. Survives rebuilds.
    """create table if not exists ops.finding_acks (
        finding_id varchar,
        acked_by varchar,
        acked_at timestamp,
        note varchar
    )""",
)

# Tables holding one report's extracted content, cleared and rewritten together.
REPORT_CONTENT_TABLES: tuple[str, ...] = (
    "raw.report_metadata",
    "raw.budget_lines",
    "raw.disbursements",
    "raw.indicators",
    "raw.ratios",
    "raw.warnings",
)


# Columns added after the first warehouses were created: (table, column, type).
ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("raw.budget_lines", "rate_label", "varchar"),
    ("raw.budget_lines", "weight", "double"),
    ("raw.budget_lines", "score", "double"),
)


def ensure_raw_schema(con) -> None:  # noqa: ANN001 - a duckdb connection
    """Create the raw and ops tables if missing, and add columns newer versions need."""
    for statement in RAW_DDL:
        con.execute(statement)
    for table, column, data_type in ADDED_COLUMNS:
        con.execute(f"alter table {table} add column if not exists {column} {data_type}")
