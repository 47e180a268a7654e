"""Golden tests: each hand-written fixture's whole extraction equals its expected JSON."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from flows.parsing.extract import extract_document

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"
CASES = sorted(p.stem for p in FIXTURES.glob("*.txt"))
EXTRA_KEYS = ("source", "group", "parent", "origin")


def _comparable(value):
    """Floats rounded so 元 → 万元 conversions compare exactly; extras dropped."""
    if isinstance(value, float):
        return round(value, 6) if not math.isnan(value) else value
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if k not in EXTRA_KEYS and k != "warnings"}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return value


@pytest.mark.parametrize("case", CASES)
def test_fixture_extraction_matches_expected(case: str) -> None:
    raw = (FIXTURES / f"{case}.txt").read_text(encoding="utf-8")
    expected = json.loads((FIXTURES / f"{case}.expected.json").read_text(encoding="utf-8"))
    text, extraction = extract_document(raw)
    got = extraction.to_dict()
    assert _comparable(got) == _comparable(expected)
    for key in ("budget_lines", "disbursements", "indicators", "ratios"):
        for item in got[key]:
            source = item["source"]
            assert source is not None
            assert text[source["start"] : source["end"]] == source["text"]
