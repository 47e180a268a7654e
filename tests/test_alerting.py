"""Alert formatting, URL redaction and delivery through Apprise to a local HTTP receiver."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from expectations.checkpoint import FailedExpectation, SuiteResult, ValidationSummary
from flows.alerting import (
    filter_min_severity,
    format_alert,
    parse_alert_urls,
    redact_url,
    send_alert,
)

SECRET = "S3cr3tT0kenXYZ"


def _findings() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "finding_id": ["f1", "f2", "f3"],
            "report_id": ["r1", "r1", "r2"],
            "rule_id": ["execution_rate_low", "stated_rate_mismatch", "indicator_not_met"],
            "rule_title": ["预算执行率偏低", "执行率与数据不符", None],
            "severity": ["critical", "warning", "info"],
            "subject": ["智能制造专项", "基本支出", "服务对象满意度"],
            "observed": ["23.68%", "84.57%", "85%"],
            "expected": [">= 90%", "84.70% (实际支出 ÷ 全年预算)", ">= 90%"],
            "message": ["预算执行率偏低，需说明原因", "报告所述执行率与测算不一致", None],
            "source_text": ["预算执行率23.68%", None, "满意度85%"],
            "status": ["open", "open", "open"],
            "department": ["长沙市工业和信息化局", "长沙市工业和信息化局", "怀化市工业和信息化局"],
            "fiscal_year": [2022, 2022, 2021],
            "source_file": ["seeds/a.txt", "seeds/a.txt", "seeds/b.txt"],
        }
    )


class _Receiver(BaseHTTPRequestHandler):
    """Records every POST as (method, path, body) on `server.received`; answers 200."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.server.received.append(("POST", self.path, self.rfile.read(length)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


# --- URLs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("dingtalk://TOKEN", "dingtalk://***", id="token-as-host"),
        pytest.param("dingtalk://TOKEN/SECRET", "dingtalk://***/***", id="token-and-secret"),
        pytest.param(
            "json://127.0.0.1:8080/hook?token=x",
            "json://127.0.0.1:8080/***",
            id="ip-port-path-query",
        ),
        pytest.param("json://127.0.0.1:8080", "json://127.0.0.1:8080", id="nothing-secret"),
        pytest.param("mailto://user:pass@example.com", "mailto://***@example.com", id="userinfo"),
        pytest.param(
            "https://hooks.slack.com/services/T0/B0/XX",
            "https://hooks.slack.com/***",
            id="https-path-token",
        ),
        pytest.param("tgram://123456:ABC-DEF/987", "tgram://***/***", id="colon-token"),
        pytest.param("json://[::1]:9000/p", "json://[::1]:9000/***", id="ipv6"),
        pytest.param("not a url", "***", id="garbage"),
    ],
)
def test_redact_url(url, expected):
    assert redact_url(url) == expected


def test_parse_alert_urls():
    assert parse_alert_urls(" dingtalk://a , ,json://127.0.0.1:1/x,") == [
        "dingtalk://a",
        "json://127.0.0.1:1/x",
    ]
    assert parse_alert_urls("") == []
    assert parse_alert_urls(None) == []


# --- severities and formatting ----------------------------------------------------------


def test_filter_min_severity():
    df = _findings()
    assert list(filter_min_severity(df, "warning")["finding_id"]) == ["f1", "f2"]
    assert list(filter_min_severity(df, "CRITICAL")["finding_id"]) == ["f1"]
    assert len(filter_min_severity(df, "info")) == 3
    assert filter_min_severity(df.iloc[0:0], "info").empty
    with pytest.raises(ValueError, match="unknown severity"):
        filter_min_severity(df, "loud")


def _validation() -> ValidationSummary:
    failure = FailedExpectation(
        rule="execution_rate_out_of_range",
        expectation_type="expect_column_values_to_be_between",
        column="computed_execution_rate_pct",
        severity="warning",
        description="预算执行率 (computed) between 90% and 100%",
        unexpected_count=1,
        element_count=3,
        unexpected_index=[1],
        examples=[{"report_id": "r1", "line_name": "智能制造专项", "value": 23.68}],
    )
    suite = SuiteResult("execution_rate_anomalies", "fct_fund_execution", "anomaly", False, 4, 1, [failure])
    return ValidationSummary(
        success=False,
        evaluated=40,
        failed=1,
        results=[suite],
        data_docs_index=Path("/tmp/docs/index.html"),
    )


def test_format_alert_groups_by_report_most_severe_first():
    title, body = format_alert(_findings(), _validation(), "run-42")

    assert "run-42" in title and "3" in title
    assert "严重 critical 1" in body and "警告 warning 1" in body and "提示 info 1" in body
    changsha = body.index("### 长沙市工业和信息化局 · 2022年度")
    huaihua = body.index("### 怀化市工业和信息化局 · 2021年度")
    assert changsha < huaihua  # the report with a critical finding comes first
    assert body.index("execution_rate_low") < body.index("stated_rate_mismatch")
    assert "`execution_rate_low` 预算执行率偏低 · 智能制造专项" in body
    assert "实际 observed **23.68%** vs 应为 expected >= 90%" in body
    assert "预算执行率偏低，需说明原因" in body
    # validation failures with an example row that names the report and line
    assert "execution_rate_anomalies" in body
    assert "line_name=智能制造专项" in body
    assert "/tmp/docs/index.html" in body


def test_format_alert_caps_the_list():
    many = pd.concat([_findings()] * 30, ignore_index=True)
    many["finding_id"] = [f"f{i}" for i in range(len(many))]
    _, body = format_alert(many, None, "run-1", max_findings=10)
    assert body.count("\n- **[") == 10
    assert "另有 80 项未列出" in body


def test_format_alert_without_findings():
    title, body = format_alert(pd.DataFrame(), None, "run-0")
    assert "无新发现" in title
    assert "New findings**: 0" in body


# --- sending ----------------------------------------------------------------------------


def test_send_alert_posts_once_and_never_logs_the_token(receiver, caplog):
    caplog.set_level(logging.DEBUG)
    port = receiver.server_address[1]
    url = f"json://127.0.0.1:{port}/hook/{SECRET}?token={SECRET}"
    title, body = format_alert(_findings(), None, "run-7")

    results = send_alert([url], title, body)

    assert [(r.url, r.success) for r in results] == [(f"json://127.0.0.1:{port}/***", True)]
    assert len(receiver.received) == 1
    method, path, raw = receiver.received[0]
    assert method == "POST"
    assert path.startswith(f"/hook/{SECRET}")
    payload = json.loads(raw)
    assert payload["title"] == title
    assert "智能制造专项" in payload["message"]
    # Apprise and urllib3 did log at DEBUG, with the secret parts masked
    assert any(r.name.startswith(("apprise", "urllib3")) for r in caplog.records)
    assert SECRET not in caplog.text
    assert SECRET not in repr(results)


def test_send_alert_reports_each_channel(receiver, caplog):
    caplog.set_level(logging.DEBUG)
    port = receiver.server_address[1]
    good = f"json://127.0.0.1:{port}/ok"
    refused = f"json://127.0.0.1:1/{SECRET}"  # nothing listens on port 1
    invalid = f"nosuchscheme://{SECRET}"

    results = send_alert([invalid, good, refused], "title", "body")

    assert [r.success for r in results] == [False, True, False]
    assert results[0].url == "nosuchscheme://***"
    assert results[2].url == "json://127.0.0.1:1/***"
    assert len(receiver.received) == 1
    assert SECRET not in caplog.text


def test_send_alert_without_urls():
    assert send_alert([], "t", "b") == []


def test_importing_alerting_and_findings_does_not_import_gx():
    code = (
        "import sys, flows.alerting, flows.findings, expectations.checkpoint; "
        "print(sorted(m for m in ('great_expectations', 'apprise') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
