"""The `jixiao` command: run the pipeline, extract one file, inspect and query the warehouse."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

# Prefect reads these at import time: no telemetry from a closed network, quiet start-up.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


def _cmd_run(args: argparse.Namespace) -> int:
    from flows.pipeline import jixiao_pipeline  # noqa: PLC0415 - keep `extract` free of Prefect
    from flows.warehouse.lock import WarehouseBusy  # noqa: PLC0415

    try:
        summary = jixiao_pipeline(
            inbox=str(args.inbox) if args.inbox else None,
            warehouse=str(args.warehouse) if args.warehouse else None,
        )
    except WarehouseBusy as exc:
        print(f"jixiao: {exc}", file=sys.stderr)
        return 3
    except Exception as exc:  # noqa: BLE001 - the flow already logged the traceback
        print(f"jixiao: run failed: {exc}", file=sys.stderr)
        return 1
    print(summary.render())
    return 0


def _cmd_extract(args: argparse.Namespace) -> int:
    from flows.ingest.readers import QuarantineError, read_document  # noqa: PLC0415
    from flows.parsing.extract import extract_document  # noqa: PLC0415

    status = 0
    for path in args.paths:
        try:
            document = read_document(Path(path))
            _, extraction = extract_document(document.text)
            payload = extraction.to_dict()
        except QuarantineError as exc:
            payload = {"error": exc.reason, "detail": exc.detail}
            status = 2
        text = json.dumps(payload, ensure_ascii=False, indent=2)
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{Path(path).stem}.json").write_text(text + "\n", encoding="utf-8")
        else:
            print(text)
    return status


def _cmd_serve(args: argparse.Namespace) -> int:
    from flows.pipeline import jixiao_pipeline  # noqa: PLC0415

    params = {k: str(v) for k, v in (("inbox", args.inbox), ("warehouse", args.warehouse)) if v}
    jixiao_pipeline.serve(name="jixiao-inbox-watch", interval=args.interval, parameters=params)
    return 0


def _connect_read_only(warehouse: Path | None):  # noqa: ANN202
    import duckdb  # noqa: PLC0415

    from flows.settings import get_settings  # noqa: PLC0415

    path = warehouse or get_settings().warehouse
    if not Path(path).exists():
        raise SystemExit(f"jixiao: no warehouse at {path}; run `jixiao run` first")
    # Read-only, and no file system access from SQL: `copy … to`, `read_csv('/etc/…')`,
    # `attach` and extension installs are refused, so `query` can only read the warehouse.
    con = duckdb.connect(str(path), read_only=True)
    con.execute("set enable_external_access = false")
    return con


def _print_frame(frame, fmt: str) -> None:  # noqa: ANN001
    if fmt == "json":
        print(frame.to_json(orient="records", force_ascii=False, date_format="iso"))
    elif fmt == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    else:
        with __import__("pandas").option_context("display.max_rows", 500, "display.width", 200):
            print(frame.to_string(index=False))


def _cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    try:
        with _connect_read_only(args.warehouse) as con:
            frame = con.execute(args.sql).df()
    except duckdb.Error as exc:
        if isinstance(exc, duckdb.IOException) and "lock" in str(exc):  # a run holds the file
            print(f"jixiao query: the warehouse is busy (a run is writing it?): {exc}", file=sys.stderr)
            return 3
        if "read-only mode" in str(exc):
            print(
                "jixiao query: the warehouse is opened read-only; queries cannot create, change or drop "
                f"tables (only `jixiao run` writes it). {exc}",
                file=sys.stderr,
            )
        else:
            print(f"jixiao query: {exc}", file=sys.stderr)
        return 2
    _print_frame(frame, args.format)
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    with _connect_read_only(args.warehouse) as con:
        files = con.execute(
            "select source_file, status, reason from raw.files order by seen_at, source_file"
        ).df()
        runs = con.execute("select count(*) from raw.ingest_runs").fetchone()[0]
    report = {
        "files_seen": len(files),
        "loaded": int((files["status"] == "loaded").sum()),
        "duplicates": int((files["status"] == "duplicate").sum()),
        "quarantined": [
            {"file": r.source_file, "reason": r.reason}
            for r in files[files["status"] == "quarantined"].itertuples()
        ],
        "runs": int(runs),
    }
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(
            f"files seen {report['files_seen']}  loaded {report['loaded']}  "
            f"duplicates {report['duplicates']}  quarantined {len(report['quarantined'])}  runs {runs}"
        )
        for q in report["quarantined"]:
            print(f"  quarantined  {q['file']}: {q['reason']}")
    return 0


def _cmd_findings(args: argparse.Namespace) -> int:
    import duckdb  # noqa: PLC0415

    from flows.findings import ack_finding, list_findings  # noqa: PLC0415
    from flows.settings import get_settings  # noqa: PLC0415

    warehouse = args.warehouse or get_settings().warehouse
    if args.action == "ack":
        with duckdb.connect(str(warehouse)) as con:
            ack_finding(con, args.finding_id, args.by or os.environ.get("USER", "unknown"), args.note)
        print(f"acknowledged {args.finding_id}")
        return 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        frame = list_findings(con, args.status)
    _print_frame(frame, args.format)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    import duckdb

    from flows.export import export_mart  # noqa: PLC0415

    try:
        with _connect_read_only(args.warehouse) as con:
            path = export_mart(con, args.mart, args.format, args.out)
    except duckdb.Error as exc:
        print(f"jixiao export: {exc}", file=sys.stderr)
        return 3 if isinstance(exc, duckdb.IOException) and "lock" in str(exc) else 2
    except (ValueError, OSError) as exc:  # unknown mart (the message lists them), unwritable --out
        print(f"jixiao export: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jixiao", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="ingest an inbox and rebuild, validate and alert")
    run.add_argument("--inbox", type=Path, help="folder of report files (default seeds/)")
    run.add_argument("--warehouse", type=Path, help="DuckDB file (default warehouse/jixiao.duckdb)")
    run.set_defaults(func=_cmd_run)

    ext = sub.add_parser("extract", help="print what the parser finds in files, as JSON")
    ext.add_argument("paths", nargs="+")
    ext.add_argument("--out", type=Path, help="write <stem>.json per input into this folder")
    ext.set_defaults(func=_cmd_extract)

    serve = sub.add_parser("serve", help="run the pipeline on a schedule, watching the inbox")
    serve.add_argument("--inbox", type=Path)
    serve.add_argument("--warehouse", type=Path)
    serve.add_argument("--interval", type=int, default=3600, help="seconds between runs")
    serve.set_defaults(func=_cmd_serve)

    query = sub.add_parser("query", help="run read-only SQL against the warehouse")
    query.add_argument("sql")
    query.add_argument("--warehouse", type=Path)
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.set_defaults(func=_cmd_query)

    status = sub.add_parser("status", help="what entered the warehouse: loaded, duplicates, quarantined")
    status.add_argument("--warehouse", type=Path)
    status.add_argument("--format", choices=("table", "json"), default="table")
    status.set_defaults(func=_cmd_status)

    findings = sub.add_parser("findings", help="list findings, or acknowledge one")
    findings.add_argument("action", nargs="?", choices=("list", "ack"), default="list")
    findings.add_argument("finding_id", nargs="?")
    findings.add_argument("--status", choices=("open", "acked"))
    findings.add_argument("--note", default="")
    findings.add_argument("--by", help="who reviews (default $USER)")
    findings.add_argument("--warehouse", type=Path)
    findings.add_argument("--format", choices=("table", "csv", "json"), default="table")
    findings.set_defaults(func=_cmd_findings)

    export = sub.add_parser("export", help="export a mart to csv, parquet or xlsx")
    export.add_argument("--mart", required=True)
    export.add_argument("--format", choices=("csv", "parquet", "xlsx"), required=True)
    export.add_argument("--out", type=Path, required=True)
    export.add_argument("--warehouse", type=Path)
    export.set_defaults(func=_cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "findings" and args.action == "ack" and not args.finding_id:
        raise SystemExit("jixiao findings ack: a FINDING_ID is required")
    return int(args.func(args) or 0)


def entry_point() -> None:
    """Console script: exit without interpreter teardown, where duckdb 2.0's bindings print
    pages of harmless nanobind "leaked" warnings."""
    import atexit  # noqa: PLC0415

    code = main()
    # Exit handlers first: they stop Prefect's temporary server and flush logs.
    atexit._run_exitfuncs()  # noqa: SLF001
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    entry_point()
