"""Benefit roster workbooks (救助/补贴名册) built in code for the tests.

The layout is the shared household-roster helpers' (title row, header,
data, footer); only the columns differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tests.households.imports.helpers import make_id, rows_for, workbook_bytes

__all__ = ["HEADER", "benefit_row", "benefits_bytes", "make_id"]

HEADER = [
    "序号",
    "姓名",
    "身份证号码",
    "救助类别",
    "保障方式",
    "开始日期",
    "结束日期",
    "停保原因",
    "月标准",
    "状态",
]


def benefit_row(
    name: str, id_number: object, benefit: str = "低保", **columns: object
) -> dict[str, object]:
    """One roster row as a header → value dict (unlisted columns blank)."""
    return {"姓名": name, "身份证号码": id_number, "救助类别": benefit, **columns}


def benefits_bytes(
    rows: Iterable[dict],
    *,
    header: Sequence[str] = HEADER,
    title: str | None = "阳谷县救助对象名册",
    footer: bool = True,
    **options,
) -> bytes:
    """A one-sheet benefit roster: title, header, data rows, footer."""
    lines: list[list] = []
    if title:
        lines.append([title])
    lines.append(list(header))
    lines.extend(rows_for(rows, header))
    if footer:
        lines.append([])
        lines.append(["填表人：王五", None, "审核人：", None, "填报日期：2020年4月"])
    return workbook_bytes(lines, **options)
