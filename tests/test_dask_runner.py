"""Past one machine: `JIXIAO_TASK_RUNNER=dask` parses batches as Prefect tasks on Dask.

Slow (a temporary LocalCluster of two worker processes, Prefect's temporary server, dbt and
GX): run by `make test`. The Dask path must land exactly what the parser extracts, and its
task runs must report to the flow's own API rather than start servers of their own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.parsing.extract import extract_document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
pytestmark = pytest.mark.slow


def test_dask_runner_lands_what_the_parser_extracts(tmp_path: Path) -> None:
    pytest.importorskip("prefect_dask")
    inbox = tmp_path / "inbox"
    shutil.copytree(SEEDS, inbox)
    warehouse = tmp_path / "warehouse" / "jixiao.duckdb"
    env = {
        **os.environ,
        "JIXIAO_TASK_RUNNER": "dask",
        "JIXIAO_WORKERS": "2",
        "JIXIAO_BATCH_SIZE": "1",  # one task per report: several batches in flight
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    jixiao = Path(sys.executable).with_name("jixiao")
    done = subprocess.run(
        [str(jixiao), "run", "--inbox", str(inbox), "--warehouse", str(warehouse)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-3000:]
    assert log.count("Starting temporary server") == 1, "a Dask worker started its own Prefect server"
    assert log.count("Task run 'parse-batch-") >= 4

    expected = {}
    for path in sorted(inbox.glob("*.txt")):
        _, extraction = extract_document(path.read_text(encoding="utf-8"))
        expected[path.name] = (
            len(extraction.budget_lines),
            len(extraction.disbursements),
            len(extraction.indicators),
            len(extraction.ratios),
        )
    with duckdb.connect(str(warehouse), read_only=True) as con:
        landed = {
            Path(name).name: counts
            for name, *counts in con.execute(
                """
                select d.source_file,
                    (select count(*) from raw.budget_lines b where b.report_id = d.report_id),
                    (select count(*) from raw.disbursements x where x.report_id = d.report_id),
                    (select count(*) from raw.indicators i where i.report_id = d.report_id),
                    (select count(*) from raw.ratios r where r.report_id = d.report_id)
                from raw.documents d
                """
            ).fetchall()
        }
    assert {name: tuple(counts) for name, counts in landed.items()} == expected
