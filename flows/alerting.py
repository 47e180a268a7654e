"""Alerts (预警通知): findings and validation failures, formatted and sent through Apprise.

Alert URLs are Apprise URLs (`dingtalk://TOKEN`, `wecombot://KEY`, `mailto://...`,
`json://host:port/path` ...) and hold secrets in their host, path, user info or query. They
are only ever logged through `redact_url`, and while Apprise sends, a logging filter masks
their secret parts in the records of the `apprise`, `requests` and `urllib3` loggers, whose
debug output prints the full request URL.

Importing this module is cheap: Apprise is imported when an alert is sent, Great
Expectations never (a `ValidationSummary` is only read through its attributes).
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, unquote_plus

import pandas as pd

if TYPE_CHECKING:
    from expectations.checkpoint import ValidationSummary

log = logging.getLogger(__name__)

# Rank of each severity: higher is more severe.
SEVERITY_ORDER: dict[str, int] = {"info": 0, "warning": 1, "critical": 2}
SEVERITY_LABELS: dict[str, str] = {
    "critical": "严重 critical",
    "warning": "警告 warning",
    "info": "提示 info",
}
REDACTED = "***"
# Loggers whose records may carry a notification URL while Apprise sends (a filter on a
# logger does not see its children's records, hence the explicit urllib3 modules).
_SENDING_LOGGERS = (
    "apprise",
    "requests",
    "urllib3",
    "urllib3.connectionpool",
    "urllib3.connection",
    "urllib3.util.retry",
)
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


@dataclass(frozen=True, slots=True)
class ChannelResult:
    """The outcome for one alert URL; `url` is redacted."""

    url: str
    success: bool
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Alias of `success` (what flows.tasks.notify reads)."""
        return self.success


# --- URLs -------------------------------------------------------------------------------


def parse_alert_urls(value: str | None) -> list[str]:
    """Comma-separated alert URLs → list: items stripped, empty items dropped."""
    if not value:
        return []
    return [item.strip() for item in value.split(",") if item.strip()]


def redact_url(url: str) -> str:
    """The URL with only its scheme, host and port left readable.

    User info, path, query and fragment become `***`, and so does the host when it is not
    a host name (many Apprise schemes put a token there: `dingtalk://TOKEN`).

    >>> redact_url("dingtalk://TOKEN")
    'dingtalk://***'
    >>> redact_url("json://127.0.0.1:8080/hook?token=x")
    'json://127.0.0.1:8080/***'
    >>> redact_url("mailto://user:pass@example.com")
    'mailto://***@example.com'
    """
    text = (url or "").strip()
    scheme, sep, rest = text.partition("://")
    if not sep or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme):
        return REDACTED
    cut = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    netloc, tail = rest[:cut], rest[cut:]
    userinfo, at, hostport = netloc.rpartition("@")
    host, port = _split_host_port(hostport)
    if host is not None and _looks_like_host(host, has_port=port is not None):
        shown = host if port is None else f"{host}:{port}"
    else:
        shown = REDACTED
    if at and userinfo:
        shown = f"{REDACTED}@{shown}"
    if tail.strip("/"):
        shown += "/" + REDACTED
    elif tail:
        shown += "/"
    return f"{scheme.lower()}://{shown}"


def _split_host_port(hostport: str) -> tuple[str | None, str | None]:
    """`host[:port]` or `[v6]:port` → (host, port); (None, None) if it is neither."""
    if hostport.startswith("["):
        end = hostport.find("]")
        if end < 0:
            return None, None
        host, rest = hostport[: end + 1], hostport[end + 1 :]
        if not rest:
            return host, None
        return (host, rest[1:]) if re.fullmatch(r":\d{1,5}", rest) else (None, None)
    host, colon, port = hostport.partition(":")
    if not colon:
        return host, None
    return (host, port) if re.fullmatch(r"\d{1,5}", port) else (None, None)


def _looks_like_host(host: str, *, has_port: bool) -> bool:
    """IP address, localhost, a dotted host name, or a bare name followed by a port."""
    if not host:
        return False
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(host.strip("[]"))
        return True
    if host.lower() == "localhost":
        return True
    labels = host.rstrip(".").split(".")
    if not all(_HOST_LABEL.match(label) for label in labels):
        return False
    if len(labels) > 1:
        return labels[-1].isalpha()  # a top-level domain: a token rarely ends in `.com`
    return has_port  # `server:8080` is a host; a lone word is more likely a token


def _url_secrets(url: str) -> set[str]:
    """The parts of a URL that `redact_url` hides, for masking them in log records."""
    text = (url or "").strip()
    secrets = {text}
    _, _, rest = text.partition("://")
    visible = redact_url(text).partition("://")[2].replace(f"{REDACTED}@", "")
    visible = visible.removesuffix("/" + REDACTED).removesuffix("/")
    for part in re.split(r"[/?#&=@:,;]+", rest):
        if len(part) >= 4 and part not in visible:
            secrets.update({part, unquote(part), unquote_plus(part)})
    return {s for s in secrets if s}


class _RedactSecrets(logging.Filter):
    """Replace the given secrets in a record's formatted message with `***`."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = sorted(set(secrets), key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = message
        for secret in self._secrets:
            masked = masked.replace(secret, REDACTED)
        if masked != message:
            record.msg, record.args = masked, None
        return True


@contextlib.contextmanager
def _masked_logging(urls: Iterable[str]) -> Iterator[None]:
    secrets = set().union(*(_url_secrets(u) for u in urls))
    mask = _RedactSecrets(secrets)
    loggers = [logging.getLogger(name) for name in _SENDING_LOGGERS]
    for logger in loggers:
        logger.addFilter(mask)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(mask)


# --- severities -------------------------------------------------------------------------


def severity_rank(severity: str) -> int:
    """Rank of a severity name (case-insensitive); ValueError if unknown."""
    key = str(severity).strip().lower()
    if key not in SEVERITY_ORDER:
        raise ValueError(f"unknown severity {severity!r}; expected one of {list(SEVERITY_ORDER)}")
    return SEVERITY_ORDER[key]


def filter_min_severity(df: pd.DataFrame, min_severity: str) -> pd.DataFrame:
    """Rows of `df` whose `severity` is at least `min_severity` (unknown ones dropped)."""
    floor = severity_rank(min_severity)
    if df.empty:
        return df.copy()
    ranks = df["severity"].astype("object").map(lambda s: SEVERITY_ORDER.get(str(s).strip().lower(), -1))
    return df[ranks >= floor].copy()


# --- formatting -------------------------------------------------------------------------


def format_alert(
    findings: pd.DataFrame,
    validation: ValidationSummary | None,
    run_id: str,
    *,
    max_findings: int = 50,
    max_examples: int = 3,
) -> tuple[str, str]:
    """(title, markdown body) of one alert: findings by report, then validation failures.

    `findings` has fct_anomaly's columns; rule_title, department / fiscal_year / region /
    source_file are used when present (see `flows.findings.unalerted_findings`). At most
    `max_findings` findings are listed (most severe first); the rest are counted.
    """
    findings = findings if findings is not None else pd.DataFrame()
    counts = _severity_counts(findings)
    validation_failed = validation is not None and not validation.success
    title = _title(len(findings), counts, validation, run_id)

    lines: list[str] = [f"- **运行 Run**: `{run_id}`"]
    if len(findings):
        lines.append(
            f"- **新发现 New findings**: {len(findings)} ({_count_text(counts)}), "
            f"涉及 {findings['report_id'].nunique()} 份报告 reports"
        )
    else:
        lines.append("- **新发现 New findings**: 0")
    if validation is not None:
        lines.append(
            f"- **数据校验 Validation**: "
            f"{'通过 passed' if validation.success else '未通过 failed'}, "
            f"{validation.failed} of {validation.evaluated} expectations failed"
        )
    lines.append("")
    lines.extend(_findings_section(findings, max_findings))
    if validation_failed:
        lines.extend(_validation_section(validation, max_examples))
    lines.append("_确认后可用 `jixiao findings ack <finding_id>` 标记已处理 (ack a finding once reviewed)._")
    return title, "\n".join(lines).strip() + "\n"


def _title(
    n_findings: int,
    counts: dict[str, int],
    validation: ValidationSummary | None,
    run_id: str,
) -> str:
    parts = []
    if n_findings:
        parts.append(f"{n_findings} 项新发现 new findings ({_count_text(counts)})")
    if validation is not None and not validation.success:
        parts.append(f"数据校验 {validation.failed} 项未通过 validation failed")
    if not parts:
        parts.append("无新发现 no new findings")
    return f"[绩效自评预警 jixiao] {'; '.join(parts)} · run {run_id}"


def _severity_counts(findings: pd.DataFrame) -> dict[str, int]:
    if findings.empty or "severity" not in findings.columns:
        return {}
    values = findings["severity"].astype("object").map(lambda s: str(s).lower())
    counts = values.value_counts()
    ordered = sorted(counts.index, key=lambda s: -SEVERITY_ORDER.get(s, -1))
    return {s: int(counts[s]) for s in ordered}


def _count_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{SEVERITY_LABELS.get(s, s)} {n}" for s, n in counts.items())


def _findings_section(findings: pd.DataFrame, max_findings: int) -> list[str]:
    if findings.empty:
        return []
    frame = findings.copy()
    frame["_rank"] = frame["severity"].astype("object").map(lambda s: SEVERITY_ORDER.get(str(s).lower(), -1))
    frame["_group"] = [_report_heading(row) for row in frame.to_dict("records")]
    group_rank = frame.groupby("_group", sort=False)["_rank"].max()
    frame["_group_rank"] = frame["_group"].map(group_rank)
    sort_keys = ["_group_rank", "_group", "_rank"]
    ascending = [False, True, False]
    for column in ("rule_id", "subject"):
        if column in frame.columns:
            sort_keys.append(column)
            ascending.append(True)
    frame = frame.sort_values(sort_keys, ascending=ascending, kind="stable")

    lines: list[str] = []
    shown = frame.head(max_findings)
    for heading, group in shown.groupby("_group", sort=False):
        lines.append(f"### {heading}")
        lines.extend(_finding_line(row) for row in group.to_dict("records"))
        lines.append("")
    hidden = len(frame) - len(shown)
    if hidden > 0:
        lines.append(
            f"… 另有 {hidden} 项未列出 ({hidden} more not shown): `jixiao findings list --status open`"
        )
        lines.append("")
    return lines


def _report_heading(row: dict[str, Any]) -> str:
    department = _text(row.get("department"))
    year = _text(row.get("fiscal_year"))
    report_id = _text(row.get("report_id")) or "?"
    parts = [department or "未知部门 unknown department"]
    if year:
        parts.append(f"{year}年度")
    heading = " · ".join(parts)
    source = _text(row.get("source_file"))
    detail = f"report `{report_id}`" + (f", {source.rsplit('/', 1)[-1]}" if source else "")
    return f"{heading} ({detail})"


def _finding_line(row: dict[str, Any]) -> str:
    severity = str(row.get("severity") or "").lower()
    label = SEVERITY_LABELS.get(severity, severity or "?")
    subject = _text(row.get("subject")) or "(无名称 unnamed)"
    observed, expected = _text(row.get("observed")), _text(row.get("expected"))
    comparison = ""
    if observed or expected:
        comparison = f": 实际 observed **{observed or '—'}** vs 应为 expected {expected or '—'}"
    message = _text(row.get("message"))
    rule = f"`{_text(row.get('rule_id')) or '?'}`"
    title = _text(row.get("rule_title"))  # a Chinese rule name, when the mart has one
    if title:
        rule += f" {title}"
    line = f"- **[{label}]** {rule} · {subject}{comparison}"
    if message:
        line += f". {message}"
    finding_id = _text(row.get("finding_id"))
    if finding_id:
        line += f" (id `{finding_id}`)"
    source = _text(row.get("source_text"))
    if source:
        line += f"\n  > 原文 source: {_shorten(source, 160)}"
    return line


def _validation_section(validation: ValidationSummary, max_examples: int) -> list[str]:
    lines = ["### 数据校验未通过 Data validation failures (Great Expectations)"]
    if not validation.contract_success:
        lines.append(
            "数据契约未满足: 数仓表结构或取值异常，请数据工程人员处理 "
            "(contract failures mean the warehouse itself is wrong, not a report)."
        )
    for suite, failure in validation.failures():
        count = "" if failure.unexpected_count is None else f", {failure.unexpected_count} 行 rows"
        label = SEVERITY_LABELS.get(failure.severity, failure.severity)
        line = f"- **[{label}]** `{suite.suite_name}` · `{failure.rule}`: {failure.description}{count}"
        if failure.error:
            line += f" (error: {_shorten(failure.error, 160)})"
        lines.append(line)
        for example in failure.examples[:max_examples]:
            shown = ", ".join(f"{key}={_text(value) or '—'}" for key, value in example.items())
            lines.append(f"  - {_shorten(shown, 240)}")
    if validation.data_docs_index is not None:
        lines.extend(["", f"详情 Data Docs: `{validation.data_docs_index}`"])
    lines.append("")
    return lines


def _text(value: Any) -> str:
    """A cell as display text: '' for null, floats without noise (84.570000 → 84.57)."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
    return " ".join(str(value).split())


def _shorten(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- sending ----------------------------------------------------------------------------


def send_alert(urls: list[str], title: str, body: str) -> list[ChannelResult]:
    """Send one alert to every URL through one Apprise object; one result per URL.

    Each URL is added with its own tag so that its success can be told apart; a URL Apprise
    cannot parse fails alone. Nothing raises for a failed channel: callers decide from the
    results (e.g. record findings as alerted only when at least one channel succeeded).
    """
    if not urls:
        log.info("no alert URLs configured; alert %r not sent", title)
        return []
    import apprise

    results: list[ChannelResult | None] = [None] * len(urls)
    with _masked_logging(urls):
        notifier = apprise.Apprise()
        added: list[tuple[int, str, str]] = []  # (position, tag, redacted url)
        for i, url in enumerate(urls):
            shown = redact_url(url)
            tag = f"jixiao-channel-{i}"
            if notifier.add(url, tag=tag):
                added.append((i, tag, shown))
            else:
                log.warning("alert URL %s is not a valid Apprise URL", shown)
                results[i] = ChannelResult(shown, False, "invalid or unsupported URL")
        for i, tag, shown in added:
            try:
                sent = notifier.notify(
                    body=body,
                    title=title,
                    body_format=apprise.NotifyFormat.MARKDOWN,
                    tag=tag,
                )
            except Exception as exc:  # one broken plugin must not stop the others
                log.warning("alert to %s raised %s", shown, type(exc).__name__)
                results[i] = ChannelResult(shown, False, type(exc).__name__)
                continue
            if sent:
                log.info("alert sent to %s", shown)
                results[i] = ChannelResult(shown, True)
            else:
                log.warning("alert to %s failed", shown)
                results[i] = ChannelResult(shown, False, "notification failed")
    return [r for r in results if r is not None]
