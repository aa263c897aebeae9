"""Header normalisation and detection (roster-format.md §1 "Finding the header")."""

import pytest

from households.imports.headers import (
    Column,
    ColumnTable,
    find_header,
    is_id_like,
    normalize,
)
from households.imports.roster import HOUSEHOLD_COLUMNS
from households.imports.workbook import Row


def rows(*lines: list) -> list[Row]:
    return [Row(number=n, values=list(v)) for n, v in enumerate(lines, start=1)]


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("证件号码", "证件号码"),
        (" 证件 号码 ", "证件号码"),
        ("证件\n号码", "证件号码"),
        ("证件\r\n号码", "证件号码"),
        ("证件\u3000号码", "证件号码"),  # full-width space
        ("证件\u00a0号码", "证件号码"),  # no-break space
        ("证件\u200b号码", "证件号码"),  # zero-width space
        ("证件号码（必填）", "证件号码"),
        ("证件号码(必填)", "证件号码"),
        ("证件号码*", "证件号码"),
        ("证件号码＊", "证件号码"),  # full-width asterisk, NFKC
        ("*证件号码", "*证件号码"),  # only a trailing mark is dropped
        ("证件号码必填", "证件号码"),
        ("证件号码（必填）*", "证件号码"),
        ("人均纯收入（元）", "人均纯收入元"),
        ("乡镇（街道）", "乡镇街道"),
        ("ＡＢＣ１２３", "ABC123"),  # full-width letters and digits, NFKC
        ("已脱贫（享受政策）", "已脱贫享受政策"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize(typed, normal):
    assert normalize(typed) == normal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("371521195001010013", True),
        ("37152119500101001X", True),
        ("37152119500101001x", True),
        ("371521500101001", True),  # 15 digits
        ("'371521195001010013", True),
        ("3.71521E+17", True),
        (3.71521e17, True),
        (371521500101001, True),
        ("13800000000", False),  # a phone number
        ("填表人：王五", False),
        (4200.0, False),
        (True, False),
        (None, False),
    ],
)
def test_is_id_like(value, expected):
    assert is_id_like(value) is expected


def test_a_synonym_may_not_name_two_fields():
    with pytest.raises(ValueError, match="two fields"):
        ColumnTable((Column("a", ("甲",)), Column("b", ("甲（）",))))


def test_the_header_row_needs_the_name_and_id_columns():
    found = find_header(
        rows(["花名册"], ["姓名", "性别"], ["姓名", "身份证号"]), HOUSEHOLD_COLUMNS
    )
    assert found.rows == (3,)
    assert found.columns["name"] == (0, "姓名")
    assert found.columns["id_number"] == (1, "身份证号")


def test_the_header_is_searched_in_the_first_20_rows_only():
    title = [["说明"]] * 19
    assert find_header(rows(*title, ["姓名", "证件号码"]), HOUSEHOLD_COLUMNS).rows == (
        20,
    )
    assert (
        find_header(rows(*title, [], ["姓名", "证件号码"]), HOUSEHOLD_COLUMNS) is None
    )


def test_header_text_is_matched_after_normalisation_and_kept_as_typed():
    found = find_header(
        rows([" 姓 名* ", "证件\n号码（必填）", "户 编 号"]), HOUSEHOLD_COLUMNS
    )
    assert found.text("name") == "姓 名*"
    assert found.text("id_number") == "证件\n号码（必填）"
    assert found.columns["household_no"][0] == 2


def test_every_synonym_of_the_table_is_recognised():
    for column in HOUSEHOLD_COLUMNS.columns:
        for synonym in column.synonyms:
            assert HOUSEHOLD_COLUMNS.field_for(synonym) == column.field


def test_a_group_title_row_above_makes_a_two_row_header():
    found = find_header(
        rows(
            ["姓名", "证件号码", "残疾情况", None, "备注"],
            [None, None, "残疾类别", "残疾等级", None],
            ["张三", "371521195001010013", "肢体", "二级", None],
        ),
        HOUSEHOLD_COLUMNS,
    )
    assert found.rows == (1, 2)
    assert found.columns["name"] == (0, "姓名")
    assert found.columns["disability_category"] == (2, "残疾类别")
    assert found.columns["disability_grade"] == (3, "残疾等级")
    assert found.columns["note"] == (4, "备注")


def test_the_row_below_with_an_id_number_is_data_not_header():
    found = find_header(
        rows(["姓名", "证件号码", "备注"], ["备注", "371521195001010013", None]),
        HOUSEHOLD_COLUMNS,
    )
    assert found.rows == (1,)


def test_the_row_below_without_known_headers_is_not_header():
    found = find_header(rows(["姓名", "证件号码"], ["小计", None]), HOUSEHOLD_COLUMNS)
    assert found.rows == (1,)


def test_the_leftmost_of_two_columns_for_one_field_wins():
    found = find_header(
        rows(["姓名", "身份证号码", "证件号码", "联系电话", "联系电话"]),
        HOUSEHOLD_COLUMNS,
    )
    assert found.columns["id_number"] == (1, "身份证号码")
    assert found.columns["phone"] == (3, "联系电话")


def test_unknown_columns_are_ignored():
    found = find_header(rows(["序号", "姓名", "证件号码", "微信号"]), HOUSEHOLD_COLUMNS)
    assert set(found.columns) == {"name", "id_number"}


def test_no_header_in_an_empty_sheet():
    assert find_header([], HOUSEHOLD_COLUMNS) is None
    assert find_header(rows([None, None]), HOUSEHOLD_COLUMNS) is None
