"""HTML reader for reports saved from government web pages.

Such pages wrap the report in site chrome (menus, breadcrumbs, "当前位置", footers with
the site's address and ICP number) that would pollute extraction. The chrome is dropped,
the main content container is preferred when the page has one, tables become
tab-separated rows and block elements become lines.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from .base import DocumentText, clean_cell, join_blocks, table_lines
from .text import decode_text

_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "nav", "header", "footer", "aside", "form", "button", "select", "textarea", "head",
)  # fmt: skip
_MENU_ATTR = re.compile(r"nav|menu|breadcrumb|crumb|footer|header|sidebar", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Main content containers, preferred in this order (outer ones first: they keep the title).
_MAIN_SELECTORS = ("article", "#content", ".content", ".article", ".TRS_Editor", "main")
_MIN_MAIN_SHARE = 0.25  # a "main" container with less of the page's text is a teaser box
_BLOCK_TAGS = frozenset({
    "address", "article", "blockquote", "body", "br", "caption", "center", "dd", "div", "dl",
    "dt", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol",
    "p", "pre", "section", "tr", "ul",
})  # fmt: skip
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\n\f\v\xa0]+")


def read_html(path: Path) -> DocumentText:
    """Main text of a saved web page."""
    text, encoding = decode_html(path.read_bytes())
    soup = BeautifulSoup(text, "lxml")
    root = soup.body or soup
    _drop_chrome(root)
    main = _main_container(root) or root
    return DocumentText(text=join_blocks(_blocks(main)), source_format="html", encoding=encoding)


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode like plain text, taking the page's <meta charset> into account."""
    match = _META_CHARSET.search(data[:4096])
    return decode_text(data, declared=match.group(1).decode("ascii") if match else None)


def _drop_chrome(root: Tag) -> None:
    """Remove scripts, navigation, hidden elements and anything classed as a menu.

    An element holding more than half of the page's text is never treated as a menu: some
    sites wrap the whole page in a "header-wrap" or similar.
    """
    for tag in root.find_all(_DROP_TAGS):
        tag.decompose()
    page_length = len(root.get_text(strip=True))
    for tag in root.find_all(True):
        if tag.decomposed:  # inside a menu removed a moment ago
            continue
        if _is_hidden(tag) or (_looks_like_menu(tag) and len(tag.get_text(strip=True)) * 2 <= page_length):
            tag.decompose()


def _looks_like_menu(tag: Tag) -> bool:
    classes = tag.get("class") or []
    words = " ".join([tag.get("id") or "", *classes])
    return bool(_MENU_ATTR.search(words))


def _is_hidden(tag: Tag) -> bool:
    return tag.has_attr("hidden") or bool(_HIDDEN_STYLE.search(tag.get("style") or ""))


def _main_container(root: Tag) -> Tag | None:
    """The first selector (in preference order) matching a container with most of the text."""
    page_length = len(root.get_text(strip=True))
    for selector in _MAIN_SELECTORS:
        candidates = root.select(selector)
        if not candidates:
            continue
        best = max(candidates, key=lambda tag: len(tag.get_text(strip=True)))
        if len(best.get_text(strip=True)) >= _MIN_MAIN_SHARE * page_length > 0:
            return best
    return None


def _blocks(root: Tag) -> list[list[str]]:
    """Lines of text; each data table is a block of its own."""
    blocks: list[list[str]] = [[]]
    buffer: list[str] = []

    def flush() -> None:
        line = _SPACES.sub(" ", "".join(buffer)).strip()
        buffer.clear()
        if line:
            blocks[-1].append(line)

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, PreformattedString):  # comments, CDATA, doctype
                    buffer.append(str(child))
            elif isinstance(child, Tag):
                if child.name == "table" and not child.find("table"):
                    flush()
                    blocks.extend([_table_lines(child), []])
                elif child.name in _BLOCK_TAGS or child.name in ("table", "td", "th"):
                    # A table holding tables is page layout: its cells are read as blocks.
                    flush()
                    walk(child)
                    flush()
                else:
                    walk(child)

    walk(root)
    flush()
    return blocks


def _table_lines(table: Tag) -> list[str]:
    caption = table.find("caption")
    lines = [clean_cell(caption.get_text(" "))] if caption else []
    return [line for line in lines if line] + table_lines(_table_rows(table))


_MAX_SPAN = 1000


def _span(value: object) -> int:
    """A colspan/rowspan attribute as a count of at least 1 (junk and 0 count as 1)."""
    try:
        return min(max(int(str(value).strip()), 1), _MAX_SPAN)
    except ValueError:
        return 1


def _table_rows(table: Tag) -> list[list[str]]:
    """Cells per row, merged cells given as the docx reader gives them.

    A cell spanning columns (colspan) is kept once, as Word's model has it. A cell spanning
    rows (rowspan) is absent from the <tr>s below it in HTML; it is repeated there, so those
    rows keep their cells under the right headers instead of shifting left.
    """
    rows: list[list[str]] = []
    carried: dict[int, tuple[str, int, int]] = {}  # grid column -> (text, rows left, colspan)
    for tr in table.find_all("tr"):
        cells = tr.find_all(["td", "th"], recursive=False)
        out: list[str] = []
        col, k = 0, 0
        used: set[int] = set()
        while k < len(cells) or any(c >= col for c in carried if c not in used):
            if col in carried and col not in used:
                text, _left, colspan = carried[col]
                out.append(text)
                used.add(col)
                col += colspan
            elif k < len(cells):
                cell = cells[k]
                k += 1
                text = cell.get_text(" ")
                colspan, rowspan = _span(cell.get("colspan")), _span(cell.get("rowspan"))
                out.append(text)
                if rowspan > 1:
                    carried[col] = (text, rowspan, colspan)
                    used.add(col)
                col += colspan
            else:
                col = min(c for c in carried if c >= col and c not in used)
        for c in list(carried):  # every carried cell covers this row, emitted or not
            text, left, colspan = carried[c]
            if left <= 1:
                del carried[c]
            else:
                carried[c] = (text, left - 1, colspan)
        rows.append(out)
    return rows
