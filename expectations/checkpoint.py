"""Validate the marts with Great Expectations and summarise what failed.

`run_checkpoint` takes the marts as pandas DataFrames (read from DuckDB by the caller: GX's
SQL path through duckdb-engine is broken, see /work/shared/perf-notes.md), builds one
ephemeral GX context, one pandas datasource with one DataFrame asset and batch definition per
mart, one ValidationDefinition per suite, and returns a plain `ValidationSummary` that the
alerting module and the CLI can use without importing GX.

GX 1.24 constraint that shapes the wiring: `Checkpoint.run(batch_parameters=...)` passes the
same `{"dataframe": df}` to every ValidationDefinition it holds, and a DataFrame asset accepts
exactly that one key. One Checkpoint can therefore validate one DataFrame, so there is one
Checkpoint per mart (holding that mart's suites), all sharing the context, the RunIdentifier
and the Data Docs site. Data Docs are built once at the end (`build_data_docs` is what
`UpdateDataDocsAction` calls): an `UpdateDataDocsAction` on every mart's Checkpoint would
rebuild the site index five times, about 1 s each on these machines.

GX is imported inside the functions: importing it costs 2-3 s (much more without cached
bytecode), and modules that only need the dataclasses must not pay for it.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from expectations.suites import (
    MARTS,
    Thresholds,
    build_suites,
    example_columns,
    prepare_frame,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

log = logging.getLogger(__name__)

DATA_DOCS_SITE = "jixiao_marts"
# Where the pipeline is expected to put Data Docs (git-ignored, see .gitignore).
DEFAULT_DATA_DOCS_DIR = Path(__file__).resolve().parent / "uncommitted" / "data_docs"
SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}


@dataclass(slots=True)
class FailedExpectation:
    """One expectation that did not hold, with up to N unexpected rows to find it again."""

    rule: str  # meta["rule"], e.g. execution_rate_out_of_range, not_null.report_id
    expectation_type: str  # e.g. expect_column_values_to_be_between
    column: str | None
    severity: str  # critical | warning | info
    description: str
    unexpected_count: int | None = None
    element_count: int | None = None
    # Row positions in the validated frame (all of them) and the first few rows as dicts
    # holding the mart's row keys (report_id, line_name ...), the checked column and context.
    unexpected_index: list[int] = field(default_factory=list)
    examples: list[dict[str, Any]] = field(default_factory=list)
    # Set when GX could not evaluate the expectation (e.g. a missing column).
    error: str | None = None


@dataclass(slots=True)
class SuiteResult:
    """The outcome of one suite on one mart."""

    suite_name: str
    mart: str
    kind: str  # contract | anomaly
    success: bool
    evaluated: int
    failed: int
    failures: list[FailedExpectation] = field(default_factory=list)


@dataclass(slots=True)
class ValidationSummary:
    """What a validation run found, free of GX objects."""

    success: bool
    evaluated: int  # expectations evaluated, all suites
    failed: int  # expectations that failed, all suites
    results: list[SuiteResult] = field(default_factory=list)
    data_docs_index: Path | None = None
    skipped_marts: list[str] = field(default_factory=list)  # marts not in `frames`
    run_name: str | None = None
    seconds: float = 0.0

    @property
    def contract_success(self) -> bool:
        """True when every contract suite passed (the marts are well formed)."""
        return all(r.success for r in self.results if r.kind == "contract")

    def suite(self, name: str) -> SuiteResult:
        """The result of the suite called `name` (KeyError if it did not run)."""
        for result in self.results:
            if result.suite_name == name:
                return result
        raise KeyError(name)

    def failures(self) -> Iterator[tuple[SuiteResult, FailedExpectation]]:
        """Every failed expectation with its suite, contracts first."""
        for result in self.results:
            for failure in result.failures:
                yield result, failure


def run_checkpoint(
    frames: Mapping[str, pd.DataFrame],
    thresholds: Thresholds | None = None,
    data_docs_dir: Path | None = DEFAULT_DATA_DOCS_DIR,
    *,
    rule_ids: tuple[str, ...] | None = None,
    max_examples: int = 5,
    run_name: str | None = None,
) -> ValidationSummary:
    """Validate the marts in `frames` (name → DataFrame) and build Data Docs.

    Marts missing from `frames` are skipped (listed in `skipped_marts`); an empty DataFrame is
    validated (its contract suite still checks the columns). `data_docs_dir=None` skips Data
    Docs; otherwise `<data_docs_dir>/index.html` is rebuilt on every run. A failure to write
    Data Docs is logged and leaves `data_docs_index` None: it never hides validation results.
    """
    started = time.perf_counter()
    thresholds = thresholds or Thresholds()
    unknown = sorted(set(frames) - set(MARTS))
    if unknown:
        raise ValueError(f"unknown mart(s) {unknown}; expected some of {list(MARTS)}")

    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    _configure_data_docs(context, data_docs_dir)
    datasource = context.data_sources.add_pandas("marts")
    run_id = RunIdentifier(run_name=run_name or "jixiao", run_time=datetime.now(UTC))
    specs = build_suites(thresholds, rule_ids)
    kinds = {spec.name: spec.kind for spec in specs}
    results: list[SuiteResult] = []
    for mart in MARTS:
        if mart not in frames:
            continue
        frame = prepare_frame(mart, frames[mart])
        batch_definition = datasource.add_dataframe_asset(name=mart).add_batch_definition_whole_dataframe(
            mart
        )
        definitions = [
            context.validation_definitions.add(
                gx.ValidationDefinition(
                    name=spec.name,
                    data=batch_definition,
                    suite=context.suites.add(spec.build()),
                )
            )
            for spec in specs
            if spec.mart == mart
        ]
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=f"jixiao_{mart}",
                validation_definitions=definitions,
                actions=[],
                result_format={"result_format": "COMPLETE"},
            )
        )
        outcome = checkpoint.run(batch_parameters={"dataframe": frame}, run_id=run_id)
        for suite_result in outcome.run_results.values():
            results.append(_summarise_suite(suite_result, mart, kinds, frame, max_examples))

    order = {spec.name: i for i, spec in enumerate(specs)}
    results.sort(key=lambda r: order.get(r.suite_name, len(order)))
    index = _build_data_docs(context, data_docs_dir) if data_docs_dir is not None else None
    summary = ValidationSummary(
        success=all(r.success for r in results),
        evaluated=sum(r.evaluated for r in results),
        failed=sum(r.failed for r in results),
        results=results,
        data_docs_index=index,
        skipped_marts=[m for m in MARTS if m not in frames],
        run_name=run_id.run_name,
        seconds=time.perf_counter() - started,
    )
    log.info(
        "validation %s: %d of %d expectations failed in %d suites (%.2f s); data docs: %s",
        "passed" if summary.success else "failed",
        summary.failed,
        summary.evaluated,
        len(results),
        summary.seconds,
        index or "not built",
    )
    return summary


def _configure_data_docs(context: Any, data_docs_dir: Path | None) -> None:
    """Replace the ephemeral context's default site (a fresh temp dir) with ours, or none."""
    for site_name, config in list(context.list_data_docs_sites().items()):
        context.delete_data_docs_site(site_name)
        default_dir = (config.get("store_backend") or {}).get("base_directory")
        # Remove the empty temp dir GX created for the default site; leave anything else.
        if default_dir:
            with contextlib.suppress(OSError):
                Path(default_dir).rmdir()
    if data_docs_dir is None:
        return
    context.add_data_docs_site(
        DATA_DOCS_SITE,
        {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(Path(data_docs_dir).resolve()),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )


def _build_data_docs(context: Any, data_docs_dir: Path) -> Path | None:
    """Write the site; return its index.html, or None (logged) when it could not be written.

    The ephemeral context only holds this run's results, so the index links this run only;
    pages of earlier runs under `validations/` would be unreachable and pile up, so that
    GX-owned folder is cleared first. The site shows the latest run.
    """
    try:
        site = Path(data_docs_dir)
        site.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(site / "validations", ignore_errors=True)
        context.build_data_docs(site_names=[DATA_DOCS_SITE])
    except Exception:  # Data Docs are a convenience; the summary must survive them
        log.exception("could not build Data Docs in %s", data_docs_dir)
        return None
    index = Path(data_docs_dir).resolve() / "index.html"
    return index if index.exists() else None


def _summarise_suite(
    suite_result: Any,
    mart: str,
    kinds: Mapping[str, str],
    frame: pd.DataFrame,
    max_examples: int,
) -> SuiteResult:
    failures = [
        _summarise_failure(r, mart, frame, max_examples) for r in suite_result.results if not r.success
    ]
    failures.sort(key=lambda f: (SEVERITY_RANK.get(f.severity, 9), f.rule))
    statistics = suite_result.statistics
    return SuiteResult(
        suite_name=suite_result.suite_name,
        mart=mart,
        kind=kinds.get(suite_result.suite_name, "anomaly"),
        success=bool(suite_result.success),
        evaluated=int(statistics.get("evaluated_expectations", len(suite_result.results))),
        failed=int(statistics.get("unsuccessful_expectations", len(failures))),
        failures=failures,
    )


def _summarise_failure(
    validation_result: Any, mart: str, frame: pd.DataFrame, max_examples: int
) -> FailedExpectation:
    config = validation_result.expectation_config
    meta = config.meta or {}
    column = config.kwargs.get("column")
    result = validation_result.result or {}
    severity = getattr(config, "severity", None)
    severity = getattr(severity, "value", severity) or "critical"
    positions = [i for i in result.get("unexpected_index_list") or [] if isinstance(i, int)]
    wanted = [c for c in example_columns(mart, column) if c in frame.columns]
    examples = [
        {name: _plain(frame.at[i, name]) for name in wanted}
        for i in positions[:max_examples]
        if i in frame.index
    ]
    return FailedExpectation(
        rule=str(meta.get("rule") or config.type),
        expectation_type=config.type,
        column=column,
        severity=str(severity),
        description=getattr(config, "description", None) or config.type,
        unexpected_count=result.get("unexpected_count"),
        element_count=result.get("element_count"),
        unexpected_index=positions,
        examples=examples,
        error=_exception_message(validation_result.exception_info),
    )


def _exception_message(info: Any) -> str | None:
    """The first raised exception's message in GX's exception_info (flat or per metric)."""
    if not isinstance(info, dict):
        return None
    candidates = [info] if "raised_exception" in info else list(info.values())
    for candidate in candidates:
        if isinstance(candidate, dict) and candidate.get("raised_exception"):
            message = str(candidate.get("exception_message") or "exception")
            return message.splitlines()[0][:300]
    return None


def _plain(value: Any) -> Any:
    """A JSON-friendly Python value: numpy scalars unwrapped, NaN/NA/NaT as None."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        with contextlib.suppress(ValueError, TypeError):
            value = value.item()
    try:
        missing = pd.isna(value)
    except (TypeError, ValueError):
        missing = False
    return None if missing is True else value
