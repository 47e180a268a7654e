"""A messy inbox, landed batch by batch: every file is accounted for, exactly.

The inbox is built here from the samples in seeds/: the samples themselves, each one again
as GB18030 and as UTF-16, a sample as a Word document with real tables and one as a web
page, a valid report under a hostile file name, a byte-identical copy under another name,
and the files an inbox really gets: an empty file, random bytes named .txt, a truncated
.docx, garbage named .pdf and an .exe.

Identity is the hash of the decoded, normalised text (flows.ingest.batch.content_sha256):
- a copy under another name or in another encoding is the same content: a duplicate of the
  report first loaded, pointing at its report_id, never loaded twice;
- a conversion to .docx or .html is a new document: reading a Word table or a web page gives
  other text than the .txt's one-cell-per-line layout (tabs, line breaks, blank lines), so it
  gets its own report_id in raw, with the same figures (tests/test_format_equivalence.py).
  The marts then show one report per department, year and kind (int_reports_current keeps
  the latest edition), so the conversion does not count the report twice.

Fast: readers, parser and loader are called directly, as the flow's tasks call them (no
Prefect); `jixiao status --format json` then reads the warehouse in a subprocess.
"""

from __future__ import annotations

import codecs
import json
import os
import random
import subprocess
from pathlib import Path

import duckdb
import pytest

from flows.ingest.batch import ParsedFile, parse_batch
from flows.ingest.inbox import list_inbox, quick_fingerprint
from flows.warehouse.loader import BatchCounts, already_recorded, land_batch, record_run
from flows.warehouse.raw_schema import ensure_raw_schema
from tests.test_format_equivalence import extract_file, figures, to_docx, to_html

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {seed.name: seed for seed in sorted((ROOT / "seeds").glob("*.txt"))}
WANGCHENG = "2021_长沙市望城区工业和信息化局_整体支出预算绩效自评报告.txt"
HUAIHUA = "2022_怀化市工业和信息化局_整体支出绩效自评报告.txt"
YIYANG = "2022_益阳市服务先进制造业高质量发展专项资金_绩效自评报告.txt"
CHANGSHA = "2022_长沙市工业和信息化局_部门整体支出绩效自评报告.txt"
HOSTILE = "a b'c\";d 报告.txt"
BATCH_SIZE = 4  # several batches, so duplicates are also found across batches

# source_file -> (status, reason code or the source_file it duplicates)
EXPECTED: dict[str, tuple[str, str | None]] = {
    **{name: ("loaded", None) for name in SEEDS},
    **{f"gb18030/{name}": ("duplicate", name) for name in SEEDS},
    **{f"utf16/{name}": ("duplicate", name) for name in SEEDS},
    f"converted/{Path(YIYANG).stem}.docx": ("loaded", None),
    f"converted/{Path(CHANGSHA).stem}.html": ("loaded", None),
    f"copy of {HUAIHUA}": ("duplicate", HUAIHUA),
    HOSTILE: ("loaded", None),
    "empty.txt": ("quarantined", "empty"),
    "random-bytes.txt": ("quarantined", "undecodable"),
    "truncated.docx": ("quarantined", "corrupt"),
    "garbage.pdf": ("quarantined", "corrupt"),
    "setup.exe": ("quarantined", "unsupported_type"),
}


def build_messy_inbox(inbox: Path) -> Path:
    inbox.mkdir()
    for sub in ("gb18030", "utf16", "converted"):
        (inbox / sub).mkdir()
    for name, seed in SEEDS.items():
        text = seed.read_text(encoding="utf-8")
        (inbox / name).write_text(text, encoding="utf-8")
        (inbox / "gb18030" / name).write_bytes(text.encode("gb18030"))
        (inbox / "utf16" / name).write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    docx_path = to_docx(
        SEEDS[YIYANG].read_text(encoding="utf-8"), inbox / "converted" / f"{Path(YIYANG).stem}.docx"
    )
    to_html(
        SEEDS[CHANGSHA].read_text(encoding="utf-8"),
        inbox / "converted" / f"{Path(CHANGSHA).stem}.html",
        encoding="gb18030",
    )
    (inbox / f"copy of {HUAIHUA}").write_bytes(SEEDS[HUAIHUA].read_bytes())
    # A report of its own (not a copy) under a name with a space, quotes, ';' and Chinese.
    hostile = SEEDS[WANGCHENG].read_text(encoding="utf-8").rstrip("\n") + "\n\n（本报告经单位负责人审定。）\n"
    (inbox / HOSTILE).write_text(hostile, encoding="utf-8")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "random-bytes.txt").write_bytes(random.Random(7).randbytes(4096))
    data = docx_path.read_bytes()
    (inbox / "truncated.docx").write_bytes(data[: len(data) // 2])
    (inbox / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + random.Random(8).randbytes(2048))
    (inbox / "setup.exe").write_bytes(b"MZ\x90\x00" + bytes(512))
    # Skipped by discovery, never accounted: hidden files and Office lock files.
    (inbox / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (inbox / f"~${Path(YIYANG).stem}.docx").write_bytes(b"owner")
    return inbox


def land_inbox(inbox: Path, warehouse: Path, run_id: str) -> tuple[BatchCounts, list[ParsedFile]]:
    """What the flow does, minus Prefect: discover, parse in batches, land each batch."""
    counts, parsed_all = BatchCounts(), []
    with duckdb.connect(str(warehouse)) as con:
        ensure_raw_schema(con)
        record_run(con, run_id, str(inbox), "running")
        known = already_recorded(con)
        files = list_inbox(inbox)
        fresh = [f for f in files if (f.source_file, quick_fingerprint(f)) not in known]
        counts.skipped += len(files) - len(fresh)
        for i in range(0, len(fresh), BATCH_SIZE):
            parsed = parse_batch(fresh[i : i + BATCH_SIZE], max_bytes=50 * 2**20, timeout_seconds=60)
            counts.add(land_batch(con, parsed, run_id))
            parsed_all += parsed
        record_run(con, run_id, str(inbox), "completed")
    return counts, parsed_all


@pytest.fixture(scope="module")
def landed(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("messy")
    inbox = build_messy_inbox(tmp / "inbox")
    warehouse = tmp / "warehouse" / "jixiao.duckdb"
    warehouse.parent.mkdir()
    counts, parsed = land_inbox(inbox, warehouse, "run-1")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        files = {
            r[0]: r[1:]
            for r in con.execute(
                "select source_file, status, reason, report_id, file_name from raw.files"
            ).fetchall()
        }
        documents = {
            r[0]: r[1:]
            for r in con.execute(
                "select source_file, report_id, source_format, encoding from raw.documents"
            ).fetchall()
        }
    return {
        "inbox": inbox,
        "warehouse": warehouse,
        "counts": counts,
        "parsed": parsed,
        "files": files,
        "documents": documents,
    }


def test_exact_accounting(landed) -> None:
    counts = landed["counts"]
    assert len(EXPECTED) == 21
    seen_loaded_duplicates_quarantined = (counts.seen, counts.loaded, counts.duplicates, counts.quarantined)
    assert seen_loaded_duplicates_quarantined == (21, 7, 9, 5)
    assert counts.skipped == 0
    assert sorted(landed["files"]) == sorted(EXPECTED)  # hidden and ~$ lock files never enter
    assert {name: row[0] for name, row in landed["files"].items()} == {
        name: status for name, (status, _) in EXPECTED.items()
    }


def test_each_quarantine_reason(landed) -> None:
    for name, (status, code) in EXPECTED.items():
        if status != "quarantined":
            continue
        reason = landed["files"][name][1]
        assert reason.split(":", 1)[0] == code, (name, reason)
        assert len(reason) > len(code) + 10, "a sentence for the person fixing the file"
    assert "setup.exe" in landed["files"]["setup.exe"][1]
    assert "not readable text in any known encoding" in landed["files"]["random-bytes.txt"][1]


def test_duplicates_point_at_the_report_first_loaded(landed) -> None:
    """Same content under another name or encoding: a duplicate, never a second document."""
    files, documents = landed["files"], landed["documents"]
    for name, (status, original) in EXPECTED.items():
        if status != "duplicate":
            continue
        assert files[name][1] == f"same content as {original}"
        assert files[name][2] == documents[original][0], name  # the original's report_id
        assert name not in documents
    encodings = {p.source_file: p.encoding for p in landed["parsed"]}
    assert {encodings[f"gb18030/{n}"] for n in SEEDS} == {"gb18030"}
    assert {encodings[f"utf16/{n}"] for n in SEEDS} == {"utf-16"}


def test_loaded_documents_and_the_new_documents_made_by_conversion(landed) -> None:
    documents = landed["documents"]
    loaded = sorted(name for name, (status, _) in EXPECTED.items() if status == "loaded")
    assert sorted(documents) == loaded
    assert len({doc[0] for doc in documents.values()}) == len(loaded)  # distinct report ids
    docx_name = f"converted/{Path(YIYANG).stem}.docx"
    html_name = f"converted/{Path(CHANGSHA).stem}.html"
    assert documents[docx_name][1:] == ("docx", None)
    assert documents[html_name][1:] == ("html", "gb18030")
    assert documents[HOSTILE][1:] == ("txt", "utf-8")
    # A conversion is a new document (other normalised text), with the same figures.
    for converted, original in ((docx_name, YIYANG), (html_name, CHANGSHA)):
        assert documents[converted][0] != documents[original][0]
        inbox = landed["inbox"]
        assert figures(extract_file(inbox / converted)) == figures(extract_file(inbox / original))
    assert landed["files"][HOSTILE][3] == HOSTILE  # file_name kept as given


def test_landing_the_same_inbox_again_changes_nothing(landed, tmp_path: Path) -> None:
    warehouse = tmp_path / "jixiao.duckdb"
    warehouse.write_bytes(landed["warehouse"].read_bytes())
    counts, parsed = land_inbox(landed["inbox"], warehouse, "run-2")
    assert (counts.seen, counts.skipped, parsed) == (0, 21, [])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.files").fetchone()[0] == 21
        assert con.execute("select count(*) from raw.documents").fetchone()[0] == 7


def test_jixiao_status_json(landed) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
    proc = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "jixiao"),
            "status",
            "--format",
            "json",
            "--warehouse",
            str(landed["warehouse"]),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=landed["warehouse"].parent,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    quarantined = {q["file"]: q["reason"].split(":", 1)[0] for q in report.pop("quarantined")}
    assert report == {"files_seen": 21, "loaded": 7, "duplicates": 9, "runs": 1}
    assert quarantined == {name: code for name, (status, code) in EXPECTED.items() if status == "quarantined"}
