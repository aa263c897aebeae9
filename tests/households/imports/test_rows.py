"""Which rows are data, which sheets are read (roster-format.md §1)."""

import datetime

import pytest

from households.imports.roster import HOUSEHOLD_COLUMNS
from households.imports.rows import Issues, RowIssue, RowKind, classify, read_tables
from households.imports.workbook import FileUnreadable, Row, open_workbook

from .helpers import HEADER, family, rows_for, workbook_bytes


def read(data: bytes, **options):
    issues = Issues()
    tables = read_tables(
        open_workbook(data, **options), table=HOUSEHOLD_COLUMNS, issues=issues
    )
    return tables, issues


def numbers(tables) -> list[int]:
    return [row.number for table in tables for row in table.rows]


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        ([None, None], RowKind.BLANK),
        ([" ", "\u3000", "\n"], RowKind.BLANK),
        (["填表人：王五", None, "审核人："], RowKind.FOOTER),
        ([None, "  审核人：李四"], RowKind.FOOTER),
        (["制表人"], RowKind.FOOTER),
        (["负责人：赵六"], RowKind.FOOTER),
        (["填报日期：2020年3月1日"], RowKind.FOOTER),
        (["填表日期"], RowKind.FOOTER),
        (["合计", None, 12], RowKind.FOOTER),
        (["小计：3户"], RowKind.FOOTER),
        (["合计", "371521195001010013"], RowKind.DATA),  # has an ID-like value
        (["填表人", 3.71521e17], RowKind.DATA),
        (["张三", "371521195001010013"], RowKind.DATA),
        ([1, None], RowKind.DATA),
    ],
)
def test_classify(values, kind):
    assert classify(Row(number=5, values=values)) is kind


def test_a_merged_value_does_not_make_a_row_data():
    row = Row(number=5, values=["东街村", None], merged=frozenset({0}))
    assert classify(row) is RowKind.BLANK


def test_blank_rows_anywhere_are_skipped_and_data_continues_after_them():
    people = rows_for(family("QJ01", 2) + family("QJ02", 2))
    data = workbook_bytes(
        [["标题"], HEADER, people[0], [], [None, " "], people[1], [], [], *people[2:]]
    )
    tables, issues = read(data)
    assert numbers(tables) == [3, 6, 9, 10]
    assert not issues.errors and not issues.warnings


def test_footer_rows_are_skipped_and_rows_after_them_still_read():
    people = rows_for(family("QJ01", 3))
    data = workbook_bytes(
        [
            HEADER,
            people[0],
            ["小计", None, None, 1],
            people[1],
            ["填表人：王五"],
            people[2],
        ]
    )
    tables, _ = read(data)
    assert numbers(tables) == [2, 4, 6]


def test_data_rows_carry_their_cells_by_field():
    people = rows_for(family("QJ01", 1))
    tables, _ = read(workbook_bytes([HEADER, people[0]]))
    row = tables[0].rows[0]
    assert row.sheet == "花名册" and row.number == 2
    assert row.cells["household_no"] == "QJ01"
    assert row.cells["birth_date"] == datetime.date(1960, 5, 1)
    assert row.column("id_number") == "证件号码"
    assert "序号" not in row.cells


def test_a_vertically_merged_household_number_reaches_every_member():
    people = rows_for(family("QJ01", 3))
    for later in people[1:]:
        later[HEADER.index("户编号")] = None
        later[HEADER.index("村（居）")] = None
    data = workbook_bytes([HEADER, *people], merges={"花名册": ["D2:D4", "C2:C4"]})
    tables, _ = read(data)
    assert [r.cells["household_no"] for r in tables[0].rows] == ["QJ01"] * 3
    assert [r.cells["village"] for r in tables[0].rows] == ["示例村"] * 3


def test_hidden_sheets_and_the_instructions_sheet_are_skipped_silently():
    people = rows_for(family("QJ01", 1))
    data = workbook_bytes(
        {
            "填写说明": [["姓名", "证件号码"], ["张三", "371521195001010013"]],
            "花名册": [HEADER, people[0]],
            "旧数据": [HEADER, people[0]],
        },
        hidden=["旧数据"],
    )
    tables, issues = read(data)
    assert [t.sheet for t in tables] == ["花名册"]
    assert not issues.errors and not issues.warnings


def test_a_sheet_without_a_header_row_is_skipped_with_a_warning():
    people = rows_for(family("QJ01", 1))
    data = workbook_bytes(
        {"花名册": [HEADER, people[0]], "统计": [["户数", 12]], "Sheet3": []}
    )
    tables, issues = read(data)
    assert [t.sheet for t in tables] == ["花名册"]
    assert [(w.code, w.sheet) for w in issues.warnings] == [("sheet_skipped", "统计")]
    assert "统计" in issues.warnings[0].message
    assert not issues.errors


def test_rows_are_read_from_every_sheet_with_a_header():
    people = rows_for(family("QJ01", 2))
    data = workbook_bytes(
        {"一组": [HEADER, people[0]], "二组": [["标题"], HEADER, people[1]]}
    )
    tables, _ = read(data)
    assert [(t.sheet, [r.number for r in t.rows]) for t in tables] == [
        ("一组", [2]),
        ("二组", [3]),
    ]


def test_an_empty_workbook_has_no_header_row():
    tables, issues = read(workbook_bytes({"Sheet1": []}))
    assert tables == []
    assert [e.code for e in issues.errors] == ["no_header_row"]
    assert issues.errors[0].row is None and issues.has_file_error
    assert not issues.warnings


def test_a_workbook_of_only_skipped_sheets_has_no_header_row():
    tables, issues = read(workbook_bytes({"说明": [["请填写"]]}))
    assert [e.code for e in issues.errors] == ["no_header_row"]
    assert [w.code for w in issues.warnings] == ["sheet_skipped"]


def test_a_missing_required_column_is_reported_per_sheet():
    header = [h for h in HEADER if h not in ("与户主关系", "户编号")]
    tables, issues = read(workbook_bytes([header, ["x"] * len(header)]))
    assert tables == []
    assert [(e.code, e.column, e.sheet, e.row) for e in issues.errors] == [
        ("missing_column", "户编号", "花名册", None),
        ("missing_column", "与户主关系", "花名册", None),
    ]
    assert issues.has_file_error


def test_a_required_column_can_be_made_optional():
    header = [h for h in HEADER if h != "乡镇（街道）"]
    issues = Issues()
    book = open_workbook(workbook_bytes([header]))
    read_tables(
        book, table=HOUSEHOLD_COLUMNS, issues=issues, optional=frozenset({"township"})
    )
    assert not issues.errors


def test_more_data_rows_than_max_rows_make_the_file_unreadable():
    people = rows_for(family("QJ01", 4))
    data = workbook_bytes([["标题"], HEADER, *people, [], ["填表人"]])
    tables, _ = read(data, max_rows=4)
    assert numbers(tables) == [3, 4, 5, 6]
    with pytest.raises(FileUnreadable) as caught:
        read(data, max_rows=3)
    assert caught.value.reason == "too_many_rows"
    assert "3" in caught.value.message


def test_a_row_issue_has_the_json_shape_of_the_contract():
    issue = RowIssue("花名册", 7, "证件号码", "id_invalid_checksum", "请核对")
    assert issue.as_dict() == {
        "sheet": "花名册",
        "row": 7,
        "column": "证件号码",
        "code": "id_invalid_checksum",
        "message": "请核对",
    }
