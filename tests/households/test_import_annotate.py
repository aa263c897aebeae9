"""The error workbook (错误说明): the user's roster with the messages beside each row.

No database: issues come from the pure roster parser.
"""

import io

import openpyxl
import pytest

from households.imports.annotate import (
    COLUMN_TITLE,
    annotate_workbook,
    issue_label,
    notes_by_row,
)
from households.imports.roster import HOUSEHOLD_COLUMNS, parse_roster_file
from households.imports.workbook import FileUnreadable
from tests.households.imports.helpers import (
    HEADER,
    TOWNSHIPS,
    family,
    person,
    roster_bytes,
    rows_for,
    workbook_bytes,
)


def issues(data: bytes) -> tuple[list[dict], list[dict]]:
    plan = parse_roster_file(data, townships=TOWNSHIPS, township="七级镇", name="x")
    return [i.as_dict() for i in plan.errors], [i.as_dict() for i in plan.warnings]


def annotate(data: bytes, **options) -> openpyxl.Workbook:
    errors, warnings = issues(data)
    out = annotate_workbook(
        data, table=HOUSEHOLD_COLUMNS, errors=errors, warnings=warnings, **options
    )
    return openpyxl.load_workbook(io.BytesIO(out))


def notes_column(sheet, header_row: int) -> int:
    titles = [cell.value for cell in sheet[header_row]]
    assert titles.count(COLUMN_TITLE) == 1, titles
    return titles.index(COLUMN_TITLE) + 1


def bad_rows() -> list[dict]:
    return [
        *family("QJ0001", size=2),  # rows 3-4
        person("QJ0002", "户主", id_number="37152119500101001"),  # row 5: error
        person("QJ0003", "户主", 性别="女", 与户主关系="伯父"),  # row 6: both
    ]


@pytest.mark.parametrize("full_max_bytes", [10**9, 0], ids=["in-place", "copy"])
def test_it_writes_the_messages_beside_the_right_rows(full_max_bytes):
    data = roster_bytes(bad_rows())
    sheet = annotate(data, full_max_bytes=full_max_bytes)["花名册"]
    column = notes_column(sheet, 2)
    assert column == len(HEADER) + 1  # at the right of the header
    notes = {row: sheet.cell(row=row, column=column).value for row in range(3, 10)}
    assert notes[3] is None and notes[4] is None
    assert notes[5].startswith("【证件号码】")
    lines = notes[6].split("\n")
    assert lines[0].startswith("【与户主关系】") and "伯父" in lines[0]
    assert lines[-1].startswith("提示：【性别】")  # errors first
    assert any("没有户主" in line for line in lines[:-1])
    assert all(notes[row] is None for row in (7, 8, 9))
    assert sheet.cell(row=8, column=1).value == "填表人：王五"  # the footer kept
    assert sheet["A1"].value.startswith("阳谷县七级镇")


def test_the_cell_at_fault_is_coloured_and_formatting_is_kept():
    data = roster_bytes(bad_rows(), merges={"花名册": ["A1:T1"]})
    sheet = annotate(data)["花名册"]
    id_column = HEADER.index("证件号码") + 1
    assert sheet.cell(row=5, column=id_column).fill.fgColor.rgb.endswith("FFC7CE")
    sex = HEADER.index("性别") + 1
    assert sheet.cell(row=6, column=sex).fill.fgColor.rgb.endswith("FFEB9C")
    relation = HEADER.index("与户主关系") + 1
    assert sheet.cell(row=6, column=relation).fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(row=3, column=id_column).fill.fill_type is None
    assert "A1:T1" in {str(r) for r in sheet.merged_cells.ranges}


def test_merged_cells_and_two_row_headers_are_handled():
    header_top = [
        h if h not in ("残疾类别", "残疾等级") else "残疾情况" for h in HEADER
    ]
    rows = [
        ["花名册"],
        header_top,
        HEADER,
        *rows_for(
            [
                person("QJ0001", "户主"),
                person("QJ0001", "配偶", id_number="12345"),
            ]
        ),
    ]
    data = workbook_bytes(rows, merges={"花名册": ["D4:D5"]})
    for full_max_bytes in (10**9, 0):
        sheet = annotate(data, full_max_bytes=full_max_bytes)["花名册"]
        column = notes_column(sheet, 2)
        assert sheet.cell(row=5, column=column).value.startswith("【证件号码】")
        assert sheet.cell(row=4, column=column).value is None


def test_an_annotated_workbook_is_annotated_again_in_the_same_column():
    data = roster_bytes(bad_rows())
    errors, warnings = issues(data)
    once = annotate_workbook(
        data, table=HOUSEHOLD_COLUMNS, errors=errors, warnings=warnings
    )
    # The user fixes row 5 only; the import ignores the 错误说明 column.
    book = openpyxl.load_workbook(io.BytesIO(once))
    sheet = book["花名册"]
    sheet.cell(row=5, column=HEADER.index("证件号码") + 1).value = person()["证件号码"]
    buffer = io.BytesIO()
    book.save(buffer)
    fixed = buffer.getvalue()
    errors, warnings = issues(fixed)
    assert {e["row"] for e in errors} == {6}
    for full_max_bytes in (10**9, 0):
        again = annotate_workbook(
            fixed,
            table=HOUSEHOLD_COLUMNS,
            errors=errors,
            warnings=warnings,
            full_max_bytes=full_max_bytes,
        )
        sheet = openpyxl.load_workbook(io.BytesIO(again))["花名册"]
        column = notes_column(sheet, 2)
        assert sheet.cell(row=5, column=column).value is None
        assert "伯父" in sheet.cell(row=6, column=column).value


def test_every_sheet_gets_its_own_column_and_hidden_sheets_stay_hidden():
    first = [HEADER, *rows_for([person("QJ0001", "户主", id_number="1")])]
    second = [["x"], HEADER, *rows_for([person("QJ0002", "户主", 与户主关系="伯父")])]
    data = workbook_bytes(
        {"一组": first, "二组": second, "旧表": [["备用"]]}, hidden=["旧表"]
    )
    for full_max_bytes in (10**9, 0):
        book = annotate(data, full_max_bytes=full_max_bytes)
        one, two = book["一组"], book["二组"]
        assert one.cell(row=2, column=notes_column(one, 1)).value.startswith(
            "【证件号码】"
        )
        assert "伯父" in two.cell(row=3, column=notes_column(two, 2)).value
        assert book["旧表"].sheet_state == "hidden"


def test_the_copy_keeps_every_value_and_full_id_numbers():
    people = bad_rows()
    data = roster_bytes(people)
    sheet = annotate(data, full_max_bytes=0)["花名册"]
    id_column = HEADER.index("证件号码") + 1
    assert sheet.cell(row=3, column=id_column).value == people[0]["证件号码"]
    assert sheet.cell(row=3, column=HEADER.index("户编号") + 1).value == "QJ0001"


def test_an_unreadable_file_is_refused_before_openpyxl_sees_it():
    with pytest.raises(FileUnreadable):
        annotate_workbook(b"not a workbook", table=HOUSEHOLD_COLUMNS, errors=[])


def test_file_and_sheet_level_issues_have_no_row_to_stand_beside():
    found = notes_by_row(
        [
            {"sheet": None, "row": None, "column": None, "code": "x", "message": "m"},
            {"sheet": "s", "row": None, "column": "c", "code": "y", "message": "m"},
            {"sheet": "s", "row": 4, "column": "c", "code": "z", "message": "m"},
        ],
        [],
    )
    assert {sheet: dict(rows) for sheet, rows in found.items()}.keys() == {"s"}
    assert list(found["s"]) == [4]


def test_every_issue_code_has_a_chinese_name():
    codes = [
        "file_unreadable",
        "no_header_row",
        "missing_column",
        "required_value_missing",
        "invalid_value",
        "unknown_township",
        "id_invalid_format",
        "id_invalid_checksum",
        "id_invalid_date",
        "id_numeric_precision_lost",
        "id_duplicate_in_file",
        "id_in_other_household",
        "no_head",
        "multiple_heads",
        "name_mismatch",
        "id_upgraded_15",
        "id_area_not_local",
        "sex_mismatch",
        "birth_date_mismatch",
        "sheet_skipped",
    ]
    for code in codes:
        assert issue_label(code) != code
