"""End to end: the sample reports through Prefect, dbt and GX into marts, with one alert.

Slow (starts Prefect's temporary server, dbt and GX once); run by `make test`.
"""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
pytestmark = pytest.mark.slow


class _Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server API
        length = int(self.headers.get("Content-Length") or 0)
        self.server.received.append(self.rfile.read(length))  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def runs(tmp_path_factory, receiver):
    """Two runs of the pipeline over the samples into a fresh warehouse."""
    from prefect.testing.utilities import prefect_test_harness

    from flows.pipeline import jixiao_pipeline

    tmp = tmp_path_factory.mktemp("e2e")
    inbox = tmp / "inbox"
    shutil.copytree(SEEDS, inbox)
    warehouse = tmp / "warehouse" / "jixiao.duckdb"
    port = receiver.server_address[1]
    mp = pytest.MonkeyPatch()
    mp.setenv("JIXIAO_ALERT_URLS", f"json://127.0.0.1:{port}/hook")
    mp.setenv("JIXIAO_WORKERS", "2")
    try:
        with prefect_test_harness(server_startup_timeout=120):
            first = jixiao_pipeline(inbox=str(inbox), warehouse=str(warehouse))
            alerts_after_first = len(receiver.received)
            second = jixiao_pipeline(inbox=str(inbox), warehouse=str(warehouse))
    finally:
        mp.undo()
    return {
        "first": first,
        "second": second,
        "warehouse": warehouse,
        "alerts_after_first": alerts_after_first,
    }


def _query(runs, sql: str, params=None):
    with duckdb.connect(str(runs["warehouse"]), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_files_are_accounted_for(runs) -> None:
    first = runs["first"]
    assert (first.files.loaded, first.files.duplicates, first.files.quarantined) == (4, 0, 0)


def test_dim_report_holds_the_four_samples(runs) -> None:
    rows = _query(
        runs, "select department, fiscal_year, report_kind from marts.dim_report order by department"
    )
    assert rows == [
        ("怀化市工业和信息化局", 2022, "department_overall"),
        ("益阳市工业和信息化局", 2022, "special_fund"),
        ("长沙市工业和信息化局", 2022, "department_overall"),
        ("长沙市望城区工业和信息化局", 2021, "department_overall"),
    ]


def test_changsha_total_line(runs) -> None:
    rows = _query(
        runs,
        """select full_year_budget_wan_yuan, actual_wan_yuan, stated_execution_rate_pct,
                  round(computed_execution_rate_pct, 2)
           from marts.fct_fund_execution f join marts.dim_report r using (report_id)
           where r.department = '长沙市工业和信息化局' and f.initial_budget_wan_yuan = 67895.07
             and f.full_year_budget_wan_yuan = 85578.49""",
    )
    assert rows and all(r == (85578.49, 72375.11, 84.57, 84.57) for r in rows)


def test_huaihua_project_table_sums_to_total(runs) -> None:
    rows = _query(
        runs,
        """select count(*), round(sum(amount_wan_yuan), 2)
           from marts.fct_disbursement d join marts.dim_report r using (report_id)
           where r.department = '怀化市工业和信息化局' and d.budget_wan_yuan is not null""",
    )
    assert rows == [(23, 1974.16)]


def test_yiyang_indicator_table_row_by_row(runs) -> None:
    rows = _query(
        runs,
        """select level1, level2, level3, target_text, actual_text, weight, score
           from marts.fct_indicator i join marts.dim_report r using (report_id)
           where r.department = '益阳市工业和信息化局' order by i.line_no""",
    )
    expected = [
        ("产出指标", "数量指标", "新入规企业", "135家", "136家", 5.0, 5.0),
        ("产出指标", "数量指标", "创客中国大赛获奖企业家数", "12家", "12家", 5.0, 5.0),
        ("产出指标", "质量指标", "下拨经费符合相关政策规定比率", "100%", "100%", 5.0, 5.0),
        ("产出指标", "质量指标", "获得省委省政府真抓实干激励奖", "1个", "1个", 10.0, 10.0),
        ("产出指标", "时效指标", "全部资金下拨时间", "2022年年底以前", "2022年年底以前", 5.0, 5.0),
        ("产出指标", "成本指标", "创客中国大赛获奖企业奖励资金", "64万元", "64万元", 5.0, 5.0),
        ("产出指标", "成本指标", "工业企业技改税收增量奖补完工评价费", "43.74万元", "43.74万元", 5.0, 5.0),
        ("产出指标", "成本指标", "先进制造业高质量发展真抓实干奖励", "160万元", "160万元", 5.0, 5.0),
        ("产出指标", "成本指标", "“三型两网”建设真抓实干奖励", "90万元", "90万元", 5.0, 5.0),
        ("效益指标", "经济效益指标", "规模以上工业增加值", "≥全省平均水平", "6.8%", 5.0, 4.0),
        ("效益指标", "经济效益指标", "工业投资增速", "≥全省平均水平", "28.5%", 5.0, 5.0),
        ("效益指标", "社会效益指标", "促进就业", "成效明显", "成效明显", 5.0, 5.0),
        ("效益指标", "生态指标", "工业领域生态环境保护", "不断加强", "不断加强", 5.0, 5.0),
        ("效益指标", "可持续影响指标", "我市先进制造业高质量发展", "持续推动", "持续推动", 10.0, 10.0),
        ("效益指标", "服务对象满意度指标", "解决十大产业链问题满意率", "≥90%", "96%", 10.0, 10.0),
    ]
    assert rows == expected


def test_anomalies_from_the_samples(runs) -> None:
    rows = _query(
        runs,
        """select r.department, a.rule_id, a.severity, a.subject, a.observed
           from marts.fct_anomaly a join marts.dim_report r using (report_id)""",
    )
    # 长沙's 人社专项 spent 1,421.02 of 6,000 万元.
    assert any(
        dep == "长沙市工业和信息化局"
        and rule == "low_execution_rate"
        and sev == "critical"
        and subject.startswith("人社专项")
        and observed == "23.68%"
        for dep, rule, sev, subject, observed in rows
    )
    # 益阳's fund: 752 at the start of the year, cut to 593.04 and all spent (593.04 ÷ 752 = 78.86%).
    assert any(
        dep == "益阳市工业和信息化局" and rule == "masked_execution" and observed == "78.86%"
        for dep, rule, _, _, observed in rows
    )
    # A healthy line raises nothing: 人员经费 at 94.19%.
    assert not any(subject == "人员经费" for _, _, _, subject, _ in rows)


def test_one_alert_then_none_and_counts_stable(runs, receiver) -> None:
    assert runs["alerts_after_first"] == 1
    assert len(receiver.received) == 1, "an unchanged second run must send nothing"
    body = json.loads(receiver.received[0])
    assert "人社专项" in body.get("message", "") + body.get("title", "")
    assert runs["first"].mart_rows == runs["second"].mart_rows
    assert runs["second"].files.skipped == 4 and runs["second"].files.loaded == 0
