"""Property tests for flows.parsing.numbers and the character folding it relies on.

Numbers are written as in the reports: thousands separators, up to six decimals, a sign
that may be U+2212 MINUS SIGN. Amounts convert to 万元 and are kept to the fen (0.01 元 = 1e-6 万元).
"""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal
from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st

from flows.parsing.normalize import fold_characters, match_text
from flows.parsing.numbers import (
    NUMBER_RE,
    parse_cell_number,
    parse_number,
    parse_percent,
    to_wan_yuan,
    unit_in_header,
    unit_in_line,
)

UNITS = ("元", "千元", "万元", "亿元")
# Exact size of one unit in 万元, and the decimals of that unit that are still whole fen.
EXACT_FACTOR = {
    "元": Fraction(1, 10000),
    "千元": Fraction(1, 10),
    "万元": Fraction(1),
    "亿元": Fraction(10000),
}
FEN_DECIMALS = {"元": 2, "千元": 5, "万元": 6, "亿元": 10}
CELL_SUFFIXES = (None, "%", "分", *UNITS)

MINUS = "\u2212"  # U+2212 MINUS SIGN, as Word writes a negative figure
FULLWIDTH_DIGITS = "".join(chr(0xFF10 + d) for d in range(10))  # U+FF10..U+FF19
CIRCLED = "".join(chr(c) for c in range(0x2460, 0x2474))  # ①..⑳
# Characters of the reports that keep their length when folded.
REPORT_ALPHABET = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.sampled_from(CIRCLED + "\n\t\u3000，。、；：“”（）【】—–·"),
)
# Prose around a figure: CJK and punctuation, nothing that could be part of a number.
PROSE = st.text(
    st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.sampled_from("，。、；：（）“”年度预算执行率完成为达到约 abc"),
    ),
    max_size=12,
)


@st.composite
def written_numbers(draw, max_int: int = 10**15, max_decimals: int = 6) -> tuple[str, Decimal]:
    """A number as a report writes it, and its exact value."""
    whole = draw(st.integers(0, max_int))
    places = draw(st.integers(0, max_decimals))
    fraction = draw(st.text("0123456789", min_size=places, max_size=places))
    sign = draw(st.sampled_from(["", "-", MINUS]))
    grouped = draw(st.booleans())
    digits = f"{whole:,}" if grouped else str(whole)
    written = sign + digits + (f".{fraction}" if places else "")
    value = Decimal(("-" if sign else "") + str(whole) + (f".{fraction}" if places else ""))
    return written, value


# parse_number ------------------------------------------------------------------------------


@settings(deadline=None, max_examples=200)
@given(written_numbers(), st.sampled_from(["", " ", "  ", "\t"]), st.sampled_from(["", " ", "\n"]))
@example((MINUS + "1,234.567891", Decimal("-1234.567891")), "", "")
@example(("2,384.29", Decimal("2384.29")), " ", " ")
def test_parse_number_round_trips(number, before, after) -> None:
    written, value = number
    assert NUMBER_RE.fullmatch(written)
    assert parse_number(before + written + after) == float(value)


@settings(deadline=None, max_examples=200)
@given(st.decimals(min_value=-(10**12), max_value=10**12, places=6, allow_nan=False, allow_infinity=False))
def test_parse_number_reads_its_own_formatting(value: Decimal) -> None:
    for text in (f"{value:,.6f}", f"{value:.6f}", f"{value:,.6f}".replace("-", MINUS)):
        assert parse_number(text) == float(value)


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=20))
@example("nan")
@example("-inf")
@example("Infinity")
@example("1e5")
@example("1_000")
@example("1,2,3")
@example("9" * 400)
def test_parse_number_is_finite_and_only_reads_numbers(text: str) -> None:
    """Anything that is not a written number gives None; a number is always finite."""
    value = parse_number(text)
    if value is None:
        return
    assert math.isfinite(value)
    assert NUMBER_RE.fullmatch(text.strip().lstrip("+")), text


def test_parse_number_none_and_garbage() -> None:
    assert parse_number(None) is None
    for text in (
        "",
        " ",
        "abc",
        "万元",
        "1.2.3",
        "--5",
        MINUS * 2 + "5",
        "1,23",
        "12,3456",
        ".5",
        "5.",
        "1 234",
    ):
        assert parse_number(text) is None, text


# to_wan_yuan -------------------------------------------------------------------------------


@st.composite
def fen_amounts(draw) -> tuple[Decimal, str]:
    """An amount in some unit with no more decimals than whole fen."""
    unit = draw(st.sampled_from(UNITS))
    places = draw(st.integers(0, FEN_DECIMALS[unit]))
    amount = draw(st.decimals(min_value=-(10**12), max_value=10**12, places=places))
    return amount, unit


@settings(deadline=None, max_examples=200)
@given(fen_amounts())
@example((Decimal("12345.67"), "元"))
@example((Decimal("0.01"), "元"))
@example((Decimal("1.23456"), "千元"))
@example((Decimal("3.5"), "亿元"))
def test_to_wan_yuan_converts_each_unit(case) -> None:
    amount, unit = case
    exact = float(Fraction(amount) * EXACT_FACTOR[unit])  # 元 / 10000, 千元 / 10, 亿元 * 10000
    got = to_wan_yuan(float(amount), unit)
    assert got is not None
    assert math.isclose(got, exact, rel_tol=1e-9, abs_tol=0.0), (amount, unit, got, exact)


@settings(deadline=None, max_examples=200)
@given(st.floats(min_value=-1e15, max_value=1e15), st.sampled_from(UNITS))
def test_to_wan_yuan_is_exact_to_the_fen(value: float, unit: str) -> None:
    """Any amount, however many decimals, comes out within half a fen of its true value."""
    exact = Fraction(value) * EXACT_FACTOR[unit]
    got = to_wan_yuan(value, unit)
    assert got is not None
    half_fen = Fraction(1, 2 * 10**6)
    assert abs(Fraction(got) - exact) <= half_fen + abs(exact) * Fraction(1, 10**12) + Fraction(1, 10**15)


@settings(deadline=None, max_examples=200)
@given(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from((None, *UNITS)))
@example(1e305, "亿元")
@example(float("nan"), "元")
def test_to_wan_yuan_is_finite_or_none(value: float, unit: str | None) -> None:
    got = to_wan_yuan(value, unit)
    assert got is None or math.isfinite(got)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
@settings(deadline=None, max_examples=100)
def test_to_wan_yuan_defaults_to_wan_yuan(value: float) -> None:
    assert to_wan_yuan(value, None) == to_wan_yuan(value, "万元") == round(value, 6)
    assert to_wan_yuan(None, "元") is None


# parse_cell_number -------------------------------------------------------------------------


@settings(deadline=None, max_examples=200)
@given(
    written_numbers(),
    st.sampled_from(CELL_SUFFIXES),
    st.sampled_from(["", " "]),
    st.sampled_from(["", " ", "\t"]),
)
@example(("1,234.56", Decimal("1234.56")), None, "", "")
@example(("84.57", Decimal("84.57")), "%", "", "")
@example(("10", Decimal("10")), "分", "", "")
@example(("64", Decimal("64")), "万元", "", "")
def test_parse_cell_number_accepts_number_with_suffix(number, suffix, gap, pad) -> None:
    written, value = number
    cell = pad + written + (gap + suffix if suffix else "") + pad
    assert parse_cell_number(cell) == (float(value), suffix)


def test_parse_cell_number_examples() -> None:
    assert parse_cell_number("1,234.56") == (1234.56, None)
    assert parse_cell_number("84.57%") == (84.57, "%")
    assert parse_cell_number("10分") == (10.0, "分")
    assert parse_cell_number("64万元") == (64.0, "万元")
    assert parse_cell_number("") == (None, None)


@settings(deadline=None, max_examples=200)
@given(st.text(st.characters(blacklist_categories=("Nd",)), max_size=20))
@example("项目名称")
@example("≥90%")
@example("——")
def test_parse_cell_number_rejects_text(cell: str) -> None:
    assert parse_cell_number(cell) == (None, None)


@settings(deadline=None, max_examples=200)
@given(written_numbers(), PROSE.filter(lambda s: s.strip() not in {"", "%", "分", *UNITS}))
@example(("12", Decimal("12")), "个")
@example(("90", Decimal("90")), "%以上")
def test_parse_cell_number_rejects_number_followed_by_text(number, tail: str) -> None:
    written, _ = number
    assert parse_cell_number(written + tail) == (None, None)


# parse_percent -----------------------------------------------------------------------------


@settings(deadline=None, max_examples=200)
@given(
    PROSE,
    written_numbers(max_int=10**6, max_decimals=4),
    st.sampled_from(["", " ", "  "]),
    st.text(max_size=12),
)
@example("执行率为", ("104.94", Decimal("104.94")), " ", "")
@example("满意度", ("95", Decimal("95")), "", "，控制率为3.2%")
def test_parse_percent_finds_the_first_percentage(prefix, number, spaces, suffix) -> None:
    written, value = number
    text = prefix + written + spaces + "%" + suffix
    assert parse_percent(text) == float(value)


@settings(deadline=None, max_examples=200)
@given(st.text(st.characters(blacklist_characters="%"), max_size=30))
def test_parse_percent_needs_a_percent_sign(text: str) -> None:
    assert parse_percent(text) is None


def test_parse_percent_examples() -> None:
    assert parse_percent("104.94 %") == 104.94
    assert parse_percent("预算执行率84.57%，满意度100 %") == 84.57
    assert parse_percent("共3项，完成率" + MINUS + "5%") == -5.0


# unit_in_line / unit_in_header ---------------------------------------------------------------


COLONS = st.sampled_from(["：", ":", "", " ：", "： "])
LABELS = st.sampled_from(["年初预算数", "全年预算数", "实际支出", "执行数", "结余", ""])


@settings(deadline=None, max_examples=200)
@given(
    st.sampled_from(["金额单位", "单位"]),
    COLONS,
    st.sampled_from(["", "人民币"]),
    st.sampled_from(UNITS),
    st.sampled_from(["", "　", "  ", "\t"]),
)
@example("金额单位", "：", "", "万元", "")
@example("单位", ":", "", "元", "")
def test_unit_in_line(label, colon, currency, unit, pad) -> None:
    line = fold_characters(pad + label + colon + currency + unit + pad)
    assert unit_in_line(line) == unit
    assert unit_in_header(line) == unit  # a header may carry a whole unit declaration too


@settings(deadline=None, max_examples=200)
@given(
    LABELS,
    st.sampled_from(["（）", "()", "[]", "\uff3b\uff3d"]),  # full-width square brackets too
    st.sampled_from(["", " ", "　"]),
    st.sampled_from(UNITS),
)
@example("年初预算数", "（）", "", "元")
@example("", "()", "", "亿元")
def test_unit_in_header(label, brackets, pad, unit) -> None:
    header = fold_characters(label + brackets[0] + pad + unit + pad + brackets[1])
    assert unit_in_header(header) == unit


def test_unit_examples() -> None:
    assert unit_in_line(fold_characters("金额单位：万元")) == "万元"
    assert unit_in_line(fold_characters("单位:元")) == "元"
    assert unit_in_header(fold_characters("年初预算数（元）")) == "元"
    assert unit_in_header(fold_characters("(亿元)")) == "亿元"
    assert unit_in_line(fold_characters("年初预算数（元）")) is None  # a header is not a unit line
    assert unit_in_line("项目名称") is None
    assert unit_in_header("项目名称") is None


# fold_characters / match_text ----------------------------------------------------------------


@given(st.text(FULLWIDTH_DIGITS + "\uff0e，：％（）－", max_size=30))  # U+FF0E full stop
@settings(deadline=None, max_examples=200)
def test_fold_full_width_digits_and_punctuation(text: str) -> None:
    expected = "".join(chr(ord(c) - 0xFEE0) for c in text)
    assert fold_characters(text) == expected


@given(st.text(st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E), max_size=30))
@settings(deadline=None, max_examples=200)
def test_fold_every_full_width_ascii_form(text: str) -> None:
    assert fold_characters(text) == "".join(chr(ord(c) - 0xFEE0) for c in text)


@given(st.text(CIRCLED + FULLWIDTH_DIGITS + "工发专项", max_size=30))
@settings(deadline=None, max_examples=200)
def test_fold_keeps_circled_numbers(text: str) -> None:
    folded = fold_characters(text)
    assert len(folded) == len(text)
    for original, out in zip(text, folded, strict=True):
        if original in CIRCLED:
            assert out == original  # ① stays ①, never "1" glued to a figure
    assert fold_characters("①工发专项②１０万元") == "①工发专项②10万元"


@given(st.text(REPORT_ALPHABET, max_size=60))
@settings(deadline=None, max_examples=200)
def test_fold_keeps_length_of_report_text(text: str) -> None:
    folded = fold_characters(text)
    assert len(folded) == len(text)
    assert not any(0xFF01 <= ord(c) <= 0xFF5E or c == "\u3000" for c in folded)


@given(st.text(max_size=40), st.text(max_size=40))
@settings(deadline=None, max_examples=200)
@example("1", "\u0301")  # NFKC of the whole string would compose across characters
def test_fold_is_per_character_and_idempotent(a: str, b: str) -> None:
    assert fold_characters(a + b) == fold_characters(a) + fold_characters(b)
    once = fold_characters(a)
    assert fold_characters(once) == once
    assert "\r" not in once and "\ufeff" not in once and "\u200b" not in once


@given(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40))
@settings(deadline=None, max_examples=100)
def test_fold_leaves_ascii_alone(text: str) -> None:
    assert fold_characters(text) == text


@given(st.characters(max_codepoint=0xFFFF, blacklist_categories=("Cs",)))
@settings(deadline=None, max_examples=200)
def test_fold_is_nfkc_outside_protected_characters(char: str) -> None:
    folded = fold_characters(char)
    if char in "\u00a0\u3000\ufeff\u200b\u200c\u200d\u2060\r" or 0x2460 <= ord(char) <= 0x24FF:
        return
    if 0x3251 <= ord(char) <= 0x325F or 0x32B1 <= ord(char) <= 0x32BF or 0x2776 <= ord(char) <= 0x2793:
        assert folded == char
        return
    assert folded == unicodedata.normalize("NFKC", char)


@given(st.text(max_size=60))
@settings(deadline=None, max_examples=200)
@example("預算執行率覆≧═")
def test_match_text_maps_one_for_one(text: str) -> None:
    matched = match_text(text)
    assert len(matched) == len(text)
    assert all(match_text(c) == m for c, m in zip(text, matched, strict=True))


@given(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40))
@settings(deadline=None, max_examples=100)
def test_match_text_leaves_ascii_alone(text: str) -> None:
    assert match_text(text) == text


def test_match_text_examples() -> None:
    assert match_text("預算執行率") == "预算执行率"
    assert match_text("批覆") == "批复"
    assert match_text("≧90%") == "≥90%"
    assert match_text("①项目") == "①项目"
