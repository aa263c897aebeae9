"""The household roster (建档立卡户花名册, roster-format.md §1): file → plan.

:func:`parse_roster` is pure: it reads an opened workbook, validates every
data row and groups the rows into households, each with its members, its
row numbers and its errors.  The database side (matching by household
number and ID number, counting, writing) is :mod:`.roster_import`.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from households import idnumbers

from . import values as v
from .headers import (
    ID_NUMBER_COLUMN,
    NAME_COLUMN,
    Column,
    ColumnTable,
    HeaderMap,
    normalize,
)
from .rows import (
    FILE_UNREADABLE,
    UNKNOWN_TOWNSHIP,
    DataRow,
    Issues,
    RowIssue,
    read_tables,
)
from .workbook import (
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
NO_HEAD = "no_head"
MULTIPLE_HEADS = "multiple_heads"
ID_UPGRADED_15 = "id_upgraded_15"
ID_AREA_NOT_LOCAL = "id_area_not_local"
SEX_MISMATCH = "sex_mismatch"
BIRTH_DATE_MISMATCH = "birth_date_mismatch"

HOUSEHOLD_COLUMNS = ColumnTable(
    (
        Column(
            "township",
            ("乡镇（街道）", "乡镇", "乡镇街道", "镇（街道）"),
            required=True,
        ),
        Column(
            "village", ("村（居）", "行政村", "村", "村居", "村（社区）"), required=True
        ),
        Column("household_no", ("户编号", "户码", "家庭编号"), required=True),
        NAME_COLUMN,
        ID_NUMBER_COLUMN,
        Column("relation", ("与户主关系",), required=True),
        Column("sex", ("性别",)),
        Column("birth_date", ("出生日期",)),
        Column("ethnicity", ("民族",)),
        Column("poverty_type", ("贫困户属性",)),
        Column("poverty_status", ("脱贫状态", "是否脱贫")),
        Column("health", ("健康状况",)),
        Column("disability_category", ("残疾类别",)),
        Column("disability_grade", ("残疾等级",)),
        Column("disability_cert_no", ("残疾证号", "残疾人证号", "残疾证号码")),
        Column("labor_capacity", ("劳动能力", "劳动技能")),
        Column("self_care", ("生活自理能力", "自理能力")),
        Column("employment", ("就业状况", "务工状况")),
        Column(
            "income_per_capita",
            ("家庭年人均纯收入", "人均纯收入（元）", "年人均纯收入"),
        ),
        Column("phone", ("联系电话",)),
        Column("note", ("备注",)),
    )
)

Parser = Callable[[CellValue], object]

# Member fields other than name, ID number and relation (parsed apart).
MEMBER_PARSERS: dict[str, Parser] = {
    "ethnicity": lambda value: v.parse_text(value, label="民族", max_length=20),
    "health": v.parse_health,
    "disability_category": v.parse_disability_category,
    "disability_grade": v.parse_disability_grade,
    "disability_cert_no": v.parse_disability_cert_no,
    "labor_capacity": v.parse_labor_capacity,
    "self_care": v.parse_self_care,
    "employment": v.parse_employment,
    "phone": lambda value: v.parse_text(value, label="联系电话", max_length=40),
    "note": lambda value: v.parse_text(value, label="备注", max_length=500),
}
# Household fields taken from the head's row (village and township apart).
HOUSEHOLD_PARSERS: dict[str, Parser] = {
    "poverty_type": v.parse_poverty_type,
    "poverty_status": v.parse_poverty_status,
    "income_per_capita": v.parse_amount,
}
# How each cell of a row is parsed: field → (parser, required, where the
# value goes: the member, the household, or the row itself).  The ID number
# and the township are parsed apart (they report codes of their own).
_MEMBER, _HOUSEHOLD, _ROW = "member", "household", "row"
_FIELD_SPECS: dict[str, tuple[Parser, bool, str]] = {
    "household_no": (v.parse_household_no, True, _ROW),
    "village": (v.parse_village, True, _ROW),
    "name": (v.parse_name, True, _MEMBER),
    "relation": (v.parse_relation, True, _MEMBER),
    "sex": (v.parse_sex, False, _ROW),
    "birth_date": (v.parse_date, False, _ROW),
    **{name: (parser, False, _MEMBER) for name, parser in MEMBER_PARSERS.items()},
    **{name: (parser, False, _HOUSEHOLD) for name, parser in HOUSEHOLD_PARSERS.items()},
}


@dataclass
class MemberPlan:
    """One person's row: where it is and the values it sets.

    ``values`` holds only non-blank values (a blank optional cell never
    clears a stored one): ``name``, ``relation``, ``sex`` and ``birth_date``
    (from the ID number), and every other member field present.
    """

    sheet: str
    row: int
    id_number: str | None
    values: dict[str, object] = field(default_factory=dict)
    header: HeaderMap | None = field(default=None, repr=False)

    @property
    def name(self) -> str | None:
        return self.values.get("name")  # type: ignore[return-value]

    def column(self, field_name: str) -> str | None:
        """The header text of ``field_name`` in this row's sheet."""
        return self.header.text(field_name) if self.header else None


@dataclass
class HouseholdPlan:
    """All rows with one household number, validated together.

    ``values`` holds the household's own non-blank fields (poverty type,
    poverty status, income).  ``errors`` are every error on the household's
    rows; a household with any error is skipped whole.
    """

    household_no: str
    sheet: str
    row: int
    township: v.TownshipRef | None = None
    village: str | None = None
    values: dict[str, object] = field(default_factory=dict)
    members: list[MemberPlan] = field(default_factory=list)
    errors: list[RowIssue] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass
class RosterPlan:
    """The parsed file: households in file order, errors and warnings.

    ``unassigned_rows`` counts data rows without a household number (they
    belong to no household and are skipped); ``township`` is the township
    the file was imported into, when one was chosen.
    """

    file: str
    households: list[HouseholdPlan] = field(default_factory=list)
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)
    unassigned_rows: int = 0
    file_error: bool = False
    sheets: tuple[str, ...] = ()
    township: v.TownshipRef | None = None

    def sort_issues(self, found: list[RowIssue]) -> list[RowIssue]:
        """File-level issues first, then by sheet (workbook order) and row."""
        order = {name: position for position, name in enumerate(self.sheets)}
        return sorted(
            found,
            key=lambda i: (i.row is not None, order.get(i.sheet or "", -1), i.row or 0),
        )


def parse_roster_file(
    source: str | os.PathLike | bytes | BinaryIO,
    *,
    townships: Iterable[object] | v.TownshipMatcher,
    township: object | None = None,
    name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> RosterPlan:
    """Open ``source`` and parse it; an unreadable file is a plan with one error."""
    try:
        workbook = open_workbook(
            source, name=name, max_bytes=max_bytes, max_rows=max_rows
        )
        return parse_roster(workbook, townships=townships, township=township)
    except FileUnreadable as exc:
        file_name = name or upload_name(source)
        issue = RowIssue(None, None, None, FILE_UNREADABLE, exc.message)
        return RosterPlan(file=file_name, errors=[issue], file_error=True)


def parse_roster(
    workbook: Workbook,
    *,
    townships: Iterable[object] | v.TownshipMatcher,
    township: object | None = None,
) -> RosterPlan:
    """Validate every data row and group the rows into households.

    ``townships`` are the county's townships (model rows, refs or tuples);
    ``township`` is the one the file is imported into (``--township`` or
    the staff member's own: a model row, a ref, or a name matched like the
    column), which makes the township column optional and turns any other
    township in it into ``invalid_value``.  An unknown name is the
    file-level error ``unknown_township``.  Raises
    ``FileUnreadable`` for too many data rows.
    """
    matcher = (
        townships
        if isinstance(townships, v.TownshipMatcher)
        else v.TownshipMatcher(townships)
    )
    issues = Issues()
    target = None
    if isinstance(township, str):
        target = matcher.match(township)
        if target is None:
            issues.error(
                UNKNOWN_TOWNSHIP,
                f"“{township}”不是本县的乡镇（街道），请选择正确的乡镇（街道）后重新导入",
            )
            return RosterPlan(file=workbook.name, errors=issues.errors, file_error=True)
    elif township is not None:
        target = v.township_ref(township)
    tables = read_tables(
        workbook,
        table=HOUSEHOLD_COLUMNS,
        issues=issues,
        optional=frozenset({"township"}) if target else frozenset(),
    )
    plan = RosterPlan(
        file=workbook.name,
        file_error=issues.has_file_error,
        sheets=tuple(sheet.name for sheet in workbook.sheets),
        township=target,
    )
    if plan.file_error:
        plan.errors, plan.warnings = issues.errors, issues.warnings
        return plan
    builder = _Builder(matcher=matcher, target=target, issues=issues)
    for table in tables:
        for row in table.rows:
            builder.add(row)
    builder.finish(plan)
    plan.errors = plan.sort_issues(issues.errors)
    plan.warnings = plan.sort_issues(issues.warnings)
    return plan


@dataclass
class _Parsed:
    """What one data row yielded, before grouping."""

    source: DataRow
    household_no: str | None
    member: MemberPlan
    township: v.TownshipRef | None
    village: str | None
    household_values: dict[str, object]
    errors: list[RowIssue]


class _Builder:
    """Parses rows one by one, then checks each household as a whole."""

    def __init__(
        self,
        *,
        matcher: v.TownshipMatcher,
        target: v.TownshipRef | None,
        issues: Issues,
    ):
        self.matcher = matcher
        self.target = target
        self.issues = issues
        self.groups: dict[str, list[_Parsed]] = {}
        self.unassigned = 0
        self.seen_ids: dict[str, DataRow] = {}

    # One row -----------------------------------------------------------

    def _error(
        self, row: DataRow, field_name: str, code: str, message: str
    ) -> RowIssue:
        return self.issues.error(
            code,
            message,
            sheet=row.sheet,
            row=row.number,
            column=row.column(field_name),
        )

    def add(self, row: DataRow) -> None:
        """Parse one data row; errors are reported and kept with the row."""
        own: dict[str, object] = {}
        member_values: dict[str, object] = {}
        household_values: dict[str, object] = {}
        targets = {_ROW: own, _MEMBER: member_values, _HOUSEHOLD: household_values}
        errors: list[RowIssue] = []
        for field_name, raw in row.cells.items():
            spec = _FIELD_SPECS.get(field_name)
            if spec is None:
                continue
            parser, required, where = spec
            value = None
            if raw is not None and raw != "":
                try:
                    value = parser(raw)
                except v.InvalidValue as exc:
                    errors.append(self._error(row, field_name, exc.code, exc.message))
                    continue
            if value is not None:
                targets[where][field_name] = value
            elif required:
                label = row.column(field_name) or field_name
                message = f"“{label}”不能为空，请填写后重新导入"
                errors.append(
                    self._error(row, field_name, REQUIRED_VALUE_MISSING, message)
                )

        def error(field_name: str, code: str, message: str) -> None:
            errors.append(self._error(row, field_name, code, message))

        member = MemberPlan(
            sheet=row.sheet,
            row=row.number,
            id_number=None,
            values=member_values,
            header=row.header,
        )
        parsed_id = self._parse_id(row, error)
        if parsed_id is not None:
            member.id_number = parsed_id.number
            born = parsed_id.birth_date
            member_values["sex"] = parsed_id.sex
            member_values["birth_date"] = born
            self._check_against_id(row, parsed_id, own.get("sex"), born, own)
        household_no = own.get("household_no")
        parsed = _Parsed(
            source=row,
            household_no=household_no,  # type: ignore[arg-type]
            member=member,
            township=self._township(row, error),
            village=own.get("village"),  # type: ignore[arg-type]
            household_values=household_values,
            errors=errors,
        )
        if household_no is None:
            self.unassigned += 1
        else:
            self.groups.setdefault(household_no, []).append(parsed)  # type: ignore[arg-type]

    def _parse_id(self, row: DataRow, error) -> idnumbers.ParsedId | None:
        raw = row.cells.get("id_number")
        column = row.column("id_number")
        if is_blank(raw):
            error(
                "id_number",
                REQUIRED_VALUE_MISSING,
                f"“{column}”不能为空，请填写身份证号码后重新导入",
            )
            return None
        try:
            parsed = v.parse_id(raw)
        except idnumbers.IdNumberError as exc:
            error("id_number", exc.code, exc.message)
            return None
        first = self.seen_ids.get(parsed.number)
        if first is not None:
            error(
                "id_number",
                ID_DUPLICATE_IN_FILE,
                f"该身份证号码与工作表“{first.sheet}”第 {first.number} 行重复，"
                "同一人只能登记一次，请删除重复的行后重新导入",
            )
        else:
            self.seen_ids[parsed.number] = row
        if parsed.upgraded:
            self.issues.warn(
                ID_UPGRADED_15,
                f"15 位身份证号码已自动升级为 18 位（{parsed.number}），请核对是否正确",
                sheet=row.sheet,
                row=row.number,
                column=column,
            )
        if not parsed.is_local:
            self.issues.warn(
                ID_AREA_NOT_LOCAL,
                f"身份证号码的地址码 {parsed.number[:6]} 不是本县（{idnumbers.COUNTY_CODE}），"
                "请确认号码无误、此人确属本户",
                sheet=row.sheet,
                row=row.number,
                column=column,
            )
        return parsed

    def _check_against_id(
        self,
        row: DataRow,
        parsed: idnumbers.ParsedId,
        sex: object,
        born: datetime.date,
        got: dict[str, object],
    ) -> None:
        if sex is not None and sex != parsed.sex:
            from_id = "男" if parsed.sex == "male" else "女"
            self.issues.warn(
                SEX_MISMATCH,
                f"性别“{v.shown(row.cells['sex'])}”与身份证号码不一致（号码显示为{from_id}），"
                "系统按身份证号码记录，请核对",
                sheet=row.sheet,
                row=row.number,
                column=row.column("sex"),
            )
        typed = got.get("birth_date")
        if isinstance(typed, datetime.date) and typed != born:
            self.issues.warn(
                BIRTH_DATE_MISMATCH,
                f"出生日期 {typed.isoformat()} 与身份证号码中的 "
                f"{born.isoformat()} 不一致，系统按身份证号码记录，请核对",
                sheet=row.sheet,
                row=row.number,
                column=row.column("birth_date"),
            )

    def _township(self, row: DataRow, error) -> v.TownshipRef | None:
        raw = row.cells.get("township")
        if is_blank(raw):
            if self.target is None:
                error(
                    "township",
                    REQUIRED_VALUE_MISSING,
                    f"“{row.column('township')}”不能为空，请填写乡镇（街道）名称后重新导入",
                )
            return self.target
        found = self.matcher.match(raw)
        if found is None:
            error(
                "township",
                UNKNOWN_TOWNSHIP,
                f"“{v.shown(raw)}”不是本县的乡镇（街道），请填写正确的名称"
                "（如“七级镇”或“七级”）后重新导入",
            )
            return None
        if self.target is not None and found.id != self.target.id:
            error(
                "township",
                v.INVALID_VALUE,
                f"该行的乡镇（街道）是“{found.name}”，但本次导入的是“{self.target.name}”。"
                f"请删除不属于{self.target.name}的行，或导入到正确的乡镇（街道）",
            )
            return None
        return found

    # Households ----------------------------------------------------------

    def finish(self, plan: RosterPlan) -> None:
        plan.unassigned_rows = self.unassigned
        for household_no, rows in self.groups.items():
            plan.households.append(self._household(household_no, rows))

    def _household(self, household_no: str, rows: list[_Parsed]) -> HouseholdPlan:
        first = rows[0]
        household = HouseholdPlan(
            household_no=household_no,
            sheet=first.source.sheet,
            row=first.source.number,
            members=[r.member for r in rows],
        )
        for parsed in rows:
            household.errors.extend(parsed.errors)

        def error(parsed: _Parsed, field_name: str, code: str, message: str) -> None:
            source = parsed.source
            household.errors.append(
                self.issues.error(
                    code,
                    message,
                    sheet=source.sheet,
                    row=source.number,
                    column=source.column(field_name),
                )
            )

        heads = [r for r in rows if r.member.values.get("relation") == "head"]
        if not heads:
            error(
                first,
                "relation",
                NO_HEAD,
                f"户编号 {household_no} 的家庭没有户主：请在“与户主关系”列中为户主填写“户主”后重新导入",
            )
        for extra in heads[1:]:
            error(
                extra,
                "relation",
                MULTIPLE_HEADS,
                f"户编号 {household_no} 的家庭有多个户主（第一个在第 {heads[0].source.number} 行）："
                "每户只能有一个户主，请改正后重新导入",
            )
        ordered = [heads[0], *(r for r in rows if r is not heads[0])] if heads else rows

        def agree(field_name: str, get, key=lambda value: value, show=v.shown):
            """The household's value from the head's row; report differences."""
            chosen = next((r for r in ordered if get(r) is not None), None)
            if chosen is None:
                return None
            value = get(chosen)
            for parsed in ordered:
                other = get(parsed)
                if parsed is chosen or other is None or key(other) == key(value):
                    continue
                label = parsed.source.column(field_name) or field_name
                where = "户主所在行" if heads and chosen is heads[0] else "本户第一行"
                error(
                    parsed,
                    field_name,
                    v.INVALID_VALUE,
                    f"同一户（户编号 {household_no}）的“{label}”应当一致："
                    f"{where}（第 {chosen.source.number} 行）为“{show(value)}”，"
                    f"本行为“{show(other)}”。请改成一致后重新导入",
                )
            return value

        household.township = agree(
            "township",
            lambda r: r.township,
            key=lambda ref: ref.id,
            show=lambda ref: ref.name,
        )
        household.village = agree("village", lambda r: r.village, key=normalize)
        for field_name in HOUSEHOLD_PARSERS:
            value = agree(
                field_name,
                lambda r, f=field_name: r.household_values.get(f),
                show=lambda value, f=field_name: _shown_code(f, value),
            )
            if value is not None:
                household.values[field_name] = value
        return household


_LABELS = {
    "poverty_type": v.POVERTY_TYPE,
    "poverty_status": v.POVERTY_STATUS,
}


def _shown_code(field_name: str, value: object) -> str:
    """A parsed household value in Chinese, for a conflict message."""
    choices = _LABELS.get(field_name)
    if choices is not None:
        for code, spellings in choices.options:
            if code == value:
                return spellings[0]
    return str(value)
