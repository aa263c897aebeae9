"""Workbook builders for the import tests: every file is made in code.

No database: ID numbers are computed here and townships are plain tuples.
"""

from __future__ import annotations

import datetime
import io
import itertools
import zipfile
from collections.abc import Iterable, Sequence

import openpyxl

from households import idnumbers

# The county's 18 townships (policy-rules.md, Reference facts) as
# (id, name, aliases) tuples, the shape TownshipMatcher accepts.
TOWNSHIPS = [
    (order, name, aliases)
    for order, (name, aliases) in enumerate(
        [
            ("博济桥街道", ()),
            ("侨润街道", ()),
            ("狮子楼街道", ()),
            ("阎楼镇", ("闫楼镇",)),
            ("阿城镇", ()),
            ("七级镇", ()),
            ("安乐镇", ()),
            ("定水镇", ()),
            ("石佛镇", ()),
            ("李台镇", ()),
            ("寿张镇", ()),
            ("十五里园镇", ()),
            ("张秋镇", ()),
            ("郭店屯镇", ("郭屯镇",)),
            ("西湖镇", ()),
            ("高庙王镇", ()),
            ("金斗营镇", ()),
            ("大布乡", ()),
        ],
        start=1,
    )
]
QIJI = TOWNSHIPS[5]
ACHENG = TOWNSHIPS[4]

HEADER = [
    "序号",
    "乡镇（街道）",
    "村（居）",
    "户编号",
    "姓名",
    "证件号码",
    "与户主关系",
    "性别",
    "出生日期",
    "贫困户属性",
    "脱贫状态",
    "健康状况",
    "残疾类别",
    "残疾等级",
    "劳动能力",
    "生活自理能力",
    "就业状况",
    "家庭年人均纯收入",
    "联系电话",
    "备注",
]

_sequence = itertools.count(1)


def make_id(
    birth: datetime.date = datetime.date(1960, 5, 1),
    *,
    male: bool = True,
    area: str = idnumbers.COUNTY_CODE,
) -> str:
    """A valid 18-character ID number, different on every call."""
    order = (next(_sequence) * 2 + (1 if male else 0)) % 1000
    first17 = f"{area}{birth:%Y%m%d}{order:03d}"
    return first17 + idnumbers.check_char(first17)


def person(
    household_no: str = "QJ0001",
    relation: str = "户主",
    *,
    name: str | None = None,
    id_number: object = None,
    birth: datetime.date = datetime.date(1960, 5, 1),
    male: bool = True,
    township: object = "七级镇",
    village: object = "示例村",
    **columns: object,
) -> dict[str, object]:
    """One roster row as a header → value dict (unlisted columns blank)."""
    row: dict[str, object] = {
        "乡镇（街道）": township,
        "村（居）": village,
        "户编号": household_no,
        "姓名": name or f"张{next(_sequence)}",
        "证件号码": id_number if id_number is not None else make_id(birth, male=male),
        "与户主关系": relation,
        "性别": "男" if male else "女",
        "出生日期": birth,
        "贫困户属性": "一般贫困户",
        "脱贫状态": "未脱贫",
        "健康状况": "健康",
        "劳动能力": "普通劳动力",
        "生活自理能力": "全自理",
        "就业状况": "务农",
        "家庭年人均纯收入": 4200,
    }
    row.update(columns)
    return row


def family(household_no: str, size: int = 3, **common: object) -> list[dict]:
    """A head and ``size - 1`` members sharing ``common`` columns."""
    relations = ["户主", "配偶", "之子", "之女", "之父", "之母"]
    return [
        person(household_no, relations[i], male=i != 1, **common) for i in range(size)
    ]


def rows_for(people: Iterable[dict], header: Sequence[str] = HEADER) -> list[list]:
    """Header-ordered value lists for ``people`` (序号 numbered)."""
    out = []
    for number, data in enumerate(people, start=1):
        out.append(
            [number if h == "序号" else data.get(h) for h in header]
            if "序号" in header
            else [data.get(h) for h in header]
        )
    return out


def workbook_bytes(
    sheets: dict[str, list[list]] | list[list],
    *,
    merges: dict[str, list[str]] | None = None,
    hidden: Iterable[str] = (),
    text_columns: dict[str, Iterable[int]] | None = None,
    setup=None,
) -> bytes:
    """Save a workbook whose sheets hold the given rows (row 1 first).

    ``merges`` lists ranges per sheet ("C3:C5"); ``text_columns`` gives
    1-based columns whose string cells are stored with the text format;
    ``setup(workbook)`` may change anything else before saving.
    """
    if isinstance(sheets, list):
        sheets = {"花名册": sheets}
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for values in rows:
            sheet.append(list(values))
        for cell_range in (merges or {}).get(title, []):
            sheet.merge_cells(cell_range)
        for column in (text_columns or {}).get(title, []):
            for (cell,) in sheet.iter_rows(min_col=column, max_col=column):
                cell.number_format = "@"
        if title in set(hidden):
            sheet.sheet_state = "hidden"
    if setup is not None:
        setup(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def roster_bytes(
    people: Iterable[dict],
    *,
    header: Sequence[str] = HEADER,
    title: str | None = "阳谷县七级镇示例村建档立卡贫困户花名册",
    footer: bool = True,
    **options,
) -> bytes:
    """A one-sheet roster laid out as villages send it: title, header, footer."""
    rows: list[list] = []
    if title:
        rows.append([title])
    rows.append(list(header))
    rows.extend(rows_for(people, header))
    if footer:
        rows.append([])
        rows.append(
            ["填表人：王五", None, None, "审核人：", None, "填报日期：2020年3月"]
        )
    return workbook_bytes(rows, **options)


def zip_bytes(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive of the given members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def replace_member(data: bytes, name: str, content: bytes) -> bytes:
    """A copy of the .xlsx ``data`` with one member's content replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return zip_bytes(
        {
            info.filename: content if info.filename == name else source.read(info)
            for info in source.infolist()
        }
    )


def sheet_xml(body: str, *, prefix: str = "") -> bytes:
    """Worksheet XML around a ``sheetData`` body (optionally prefixed)."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f"xmlns{':' + prefix if prefix else ''}"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<{p}worksheet {xmlns}="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><{p}sheetData>{body}</{p}sheetData>'
        f"</{p}worksheet>"
    ).encode()
