"""Alert on findings: one message per run, only what was not alerted or acknowledged before."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE

from flows.alerting import format_alert, parse_alert_urls, redact_url, send_alert
from flows.findings import record_alerted, unalerted_findings
from flows.settings import Settings


@dataclass(slots=True)
class AlertOutcome:
    new_findings: int = 0
    by_severity: dict[str, int] = field(default_factory=dict)
    channels: int = 0
    delivered: int = 0
    title: str = ""
    body: str = ""
    destinations: list[str] = field(default_factory=list)


@task(name="alert-findings", cache_policy=NONE, retries=1, retry_delay_seconds=2)
def alert_findings(settings: Settings, run_id: str, validation) -> AlertOutcome:  # noqa: ANN001
    """Send the run's new findings to every configured URL; log them when none is set."""
    outcome = AlertOutcome()
    with duckdb.connect(str(settings.warehouse)) as con:
        fresh = unalerted_findings(con, settings.alert_min_severity)
        outcome.new_findings = len(fresh)
        outcome.by_severity = fresh["severity"].value_counts().to_dict() if len(fresh) else {}
        failed_expectations = getattr(validation, "failed", 0) if validation is not None else 0
        if not len(fresh) and not failed_expectations:
            return outcome
        if not len(fresh):
            return outcome  # expectations failed on findings already alerted: nothing new to say
        outcome.title, outcome.body = format_alert(fresh, validation, run_id)
        create_markdown_artifact(markdown=outcome.body, key="jixiao-findings", description=outcome.title)
        urls = parse_alert_urls(settings.alert_urls)
        outcome.channels = len(urls)
        outcome.destinations = [redact_url(u) for u in urls]
        if urls:
            results = send_alert(urls, outcome.title, outcome.body)
            outcome.delivered = sum(1 for r in results if r.ok)
            if outcome.delivered:
                record_alerted(con, list(fresh["finding_id"]), run_id)
        # With no URL configured the summary goes to the log and the run summary only, and
        # nothing is marked as alerted: configuring a channel later still delivers it.
    return outcome
