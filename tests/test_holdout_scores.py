"""Regression guard on the hand-labelled hold-out reports (other provinces, layouts, years).

The sets were written blind to the parser, then used to improve it; each now has a floor
(recall) and a ceiling (wrong values) so a change that loses figures or invents wrong ones
shows up here, not on real reports. Scoring rules: benchmarks/score_holdout.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.score_holdout import run_parser, score_figure

FIXTURES = Path(__file__).parent / "fixtures"
# (set, minimum recall, maximum wrong rate): measured when each set was last worked on.
FLOORS = [
    pytest.param("holdout", 1.0, 0.0, id="holdout-1"),
    pytest.param("holdout2", 1.0, 0.0, id="holdout-2"),
    pytest.param("holdout3", 1.0, 0.0, id="holdout-3"),
    pytest.param("holdout4", 1.0, 0.0, id="holdout-4"),
    pytest.param("holdout5", 1.0, 0.0, id="holdout-5"),
    pytest.param("holdout6", 1.0, 0.0, id="holdout-6"),
    pytest.param("holdout7", 1.0, 0.0, id="holdout-7"),
    pytest.param("holdout8", 0.998, 0.0, id="holdout-8"),
    pytest.param("holdout9", 0.98, 0.0, id="holdout-9"),
]


def _score(folder: Path) -> tuple[int, int, int]:
    found = wrong = total = 0
    for labels_path in sorted(folder.glob("*.labels.json")):
        labels = json.loads(labels_path.read_text(encoding="utf-8"))
        text = labels_path.with_name(labels_path.name.replace(".labels.json", ".txt")).read_text(
            encoding="utf-8"
        )
        doc = run_parser(text)
        for figure in labels["figures"]:
            status, _ = score_figure(figure, doc)
            total += 1
            found += status == "found"
            wrong += status == "wrong"
    return found, wrong, total


@pytest.mark.parametrize(("folder", "min_recall", "max_wrong"), FLOORS)
def test_holdout_scores_hold(folder: str, min_recall: float, max_wrong: float) -> None:
    found, wrong, total = _score(FIXTURES / folder)
    assert total > 0
    assert found / total >= min_recall, f"recall {found}/{total}"
    assert wrong / max(found + wrong, 1) <= max_wrong, f"{wrong} wrong of {found + wrong}"
