"""The error workbook: the user's own roster with an added 错误说明 column.

After a preview with errors, the township downloads a copy of the workbook
it uploaded, with a column 错误说明 at the right of each sheet's header
and, beside every row that has an error or a warning, the Chinese messages
of that row (the cell at fault is coloured too).  The user corrects the
file in place and uploads it again: the import ignores the 错误说明 column
(an unknown header), and a second annotation reuses it.

The copy is the user's own data: ID numbers stay in full.  The stored file
is checked by :func:`~.workbook.open_workbook` (size, zip bomb, extent)
before openpyxl sees it.  Up to ``full_max_bytes`` the workbook is loaded
whole and keeps its formatting, merges and column widths; a larger one is
copied cell by cell (values only, bounded memory) so that one huge upload
cannot exhaust a web worker.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import openpyxl
import xlsxwriter
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Font, PatternFill

from .headers import HEADER_SEARCH_ROWS, ColumnTable, HeaderMap, find_header, normalize
from .rows import INSTRUCTIONS_SHEET
from .workbook import DEFAULT_MAX_BYTES, Row, Workbook, open_workbook

COLUMN_TITLE = "错误说明"
# Loading and saving a whole workbook with openpyxl costs about 2 ms per
# row of 20 cells and some 15 kB of memory per row: a township's roster
# (under 1 MB, some 15,000 rows) keeps its formatting; a larger file is
# copied by the streaming path, three to four times faster.
FULL_MAX_BYTES = 1024 * 1024

ERROR, WARNING = "error", "warning"
_ERROR_FILL = "FFC7CE"
_WARNING_FILL = "FFEB9C"
_TITLE_FILL = "C00000"

# The Chinese name of every issue code of roster-format.md §4.
ISSUE_LABELS = {
    "file_unreadable": "文件无法读取",
    "no_header_row": "没有表头行",
    "missing_column": "缺少必填列",
    "required_value_missing": "必填项为空",
    "invalid_value": "填写的值无效",
    "unknown_township": "不是本县的乡镇（街道）",
    "id_invalid_format": "身份证号码格式错误",
    "id_invalid_checksum": "身份证号码校验位错误",
    "id_invalid_date": "身份证号码中的出生日期错误",
    "id_numeric_precision_lost": "身份证号码被存为数字",
    "id_duplicate_in_file": "文件中重复",
    "id_in_other_household": "已登记在其他户",
    "no_head": "没有户主",
    "multiple_heads": "多个户主",
    "name_mismatch": "姓名与系统登记不一致",
    "id_upgraded_15": "15 位号码已升级",
    "id_area_not_local": "非本县身份证号码",
    "sex_mismatch": "性别与身份证号码不一致",
    "birth_date_mismatch": "出生日期与身份证号码不一致",
    "sheet_skipped": "已跳过工作表",
}


def issue_label(code: str) -> str:
    return ISSUE_LABELS.get(code, code)


@dataclass(frozen=True)
class Note:
    """One issue to write beside a row: level, header text and message."""

    level: str
    column: str | None
    code: str
    message: str

    def text(self) -> str:
        where = f"【{self.column}】" if self.column else ""
        prefix = "提示：" if self.level == WARNING else ""
        return f"{prefix}{where}{self.message}"


def notes_by_row(
    errors: Iterable[Mapping], warnings: Iterable[Mapping]
) -> dict[str, dict[int, list[Note]]]:
    """sheet → Excel row → notes (errors first), from §4 issue dicts.

    Issues without a sheet or a row (file- and sheet-level ones) have no
    row to stand beside and are left out.
    """
    found: dict[str, dict[int, list[Note]]] = defaultdict(lambda: defaultdict(list))
    for level, issues in ((ERROR, errors), (WARNING, warnings)):
        for issue in issues:
            sheet, row = issue.get("sheet"), issue.get("row")
            if sheet is None or row is None:
                continue
            found[sheet][int(row)].append(
                Note(level, issue.get("column"), issue["code"], issue["message"])
            )
    return found


def annotate_workbook(
    data: bytes,
    *,
    table: ColumnTable,
    errors: Iterable[Mapping],
    warnings: Iterable[Mapping] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    full_max_bytes: int = FULL_MAX_BYTES,
) -> bytes:
    """The uploaded workbook ``data`` with a 错误说明 column; .xlsx bytes.

    ``table`` is the roster kind's column table (to find each sheet's
    header the way the import did); ``errors`` and ``warnings`` are the
    issue dicts of the import's JSON.  Raises
    :class:`~.workbook.FileUnreadable` for a file the import cannot read.
    """
    book = open_workbook(data, max_bytes=max_bytes)
    notes = notes_by_row(errors, warnings)
    headers = _headers(book, table, wanted=set(notes))
    if len(data) <= full_max_bytes:
        return _annotate_in_place(data, headers, notes)
    return _annotate_copy(book, headers, notes)


def _headers(book: Workbook, table: ColumnTable, wanted: set[str]) -> dict:
    """sheet name → (HeaderMap, header rows), for the sheets with notes."""
    found: dict[str, tuple[HeaderMap, list[Row]]] = {}
    for sheet in book.sheets:
        if sheet.name not in wanted or sheet.hidden:
            continue
        if normalize(sheet.name) == INSTRUCTIONS_SHEET:
            continue
        head: list[Row] = []
        for row in sheet.rows():
            head.append(row)
            if row.number > HEADER_SEARCH_ROWS:
                break
        header = find_header(head, table)
        if header is not None:
            rows = [row for row in head if row.number in header.rows]
            found[sheet.name] = (header, rows)
    return found


def _existing_column(cells: Iterable[tuple[int, object]]) -> int | None:
    """The 1-based column of an earlier 错误说明 header, if any."""
    for column, value in cells:
        if isinstance(value, str) and normalize(value) == COLUMN_TITLE:
            return column
    return None


def _annotate_in_place(data: bytes, headers: dict, notes: dict) -> bytes:
    """Load the workbook whole, add the column, save: formatting is kept."""
    book = openpyxl.load_workbook(io.BytesIO(data), rich_text=True)
    title_font = Font(bold=True, color="FFFFFF")
    title_fill = PatternFill("solid", fgColor=_TITLE_FILL)
    note_font = Font(color="C00000")
    wrap = Alignment(wrap_text=True, vertical="top")
    fills = {
        ERROR: PatternFill("solid", fgColor=_ERROR_FILL),
        WARNING: PatternFill("solid", fgColor=_WARNING_FILL),
    }
    for name, (header, _rows) in headers.items():
        sheet = book[name]
        top, bottom = header.rows[0], header.rows[-1]
        column = _existing_column(
            (cell.column, cell.value)
            for row in sheet.iter_rows(min_row=top, max_row=bottom)
            for cell in row
            if not isinstance(cell, MergedCell)
        )
        if column is None:
            column = sheet.max_column + 1
        else:
            for (cell,) in sheet.iter_rows(
                min_row=bottom + 1, min_col=column, max_col=column
            ):
                if not isinstance(cell, MergedCell):
                    cell.value = None
        if bottom > top:
            _unmerge_at(sheet, top, column)
        title = sheet.cell(row=top, column=column, value=COLUMN_TITLE)
        title.font, title.fill = title_font, title_fill
        title.alignment = Alignment(horizontal="center", vertical="center")
        if bottom > top and not _merged_at(sheet, top, column):
            sheet.merge_cells(
                start_row=top, end_row=bottom, start_column=column, end_column=column
            )
        letter = openpyxl.utils.get_column_letter(column)
        sheet.column_dimensions[letter].width = 60
        positions = {text: index + 1 for index, text in header.columns.values()}
        for number, row_notes in notes[name].items():
            cell = sheet.cell(row=number, column=column)
            cell.value = "\n".join(note.text() for note in row_notes)
            cell.font, cell.alignment = note_font, wrap
            for note in reversed(row_notes):  # an error's colour wins
                at = positions.get(note.column or "")
                if at is None:
                    continue
                target = sheet.cell(row=number, column=at)
                if not isinstance(target, MergedCell):
                    target.fill = fills[note.level]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _merged_at(sheet, row: int, column: int) -> bool:
    return any(
        r.min_row <= row <= r.max_row and r.min_col <= column <= r.max_col
        for r in sheet.merged_cells.ranges
    )


def _unmerge_at(sheet, row: int, column: int) -> None:
    for merged in list(sheet.merged_cells.ranges):
        if merged.min_col == merged.max_col == column and merged.min_row == row:
            sheet.unmerge_cells(str(merged))


def _annotate_copy(book: Workbook, headers: dict, notes: dict) -> bytes:
    """A values-only copy of a large workbook, written row by row.

    Merged values are written on every row of the merge; hidden sheets
    stay hidden (the import skips them).
    """
    out = io.BytesIO()
    writer = xlsxwriter.Workbook(out, {"constant_memory": True})
    title = writer.add_format(
        {"bold": True, "font_color": "#FFFFFF", "bg_color": f"#{_TITLE_FILL}"}
    )
    note_format = writer.add_format(
        {"font_color": "#C00000", "text_wrap": True, "valign": "top"}
    )
    date_format = writer.add_format({"num_format": "yyyy-mm-dd"})
    first_visible = next((s.name for s in book.sheets if not s.hidden), None)
    for sheet in book.sheets:
        target = writer.add_worksheet(sheet.name)
        if sheet.hidden:
            target.hide()
        elif sheet.name == first_visible:
            target.activate()
        header, head = headers.get(sheet.name, (None, []))
        if header is None:
            for row in sheet.rows():
                _write_row(target, row.values, row.number, date_format)
            continue
        existing = _existing_column(
            (index + 1, value) for row in head for index, value in enumerate(row.values)
        )
        column = existing - 1 if existing else max(len(row.values) for row in head)
        target.set_column(column, column, 60)
        sheet_notes = notes.get(sheet.name, {})
        for row in sheet.rows():
            values = list(row.values)
            if existing and column < len(values):
                values[column] = None
            _write_row(target, values, row.number, date_format)
            if row.number == header.rows[0]:
                target.write_string(row.number - 1, column, COLUMN_TITLE, title)
            elif row.number in sheet_notes:
                text = "\n".join(n.text() for n in sheet_notes[row.number])
                target.write_string(row.number - 1, column, text, note_format)
    writer.close()
    return out.getvalue()


def _write_row(target, values: list, number: int, date_format) -> None:
    for index, value in enumerate(values):
        if value is None:
            continue
        if isinstance(value, str):
            target.write_string(number - 1, index, value)
        elif isinstance(value, bool):
            target.write_boolean(number - 1, index, value)
        elif isinstance(value, int | float):
            target.write_number(number - 1, index, value)
        elif isinstance(value, datetime.datetime | datetime.date):
            target.write_datetime(number - 1, index, value, date_format)
        else:
            target.write_string(number - 1, index, str(value))
