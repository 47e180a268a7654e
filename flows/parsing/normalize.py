"""Text normalisation: one canonical text per report, and a same-length text for matching.

Why two texts: provenance spans point into the normalised text (what an auditor reads),
while label matching must also work on traditional characters (預算 → 预算). The match
text maps characters one-for-one, so every offset found in it is valid in the original.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache
from pathlib import Path

# Circled and parenthesised numbers are list markers in these reports (①工发专项). NFKC
# would turn ① into "1" and glue it to the name or to a figure, so they are kept.
_PROTECTED_RANGES = ((0x2460, 0x24FF), (0x3251, 0x325F), (0x32B1, 0x32BF), (0x2776, 0x2793))


@cache
def _nfkc_table() -> dict[int, str]:
    """Per-character NFKC map for the BMP, minus list markers (str.translate is fast)."""
    table: dict[int, str] = {}
    for code in range(0x80, 0x10000):
        if 0xD800 <= code <= 0xDFFF or any(lo <= code <= hi for lo, hi in _PROTECTED_RANGES):
            continue
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char)
        if folded != char:
            table[code] = folded
    table.update({ord("\u00a0"): " ", ord("\u3000"): " ", ord("\ufeff"): ""})
    table.update({ord("\u200b"): "", ord("\u200c"): "", ord("\u200d"): "", ord("\u2060"): ""})
    table.update({ord("\r"): ""})
    return table


# Symbols NFKC leaves alone but reports use for ≥ ≤ =: kept in the text, folded for matching.
_LOOKALIKES = {ord("≧"): "≥", ord("≦"): "≤", ord("═"): "=", ord("﹦"): "="}


@cache
def _t2s_table() -> dict[int, str]:
    """One-for-one traditional → simplified character map (OpenCC's TSCharacters)."""
    table: dict[int, str] = {}
    try:
        import opencc  # noqa: PLC0415 - only for its data file

        path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
        lines = path.read_text(encoding="utf-8").splitlines()
    except (ImportError, OSError):  # pragma: no cover - the dependency is pinned
        print("warning: OpenCC dictionary missing; traditional labels not mapped", file=sys.stderr)
        return table
    for line in lines:
        parts = line.split("\t")
        if len(parts) != 2:
            continue
        source, targets = parts[0], parts[1].split(" ")[0]
        if len(source) == 1 and len(targets) == 1 and source != targets:
            table[ord(source)] = targets
    # Look-alike comparison symbols (≧ ≦ ═) stay as written in the text; matching folds them.
    table.update(_LOOKALIKES)
    # 批覆 is the traditional spelling of 批复, but 覆 is also a simplified character, so
    # OpenCC leaves it alone; no label uses 覆, so matching may fold it.
    table[ord("覆")] = "复"
    return table


# A page number, alone or after a printed page header set off by a wide gap
# ("XX市XX局门户网站            第 1 页 / 共 3 页", a browser's print header).
_PAGE_NUMBER_LINE = re.compile(
    r"^[ \t]*(?:[-—–]+[ \t]*\d{1,4}[ \t]*[-—–]+|(?:[^\s\d。，,;；:：][^\t\d。，,;；:：]{0,38}?[ \t]{3,})?"
    r"第[ \t]*\d{1,4}[ \t]*页(?:[ \t]*[,/，]?[ \t]*共[ \t]*\d{1,4}[ \t]*页)?|\d{1,4}[ \t]*/[ \t]*\d{1,4})[ \t]*$"
)
_SENTENCE_END = "。;；:：!！?？」』”)）"
_HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}(?:[、.．](?!\d)|\s)|[①-⑳])"
)
_TITLE_HINT = re.compile(r"(绩效自评|自评报告|自评表|绩效评价报告|绩效报告|支出绩效)")
_FURNITURE_HINT = re.compile(
    r"(首页|当前位置|您的位置|信息公开|发布时间|发布日期|来源[:：]|浏览次数|字号|打印|关闭窗口|分享|下载|"
    r"附件下载|扫一扫|【|】|>|»|责任编辑|点击|阅读)"
)
# Lines that name a report without being its title: attachments, links to other pages.
NOT_A_TITLE = re.compile(
    r"附件|下载|上一篇|下一篇|相关阅读|相关链接|当前位置|>|»|\.(?:pdf|docx?|xlsx?|wps|ofd)\s*$", re.I
)
BREAK_JOIN_MIN_CHARS = 40
# A running page header repeats one of the document's first few lines (title, department).
RUNNING_HEADER_TOP_LINES = 3
RUNNING_HEADER_MIN_CHARS = 4
# Clause punctuation of prose; a comma between digits is a thousands separator, not prose.
_PROSE_PUNCT = re.compile(r"[。、;:!?“”]|(?<!\d),|,(?!\d)")


def _char_class(codes: list[int]) -> str:
    """A regex character class of the given code points, written as ranges."""
    parts: list[str] = []
    codes = sorted(codes)
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        lo, hi = re.escape(chr(codes[i])), re.escape(chr(codes[j]))
        parts.append(lo if i == j else f"{lo}-{hi}")
        i = j + 1
    return f"[{''.join(parts)}]"


# Why runs of mapped characters and not str.translate on the whole text: translate with a
# dict looks every character up (a failed lookup per CJK character), while most characters
# of a report map to themselves. A regex finds the few runs that change in a fraction of the
# time, and translating just those runs gives exactly the same text.
@cache
def _nfkc_runs() -> re.Pattern[str]:
    return re.compile(_char_class(list(_nfkc_table())) + "+")


@cache
def _t2s_runs() -> re.Pattern[str]:
    """Runs of mapped BMP characters. The regex engine reads a big class of BMP characters
    as a bitmap, but a class holding characters beyond the BMP as a list it scans one by
    one: texts with such characters (rare) are translated whole instead, see match_text."""
    return re.compile(_char_class([c for c in _t2s_table() if c <= 0xFFFF]) + "+")


def _beyond_bmp(text: str) -> bool:
    """Whether a character beyond the BMP stands in the text: each takes two UTF-16 units.
    Encoding is one C loop; a regex for the same test is tried at every character."""
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


@cache
def _nfkc_chars() -> dict[str, str]:
    """The NFKC map keyed by character: most runs are one character (a full-width comma)."""
    return {chr(code): folded for code, folded in _nfkc_table().items()}


# Full-width punctuation that makes up almost every run of folded characters in a report
# (，（）；：). Folding is character by character, so these are replaced up front with
# str.replace (a C scan per character) instead of one Python call per run in the regex
# sub; the sub then folds the rarer rest. Their folded forms are ASCII, which the table
# leaves alone, so nothing is folded twice (checked in _common_folds).
_COMMON_FULL_WIDTH = "，（）；："


@cache
def _common_folds() -> tuple[tuple[str, str], ...]:
    table = _nfkc_chars()
    folds = tuple((c, table[c]) for c in _COMMON_FULL_WIDTH if c in table)
    assert not any(ch in table for _, folded in folds for ch in folded)
    return folds


def fold_characters(text: str) -> str:
    """NFKC per character (full-width digits and punctuation to half-width), list markers kept."""
    table, by_char = _nfkc_table(), _nfkc_chars()
    for char, folded in _common_folds():
        text = text.replace(char, folded)
    return _nfkc_runs().sub(lambda run: by_char.get(run.group()) or run.group().translate(table), text)


def match_text(text: str) -> str:
    """Same-length text with traditional characters mapped to simplified, for matching labels.

    Returns `text` itself when nothing maps (the usual, simplified-character report).
    """
    table = _t2s_table()
    if _beyond_bmp(text):
        return text.translate(table)
    return _t2s_runs().sub(lambda run: run.group().translate(table), text)


def original(text: str, mt: str, start: int, end: int, cleaned: str) -> str:
    """The original characters of `cleaned`, a string read from mt[start:end].

    Matching runs on the match text (simplified, folded look-alikes); names and labels must
    come out as written (繁體 stays 繁體). `cleaned` is mt[start:end] minus some characters
    (numbering, quotes, line breaks), so it is found there as a substring or a subsequence,
    and the text at the same offsets holds the original characters.
    """
    # `text is mt` when nothing maps (the usual report): no slices to compare.
    if not cleaned or text is mt or text[start:end] == mt[start:end]:
        return cleaned
    at = mt.find(cleaned, start, end)
    if at >= 0:
        return text[at : at + len(cleaned)]
    out: list[str] = []
    k = 0
    for pos in range(start, end):
        if k < len(cleaned) and mt[pos] == cleaned[k]:
            out.append(text[pos])
            k += 1
    return "".join(out) if k == len(cleaned) else cleaned


_SPACE_COLUMNS = re.compile(r"\S {2,}\S.*\S {2,}\S")
# A slash-summary row ends in figures split by slashes ("其中:人员经费   2,905.12 / 2,905.12 / 100.00%").
_SLASH_FIGURES_END = re.compile(r"\d%?\s*/\s*[-−]?[\d,.]*\d%?\s*$")


# A row whose cells ran together ("其中:办公费18.6018.6017.9296.34%"): the line ends in a run
# of figures holding two decimal points with three digits or more between them, which no
# sentence (nor a date such as 2020.12.31) does.
_GLUED_FIGURES_END = re.compile(r"\.\d{3}[\d,]*\.\d+%?$")


def _is_table_line(line: str) -> bool:
    """Tab, pipe or space-aligned columns (two or more runs of spaces between cells), a
    slash-summary row (figures split by " / " ending the line; its label may hold a colon),
    or a row whose cells ran together (see _GLUED_FIGURES_END).

    The regexes need two spaces in a row or a " / ": without them (most prose lines) they are not run.
    """
    return (
        "\t" in line
        or line.count("|") >= 2
        or ("  " in line and bool(_SPACE_COLUMNS.search(line)))
        or (" / " in line and bool(_SLASH_FIGURES_END.search(line)))
        or (line.rstrip()[-1:] in "0123456789%" and bool(_GLUED_FIGURES_END.search(line.rstrip())))
    )


_FIGURE_WORD = re.compile(r"[-−]?[\d,]+(?:\.\d+)?%?")
FLAT_TABLE_MIN_FIGURES = 4
_CLAUSE_MARK = re.compile(r"[。;!?]|(?<!\d),|,(?!\d)")


def _is_flat_table(line: str) -> bool:
    """A whole table flattened onto one line ("项目 年初预算 … 基本支出 1,935.42 86.20 …"):
    words split by single spaces, a third of them figures. It ends where its line ends."""
    if _CLAUSE_MARK.search(line):
        return False  # prose with spaced figures ("实际支出 11.66 万元，…")
    words = line.split()
    figures = sum(1 for w in words if _FIGURE_WORD.fullmatch(w))
    return figures >= FLAT_TABLE_MIN_FIGURES and figures * 3 >= len(words)


def _joinable(line: str, following: str) -> bool:
    """A prose line cut by a page break: long, unfinished, and followed by more prose."""
    stripped = line.strip()
    # Cheapest tests first: most long lines are prose that ends its sentence.
    if len(stripped) < BREAK_JOIN_MIN_CHARS or stripped[-1] in _SENTENCE_END:
        return False
    if _is_table_line(line) or _is_table_line(following) or (" " in stripped and _is_flat_table(stripped)):
        return False
    if _TITLE_HINT.search(stripped) and len(stripped) <= 60:
        return False
    if not _PROSE_PUNCT.search(stripped):
        return False  # a long line without a comma or stop is a table row, not a sentence
    nxt = following.strip()
    # A following heading (or nothing) starts a new block.
    return bool(nxt) and not _HEADING_START.match(nxt)


def _usual_gap(filled: list[int]) -> int:
    """The most common number of blank lines before a paragraph of this document, from the
    indices of its non-blank lines (the blank lines at the end precede none)."""
    gaps: dict[int, int] = {}
    previous = -1
    for k in filled:
        run = k - previous - 1
        if run:
            gaps[run] = gaps.get(run, 0) + 1
        previous = k
    return max(gaps, key=lambda g: (gaps[g], -g)) if gaps else 1


def _numbering_style(line: str) -> str | None:
    """'2.' and '1.' share a style, as do '(二)' and '(一)': digits and numerals folded."""
    match = _HEADING_START.match(line)
    if not match:
        return None
    return re.sub(r"[一二三四五六七八九十]+", "一", re.sub(r"\d+", "0", match.group(0).strip()))


def _cut_short_line(line: str, following: str, gap: int, usual_gap: int, out: list[str]) -> bool:
    """A short line cut off by a page break ("2.非物质文化遗产保护传承专" / "项经费年初预算…").

    Short lines are mostly headings, so this needs more evidence than a long line: a wider
    gap than between the document's paragraphs, prose after it, and, for a numbered line,
    a previous item of the same numbering that was a whole paragraph (not a heading).
    """
    if gap <= usual_gap:
        return False  # the usual case, tested before any work
    stripped = line.strip()
    if not stripped or stripped[-1] in _SENTENCE_END or _is_table_line(line):
        return False
    nxt = following.strip()
    if _HEADING_START.match(nxt) or _is_table_line(following) or not _PROSE_PUNCT.search(nxt):
        return False
    if _TITLE_HINT.search(stripped) or NOT_A_TITLE.search(stripped):
        return False
    style = _numbering_style(stripped)
    if style is None:
        return False
    sibling = next((ln.strip() for ln in reversed(out) if _numbering_style(ln.strip()) == style), None)
    return sibling is not None and len(sibling) >= BREAK_JOIN_MIN_CHARS and sibling[-1] in _SENTENCE_END


def _running_header_next_to(
    lines: list[str], page: int, step: int, first_seen: dict[str, int], top: set[str]
) -> int | None:
    """The index of a running header or footer beside the page-number line lines[page] (past
    blank lines, `step` −1 above, +1 below): a line repeating one of the document's first
    lines (its title, its department), or None."""
    k = page + step
    while 0 <= k < len(lines) and not lines[k].strip():
        k += step
    if not 0 <= k < len(lines):
        return None
    text = lines[k].strip()
    return k if text in top and first_seen[text] < k else None


def _is_page_number_line(line: str) -> bool:
    """_PAGE_NUMBER_LINE.match(line), with a cheap test first: each of its forms ends (before
    trailing blanks) in a dash, 页, or a digit with a "/" before it (3 / 12), which rules out
    most lines (table rows end in digits, but rarely hold a slash); the pattern's optional
    header part otherwise tries many lengths on every line."""
    last = line.rstrip(" \t")[-1:]
    if not last or not (last in "-—–页" or (last.isdecimal() and "/" in line)):
        return False
    return _PAGE_NUMBER_LINE.match(line) is not None


def without_page_furniture(lines: list[str]) -> list[str]:
    """The lines minus page numbers ("- 4 -", "第 2 页") and the running header or footer
    printed beside them ("唐山市商务局2021年度部门整体支出绩效自评报告" repeated on every
    page), which would otherwise split a sentence or a table in two."""
    pages = [k for k, ln in enumerate(lines) if ln and _is_page_number_line(ln)]
    if not pages:
        return lines
    drop = set(pages)
    first_seen: dict[str, int] = {}
    for k, line in enumerate(lines):
        first_seen.setdefault(line.strip(), k)
    top = {ln.strip() for ln in lines[: pages[0]] if ln.strip()}
    top = {
        t
        for t in sorted(top, key=first_seen.__getitem__)[:RUNNING_HEADER_TOP_LINES]
        if len(t) >= RUNNING_HEADER_MIN_CHARS
    }
    for page in pages:
        for step in (-1, 1):
            header = _running_header_next_to(lines, page, step, first_seen, top)
            if header is not None:
                drop.add(header)
    return [ln for k, ln in enumerate(lines) if k not in drop]


def repair_page_breaks(text: str) -> str:
    """Drop page furniture and rejoin prose sentences split across page breaks."""
    lines = without_page_furniture(text.split("\n"))
    # Blank lines join nothing (both tests need text): only non-blank lines and the next
    # non-blank line after each are tested, blank lines are copied between them. A joined
    # line stays non-blank, so the indices hold throughout.
    filled = [k for k, line in enumerate(lines) if line.strip()]
    usual_gap = _usual_gap(filled)
    out: list[str] = []
    copied = 0  # lines[copied:i] are the blank lines before line i, still to copy
    following = [*filled[1:], len(lines)] if filled else []  # the next non-blank line, or the end
    for i, j in zip(filled, following, strict=True):
        out.extend(lines[copied:i])
        line = lines[i]
        # Each test is called only when its first condition can hold (a long line; a gap wider
        # than usual): most lines are neither, and the calls cost more than the tests.
        if (
            j < len(lines)
            and j - i <= 4
            and (
                (len(line) >= BREAK_JOIN_MIN_CHARS and _joinable(line, lines[j]))
                or (j - i - 1 > usual_gap and _cut_short_line(line, lines[j], j - i - 1, usual_gap, out))
            )
        ):
            # Join without a space: Chinese has none, and "指标结 / 余" must become 指标结余.
            lines[j] = line.rstrip() + lines[j].lstrip()
            copied = j  # the blank lines between go with the join
            continue
        out.append(line)
        copied = i + 1
    out.extend(lines[copied:])
    return "\n".join(out)


def strip_page_furniture(text: str) -> str:
    """Cut portal furniture (menus, download buttons) that precedes the report title."""
    lines = text.split("\n", 60)  # the title is looked for in the first 60 lines; the rest stays whole
    for idx, line in enumerate(lines[:60]):
        if _TITLE_HINT.search(line) and len(line.strip()) <= 80 and not NOT_A_TITLE.search(line):
            before = [ln for ln in lines[:idx] if ln.strip()]
            if (
                before
                and all(len(ln.strip()) <= 60 for ln in before)
                and any(_FURNITURE_HINT.search(ln) for ln in before)
            ):
                return "\n".join(lines[idx:])
            return text
    return text


def _strip_line_ends(text: str) -> str:
    r"""Spaces, form feeds and vertical tabs at the end of every line removed, the last line
    included: normalize_text ends the text with a line break, so the last line must lose
    them too, or normalising the result again would change it (not a fixed point).

    The same as re.sub(r"[ \f\v]+(?=\n|$)", "", text), without a regex that tries a match
    at every space of the text. Most texts have nothing to remove (no space before a line
    break or at the end, no form feed or vertical tab): four substring tests tell.
    """
    if " \n" not in text and not text.endswith(" ") and "\f" not in text and "\v" not in text:
        return text
    return "\n".join([line.rstrip(" \f\v") for line in text.split("\n")])


def normalize_text(raw: str) -> str:
    """The canonical text of a report: folded, furniture cut, page breaks repaired."""
    text = fold_characters(raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = strip_page_furniture(text)
    text = _strip_line_ends(repair_page_breaks(text))
    return text.strip("\n") + "\n" if text.strip() else ""
