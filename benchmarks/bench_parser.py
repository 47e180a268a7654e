"""Parser throughput on a corpus built by repeating and varying the sample reports.

Prints reports/s and MB/s on one core (extract_document, no I/O), then the same through
a process pool of all cores. Run with `make bench`.

Wall-clock figures depend on what else the machine is doing; the one-core figures are
therefore also given in CPU time (time.process_time, best of --repeat runs), which is what
to compare before and after a change on a shared or loaded machine. `--profile` prints
the 15 functions with the most cumulative time for one pass over the corpus.
"""

from __future__ import annotations

import argparse
import cProfile
import multiprocessing
import pstats
import random
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from flows.parsing.extract import extract_document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def build_corpus(n: int, seed: int = 7) -> list[str]:
    """n documents: samples with figures perturbed, lines shuffled within paragraphs' order kept."""
    rng = random.Random(seed)
    bases = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    corpus = []
    for i in range(n):
        text = bases[i % len(bases)]
        # Vary digits so no cache or identical-input shortcut can help.
        digits = list(text)
        for _ in range(20):
            j = rng.randrange(len(digits))
            if digits[j].isdigit():
                digits[j] = str(rng.randrange(10))
        corpus.append("".join(digits))
    return corpus


def _work(chunk: list[str]) -> int:
    return sum(len(extract_document(t)[1].budget_lines) for t in chunk)


def _timed(corpus: list[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of this process, budget lines) for one pass."""
    wall, cpu = time.perf_counter(), time.process_time()
    lines = _work(corpus)
    return time.perf_counter() - wall, time.process_time() - cpu, lines


def _profile(corpus: list[str]) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    _work(corpus)
    profiler.disable()
    print("\nprofile (one pass, top 15 by cumulative time):")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3, help="one-core passes; the best is reported")
    parser.add_argument("--no-pool", action="store_true", help="skip the all-cores run")
    parser.add_argument(
        "--profile", action="store_true", help="print the top 15 functions by cumulative time"
    )
    args = parser.parse_args()
    corpus = build_corpus(args.reports)
    megabytes = sum(len(t.encode("utf-8")) for t in corpus) / 1e6
    extract_document(corpus[0])  # warm caches (character tables)
    runs = [_timed(corpus) for _ in range(max(1, args.repeat))]
    single = min(r[0] for r in runs)
    cpu = min(r[1] for r in runs)
    lines = runs[0][2]
    print(
        f"one core : {args.reports} reports, {megabytes:.1f} MB, best of {len(runs)} ({lines} budget lines)"
    )
    print(
        f"  wall   : {single:.2f} s -> {args.reports / single:.0f} reports/s, {megabytes / single:.2f} MB/s"
    )
    print(f"  cpu    : {cpu:.2f} s -> {args.reports / cpu:.0f} reports/s, {megabytes / cpu:.2f} MB/s")
    if args.profile:
        _profile(corpus)
    if args.no_pool:
        return
    workers = multiprocessing.cpu_count()
    chunks = [corpus[i :: workers * 4] for i in range(workers * 4)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_work, chunks[:workers]))  # start workers
        start = time.perf_counter()
        list(pool.map(_work, chunks))
        multi = time.perf_counter() - start
    print(f"{workers} procs  : {args.reports / multi:.0f} reports/s, {megabytes / multi:.2f} MB/s (wall)")


if __name__ == "__main__":
    main()
