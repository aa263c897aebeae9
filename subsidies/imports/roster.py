"""The benefit roster (救助/补贴名册, roster-format.md §2): file → rows.

:func:`parse_benefit_roster` is pure: it reads an opened workbook with the
shared machinery of :mod:`households.imports` (header detection, row
classification, value parsers) and validates every data row on its own —
for a benefit roster the row, not the household, is the unit.  Errors are
only for what cannot be read: a blank required cell, an unknown benefit or
status, a bad date or amount, a bad ID number, the same record twice in
the file.  Matching to the registry (``name_mismatch``, people not in the
registry) and writing are :mod:`.roster_import`.
"""

from __future__ import annotations

import datetime
import functools
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from households import idnumbers
from households.imports import values as v
from households.imports.headers import (
    ID_NUMBER_COLUMN,
    NAME_COLUMN,
    Column,
    ColumnTable,
    HeaderMap,
)
from households.imports.rows import (
    FILE_UNREADABLE,
    DataRow,
    Issues,
    RowIssue,
    read_tables,
)
from households.imports.workbook import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    CellValue,
    FileUnreadable,
    Workbook,
    is_blank,
    open_workbook,
    upload_name,
)

REQUIRED_VALUE_MISSING = "required_value_missing"
ID_DUPLICATE_IN_FILE = "id_duplicate_in_file"
ID_UPGRADED_15 = "id_upgraded_15"
ID_AREA_NOT_LOCAL = "id_area_not_local"

DIBAO = "dibao"
TEKUN = "tekun"
TEMPORARY_ASSISTANCE = "temporary_assistance"
ACTIVE = "active"
ENDED = "ended"
# Enrollment.amount and TemporaryGrant.amount: DecimalField(max_digits=10, 2).
MAX_AMOUNT = Decimal("99999999.99")

BENEFIT_COLUMNS = ColumnTable(
    (
        NAME_COLUMN,
        ID_NUMBER_COLUMN,
        Column("benefit", ("救助类别", "补贴类别", "保障类别", "项目"), required=True),
        # One field in §2 (保障方式, 供养方式), kept as two columns so that a
        # file with both gives dibao rows the one and tekun rows the other;
        # a row whose own column is blank falls back to the other.
        Column("scope", ("保障方式",)),
        Column("care_mode", ("供养方式",)),
        Column("start", ("开始日期", "起始年月", "享受日期", "申请日期")),
        Column("end", ("结束日期", "停发年月")),
        Column("end_reason", ("停保原因", "退出原因")),
        Column("amount", ("月标准", "金额（元）", "发放金额")),
        Column("status", ("状态",)),
    )
)

# The Chinese name of each benefit code: the first accepted spelling.
BENEFIT_LABELS = {code: spellings[0] for code, spellings in v.BENEFIT.options}


@dataclass
class BenefitRow:
    """One data row, parsed: who, which benefit, and the record's values.

    ``end_reason`` is the value typed (None when blank; the import decides
    the stored one).  ``mode_given`` tells whether the 保障方式/供养方式 cell
    was filled (a blank one takes the default: 整户, 分散).  For a
    temporary-assistance row (a grant) ``start`` is the grant date and
    ``amount`` the sum paid; status, end and scope are ignored.
    """

    sheet: str
    row: int
    header: HeaderMap | None = field(default=None, repr=False)
    name: str | None = None
    id_number: str | None = None
    benefit: str | None = None
    scope: str = ""
    care_mode: str = ""
    mode_given: bool = False
    start: datetime.date | None = None
    end: datetime.date | None = None
    end_reason: str | None = None
    amount: Decimal | None = None
    status: str = ACTIVE
    errors: list[RowIssue] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def is_grant(self) -> bool:
        return self.benefit == TEMPORARY_ASSISTANCE

    @property
    def benefit_label(self) -> str:
        return BENEFIT_LABELS.get(self.benefit or "", "")

    def column(self, field_name: str) -> str | None:
        """The header text of ``field_name`` in this row's sheet."""
        return self.header.text(field_name) if self.header else None

    def identity(self) -> tuple:
        """The record this row stands for, as far as the file can tell.

        A grant is (person, date, amount); an enrollment is (person,
        benefit, scope or care mode, start), or (person, benefit) for a row
        without a start (it stands for the person's latest enrollment).
        """
        if self.is_grant:
            return ("grant", self.id_number, self.start, self.amount)
        if self.start is None:
            return ("latest", self.id_number, self.benefit)
        mode = self.scope or self.care_mode
        return ("enrollment", self.id_number, self.benefit, mode, self.start)


@dataclass
class BenefitPlan:
    """The parsed file: data rows in file order, errors and warnings."""

    file: str
    rows: list[BenefitRow] = field(default_factory=list)
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)
    file_error: bool = False
    sheets: tuple[str, ...] = ()

    def sort_issues(self, found: list[RowIssue]) -> list[RowIssue]:
        """File-level issues first, then by sheet (workbook order) and row."""
        order = {name: position for position, name in enumerate(self.sheets)}
        return sorted(
            found,
            key=lambda i: (i.row is not None, order.get(i.sheet or "", -1), i.row or 0),
        )


def parse_benefit_roster_file(
    source: str | os.PathLike | bytes | BinaryIO,
    *,
    name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> BenefitPlan:
    """Open ``source`` and parse it; an unreadable file is a plan with one error."""
    try:
        workbook = open_workbook(
            source, name=name, max_bytes=max_bytes, max_rows=max_rows
        )
        return parse_benefit_roster(workbook)
    except FileUnreadable as exc:
        issue = RowIssue(None, None, None, FILE_UNREADABLE, exc.message)
        return BenefitPlan(
            file=name or upload_name(source), errors=[issue], file_error=True
        )


def parse_benefit_roster(workbook: Workbook) -> BenefitPlan:
    """Validate every data row of every sheet.

    Raises ``FileUnreadable`` for too many data rows (``read_tables``).
    """
    issues = Issues()
    tables = read_tables(workbook, table=BENEFIT_COLUMNS, issues=issues)
    plan = BenefitPlan(
        file=workbook.name,
        file_error=issues.has_file_error,
        sheets=tuple(sheet.name for sheet in workbook.sheets),
    )
    if not plan.file_error:
        parser = _RowParser(issues)
        plan.rows = [parser.parse(row) for table in tables for row in table.rows]
    plan.errors = plan.sort_issues(issues.errors)
    plan.warnings = plan.sort_issues(issues.warnings)
    return plan


def parse_amount(value: CellValue) -> Decimal | None:
    """An amount in yuan that fits the enrollment and grant columns."""
    amount = v.parse_amount(value)
    if amount is not None and amount > MAX_AMOUNT:
        raise v.InvalidValue(f"“{v.shown(value)}”数额过大，请核对单位（元）后重新填写")
    return amount


def _by_text(parser: Callable[[CellValue], object]) -> Callable[[CellValue], object]:
    """``parser`` remembering its results for text cells.

    A roster repeats a few dozen dates and amounts over thousands of rows;
    errors are not remembered (each raises again, with its own message).
    """
    remembered = functools.lru_cache(maxsize=4096)(parser)

    def parse(value: CellValue) -> object:
        return remembered(value) if type(value) is str else parser(value)

    return parse


_parse_start = _by_text(v.parse_start_date)
_parse_end = _by_text(v.parse_end_date)
_parse_amount = _by_text(parse_amount)


def same_name(typed: str, stored: str) -> bool:
    """Names compared as people type them: width and spaces do not count."""
    return _name_key(typed) == _name_key(stored)


def _name_key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name or "").split())


_MISSING = object()


class _RowParser:
    """Parses rows one by one; remembers records seen for duplicates."""

    def __init__(self, issues: Issues):
        self.issues = issues
        self.seen: dict[tuple, BenefitRow] = {}

    def parse(self, data: DataRow) -> BenefitRow:
        row = BenefitRow(sheet=data.sheet, row=data.number, header=data.header)
        cells = data.cells

        def error(field_name: str, code: str, message: str) -> None:
            row.errors.append(
                self.issues.error(
                    code,
                    message,
                    sheet=data.sheet,
                    row=data.number,
                    column=data.column(field_name),
                )
            )

        def missing(field_name: str, what: str) -> None:
            label = data.column(field_name) or BENEFIT_COLUMNS.column(field_name).label
            error(
                field_name,
                REQUIRED_VALUE_MISSING,
                f"“{label}”不能为空，请填写{what}后重新导入",
            )

        def value(field_name: str, parser: Callable[[CellValue], object]) -> object:
            """The parsed cell; None when blank, _MISSING after an error."""
            raw = cells.get(field_name)
            if is_blank(raw):
                return None
            try:
                return parser(raw)
            except v.InvalidValue as exc:
                error(field_name, exc.code, exc.message)
                return _MISSING

        name = value("name", v.parse_name)
        if name is None:
            missing("name", "姓名")
        elif name is not _MISSING:
            row.name = name  # type: ignore[assignment]
        row.id_number = self._id_number(data, error, missing)
        benefit = value("benefit", v.parse_benefit)
        if benefit is None:
            missing("benefit", "救助类别（如 低保、特困供养、临时救助）")
        elif benefit is not _MISSING:
            row.benefit = benefit  # type: ignore[assignment]

        start = value("start", _parse_start)
        amount = value("amount", _parse_amount)
        row.start = None if start is _MISSING else start  # type: ignore[assignment]
        row.amount = None if amount is _MISSING else amount  # type: ignore[assignment]
        if row.is_grant:
            if start is None:
                missing("start", "临时救助的发放日期")
            if amount is None:
                missing("amount", "临时救助的发放金额")
            elif row.amount is not None and row.amount <= 0:
                error(
                    "amount",
                    v.INVALID_VALUE,
                    "临时救助的发放金额须大于 0，请填写实际发放的金额后重新导入",
                )
        else:
            self._enrollment_values(row, data, value, error)
        if row.valid:
            self._check_duplicate(row, error)
        return row

    def _id_number(self, data: DataRow, error, missing) -> str | None:
        raw = data.cells.get("id_number")
        if is_blank(raw):
            missing("id_number", "身份证号码")
            return None
        try:
            parsed = v.parse_id(raw)
        except idnumbers.IdNumberError as exc:
            error("id_number", exc.code, exc.message)
            return None
        column = data.column("id_number")
        if parsed.upgraded:
            self.issues.warn(
                ID_UPGRADED_15,
                f"15 位身份证号码已自动升级为 18 位（{parsed.number}），请核对是否正确",
                sheet=data.sheet,
                row=data.number,
                column=column,
            )
        if not parsed.is_local:
            self.issues.warn(
                ID_AREA_NOT_LOCAL,
                f"身份证号码的地址码 {parsed.number[:6]} 不是本县"
                f"（{idnumbers.COUNTY_CODE}），请核对号码是否抄错",
                sheet=data.sheet,
                row=data.number,
                column=column,
            )
        return parsed.number

    def _enrollment_values(self, row: BenefitRow, data: DataRow, value, error):
        if row.benefit in (DIBAO, TEKUN):
            own, other = (
                ("scope", "care_mode")
                if row.benefit == DIBAO
                else ("care_mode", "scope")
            )
            source = own if not is_blank(data.cells.get(own)) else other
            raw = data.cells.get(source)
            row.mode_given = not is_blank(raw)
            try:
                mode = v.parse_scope(raw, benefit=row.benefit) or ""
            except v.InvalidValue as exc:
                error(source, exc.code, exc.message)
                mode = ""
            if row.benefit == DIBAO:
                row.scope = mode
            else:
                row.care_mode = mode
        end = value("end", _parse_end)
        row.end = None if end is _MISSING else end  # type: ignore[assignment]
        reason = value("end_reason", v.parse_end_reason)
        row.end_reason = None if reason is _MISSING else reason  # type: ignore[assignment]
        status = value("status", v.parse_status)
        row.status = ACTIVE if status in (None, _MISSING) else status  # type: ignore[assignment]
        if row.start and row.end and row.end < row.start:
            error(
                "end",
                v.INVALID_VALUE,
                f"结束日期 {row.end.isoformat()} 早于开始日期 {row.start.isoformat()}，"
                "请核对两个日期后重新导入",
            )

    def _check_duplicate(self, row: BenefitRow, error) -> None:
        key = row.identity()
        first = self.seen.get(key)
        if first is None:
            self.seen[key] = row
            return
        if row.is_grant:
            what = f"{row.start.isoformat()} 发放 {row.amount} 元的临时救助"  # type: ignore[union-attr]
        elif row.start is None:
            what = f"{row.benefit_label}（两行都没有填开始日期）"
        else:
            what = f"{row.start.isoformat()} 开始的{row.benefit_label}"
        error(
            "id_number",
            ID_DUPLICATE_IN_FILE,
            f"本行与工作表“{first.sheet}”第 {first.row} 行是同一人{what}，"
            "同一条记录只能出现一次，请删除重复的行（或改正日期）后重新导入",
        )
