"""Tests for flows.ingest.readers: every input file is built here, in tmp_path.

Layout contract checked throughout: paragraphs one per line, table rows as tab-separated
cells, a blank line between blocks; unreadable files raise QuarantineError(reason, detail).
"""

from __future__ import annotations

import codecs
import contextlib
import glob
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.shared import Pt
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from flows.ingest.readers import (
    DocumentText,
    QuarantineError,
    archive,
    decode_text,
    legacy,
    read_document,
)

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))
HOSTILE_STEM = "a b'c\";d 报告"


# ----------------------------------------------------------------------------- helpers


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def assert_quarantined(path: Path, reason: str, **kwargs) -> QuarantineError:
    with pytest.raises(QuarantineError) as caught:
        read_document(path, **kwargs)
    assert caught.value.reason == reason, caught.value.detail
    assert caught.value.detail  # always a sentence for the person fixing the file
    return caught.value


def make_docx(path: Path) -> Path:
    """Heading, paragraph, 3x4 table, paragraph."""
    document = docx.Document()
    document.add_heading("2022年度部门整体支出绩效自评报告", level=1)
    document.add_paragraph("一、预算执行情况")
    table = document.add_table(rows=3, cols=4)
    for row, values in zip(table.rows, DOCX_TABLE, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("二、绩效目标完成情况")
    document.save(path)
    return path


DOCX_TABLE = [
    ["项目", "年初预算", "实际支出", "执行率"],
    ["基本支出", "2,384.29", "2,380.00", "99.82%"],
    ["项目支出", "151.95", "151.31", "99.58%"],
]
DOCX_TEXT = (
    "2022年度部门整体支出绩效自评报告\n"
    "一、预算执行情况\n"
    "\n"
    "项目\t年初预算\t实际支出\t执行率\n"
    "基本支出\t2,384.29\t2,380.00\t99.82%\n"
    "项目支出\t151.95\t151.31\t99.58%\n"
    "\n"
    "二、绩效目标完成情况"
)


def rewrite_zip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    """Copy an OOXML zip, swapping the named members' contents."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return target


def add_doctype(xml: bytes, prolog_padding: str = "") -> bytes:
    """Insert a billion-laughs style DTD after the XML declaration (if any)."""
    declaration, rest = xml.split(b"?>", 1) if xml.startswith(b"<?xml") else (b"", xml)
    dtd = b'<!DOCTYPE root [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
    if declaration:
        declaration += b"?>"
    return declaration + prolog_padding.encode() + dtd + rest


def find_cjk_font() -> Path | None:
    """A font with Chinese glyphs, for fpdf2: fontconfig first, then usual locations."""
    if shutil.which("fc-list"):
        listing = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False
        ).stdout
        for line in listing.splitlines():
            candidate = Path(line.split(":")[0].strip())
            if candidate.suffix.lower() in (".ttf", ".otf", ".ttc") and candidate.is_file():
                return candidate
    patterns = ("*CJK*", "*wqy*", "*Sans*SC*", "*simsun*", "*simhei*", "*msyh*", "*Fallback*")
    for root in ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts")):
        for pattern in patterns:
            hits = glob.glob(f"{root}/**/{pattern}.tt[fc]", recursive=True)
            hits += glob.glob(f"{root}/**/{pattern}.otf", recursive=True)
            if hits:
                return Path(min(hits))
    return None


def fake_soffice(bin_dir: Path, monkeypatch: pytest.MonkeyPatch, behaviour: str) -> Path:
    """Put a stand-in `soffice` on PATH that logs its argv and pid and copies a prepared docx.

    behaviour: "convert" (copy FAKE_SOFFICE_DOCX to the out dir), "sleep" or "nothing".
    """
    bin_dir.mkdir()
    argv_log = bin_dir / "argv.json"
    script = bin_dir / "soffice"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, os, shutil, sys, time\n"
        f"json.dump({{'argv': sys.argv, 'pid': os.getpid()}}, open({str(argv_log)!r}, 'w'))\n"
        f"behaviour = {behaviour!r}\n"
        "if behaviour == 'sleep':\n"
        "    time.sleep(30)\n"
        "if behaviour == 'convert':\n"
        "    outdir = sys.argv[sys.argv.index('--outdir') + 1]\n"
        "    os.makedirs(outdir, exist_ok=True)\n"
        "    stem = os.path.splitext(os.path.basename(sys.argv[-1]))[0]\n"
        "    shutil.copy(os.environ['FAKE_SOFFICE_DOCX'], os.path.join(outdir, stem + '.docx'))\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return argv_log


# ------------------------------------------------------------------------ plain text


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:20])
@pytest.mark.parametrize(
    ("encode", "expected_encoding"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: t.encode("gb18030"), "gb18030"),
        (lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16"),
        (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
        (lambda t: t.encode("utf-16-le"), "utf-16-le"),
        (lambda t: t.encode("utf-16-be"), "utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be"],
)
def test_seed_report_decodes_identically_in_every_encoding(
    tmp_path: Path, seed: Path, encode, expected_encoding: str
) -> None:
    original = seed.read_text(encoding="utf-8")
    result = read_document(write(tmp_path / "report.txt", encode(original)))
    assert result == DocumentText(text=original, source_format="txt", encoding=expected_encoding)


def test_gbk_text_with_characters_outside_gb2312(tmp_path: Path) -> None:
    text = "张喆同志负责堃项目，预算执行率99.58%。\n"
    result = read_document(write(tmp_path / "gbk.txt", text.encode("gbk")))
    assert (result.text, result.encoding) == (text, "gb18030")


def test_crlf_line_endings_are_normalised(tmp_path: Path) -> None:
    result = read_document(write(tmp_path / "crlf.txt", "第一行\r\n第二行\r第三行".encode("gb18030")))
    assert result.text == "第一行\n第二行\n第三行"


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t\r\n  ", codecs.BOM_UTF16_LE + "  \n ".encode("utf-16-le"), codecs.BOM_UTF8],
    ids=["zero-bytes", "whitespace", "utf16-whitespace", "bom-only"],
)
def test_empty_text_is_quarantined(tmp_path: Path, data: bytes) -> None:
    assert_quarantined(write(tmp_path / "empty.txt", data), "empty")


@pytest.mark.parametrize(
    "data",
    [
        random.Random(0).randbytes(4096),
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        codecs.BOM_UTF8 + random.Random(1).randbytes(2048),  # BOM, then mostly U+FFFD
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 64,
    ],
    ids=["random", "png", "bom-then-junk", "exe-header"],
)
def test_binary_junk_named_txt_is_undecodable(tmp_path: Path, data: bytes) -> None:
    assert_quarantined(write(tmp_path / "junk.txt", data), "undecodable")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), min_size=1))
def test_decode_text_round_trips_unicode_with_a_bom(text: str) -> None:
    for bom, codec in [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")]:
        assert decode_text(bom + text.encode(codec))[0] == text


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=512))
def test_decode_text_either_decodes_or_refuses(data: bytes) -> None:
    try:
        text, encoding = decode_text(data)
    except QuarantineError as error:
        assert error.reason == "undecodable"
    else:
        assert isinstance(text, str) and encoding


# ------------------------------------------------------------------------------ docx


def test_docx_keeps_paragraphs_and_tables_in_document_order(tmp_path: Path) -> None:
    result = read_document(make_docx(tmp_path / "report.docx"))
    assert result == DocumentText(text=DOCX_TEXT, source_format="docx", encoding=None)


def test_docx_merged_cells_and_multiline_cells(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    title = table.cell(0, 0).merge(table.cell(0, 1))  # horizontal merge: kept once
    title.text = "指标"
    table.cell(0, 2).text = "分值"
    level1 = table.cell(1, 0).merge(table.cell(2, 0))  # vertical merge: repeated per row
    level1.text = "产出指标"
    table.cell(1, 1).text = "数量指标\n（10分）"  # a line break inside a cell
    table.cell(1, 2).text = "10"
    table.cell(2, 1).text = "质量指标"
    table.cell(2, 1).add_paragraph("合格率100%")
    table.cell(2, 2).text = "20"
    document.save(tmp_path / "merged.docx")
    assert read_document(tmp_path / "merged.docx").text == (
        "指标\t分值\n产出指标\t数量指标 （10分）\t10\n产出指标\t质量指标 合格率100%\t20"
    )


def test_docx_empty_paragraphs_separate_blocks_and_indents_are_stripped(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("\u3000\u3000第一段。")
    paragraph = document.add_paragraph("第二段")
    paragraph.add_run("（续）").font.size = Pt(9)  # several runs, one line
    document.add_paragraph("")
    document.add_paragraph("")
    document.add_paragraph("第三段\t有制表符")
    document.save(tmp_path / "blocks.docx")
    assert read_document(tmp_path / "blocks.docx").text == "第一段。\n第二段（续）\n\n第三段 有制表符"


def test_docx_without_text_is_empty(tmp_path: Path) -> None:
    docx.Document().save(tmp_path / "blank.docx")
    assert_quarantined(tmp_path / "blank.docx", "empty")


def test_truncated_docx_is_corrupt(tmp_path: Path) -> None:
    data = make_docx(tmp_path / "whole.docx").read_bytes()
    assert_quarantined(write(tmp_path / "cut.docx", data[: len(data) // 2]), "corrupt")


def test_zip_without_word_document_is_corrupt(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "notword.docx", "w") as archive_file:
        archive_file.writestr("readme.txt", "hello")
    error = assert_quarantined(tmp_path / "notword.docx", "corrupt")
    assert "word/document.xml" in error.detail


def test_garbage_named_docx_is_corrupt(tmp_path: Path) -> None:
    assert_quarantined(write(tmp_path / "junk.docx", b"not a zip at all" * 10), "corrupt")


def test_zip_bomb_docx_is_refused(tmp_path: Path) -> None:
    """300 MB of zeros in one member: refused from the zip directory, never inflated."""
    bomb = make_docx(tmp_path / "bomb.docx")
    megabyte = b"\0" * 2**20
    with (
        zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive_file,
        archive_file.open("word/media/zeros.bin", "w") as member,
    ):
        for _ in range(300):
            member.write(megabyte)
    assert bomb.stat().st_size < 5 * 2**20
    error = assert_quarantined(bomb, "unsafe_archive")
    assert "zip bomb" in error.detail


def test_highly_compressed_member_is_refused_by_ratio(tmp_path: Path) -> None:
    bomb = make_docx(tmp_path / "ratio.docx")
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive_file:
        archive_file.writestr("word/media/zeros.bin", b"\0" * (20 * 2**20))
    assert "ratio" in assert_quarantined(bomb, "unsafe_archive").detail


def test_total_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_UNCOMPRESSED", 1000)
    assert_quarantined(make_docx(tmp_path / "big.docx"), "unsafe_archive")


@pytest.mark.parametrize(
    "padding", ["", "<!--" + "x" * 100_000 + "-->"], ids=["dtd", "dtd-after-long-comment"]
)
def test_docx_with_entity_declarations_is_refused(tmp_path: Path, padding: str) -> None:
    source = make_docx(tmp_path / "clean.docx")
    with zipfile.ZipFile(source) as archive_file:
        xml = archive_file.read("word/document.xml")
    xml = add_doctype(xml, padding).replace("项目支出".encode(), b"&lol2;")
    hostile = rewrite_zip(source, tmp_path / "entities.docx", {"word/document.xml": xml})
    assert "DOCTYPE" in assert_quarantined(hostile, "unsafe_archive").detail


def test_utf16_xml_part_with_doctype_is_refused(tmp_path: Path) -> None:
    source = make_docx(tmp_path / "clean.docx")
    with zipfile.ZipFile(source) as archive_file:
        xml = add_doctype(archive_file.read("word/document.xml"))
    xml = xml.replace(b'encoding="UTF-8"', b'encoding="UTF-16"')
    utf16 = codecs.BOM_UTF16_LE + xml.decode("utf-8").encode("utf-16-le")
    hostile = rewrite_zip(source, tmp_path / "utf16.docx", {"word/document.xml": utf16})
    assert_quarantined(hostile, "unsafe_archive")


def test_ole_file_named_docx_is_legacy(tmp_path: Path) -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    error = assert_quarantined(write(tmp_path / "old.docx", data), "legacy_format")
    assert "password" in error.detail


# ------------------------------------------------------------------------------ xlsx


def make_xlsx(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "预算执行"
    sheet.append(["项目", "预算数", "执行数", "执行率"])
    sheet.append(["基本支出", 2384.29, 2380, 0.9982])
    sheet["D2"].number_format = "0.00%"
    sheet.append([None, None, None, None])
    sheet.append(["合计", None, 2380.5, None])
    indicators = workbook.create_sheet("绩效指标")
    indicators.append(["一级指标", "二级指标"])
    indicators.append(["产出指标", "数量指标"])
    workbook.save(path)
    return path


def test_xlsx_rows_per_sheet(tmp_path: Path) -> None:
    result = read_document(make_xlsx(tmp_path / "report.xlsx"))
    assert result.source_format == "xlsx"
    assert result.text == (
        "项目\t预算数\t执行数\t执行率\n"
        "基本支出\t2384.29\t2380\t99.82%\n"
        "合计\t\t2380.5\t\n"
        "\n"
        "一级指标\t二级指标\n"
        "产出指标\t数量指标"
    )


def test_xlsx_with_entity_declarations_is_refused(tmp_path: Path) -> None:
    source = make_xlsx(tmp_path / "clean.xlsx")
    with zipfile.ZipFile(source) as archive_file:
        xml = add_doctype(archive_file.read("xl/workbook.xml"))
    hostile = rewrite_zip(source, tmp_path / "entities.xlsx", {"xl/workbook.xml": xml})
    assert_quarantined(hostile, "unsafe_archive")


# ------------------------------------------------------------------------------- pdf


def make_pdf(path: Path, font: Path | None = None, lines: tuple[str, ...] = ()) -> Path:
    pdf = FPDF()
    pdf.add_page()
    if font is None:
        pdf.set_font("Helvetica", size=12)
    else:
        pdf.add_font("cjk", fname=str(font))
        pdf.set_font("cjk", size=12)
    first, second, after, next_page = lines or (
        "Performance self-evaluation report 2022",
        "1. Budget execution: 99.58% of the budget was spent.",
        "2. Conclusion: all targets were met.",
        "Page two.",
    )
    pdf.multi_cell(0, 8, first, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 8, second, new_x="LMARGIN", new_y="NEXT")
    with pdf.table(first_row_as_headings=False) as table:  # no bold face needed for a CJK font
        for values in PDF_TABLE:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.multi_cell(0, 8, after, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.multi_cell(0, 8, next_page, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


PDF_TABLE = [
    ["Item", "Budget", "Actual", "Rate"],
    ["Basic", "2384.29", "2380.00", "99.82%"],
    ["Project", "151.95", "151.31", "99.58%"],
]


def test_pdf_text_and_tables_in_page_order(tmp_path: Path) -> None:
    result = read_document(make_pdf(tmp_path / "report.pdf"))
    assert result == DocumentText(
        text=(
            "Performance self-evaluation report 2022\n"
            "1. Budget execution: 99.58% of the budget was spent.\n"
            "\n"
            "Item\tBudget\tActual\tRate\n"
            "Basic\t2384.29\t2380.00\t99.82%\n"
            "Project\t151.95\t151.31\t99.58%\n"
            "\n"
            "2. Conclusion: all targets were met.\n"
            "\n"
            "Page two."
        ),
        source_format="pdf",
        encoding=None,
    )


def test_pdf_with_chinese_text(tmp_path: Path) -> None:
    font = find_cjk_font()
    if font is None:
        pytest.skip(
            "no CJK font on this machine (`fc-list :lang=zh` is empty, none under "
            "/usr/share/fonts): fpdf2 cannot write Chinese without one; install e.g. "
            "fonts-noto-cjk or fonts-wqy-microhei to run this test"
        )
    lines = ("2022年度绩效自评报告", "一、预算执行率99.58%", "二、结论：完成目标", "第二页")
    text = read_document(make_pdf(tmp_path / "中文.pdf", font=font, lines=lines)).text
    assert text.startswith("2022年度绩效自评报告\n一、预算执行率99.58%\n\nItem\tBudget")
    assert text.endswith("二、结论：完成目标\n\n第二页")


def test_pdf_without_text_layer_is_scanned(tmp_path: Path) -> None:
    image = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(image, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=100)
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    pdf.output(str(tmp_path / "scan.pdf"))
    error = assert_quarantined(tmp_path / "scan.pdf", "scanned_pdf")
    assert "OCR" in error.detail


@pytest.mark.parametrize(
    "data",
    [b"this is not a pdf" * 50, b"%PDF-1.7\n" + random.Random(2).randbytes(2048)],
    ids=["garbage", "pdf-header-then-garbage"],
)
def test_garbage_pdf_is_corrupt(tmp_path: Path, data: bytes) -> None:
    assert_quarantined(write(tmp_path / "bad.pdf", data), "corrupt")


# ------------------------------------------------------------------------------ html

HTML_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>绩效自评报告</title><script>var menu = "脚本菜单";</script><style>.x{color:red}</style>
</head><body>
<div class="header">网站首页 政务公开 网上办事</div>
<nav><ul><li><a href="/">首页</a></li><li><a href="/jg">机构概况</a></li></ul></nav>
<div id="topMenu"><a>菜单一</a> <a>菜单二</a></div>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 绩效评价</div>
<article>
  <h1>2022年度部门整体支出绩效自评报告</h1>
  <p>一、部门概况：张喆</p>
  <p>我局2022年度
     年初预算<b>151.95</b>万元。&nbsp;</p>
  <table>
    <tr><th>项目</th><th>预算数</th><th>执行数</th></tr>
    <tr><td>基本支出</td><td>100.00</td><td>99.00</td></tr>
    <tr><td>项目<br>支出</td><td>51.95</td><td></td></tr>
  </table>
  <p>二、结论</p>
  <div style="display:none">隐藏文字</div>
</article>
<div class="sidebar">相关链接 友情链接</div>
<footer>版权所有 湘ICP备00000000号</footer>
</body></html>
"""


def test_html_keeps_the_article_and_drops_the_chrome(tmp_path: Path) -> None:
    result = read_document(write(tmp_path / "page.html", HTML_PAGE.encode("gb18030")))
    assert result == DocumentText(
        text=(
            "2022年度部门整体支出绩效自评报告\n"
            "一、部门概况：张喆\n"
            "我局2022年度 年初预算151.95万元。\n"
            "\n"
            "项目\t预算数\t执行数\n"
            "基本支出\t100.00\t99.00\n"
            "项目 支出\t51.95\t\n"
            "\n"
            "二、结论"
        ),
        source_format="html",
        encoding="gb18030",
    )
    for chrome in ("首页", "菜单", "当前位置", "相关链接", "版权所有", "脚本", "隐藏"):
        assert chrome not in result.text


def test_html_layout_tables_and_trs_editor(tmp_path: Path) -> None:
    page = """<html><head><meta charset="utf-8"></head><body>
    <table><tr><td class="menu">导航 菜单</td></tr><tr><td>
      <div class="TRS_Editor"><p>第一段。</p><p>第二段。</p>
        <table><tr><td>指标</td><td>分值</td></tr><tr><td>满意度</td><td>10</td></tr></table>
      </div></td></tr></table></body></html>"""
    result = read_document(write(tmp_path / "layout.htm", page.encode("utf-8")))
    assert (result.text, result.encoding) == (
        "第一段。\n第二段。\n\n指标\t分值\n满意度\t10",
        "utf-8",
    )


def test_html_with_wrong_charset_declaration_falls_back_to_detection(tmp_path: Path) -> None:
    page = '<html><head><meta charset="utf-8"></head><body><p>预算执行率99.58%</p></body></html>'
    result = read_document(write(tmp_path / "lies.html", page.encode("gb18030")))
    assert (result.text, result.encoding) == ("预算执行率99.58%", "gb18030")


# ----------------------------------------------------------------- legacy .doc / .wps


def test_doc_without_converter_is_legacy_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda *args, **kwargs: None)
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)
    error = assert_quarantined(write(tmp_path / "old.doc", data), "legacy_format")
    assert "soffice --headless --convert-to docx" in error.detail


def test_doc_is_converted_with_soffice_without_a_shell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_SOFFICE_DOCX", str(make_docx(tmp_path / "converted.docx")))
    argv_log = fake_soffice(tmp_path / "bin", monkeypatch, "convert")
    source = write(tmp_path / f"{HOSTILE_STEM}.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    result = read_document(source)
    assert result == DocumentText(text=DOCX_TEXT, source_format="doc", encoding=None)
    argv = json.loads(argv_log.read_text())["argv"]
    assert "--convert-to" in argv and argv[-1].endswith("input.doc")
    assert not any(HOSTILE_STEM in arg for arg in argv)  # the name never reaches a command


def assert_process_gone(log: Path) -> None:
    pid = json.loads(log.read_text())["pid"]
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_converter_that_hangs_times_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = fake_soffice(tmp_path / "bin", monkeypatch, "sleep")
    monkeypatch.setattr(legacy, "CONVERT_TIMEOUT_SECONDS", 1.0)
    assert_quarantined(write(tmp_path / "slow.wps", b"\xd0\xcf\x11\xe0" + bytes(512)), "timeout")
    assert_process_gone(log)


def test_interrupted_conversion_kills_the_converter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch runner's SIGALRM time limit may fire mid-conversion: no orphan soffice."""

    class Interrupted(Exception):
        pass

    def interrupt(signum, frame):
        raise Interrupted

    log = fake_soffice(tmp_path / "bin", monkeypatch, "sleep")
    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    try:
        with pytest.raises(Interrupted):
            read_document(write(tmp_path / "slow.doc", b"\xd0\xcf\x11\xe0" + bytes(512)))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert_process_gone(log)


def test_converter_without_output_is_corrupt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_soffice(tmp_path / "bin", monkeypatch, "nothing")
    assert_quarantined(write(tmp_path / "broken.doc", b"\xd0\xcf\x11\xe0" + bytes(512)), "corrupt")


def test_docx_or_web_page_named_doc_is_read_directly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda *args, **kwargs: None)
    renamed = tmp_path / "renamed.doc"
    make_docx(tmp_path / "real.docx").rename(renamed)
    assert read_document(renamed) == DocumentText(DOCX_TEXT, "docx", None)
    page = "<html><body><p>绩效自评</p></body></html>".encode()
    assert read_document(write(tmp_path / "page.doc", page)).text == "绩效自评"


# --------------------------------------------------------------------------- generic


@pytest.mark.parametrize("name", ["setup.exe", "report.xls", "README", "archive.zip"])
def test_unsupported_types(tmp_path: Path, name: str) -> None:
    error = assert_quarantined(write(tmp_path / name, b"MZ\x90\x00"), "unsupported_type")
    assert (Path(name).suffix or "no extension") in error.detail


def test_too_large_is_checked_before_reading(tmp_path: Path) -> None:
    # Garbage that would be "corrupt" if it were read: the size limit must win.
    error = assert_quarantined(write(tmp_path / "big.pdf", b"x" * 100), "too_large", max_bytes=10)
    assert "limit" in error.detail


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf", ".html"])
def test_hostile_file_names(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"{HOSTILE_STEM}{suffix}"
    if suffix == ".docx":
        make_docx(path)
    elif suffix == ".pdf":
        make_pdf(path)
    else:
        path.write_text("<p>2022年度绩效自评报告</p>" if suffix == ".html" else "2022年度绩效自评报告")
    assert "2022" in read_document(path).text


def test_quarantine_error_survives_pickling() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(QuarantineError("corrupt", "bad file")))
    assert (error.reason, error.detail) == ("corrupt", "bad file")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    suffix=st.sampled_from([".txt", ".docx", ".xlsx", ".pdf", ".html", ".doc"]),
    data=st.binary(min_size=1, max_size=2048),
)
def test_any_bytes_either_read_or_quarantined(suffix: str, data: bytes) -> None:
    """Whatever arrives, the reader returns text or a QuarantineError: never a crash."""
    with pytest.MonkeyPatch.context() as patch, tempfile.TemporaryDirectory() as workdir:
        patch.setattr(shutil, "which", lambda *args, **kwargs: None)  # no converter
        path = write(Path(workdir) / f"fuzz{suffix}", data)
        with contextlib.suppress(QuarantineError):
            assert read_document(path).text.strip()
