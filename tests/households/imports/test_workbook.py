"""Opening uploads safely: hostile files, limits, and what the reader keeps."""

import datetime
import io
import struct
import zipfile

import openpyxl
import pytest
import xlsxwriter
from openpyxl.workbook.protection import WorkbookProtection

from households.imports import workbook as wbmod
from households.imports.workbook import FileUnreadable, open_workbook

from .helpers import replace_member, sheet_xml, workbook_bytes, zip_bytes


def reason_of(data, **options) -> str:
    with pytest.raises(FileUnreadable) as caught:
        open_workbook(data, **options)
    error = caught.value
    assert error.code == "file_unreadable"
    assert error.message and "Traceback" not in error.message
    return error.reason


def all_rows(book) -> dict[str, list]:
    return {s.name: [(r.number, r.values) for r in s.rows()] for s in book.sheets}


# Hostile and broken files ---------------------------------------------------


def test_it_refuses_random_bytes():
    assert reason_of(bytes(range(256)) * 40) == "not_xlsx"


def test_it_recognises_a_csv_renamed_to_xlsx():
    data = "姓名,证件号码\n张三,371521195001010013\n".encode()
    assert reason_of(data) == "text"
    assert reason_of(data.decode().encode("gb18030")) == "text"


def test_it_tells_an_old_xls_from_a_password_protected_workbook():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    old_xls = ole + "Workbook".encode("utf-16-le") + b"\0" * 1000
    encrypted = ole + "EncryptedPackage".encode("utf-16-le") + b"\0" * 1000
    assert reason_of(old_xls) == "old_xls"
    assert reason_of(encrypted) == "encrypted"
    assert "密码" in wbmod.MESSAGES["encrypted"]
    assert ".xls" in wbmod.MESSAGES["old_xls"]


def test_it_refuses_an_empty_file():
    assert reason_of(b"") == "empty_file"


def test_it_refuses_a_zip_that_is_not_a_workbook():
    assert reason_of(zip_bytes({"word/document.xml": b"<w/>"})) == "not_workbook_zip"
    assert reason_of(zip_bytes({"xl/workbook.bin": b"\0"})) == "xlsb"
    ods = zip_bytes({"mimetype": b"application/vnd.oasis", "content.xml": b"<x/>"})
    assert reason_of(ods) == "ods"


def test_it_refuses_a_truncated_workbook():
    data = workbook_bytes([["姓名"]])
    assert reason_of(data[: len(data) // 2]) in {"not_xlsx", "damaged"}


def test_it_refuses_a_member_whose_bytes_are_corrupt():
    data = bytearray(workbook_bytes([["姓名", "证件号码"], ["张三", "x"]]))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 5, start + 25):
        data[i] ^= 0xFF
    assert reason_of(bytes(data)) == "damaged"


def test_it_refuses_a_zip_bomb_by_its_compression_ratio():
    bomb = zip_bytes(
        {
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b" " * 50_000_000,
        }
    )
    assert len(bomb) < 200_000
    assert reason_of(bomb) == "zip_bomb"


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """``data`` with ``name``'s uncompressed size patched in both headers."""
    patched = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    struct.pack_into("<I", patched, info.header_offset + 22, size)
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) != -1:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + length] == name.encode():
            struct.pack_into("<I", patched, position + 24, size)
        position += 4
    return bytes(patched)


def test_it_refuses_a_zip_bomb_whose_header_lies_about_its_size():
    data = zip_bytes(
        {"xl/workbook.xml": b"<workbook/>", "xl/big.xml": b"<a/>" * 500_000}
    )
    assert reason_of(declare_size(data, "xl/big.xml", 100)) == "zip_bomb"


def test_it_refuses_too_many_members():
    members = {"xl/workbook.xml": b"<w/>"} | {
        f"xl/m{i}.xml": b"" for i in range(wbmod.MAX_MEMBERS + 1)
    }
    assert reason_of(zip_bytes(members)) == "zip_bomb"


def test_it_refuses_a_file_over_max_bytes():
    data = workbook_bytes([["姓名"]])
    assert reason_of(data, max_bytes=len(data) - 1) == "too_large"
    assert open_workbook(data, max_bytes=len(data)).sheets


def test_it_checks_the_size_of_a_path_and_a_file_object(tmp_path):
    data = workbook_bytes([["姓名"]])
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(data)
    assert reason_of(path, max_bytes=10) == "too_large"
    upload = io.BytesIO(data)
    upload.name = "/uploads/花名册.xlsx"
    assert reason_of(upload, max_bytes=10) == "too_large"
    upload.seek(5)
    assert open_workbook(upload).name == "花名册.xlsx"
    assert open_workbook(path).name == "花名册.xlsx"
    assert reason_of(tmp_path / "missing.xlsx") == "cannot_open"


def test_it_refuses_a_sheet_with_a_stray_cell_far_away():
    """One cell at XFD1048576 would make the parser allocate ~500 GB."""

    def far(book):
        book.active["XFD1048576"] = "x"

    data = workbook_bytes([["姓名", "证件号码"]], setup=far)
    assert reason_of(data) == "sheet_too_large"
    with pytest.raises(FileUnreadable) as caught:
        open_workbook(data)
    message = caught.value.message
    assert "1048576" in message and "XFD" in message and "“花名册”" in message


def test_a_stray_cell_at_the_bottom_costs_nothing():
    """Empty rows are never handed out: a million of them take no time."""

    def far(book):
        book.active["A1048576"] = " "
        book.active["B1048575"] = "备"

    book = open_workbook(workbook_bytes([["姓名", "证件号码"]], setup=far))
    assert [r.number for r in book.sheets[0].rows()] == [1, 1048575]


# What the reader keeps -----------------------------------------------------


def test_it_keeps_numbers_text_and_dates_apart():
    data = workbook_bytes(
        [
            ["证件号码", "金额", "日期", "文本数字", "布尔"],
            [371521195001010013, 4200, datetime.date(1950, 3, 1), "0012", True],
        ]
    )
    (_, values) = all_rows(open_workbook(data))["花名册"][1]
    assert isinstance(values[0], float)
    assert values[1] == 4200
    assert values[2] == datetime.date(1950, 3, 1)
    assert values[3] == "0012"
    assert values[4] is True


def test_it_reads_formulas_as_their_cached_values():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("花名册")
    sheet.write_row(0, 0, ["户编号", "合计"])
    sheet.write_formula(1, 0, '="QJ"&"0001"', None, "QJ0001")
    sheet.write_formula(1, 1, "=1+2", None, 3)
    book.close()
    (_, values) = all_rows(open_workbook(buffer.getvalue()))["花名册"][1]
    assert values == ["QJ0001", 3]


def test_it_copies_a_vertical_merge_to_every_row():
    data = workbook_bytes(
        [
            ["村", "户编号", "姓名"],
            ["东街村", "QJ01", "甲"],
            [None, None, "乙"],
            [None, None, "丙"],
        ],
        merges={"花名册": ["A2:A4", "B2:B3"]},
    )
    rows = list(open_workbook(data).sheets[0].rows())
    assert [r.values for r in rows[1:]] == [
        ["东街村", "QJ01", "甲"],
        ["东街村", "QJ01", "乙"],
        ["东街村", None, "丙"],
    ]
    assert rows[2].merged == {0, 1}
    assert rows[3].merged == {0}


def test_a_row_whose_only_values_come_from_a_merge_is_left_out():
    data = workbook_bytes(
        [["村", "姓名"], ["东街村", "甲"], [None, None], [None, "乙"]],
        merges={"花名册": ["A2:A4"]},
    )
    rows = list(open_workbook(data).sheets[0].rows())
    assert [(r.number, r.values) for r in rows] == [
        (1, ["村", "姓名"]),
        (2, ["东街村", "甲"]),
        (4, ["东街村", "乙"]),
    ]


def test_a_row_of_spaces_and_a_merged_value_is_blank():
    row = wbmod.Row(number=3, values=["东街村", " "], merged=frozenset({0}))
    assert row.is_blank
    assert list(row.own_values()) == [None, " "]


def test_a_horizontal_merge_is_not_copied_across():
    data = workbook_bytes(
        [["标题", None, None], ["a", "b", "c"]], merges={"花名册": ["A1:C1"]}
    )
    rows = list(open_workbook(data).sheets[0].rows())
    assert rows[0].values == ["标题", None, None]


def test_row_numbers_are_those_excel_shows_when_data_starts_lower_and_right():
    def lower(book):
        book.active["C4"] = "姓名"
        book.active["D6"] = "张三"

    book = open_workbook(workbook_bytes([], setup=lower))
    rows = list(book.sheets[0].rows())
    assert [(r.number, r.values) for r in rows] == [
        (4, [None, None, "姓名", None]),
        (6, [None, None, None, "张三"]),
    ]


def test_a_merge_copies_down_when_data_starts_right_of_column_a():
    def lower(book):
        sheet = book.active
        sheet["C2"], sheet["D2"] = "户编号", "姓名"
        sheet["C3"], sheet["D3"], sheet["D4"] = "QJ01", "甲", "乙"
        sheet.merge_cells("C3:C4")

    rows = list(open_workbook(workbook_bytes([], setup=lower)).sheets[0].rows())
    assert [r.values for r in rows][1:] == [
        [None, None, "QJ01", "甲"],
        [None, None, "QJ01", "乙"],
    ]


def test_it_lists_hidden_sheets_as_hidden():
    def very_hidden(book):
        book.create_sheet("很隐藏").sheet_state = "veryHidden"

    data = workbook_bytes(
        {"花名册": [["姓名"]], "隐藏": [["x"]]}, hidden=["隐藏"], setup=very_hidden
    )
    sheets = {s.name: s.hidden for s in open_workbook(data).sheets}
    assert sheets == {"花名册": False, "隐藏": True, "很隐藏": True}


def test_sheet_and_structure_protection_do_not_stop_reading():
    def protect(book):
        sheet = book["花名册"]
        sheet.protection.sheet = True
        sheet.protection.password = "secret"
        book.security = WorkbookProtection(
            workbookPassword="secret", lockStructure=True
        )

    data = workbook_bytes([["姓名", "证件号码"], ["张三", "x"]], setup=protect)
    assert all_rows(open_workbook(data))["花名册"][1][1] == ["张三", "x"]


def test_an_empty_sheet_has_no_rows():
    assert all_rows(open_workbook(workbook_bytes({"空": []}))) == {"空": []}


def test_a_sheet_the_parser_cannot_read_is_unreadable():
    data = workbook_bytes([["姓名"]])
    broken = replace_member(
        data, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row"
    )
    with pytest.raises(FileUnreadable):
        book = open_workbook(broken)
        all_rows(book)


# The extent scan -----------------------------------------------------------


def extent(xml: bytes) -> tuple[int, int]:
    return wbmod._sheet_extent(iter([xml[i : i + 7] for i in range(0, len(xml), 7)]))


def test_the_extent_scan_reads_cell_references():
    xml = sheet_xml('<row r="2"><c r="B2"><v>1</v></c><c r="AB19"><v>2</v></c></row>')
    assert extent(xml) == (19, 28)


def test_the_extent_scan_handles_a_namespace_prefix():
    xml = sheet_xml('<x:row r="3"><x:c r="C7"><x:v>1</x:v></x:c></x:row>', prefix="x")
    assert extent(xml) == (7, 3)


def test_the_extent_scan_bounds_cells_without_a_reference():
    xml = sheet_xml('<row><c t="n"><v>1</v></c><c><v>2</v></c><c s="1" r="D1"/></row>')
    rows, columns = extent(xml)
    assert rows >= 1 and columns >= 4


def test_the_parser_reads_cells_without_references():
    data = workbook_bytes([["x"]])
    body = '<row r="1"><c t="inlineStr"><is><t>姓名</t></is></c><c t="n"><v>5</v></c></row>'
    book = open_workbook(
        replace_member(data, "xl/worksheets/sheet1.xml", sheet_xml(body))
    )
    assert all_rows(book)["花名册"] == [(1, ["姓名", 5.0])]


def test_the_sample_workbook_opens(sample_path):
    book = open_workbook(sample_path)
    assert book.name == "village-roster-example.xlsx"
    assert [s.name for s in book.sheets] == ["花名册"]
    assert openpyxl.load_workbook(sample_path, read_only=True).sheetnames == ["花名册"]
