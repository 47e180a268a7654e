"""Parser throughput on a corpus built by repeating and varying the sample reports.

Prints reports/s and MB/s on one core (extract_document, no I/O), then the same through
a process pool of all cores. Run with `make bench`.
"""

from __future__ import annotations

import argparse
import multiprocessing
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=400)
    args = parser.parse_args()
    corpus = build_corpus(args.reports)
    megabytes = sum(len(t.encode("utf-8")) for t in corpus) / 1e6
    extract_document(corpus[0])  # warm caches (character tables)
    start = time.perf_counter()
    lines = _work(corpus)
    single = time.perf_counter() - start
    print(f"one core : {args.reports} reports, {megabytes:.1f} MB in {single:.2f} s "
          f"-> {args.reports / single:.0f} reports/s, {megabytes / single:.2f} MB/s ({lines} budget lines)")
    workers = multiprocessing.cpu_count()
    chunks = [corpus[i::workers * 4] for i in range(workers * 4)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_work, chunks[:workers]))  # start workers
        start = time.perf_counter()
        list(pool.map(_work, chunks))
        multi = time.perf_counter() - start
    print(f"{workers} procs  : {args.reports / multi:.0f} reports/s, {megabytes / multi:.2f} MB/s")


if __name__ == "__main__":
    main()
