"""Crash safety and concurrent runs: the warehouse always ends up as one clean run makes it.

- A run killed with SIGKILL part-way (after some batches are landed) leaves whole batches
  only, and its lock file behind; the next run is not blocked by it and completes the work.
- Two runs started together: one completes, the other stops at once with the WarehouseBusy
  message (exit code 3), or waits for the lock when JIXIAO_LOCK_TIMEOUT_SECONDS is set.

Each scenario's warehouse is compared with a clean run's: raw.documents report ids, the
content of every raw table without run ids and timestamps, and every mart's row count.

Slow: real `jixiao run` subprocesses, each starting Prefect's temporary server (~10 s),
dbt and GX; run by `make test`. Three tests at the end are fast (no Prefect): a process
killed inside a batch's transaction, a stale lock file, waiting for a held lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from flows.warehouse.lock import WarehouseBusy, warehouse_lock

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
JIXIAO = ROOT / ".venv" / "bin" / "jixiao"
INBOX_FILES = 300
BATCH_SIZE = 20
RUN_TIMEOUT = 600  # seconds; a run takes ~1 min on 2 cores

# Columns that differ between runs by nature: who wrote a row and when.
RUN_COLUMNS = {"run_id", "seen_at", "loaded_at"}
# Every raw table but the log of runs (a crash adds an "interrupted" run by nature).
NOT_COMPARED = {"ingest_runs"}


# ----------------------------------------------------------------------------- helpers


def make_big_inbox(inbox: Path, count: int = INBOX_FILES) -> Path:
    """`count` distinct reports: the samples in turn, each with its own closing line."""
    inbox.mkdir(parents=True)
    texts = [seed.read_text(encoding="utf-8").rstrip("\n") for seed in SEEDS]
    for i in range(count):
        seed = SEEDS[i % len(SEEDS)]
        text = f"{texts[i % len(texts)]}\n\n附：本报告副本编号{i:04d}。\n"
        (inbox / f"{i:04d}_{seed.name}").write_text(text, encoding="utf-8")
    return inbox


@pytest.fixture(scope="module")
def run_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for `jixiao run` subprocesses: this machine's, minus any JIXIAO_* or
    Prefect API settings of the developer, with a Prefect home of the tests' own (its
    database is migrated once, by the first run, and shared like a user's ~/.prefect)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("JIXIAO_") and k not in ("PREFECT_API_URL", "PREFECT_PROFILE")
    }
    env.update(
        PREFECT_HOME=str(tmp_path_factory.mktemp("prefect-home")),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="300",
        JIXIAO_WORKERS="2",
        JIXIAO_BATCH_SIZE=str(BATCH_SIZE),
    )
    return env


class Run:
    """A `jixiao run` subprocess in a session of its own, its output going to a file.

    Not a pipe: the run's Prefect temporary server outlives a killed run (and, today, a
    finished one: see the report), and would hold a pipe open long after the run ended.
    """

    def __init__(self, inbox: Path, warehouse: Path, env: dict[str, str], **extra_env: str) -> None:
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        self.log = warehouse.parent / f"run-{time.monotonic_ns()}.log"
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                [str(JIXIAO), "run", "--inbox", str(inbox), "--warehouse", str(warehouse)],
                cwd=warehouse.parent,  # no stray .env from the repo
                env={**env, **extra_env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def finish(self, timeout: float = RUN_TIMEOUT) -> tuple[int, str]:
        try:
            self.proc.wait(timeout=timeout)
        finally:
            self.kill_group()
        return self.proc.returncode, self.output

    def kill_group(self) -> None:
        """End what the run left behind (its Prefect server, pool workers): that session only."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)


def run_to_completion(inbox: Path, warehouse: Path, env: dict[str, str], **extra_env: str) -> str:
    code, output = Run(inbox, warehouse, env, **extra_env).finish()
    assert code == 0, output[-4000:]
    return output


def files_line(loaded: int, unchanged: int) -> str:
    """The run summary's line about files, for an inbox of distinct, readable reports."""
    return (
        f"files: {INBOX_FILES} seen, {loaded} loaded, 0 duplicates, 0 quarantined, "
        f"{unchanged} unchanged since an earlier run"
    )


def snapshot(warehouse: Path) -> dict[str, object]:
    """What must be equal to a clean run's: report ids, raw content, mart row counts."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        snap: dict[str, object] = {
            "report_ids": sorted(r[0] for r in con.execute("select report_id from raw.documents").fetchall())
        }
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw' order by 1"
            ).fetchall()
            if r[0] not in NOT_COMPARED
        ]
        assert {"files", "documents", "budget_lines"} <= set(tables)
        snap["raw_tables"] = tables
        for name in tables:
            columns = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    ["raw", name],
                ).fetchall()
                if r[0] not in RUN_COLUMNS
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f"select {select} from raw.{name}").fetchall()
            snap[f"raw.{name}"] = sorted(rows, key=repr)
        marts = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        snap["marts"] = {m: con.execute(f'select count(*) from marts."{m}"').fetchone()[0] for m in marts}
    return snap


def assert_same_warehouse(got: dict[str, object], expected: dict[str, object]) -> None:
    assert got["report_ids"] == expected["report_ids"]
    assert got["raw_tables"] == expected["raw_tables"]
    for name in expected["raw_tables"]:  # type: ignore[attr-defined]
        table = f"raw.{name}"
        assert len(got[table]) == len(expected[table]), table  # type: ignore[arg-type]
        assert got[table] == expected[table], f"{table} differs from a clean run's"
    assert got["marts"] == expected["marts"]


def run_statuses(warehouse: Path) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return sorted(r[0] for r in con.execute("select status from raw.ingest_runs").fetchall())


def lock_is_held(warehouse: Path) -> bool:
    lock = warehouse.with_name(warehouse.name + ".lock")
    if not lock.exists():
        return False
    with lock.open("a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return False


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def big_inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_big_inbox(tmp_path_factory.mktemp("big") / "inbox")


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory, big_inbox: Path, run_env: dict[str, str]):
    """One uninterrupted run over the big inbox: what every scenario must end up equal to."""
    warehouse = tmp_path_factory.mktemp("clean") / "warehouse" / "jixiao.duckdb"
    started = time.monotonic()
    output = run_to_completion(big_inbox, warehouse, run_env)
    seconds = time.monotonic() - started
    snap = snapshot(warehouse)
    assert len(snap["report_ids"]) == INBOX_FILES, output[-3000:]  # type: ignore[arg-type]
    return {"warehouse": warehouse, "snapshot": snap, "seconds": seconds}


# ------------------------------------------------------------------------------- crash


@pytest.mark.slow
def test_killed_run_then_rerun_equals_a_clean_run(
    tmp_path: Path, big_inbox: Path, run_env: dict[str, str], clean_run: dict
) -> None:
    warehouse = tmp_path / "warehouse" / "jixiao.duckdb"
    run = Run(big_inbox, warehouse, run_env)
    landed = None
    deadline = time.monotonic() + RUN_TIMEOUT
    try:
        # Kill the run as soon as it reports a landed window, while it parses the next.
        while landed is None and time.monotonic() < deadline and run.proc.poll() is None:
            found = re.search(r"parsed and landed (\d+)/(\d+) new files", run.output)
            if found:
                landed = (int(found[1]), int(found[2]))
            else:
                time.sleep(0.05)
        assert landed is not None, run.output[-4000:]
        os.kill(run.proc.pid, signal.SIGKILL)
        run.proc.wait(timeout=30)
    finally:
        run.kill_group()
    proc = run.proc
    assert proc.returncode == -signal.SIGKILL
    assert 0 < landed[0] < landed[1] == INBOX_FILES

    # What the killed run left: whole batches only, the lock file, a run still "running".
    with duckdb.connect(str(warehouse), read_only=True) as con:
        files = con.execute("select count(*) from raw.files").fetchone()[0]
        documents = con.execute("select count(*) from raw.documents").fetchone()[0]
        orphans = con.execute(
            """select count(*) from raw.budget_lines b
               where not exists (select 1 from raw.documents d where d.report_id = b.report_id)"""
        ).fetchone()[0]
    assert files >= landed[0] and files % BATCH_SIZE == 0 and files < INBOX_FILES
    assert documents == files and orphans == 0
    assert warehouse.with_name("jixiao.duckdb.lock").exists()
    assert not lock_is_held(warehouse), "the kernel releases a dead process's flock"
    assert run_statuses(warehouse) == ["running"]

    output = run_to_completion(big_inbox, warehouse, run_env)
    assert files_line(loaded=INBOX_FILES - files, unchanged=files) in output
    assert run_statuses(warehouse) == ["completed", "interrupted"]
    assert_same_warehouse(snapshot(warehouse), clean_run["snapshot"])


# ------------------------------------------------------------------------- concurrency


@pytest.mark.slow
def test_second_concurrent_run_stops_with_warehouse_busy(
    tmp_path: Path, big_inbox: Path, run_env: dict[str, str], clean_run: dict
) -> None:
    warehouse = tmp_path / "warehouse" / "jixiao.duckdb"
    runs = [Run(big_inbox, warehouse, run_env) for _ in range(2)]
    results = [run.finish() for run in runs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 3], [out[-3000:] for _, out in results]
    busy = next(out for code, out in results if code == 3)
    assert "is in use by jixiao run pid" in busy
    assert "JIXIAO_LOCK_TIMEOUT_SECONDS" in busy
    assert run_statuses(warehouse) == ["completed"]
    assert_same_warehouse(snapshot(warehouse), clean_run["snapshot"])


@pytest.mark.slow
def test_concurrent_runs_wait_for_the_lock_when_asked(
    tmp_path: Path, big_inbox: Path, run_env: dict[str, str], clean_run: dict
) -> None:
    warehouse = tmp_path / "warehouse" / "jixiao.duckdb"
    wait = {"JIXIAO_LOCK_TIMEOUT_SECONDS": str(RUN_TIMEOUT)}
    runs = [Run(big_inbox, warehouse, run_env, **wait) for _ in range(2)]
    results = [run.finish() for run in runs]
    assert [code for code, _ in results] == [0, 0], [out[-3000:] for _, out in results]
    first, second = files_line(loaded=INBOX_FILES, unchanged=0), files_line(loaded=0, unchanged=INBOX_FILES)
    assert sorted(first in out for _, out in results) == [False, True]
    assert sorted(second in out for _, out in results) == [False, True]
    assert run_statuses(warehouse) == ["completed", "completed"]
    assert_same_warehouse(snapshot(warehouse), clean_run["snapshot"])


# ------------------------------------------------------------------ fast, no Prefect


KILL_INSIDE_BATCH = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import duckdb
    from flows.ingest.batch import InboxFile, parse_batch
    from flows.warehouse import loader
    from flows.warehouse.raw_schema import ensure_raw_schema

    warehouse, first, second = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    def parsed(path):
        return parse_batch([InboxFile(str(path), path.name, path.stat().st_size)], 10**8, 60)
    with duckdb.connect(warehouse) as con:
        ensure_raw_schema(con)
        loader.land_batch(con, parsed(first), "run-a")
    real_append = loader._append
    def append_then_die(con, table, rows):
        real_append(con, table, rows)
        if table == "raw.budget_lines":  # files, documents, metadata written: die mid-batch
            os.kill(os.getpid(), signal.SIGKILL)
    loader._append = append_then_die
    with duckdb.connect(warehouse) as con:
        loader.land_batch(con, parsed(second), "run-b")
    """
)


def test_process_killed_inside_a_batch_leaves_no_part_of_it(tmp_path: Path) -> None:
    """SIGKILL between the inserts of one batch: after reopening, the batch is absent."""
    warehouse = tmp_path / "jixiao.duckdb"
    proc = subprocess.run(
        [sys.executable, "-c", KILL_INSIDE_BATCH, str(warehouse), str(SEEDS[0]), str(SEEDS[1])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    with duckdb.connect(str(warehouse), read_only=True) as con:
        counts = {
            table: con.execute(f"select count(*), count(distinct report_id) from {table}").fetchone()
            for table in ("raw.files", "raw.documents", "raw.report_metadata", "raw.budget_lines")
        }
        names = con.execute("select source_file from raw.files").fetchall()
    assert names == [(SEEDS[0].name,)]
    assert counts["raw.files"] == (1, 1)
    assert counts["raw.documents"] == (1, 1)
    assert counts["raw.report_metadata"] == (1, 1)
    assert counts["raw.budget_lines"][1] == 1


def test_stale_lock_file_does_not_block(tmp_path: Path) -> None:
    """A lock file left by a dead run (its pid written in it) is no lock: flock decides."""
    warehouse = tmp_path / "jixiao.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from flows.warehouse.lock import warehouse_lock\n"
            "with warehouse_lock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(60)",
            str(warehouse),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"  # type: ignore[union-attr]
        busy = pytest.raises(WarehouseBusy, match=f"in use by jixiao run pid {holder.pid}")
        with busy, warehouse_lock(warehouse, timeout_seconds=0):
            pass
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.stdout.close()  # type: ignore[union-attr]
    lock_file = warehouse.with_name("jixiao.duckdb.lock")
    assert lock_file.read_text() == f"jixiao run pid {holder.pid}"  # left behind
    with warehouse_lock(warehouse, timeout_seconds=0) as path:
        assert path == lock_file
        assert lock_file.read_text() == f"jixiao run pid {os.getpid()}"


def test_waiting_for_the_lock_then_busy_names_the_holder(tmp_path: Path) -> None:
    warehouse = tmp_path / "jixiao.duckdb"
    with warehouse_lock(warehouse):
        started = time.monotonic()
        busy = pytest.raises(WarehouseBusy, match="JIXIAO_LOCK_TIMEOUT_SECONDS")
        with busy, warehouse_lock(warehouse, timeout_seconds=1.0):
            pass
        assert time.monotonic() - started >= 1.0
