"""Export a mart for the tools analysts use: Excel above all, CSV that Excel opens, Parquet for BI.

Excel gets Chinese column headers and amounts formatted as 万元 with two decimals; CSV is
UTF-8 with a BOM so Excel shows Chinese correctly; Parquet keeps the column names and types.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

# Chinese headers for Excel, by column name; unknown columns keep their name.
CHINESE_HEADERS: dict[str, str] = {
    "report_id": "报告编号",
    "source_file": "来源文件",
    "content_sha256": "内容哈希",
    "fiscal_year": "年度",
    "department": "部门",
    "department_key": "部门键",
    "department_name": "部门名称",
    "region": "地区",
    "report_kind": "报告类型",
    "self_score": "自评得分",
    "grade": "自评等级",
    "title": "标题",
    "published_on": "发布日期",
    "line_id": "行编号",
    "line_name": "预算项目",
    "line_class": "类别",
    "initial_budget_wan_yuan": "年初预算",
    "adjustment_wan_yuan": "年中调整",
    "full_year_budget_wan_yuan": "全年预算",
    "actual_wan_yuan": "实际支出",
    "balance_wan_yuan": "结余",
    "stated_execution_rate_pct": "报告执行率(%)",
    "computed_execution_rate_pct": "测算执行率(%)",
    "rate_label": "比率名称",
    "item_id": "支出编号",
    "item_name": "支出项目",
    "budget_wan_yuan": "预算数",
    "amount_wan_yuan": "支出金额",
    "purpose": "用途",
    "indicator_id": "指标编号",
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "target_text": "年度指标值",
    "actual_text": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "is_met": "是否达标",
    "note": "偏差原因",
    "finding_id": "问题编号",
    "rule_id": "规则",
    "severity": "严重程度",
    "subject": "对象",
    "observed": "实际情况",
    "expected": "应为",
    "message": "说明",
    "status": "处理状态",
    "form": "自评表",
    "parent_line_id": "上级行编号",
    "is_total": "是否合计",
    "origin": "出处(表格/正文)",
    "mention_count": "提及次数",
    "source_text": "原文",
}
FORMATS = ("csv", "parquet", "xlsx")


def mart_names(con) -> list[str]:  # noqa: ANN001
    """Tables in the marts schema: the only names an export accepts (no SQL from users)."""
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
    ).fetchall()
    return [r[0] for r in rows]


def read_mart(con, mart: str) -> pd.DataFrame:  # noqa: ANN001
    names = mart_names(con)
    if mart not in names:
        raise ValueError(f"unknown mart {mart!r}; choose one of: {', '.join(names)}")
    return con.execute(f'select * from marts."{mart}"').df()


def _excel_header(column: str) -> str:
    label = CHINESE_HEADERS.get(column, column)
    return f"{label}(万元)" if column.endswith("_wan_yuan") else label


def write_xlsx(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    """Chinese headers, 万元 with two decimals, rates with two decimals, frozen header row."""
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    renamed = frame.rename(columns={c: _excel_header(c) for c in frame.columns})
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        renamed.to_excel(writer, sheet_name=sheet[:31], index=False)
        worksheet = writer.sheets[sheet[:31]]
        worksheet.freeze_panes = "A2"
        for idx, column in enumerate(frame.columns, start=1):
            letter = get_column_letter(idx)
            if column.endswith(("_wan_yuan", "_pct")) or column in {"weight", "score", "self_score"}:
                for cell in worksheet[letter][1:]:
                    cell.number_format = "#,##0.00"
            width = max(8, min(50, len(str(renamed.columns[idx - 1])) * 2 + 2))
            worksheet.column_dimensions[letter].width = width


def export_mart(con, mart: str, fmt: str, out: Path) -> Path:  # noqa: ANN001
    """Write one mart to `out` in `fmt`; returns the path written."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    frame = read_mart(con, mart)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        frame.to_csv(out, index=False, encoding="utf-8-sig")
    elif fmt == "parquet":
        frame.to_parquet(out, index=False)
    else:
        write_xlsx(frame, out, mart)
    return out
