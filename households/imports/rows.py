"""Which rows are data, and the issue records every import reports.

Every sheet is read: a hidden sheet or one named 填写说明 is skipped
silently; another sheet without a header row gives ``sheet_skipped``.  Below
the header each row is classified to the sheet's last row: blank rows are
skipped wherever they stand, footer rows (填表人：… with no ID-like value)
are skipped, every other row is data.  Row numbers are those Excel shows.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field

from .headers import (
    HEADER_SEARCH_ROWS,
    ColumnTable,
    HeaderMap,
    find_header,
    is_id_like,
    normalize,
)
from .workbook import CellValue, FileUnreadable, Row, Sheet, Workbook, is_blank

INSTRUCTIONS_SHEET = "填写说明"
FOOTER_PREFIXES = (
    "填表人",
    "审核人",
    "制表人",
    "负责人",
    "填报日期",
    "填表日期",
    "合计",
    "小计",
)

# Issue codes of roster-format.md §4 that can concern the whole file (an
# error of one of these codes with no row stops every mode: exit status 1).
NO_HEADER_ROW = "no_header_row"
MISSING_COLUMN = "missing_column"
SHEET_SKIPPED = "sheet_skipped"
FILE_UNREADABLE = "file_unreadable"
UNKNOWN_TOWNSHIP = "unknown_township"
FILE_LEVEL_CODES = frozenset(
    {FILE_UNREADABLE, NO_HEADER_ROW, MISSING_COLUMN, UNKNOWN_TOWNSHIP}
)


@dataclass(frozen=True, slots=True)
class RowIssue:
    """One error or warning: where (sheet, Excel row, header text), what, why.

    ``sheet``, ``row`` and ``column`` are None where they do not apply;
    ``column`` is the header text as it stands in the file; ``message`` is
    Chinese and says what to do.
    """

    sheet: str | None
    row: int | None
    column: str | None
    code: str
    message: str

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of roster-format.md §4."""
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message,
        }


@dataclass
class Issues:
    """The errors and warnings collected while reading one file."""

    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)

    def error(
        self,
        code: str,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> RowIssue:
        issue = RowIssue(sheet, row, column, code, message)
        self.errors.append(issue)
        return issue

    def warn(
        self,
        code: str,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> RowIssue:
        issue = RowIssue(sheet, row, column, code, message)
        self.warnings.append(issue)
        return issue

    @property
    def has_file_error(self) -> bool:
        """An error that stops the whole file (exit status 1 in every mode)."""
        return any(e.code in FILE_LEVEL_CODES and e.row is None for e in self.errors)


class RowKind(enum.Enum):
    BLANK = "blank"
    FOOTER = "footer"
    DATA = "data"


def classify(row: Row) -> RowKind:
    """Blank, footer or data (§1 "Which rows are data")."""
    first = next((v for v in row.own_values() if not is_blank(v)), None)
    if first is None:
        return RowKind.BLANK
    if (
        isinstance(first, str)
        and normalize(first).startswith(FOOTER_PREFIXES)
        and not any(is_id_like(value) for value in row.values)
    ):
        return RowKind.FOOTER
    return RowKind.DATA


@dataclass(frozen=True, slots=True)
class DataRow:
    """A data row: its sheet, Excel row number and mapped cells.

    ``cells`` maps each field whose column is present to the raw cell value
    (merged values copied down); ``header`` gives the columns' header text.
    """

    sheet: str
    number: int
    cells: dict[str, CellValue]
    header: HeaderMap

    def column(self, field_name: str) -> str | None:
        """The header text of ``field_name`` as in the file."""
        return self.header.text(field_name)


@dataclass(frozen=True)
class SheetTable:
    """One sheet's header and data rows."""

    sheet: str
    header: HeaderMap
    rows: list[DataRow]


def read_tables(
    workbook: Workbook,
    *,
    table: ColumnTable,
    issues: Issues,
    optional: frozenset[str] = frozenset(),
) -> list[SheetTable]:
    """Every readable sheet's data rows, in workbook order.

    Reports ``sheet_skipped`` (warning), ``missing_column`` per sheet and
    ``no_header_row`` when no sheet has a header (errors).  A sheet with a
    missing column contributes no rows.  ``optional`` names required
    fields the caller does not need this time (the township when it is
    chosen for the whole file).  Raises ``FileUnreadable`` when the file
    holds more than ``workbook.max_rows`` data rows.
    """
    tables: list[SheetTable] = []
    found_header = False
    data_rows = 0
    for sheet in workbook.sheets:
        if sheet.hidden or normalize(sheet.name) == INSTRUCTIONS_SHEET:
            continue
        rows = sheet.rows()
        head = _first_rows(rows)
        header = find_header(head, table)
        if header is None:
            if any(not r.is_blank for r in head) or any(not r.is_blank for r in rows):
                issues.warn(
                    SHEET_SKIPPED,
                    f"工作表“{sheet.name}”的前 {HEADER_SEARCH_ROWS} 行中没有找到"
                    "同时含“姓名”和“身份证号码”的表头行，已跳过该工作表。"
                    "如果其中有要导入的数据，请按模板补上表头后重新上传。",
                    sheet=sheet.name,
                )
            continue
        found_header = True
        if _report_missing(sheet, header, table, issues, optional):
            continue
        data: list[DataRow] = []
        for row in _rows_after(head, rows, header.last_row):
            if classify(row) is not RowKind.DATA:
                continue
            data_rows += 1
            if data_rows > workbook.max_rows:
                raise FileUnreadable("too_many_rows", limit=workbook.max_rows)
            cells = {
                name: (row.values[index] if index < len(row.values) else None)
                for name, (index, _text) in header.columns.items()
            }
            data.append(DataRow(sheet.name, row.number, cells, header))
        tables.append(SheetTable(sheet.name, header, data))
    if not found_header:
        issues.error(
            NO_HEADER_ROW,
            "文件中没有找到表头行：任何一个工作表的前 20 行里都没有同时含"
            "“姓名”和“身份证号码”（或“证件号码”）的一行。"
            "请按模板填写表头后重新上传。",
        )
    return tables


def _first_rows(rows: Iterator[Row]) -> list[Row]:
    """The rows the header search needs (one more for a two-row header)."""
    head: list[Row] = []
    for row in rows:
        head.append(row)
        if row.number > HEADER_SEARCH_ROWS:
            break
    return head


def _rows_after(head: list[Row], rest: Iterator[Row], last: int) -> Iterator[Row]:
    for row in head:
        if row.number > last:
            yield row
    yield from rest


def _report_missing(
    sheet: Sheet,
    header: HeaderMap,
    table: ColumnTable,
    issues: Issues,
    optional: frozenset[str],
) -> bool:
    missing = [
        f for f in table.required_fields(optional=optional) if f not in header.columns
    ]
    for field_name in missing:
        column = table.column(field_name)
        others = "、".join(column.synonyms[1:])
        also = f"（也可写作：{others}）" if others else ""
        issues.error(
            MISSING_COLUMN,
            f"工作表“{sheet.name}”缺少必填列“{column.label}”{also}。"
            "请在表头行中加上这一列并填好后重新上传。",
            sheet=sheet.name,
            column=column.label,
        )
    return bool(missing)
