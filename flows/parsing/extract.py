"""The parser's entry point: document text in, an Extraction out. Never raises on content."""

from __future__ import annotations

from flows.parsing.grid import find_grids, with_originals
from flows.parsing.metadata import read_metadata
from flows.parsing.narrative import read_narrative
from flows.parsing.normalize import match_text, normalize_text
from flows.parsing.per_document import new_document
from flows.parsing.ratios import read_ratios
from flows.parsing.records import BudgetLine, Disbursement, Extraction
from flows.parsing.tables import read_grid


def _prose_regions(length: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    regions: list[tuple[int, int]] = []
    pos = 0
    for start, end in sorted(spans):
        if start > pos:
            regions.append((pos, start))
        pos = max(pos, end)
    if pos < length:
        regions.append((pos, length))
    return regions


def link_parents(items: list[BudgetLine] | list[Disbursement]) -> None:
    """Rows of one table point at its total row; 其中 rows point at the row above them."""
    by_group: dict[str, list[int]] = {}
    for idx, item in enumerate(items):
        if item.group:
            by_group.setdefault(item.group, []).append(idx)
    for indices in by_group.values():
        totals = [i for i in indices if items[i].is_total]
        last_main: int | None = None
        for i in indices:
            item = items[i]
            if item.parent == -1:  # a 其中 row
                item.parent = last_main
                continue
            item.parent = totals[-1] if totals and i not in totals and len(totals) == 1 else None
            last_main = i  # a total row can have 其中 rows too (年度资金总额 / 其中:财政拨款)
    for item in items:
        if item.parent == -1:
            item.parent = None


def _drop_repeated_rates(extraction: Extraction) -> None:
    """An execution rate already part of a budget line is not repeated as a ratio."""
    spans = [
        (b.source.start, b.source.end)
        for b in extraction.budget_lines
        if b.source and b.origin == "narrative"
    ]
    kept = []
    for ratio in extraction.ratios:
        inside = ratio.source is not None and any(s <= ratio.source.start < e for s, e in spans)
        if inside and "执行" in match_text(ratio.name):
            continue
        kept.append(ratio)
    extraction.ratios = kept


def _anchor(item: BudgetLine | Disbursement, grid_starts: dict[str, int]) -> int:
    """Document-order key: a table's rows sort together at the table's start, in reading
    order (side-by-side halves: left block, then right), prose items at their sentence."""
    if item.origin == "table" and item.group in grid_starts:
        return grid_starts[item.group]
    return item.source.start if item.source else 0


def extract_normalized(text: str) -> Extraction:
    """Extract everything from already-normalised text (see normalize_text)."""
    new_document()
    result = Extraction()
    mt = match_text(text)
    form: str | None = None
    form_department: str | None = None
    form_score: float | None = None
    table_spans: list[tuple[int, int]] = []
    grid_starts: dict[str, int] = {}
    for number, grid in enumerate(with_originals(find_grids(mt), text, mt), start=1):
        grid_result = read_grid(grid, text, f"t{number}", form)
        form = grid_result.form_name or form
        form_department = form_department or grid_result.department
        form_score = grid_result.total_score if grid_result.total_score is not None else form_score
        result.budget_lines.extend(grid_result.budget_lines)
        result.disbursements.extend(grid_result.disbursements)
        result.indicators.extend(grid_result.indicators)
        result.warnings.extend(grid_result.warnings)
        table_spans.append((grid.start, grid.end))
        grid_starts[f"t{number}"] = grid.start
    regions = _prose_regions(len(text), table_spans)
    lines, items = read_narrative(text, mt, regions)
    result.budget_lines.extend(lines)
    result.disbursements.extend(items)
    result.budget_lines.sort(key=lambda b: _anchor(b, grid_starts))
    result.disbursements.sort(key=lambda d: _anchor(d, grid_starts))
    link_parents(result.budget_lines)
    link_parents(result.disbursements)
    result.ratios = read_ratios(text, mt, regions)
    _drop_repeated_rates(result)
    result.report = read_metadata(mt, form_department, form_score, text=text)
    if not text.strip():
        result.warnings.append("empty document: no text to extract")
    elif not (result.budget_lines or result.disbursements or result.indicators or result.ratios):
        result.warnings.append(
            "no figures found: the text holds no budget lines, items, indicators or ratios"
        )
    return result


def extract_document(raw_text: str) -> tuple[str, Extraction]:
    """Normalise raw text and extract; returns (normalised text, extraction)."""
    text = normalize_text(raw_text)
    try:
        return text, extract_normalized(text)
    except Exception as exc:  # noqa: BLE001 - any input yields a result, with the reason
        failed = Extraction()
        failed.warnings.append(f"extraction failed: {type(exc).__name__}: {exc}")
        return text, failed
