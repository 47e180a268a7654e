"""Whole-pipeline throughput: N varied sample reports through Prefect, dbt and GX.

Prints files/s for the run and the peak memory of this process and its workers, so the
fixed costs (server start, dbt, GX) and the per-report cost can be told apart. Example:
`.venv/bin/python benchmarks/bench_pipeline.py --reports 2000 --workers 2`.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from benchmarks.bench_parser import build_corpus


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--batch-size", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ["JIXIAO_WORKERS"] = str(args.workers)
    os.environ["JIXIAO_BATCH_SIZE"] = str(args.batch_size)

    from flows.pipeline import jixiao_pipeline  # noqa: PLC0415 - after the env is set

    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        corpus = build_corpus(args.reports)
        for i, text in enumerate(corpus):
            (inbox / f"report_{i:06d}.txt").write_text(text, encoding="utf-8")
        megabytes = sum(len(t.encode("utf-8")) for t in corpus) / 1e6
        start = time.perf_counter()
        summary = jixiao_pipeline(inbox=str(inbox), warehouse=str(Path(tmp) / "wh" / "jixiao.duckdb"))
        seconds = time.perf_counter() - start
        again = time.perf_counter()
        jixiao_pipeline(inbox=str(inbox), warehouse=str(Path(tmp) / "wh" / "jixiao.duckdb"))
        rerun = time.perf_counter() - again
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"reports        {args.reports} ({megabytes:.1f} MB), workers {args.workers}, batch {args.batch_size}"
    )
    print(f"first run      {seconds:.1f} s -> {args.reports / seconds:.0f} reports/s end to end")
    print(f"unchanged rerun {rerun:.1f} s (nothing parsed)")
    print(f"loaded {summary.files.loaded}, marts {summary.mart_rows}")
    print(f"peak RSS       flow process {self_mb:.0f} MB, largest worker {child_mb:.0f} MB")


if __name__ == "__main__":
    main()
