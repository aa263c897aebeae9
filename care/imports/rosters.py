"""The care rosters (docs/care-rosters.md): file → validated rows.

Two rosters of people, one row per person: left-behind elderly people
(农村留守老年人名册) and left-behind children and children in difficulty
(农村留守儿童和困境儿童名册).  They are read with the shared machinery of
:mod:`households.imports` — safe opening, header detection by synonyms,
blank and footer rows, merged cells, the value parsers and the issue
records — so they accept what the household roster accepts and report the
same codes.

:func:`parse_care_roster` is pure: the township list and the care-service
items come in as arguments.  Matching to the registry and writing are
:mod:`.service`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from households import idnumbers
from households.imports import values as v
from households.imports.headers import (
    ID_NUMBER_COLUMN,
    NAME_COLUMN,
    Column,
    ColumnTable,
    HeaderMap,
    normalize,
)
from households.imports.roster import HOUSEHOLD_COLUMNS
from households.imports.rows import (
    UNKNOWN_TOWNSHIP,
    DataRow,
    Issues,
    RowIssue,
    read_tables,
)
from households.imports.workbook import CellValue, Workbook, is_blank

REQUIRED_VALUE_MISSING = "required_value_missing"
ID_DUPLICATE_IN_FILE = "id_duplicate_in_file"
ID_UPGRADED_15 = "id_upgraded_15"
ID_AREA_NOT_LOCAL = "id_area_not_local"
SEX_MISMATCH = "sex_mismatch"
BIRTH_DATE_MISMATCH = "birth_date_mismatch"

ELDERLY = "elderly"
CHILDREN = "children"
ELDERLY_MIN_AGE = 60
CHILD_MAX_AGE = 18

# The township and village columns are the household roster's (§1).
TOWNSHIP_COLUMN = HOUSEHOLD_COLUMNS.column("township")
VILLAGE_COLUMN = HOUSEHOLD_COLUMNS.column("village")

LIVING_SITUATION = v.Choices(
    "居住情况",
    (
        ("alone", ("独居",)),
        ("with_spouse", ("与配偶同住", "夫妻同住", "空巢")),
        (
            "with_grandchildren",
            ("与（外）孙子女同住", "与孙子女同住", "与孙辈同住", "隔代同住"),
        ),
        ("other", ("其他",)),
    ),
)
CATEGORY = v.Choices(
    "儿童类别",
    (
        ("left_behind", ("农村留守儿童", "留守儿童", "留守")),
        ("in_difficulty", ("困境儿童", "困境")),
    ),
)
DIFFICULTY_TYPE = v.Choices(
    "困境类型",
    (
        ("poverty", ("家庭贫困", "贫困", "因贫")),
        ("disability", ("自身残疾", "残疾", "因残")),
        ("guardianship", ("监护缺失或监护不当", "监护缺失", "监护不当")),
        ("unsupported", ("事实无人抚养", "事实无人抚养儿童")),
        ("other", ("其他",)),
    ),
)

_COMMON_TAIL = (
    Column("sex", ("性别",)),
    Column("birth_date", ("出生日期",)),
    Column("address", ("住址", "家庭住址", "现住址")),
    Column("registered_on", ("登记日期", "建档日期")),
    Column("note", ("备注",)),
)

ELDERLY_COLUMNS = ColumnTable(
    (
        Column("township", TOWNSHIP_COLUMN.synonyms, required=True),
        Column("village", VILLAGE_COLUMN.synonyms, required=True),
        NAME_COLUMN,
        ID_NUMBER_COLUMN,
        Column("living_situation", ("居住情况", "居住状况")),
        Column("self_care", ("生活自理能力", "自理能力")),
        Column("phone", ("本人电话", "老人电话", "本人联系电话")),
        Column("contact_name", ("联络人", "联络人姓名")),
        Column("contact_relation", ("联络人与老人关系", "联络人关系", "与老人关系")),
        Column("contact_phone", ("联络人电话", "联络人联系电话")),
        Column("helper_name", ("帮扶联系人", "帮扶人", "帮扶责任人")),
        Column("helper_phone", ("帮扶联系人电话", "帮扶人电话")),
        Column("services", ("关爱服务内容", "关爱服务", "服务内容")),
        *_COMMON_TAIL,
    )
)

CHILD_COLUMNS = ColumnTable(
    (
        Column("township", TOWNSHIP_COLUMN.synonyms, required=True),
        Column("village", VILLAGE_COLUMN.synonyms, required=True),
        NAME_COLUMN,
        ID_NUMBER_COLUMN,
        Column("category", ("儿童类别", "类别", "儿童类型"), required=True),
        Column("difficulty_type", ("困境类型", "困境儿童类型")),
        Column("guardian_name", ("监护人", "监护人姓名")),
        Column("guardian_relation", ("监护人与儿童关系", "监护人关系", "与儿童关系")),
        Column("guardian_phone", ("监护人电话", "监护人联系电话")),
        Column("school", ("就读学校", "学校")),
        *_COMMON_TAIL,
    )
)

Parser = Callable[[CellValue], object]


def _text(label: str, max_length: int) -> Parser:
    return lambda value: v.parse_text(value, label=label, max_length=max_length)


def _compact(label: str, max_length: int) -> Parser:
    return lambda value: v.parse_compact(value, label=label, max_length=max_length)


# Optional fields stored on the person as parsed (a blank cell never clears).
ELDERLY_PARSERS: dict[str, Parser] = {
    "living_situation": LIVING_SITUATION.parse,
    "self_care": v.SELF_CARE.parse,
    "phone": _text("本人电话", 40),
    "contact_name": _compact("联络人", 50),
    "contact_relation": _compact("联络人与老人关系", 20),
    "contact_phone": _text("联络人电话", 40),
    "helper_name": _compact("帮扶联系人", 50),
    "helper_phone": _text("帮扶联系人电话", 40),
    "address": _text("住址", 200),
    "note": _text("备注", 500),
}
CHILD_PARSERS: dict[str, Parser] = {
    "category": CATEGORY.parse,
    "difficulty_type": DIFFICULTY_TYPE.parse,
    "guardian_name": _compact("监护人", 50),
    "guardian_relation": _compact("监护人与儿童关系", 20),
    "guardian_phone": _text("监护人电话", 40),
    "school": _text("就读学校", 100),
    "address": _text("住址", 200),
    "note": _text("备注", 500),
}


@dataclass(frozen=True)
class RosterKind:
    """What differs between the two rosters."""

    code: str
    label: str
    table: ColumnTable
    parsers: dict[str, Parser]
    min_age: int | None = None
    max_age: int | None = None


KINDS = {
    ELDERLY: RosterKind(
        ELDERLY, "农村留守老年人名册", ELDERLY_COLUMNS, ELDERLY_PARSERS, min_age=60
    ),
    CHILDREN: RosterKind(
        CHILDREN, "农村留守儿童和困境儿童名册", CHILD_COLUMNS, CHILD_PARSERS, max_age=18
    ),
}


@dataclass
class PersonRow:
    """One data row, parsed: who, where, and the values it sets.

    ``values`` holds only non-blank optional values; ``services`` is None
    when the cell is blank (the stored list is kept), else the item ids.
    """

    sheet: str
    row: int
    header: HeaderMap | None = field(default=None, repr=False)
    township: v.TownshipRef | None = None
    village: str | None = None
    name: str | None = None
    id_number: str | None = None
    sex: str | None = None
    birth_date: datetime.date | None = None
    registered_on: datetime.date | None = None
    values: dict[str, object] = field(default_factory=dict)
    services: list[int] | None = None
    errors: list[RowIssue] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def masked_id(self) -> str:
        return idnumbers.mask(self.id_number)

    def column(self, field_name: str) -> str | None:
        return self.header.text(field_name) if self.header else None


@dataclass
class CareRosterPlan:
    file: str
    rows: list[PersonRow] = field(default_factory=list)
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


_SERVICE_SEPARATORS = re.compile(r"[、，,；;/／\s]+")


class ServiceMatcher:
    """关爱服务内容 cells: item names separated by 、，；/ or spaces."""

    def __init__(self, items: Iterable[tuple[int, str]]):
        self.items = list(items)
        self._lookup = {normalize(name): pk for pk, name in self.items}

    def parse(self, value: CellValue) -> list[int] | None:
        if is_blank(value):
            return None
        text = v.shown(value) if not isinstance(value, str) else value
        found: list[int] = []
        for part in _SERVICE_SEPARATORS.split(text.strip()):
            if not part:
                continue
            pk = self._lookup.get(normalize(part))
            if pk is None:
                names = "、".join(name for _pk, name in self.items) or "（清单为空）"
                raise v.InvalidValue(
                    f"“{part}”不在关爱服务内容清单中，请填写清单中的项目"
                    f"（用顿号分隔）：{names}"
                )
            if pk not in found:
                found.append(pk)
        return found


def parse_care_roster(
    workbook: Workbook,
    *,
    kind: RosterKind,
    townships: Iterable[object] | v.TownshipMatcher,
    township: object | None = None,
    services: Iterable[tuple[int, str]] = (),
    today: datetime.date | None = None,
) -> CareRosterPlan:
    """Validate every data row of a care roster.

    ``township`` is the one the file is imported into (a model row, a ref
    or a name matched like the column): it makes the township column
    optional and any other township in it ``invalid_value``; an unknown
    name is the file-level error ``unknown_township``.  ``services`` are
    the care-service items ``(id, name)`` a 关爱服务内容 cell may name.
    Ages are checked at the registration date (``today`` when blank).
    """
    today = today or datetime.date.today()
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
            return CareRosterPlan(
                file=workbook.name, errors=issues.errors, file_error=True
            )
    elif township is not None:
        target = v.township_ref(township)
    tables = read_tables(
        workbook,
        table=kind.table,
        issues=issues,
        optional=frozenset({"township"}) if target else frozenset(),
    )
    plan = CareRosterPlan(
        file=workbook.name,
        file_error=issues.has_file_error,
        sheets=tuple(sheet.name for sheet in workbook.sheets),
    )
    if plan.file_error:
        plan.errors, plan.warnings = issues.errors, issues.warnings
        return plan
    reader = _RowReader(
        kind=kind,
        matcher=matcher,
        target=target,
        issues=issues,
        services=ServiceMatcher(services),
        today=today,
    )
    for table in tables:
        for row in table.rows:
            plan.rows.append(reader.read(row))
    plan.errors = plan.sort_issues(issues.errors)
    plan.warnings = plan.sort_issues(issues.warnings)
    return plan


class _RowReader:
    def __init__(self, *, kind, matcher, target, issues, services, today):
        self.kind = kind
        self.matcher = matcher
        self.target = target
        self.issues = issues
        self.services = services
        self.today = today
        self.seen_ids: dict[str, DataRow] = {}

    def read(self, row: DataRow) -> PersonRow:
        person = PersonRow(sheet=row.sheet, row=row.number, header=row.header)

        def error(field_name: str, code: str, message: str) -> None:
            person.errors.append(
                self.issues.error(
                    code,
                    message,
                    sheet=row.sheet,
                    row=row.number,
                    column=row.column(field_name),
                )
            )

        def required(field_name: str) -> None:
            label = row.column(field_name) or field_name
            error(
                field_name,
                REQUIRED_VALUE_MISSING,
                f"“{label}”不能为空，请填写后重新导入",
            )

        def parse(field_name: str, parser: Parser):
            raw = row.cells.get(field_name)
            if is_blank(raw):
                return None
            try:
                return parser(raw)
            except v.InvalidValue as exc:
                error(field_name, exc.code, exc.message)
                return None

        person.township = self._township(row, error)
        person.village = parse("village", v.parse_village)
        if person.village is None and is_blank(row.cells.get("village")):
            required("village")
        person.name = parse("name", v.parse_name)
        if person.name is None and is_blank(row.cells.get("name")):
            required("name")
        typed_sex = parse("sex", v.parse_sex)
        typed_birth = parse("birth_date", v.parse_date)
        person.registered_on = parse("registered_on", v.parse_date)
        if person.registered_on is not None and person.registered_on > self.today:
            error(
                "registered_on",
                v.INVALID_VALUE,
                f"登记日期 {person.registered_on.isoformat()} 晚于今天，请核对后重新填写",
            )
        for field_name, parser in self.kind.parsers.items():
            value = parse(field_name, parser)
            if value is not None:
                person.values[field_name] = value
        if "services" in row.cells:
            person.services = parse("services", self.services.parse)
        if self.kind.code == CHILDREN:
            self._check_category(row, person, error, required)
        parsed = self._parse_id(row, error, required)
        if parsed is not None:
            person.id_number = parsed.number
            person.sex = parsed.sex
            person.birth_date = parsed.birth_date
            self._check_against_id(row, parsed, typed_sex, typed_birth)
            self._check_age(person, error)
        return person

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

    def _check_category(self, row: DataRow, person: PersonRow, error, required):
        category = person.values.get("category")
        if category is None:
            if is_blank(row.cells.get("category")):
                required("category")
            return
        difficulty = person.values.get("difficulty_type")
        # A bad value was reported already; a blank one is missing.
        if (
            category == "in_difficulty"
            and difficulty is None
            and is_blank(row.cells.get("difficulty_type"))
        ):
            label = row.column("difficulty_type") or "困境类型"
            error(
                "difficulty_type" if row.column("difficulty_type") else "category",
                REQUIRED_VALUE_MISSING,
                f"困境儿童须填写“{label}”（{DIFFICULTY_TYPE.accepted}），"
                "请填写后重新导入",
            )
        if category == "left_behind" and difficulty is not None:
            error(
                "difficulty_type",
                v.INVALID_VALUE,
                "“困境类型”只适用于困境儿童：留守儿童请留空，或把儿童类别改为困境儿童",
            )

    def _parse_id(self, row: DataRow, error, required) -> idnumbers.ParsedId | None:
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
                "请确认号码无误",
                sheet=row.sheet,
                row=row.number,
                column=column,
            )
        return parsed

    def _check_against_id(self, row, parsed, typed_sex, typed_birth) -> None:
        if typed_sex is not None and typed_sex != parsed.sex:
            from_id = "男" if parsed.sex == "male" else "女"
            self.issues.warn(
                SEX_MISMATCH,
                f"性别“{v.shown(row.cells['sex'])}”与身份证号码不一致（号码显示为{from_id}），"
                "系统按身份证号码记录，请核对",
                sheet=row.sheet,
                row=row.number,
                column=row.column("sex"),
            )
        if typed_birth is not None and typed_birth != parsed.birth_date:
            self.issues.warn(
                BIRTH_DATE_MISMATCH,
                f"出生日期 {typed_birth.isoformat()} 与身份证号码中的 "
                f"{parsed.birth_date.isoformat()} 不一致，系统按身份证号码记录，请核对",
                sheet=row.sheet,
                row=row.number,
                column=row.column("birth_date"),
            )

    def _check_age(self, person: PersonRow, error) -> None:
        on = person.registered_on or self.today
        age = idnumbers.age_on(person.birth_date, on)
        if self.kind.min_age is not None and age < self.kind.min_age:
            error(
                "id_number",
                v.INVALID_VALUE,
                f"此人登记时 {age} 周岁，未满 {self.kind.min_age} 周岁，"
                "不属于农村留守老年人。请核对身份证号码，或从名册中删去这一行",
            )
        if self.kind.max_age is not None and not 0 <= age < self.kind.max_age:
            error(
                "id_number",
                v.INVALID_VALUE,
                f"此人登记时 {age} 周岁，儿童台账只登记未满 {self.kind.max_age} 周岁的儿童。"
                "请核对身份证号码，或从名册中删去这一行",
            )
