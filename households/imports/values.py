"""Parsers for the cells of the rosters (roster-format.md §1, §2, §3).

Each parser takes a raw cell value as the workbook gives it (``str``,
``float``, ``int``, ``bool``, ``date``, ``datetime`` … or None), returns the
stored form (a glossary code, a ``date``, a ``Decimal``, clean text) or
None for a blank cell, and raises only :class:`InvalidValue` — or, for ID
numbers, :class:`~households.idnumbers.IdNumberError`.  Both carry
``code`` and a Chinese ``message`` that says what to write instead.

Coded values are compared after the header normalisation of §1, so
``已脱贫（享受政策）``, ``已脱贫(享受政策)`` and ``已脱贫 享受政策`` are one value.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from households import idnumbers
from households.townships import match_key

from .headers import normalize
from .workbook import CellValue, is_blank

INVALID_VALUE = "invalid_value"
MAX_AMOUNT = Decimal("9999999999.99")  # DecimalField(max_digits=12, 2 places)
_CENT = Decimal("0.01")
_WHITESPACE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


class InvalidValue(ValueError):
    """A cell whose value is not one the column accepts."""

    code = INVALID_VALUE

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# The only exceptions a parser of this module raises.
VALUE_ERRORS = (InvalidValue, idnumbers.IdNumberError)


def shown(value: CellValue) -> str:
    """A cell value as the user typed it, for quoting in a message."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime.datetime):
        midnight = value.time() == datetime.time()
        text = value.date().isoformat() if midnight else value.isoformat(" ")
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    else:
        text = str(value).strip()
    return text if len(text) <= 40 else text[:40] + "…"


@dataclass(frozen=True)
class Choices:
    """A coded column: glossary code → accepted spellings (the first is shown).

    ``default`` is returned for a blank cell.
    """

    label: str
    options: tuple[tuple[str, tuple[str, ...]], ...]
    default: str | None = None
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False)
    _seen: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup: dict[str, str] = {}
        for code, spellings in self.options:
            for spelling in spellings:
                if lookup.setdefault(normalize(spelling), code) != code:
                    raise ValueError(f"{spelling!r} maps to two codes")
        object.__setattr__(self, "_lookup", lookup)
        # Raw text already matched: rosters repeat a handful of spellings.
        object.__setattr__(self, "_seen", {})

    @property
    def accepted(self) -> str:
        """The spellings to suggest: the first of each option."""
        return "、".join(spellings[0] for _code, spellings in self.options)

    def parse(self, value: CellValue) -> str | None:
        """The code for ``value``; ``default`` when blank; else InvalidValue."""
        if type(value) is str:
            code = self._seen.get(value)
            if code is not None:
                return code
        if is_blank(value):
            return self.default
        code = self._lookup.get(normalize(shown(value)))
        if code is None:
            raise InvalidValue(
                f"“{shown(value)}”不是有效的{self.label}，请填写以下之一：{self.accepted}"
            )
        if type(value) is str and len(self._seen) < 1000:
            self._seen[value] = code
        return code


RELATION = Choices(
    "与户主关系",
    (
        ("head", ("户主",)),
        ("spouse", ("配偶",)),
        ("son", ("之子", "子", "儿子")),
        ("daughter", ("之女", "女", "女儿")),
        ("grandson", ("之孙子", "孙子", "之外孙子", "外孙子")),
        ("granddaughter", ("之孙女", "孙女", "之外孙女", "外孙女")),
        ("father", ("之父", "父亲")),
        ("mother", ("之母", "母亲")),
        ("daughter_in_law", ("之儿媳", "儿媳")),
        ("son_in_law", ("之女婿", "女婿")),
        ("sibling", ("兄弟姐妹", "兄", "弟", "姐", "妹")),
        ("other", ("其他",)),
    ),
)
SEX = Choices("性别", (("male", ("男",)), ("female", ("女",))))
POVERTY_TYPE = Choices(
    "贫困户属性",
    (
        ("general", ("一般贫困户",)),
        ("dibao", ("低保贫困户", "低保户")),
        ("tekun", ("特困供养贫困户", "五保户", "特困户")),
    ),
)
POVERTY_STATUS = Choices(
    "脱贫状态",
    (
        ("not_lifted", ("未脱贫",)),
        (
            "lifted_keeping_policy",
            ("已脱贫（享受政策）", "已脱贫", "脱贫享受政策"),
        ),
        ("lifted", ("已脱贫（不再享受政策）", "稳定脱贫")),
    ),
)
HEALTH = Choices(
    "健康状况",
    (
        ("healthy", ("健康",)),
        ("chronic", ("长期慢性病",)),
        ("serious", ("患有大病",)),
        ("disabled", ("残疾",)),
    ),
)
_CATEGORIES = (
    ("visual", "视力"),
    ("hearing", "听力"),
    ("speech", "言语"),
    ("physical", "肢体"),
    ("intellectual", "智力"),
    ("mental", "精神"),
    ("multiple", "多重"),
)
DISABILITY_CATEGORY = Choices(
    "残疾类别", tuple((code, (name, name + "残疾")) for code, name in _CATEGORIES)
)
DISABILITY_GRADE = Choices(
    "残疾等级",
    tuple(
        (str(n), (f"{cn}级", str(n), f"{n}级", f"{upper}级"))
        for n, cn, upper in (
            (1, "一", "壹"),
            (2, "二", "贰"),
            (3, "三", "叁"),
            (4, "四", "肆"),
        )
    ),
)
LABOR_CAPACITY = Choices(
    "劳动能力",
    (
        ("ordinary", ("普通劳动力",)),
        ("skilled", ("技能劳动力",)),
        ("weak", ("弱劳动力或半劳动力", "弱劳动力", "半劳动力")),
        ("lost", ("丧失劳动力",)),
        ("none", ("无劳动力",)),
    ),
)
SELF_CARE = Choices(
    "生活自理能力",
    (
        ("full", ("全自理", "能自理")),
        ("partial", ("半失能", "部分自理")),
        ("none", ("全失能", "不能自理")),
    ),
)
EMPLOYMENT = Choices(
    "就业状况",
    (
        ("migrant_work", ("务工",)),
        ("farming", ("务农",)),
        ("self_employed", ("个体经营",)),
        ("unemployed", ("无业",)),
        ("student", ("在校生",)),
        ("preschool", ("学龄前",)),
        ("other", ("其他",)),
    ),
)
BENEFIT = Choices(
    "救助类别",
    (
        ("dibao", ("低保", "最低生活保障", "最低生活保障（低保）")),
        ("tekun", ("特困供养", "特困", "五保", "特困人员救助供养")),
        ("temporary_assistance", ("临时救助",)),
        (
            "disability_living",
            ("残疾人生活补贴", "困难残疾人生活补贴", "生活补贴"),
        ),
        (
            "disability_nursing",
            ("重度残疾人护理补贴", "护理补贴", "残疾人护理补贴"),
        ),
        ("elderly", ("困难老年人补贴", "老年人补贴")),
    ),
)
DIBAO_SCOPE = Choices(
    "低保保障方式",
    (("household", ("整户", "整户保")), ("individual", ("单人", "单人保"))),
    default="household",
)
TEKUN_CARE_MODE = Choices(
    "特困供养方式",
    (
        ("dispersed", ("分散", "分散供养")),
        ("centralized", ("集中", "集中供养")),
    ),
    default="dispersed",
)
STATUS = Choices(
    "状态",
    (
        ("active", ("在保", "正常")),
        ("extension", ("延保", "延保（渐退期）")),
        ("suspended", ("暂停",)),
        ("ended", ("停保",)),
        ("pending", ("待审批", "申请中")),
    ),
    default="active",
)
END_REASON = Choices(
    "停保原因",
    (
        ("employment", ("就业",)),
        ("improved", ("收入提高", "改善")),
        ("death", ("死亡",)),
        ("moved", ("迁出",)),
        ("other", ("其他",)),
    ),
    default="other",
)

parse_relation = RELATION.parse
parse_sex = SEX.parse
parse_poverty_type = POVERTY_TYPE.parse
parse_poverty_status = POVERTY_STATUS.parse
parse_health = HEALTH.parse
parse_disability_category = DISABILITY_CATEGORY.parse
parse_labor_capacity = LABOR_CAPACITY.parse
parse_self_care = SELF_CARE.parse
parse_employment = EMPLOYMENT.parse
parse_benefit = BENEFIT.parse
parse_status = STATUS.parse
parse_end_reason = END_REASON.parse


def parse_disability_grade(value: CellValue) -> int | None:
    """1–4 from 1, 一级, 1级 or 壹级 (a number cell too)."""
    if isinstance(value, float) and value.is_integer() and 1 <= value <= 4:
        return int(value)
    code = DISABILITY_GRADE.parse(value)
    return int(code) if code is not None else None


def parse_scope(value: CellValue, *, benefit: str | None) -> str | None:
    """保障方式/供养方式: a dibao scope or a tekun care mode; None for others."""
    if benefit == "dibao":
        return DIBAO_SCOPE.parse(value)
    if benefit == "tekun":
        return TEKUN_CARE_MODE.parse(value)
    return None


# Dates -----------------------------------------------------------------

_DATE_FORMS = (
    re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
)
_MONTH_FORMS = (
    re.compile(r"(\d{4})[-./](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月?"),
    re.compile(r"(\d{4})(\d{2})"),
)
_TIME_OF_DAY = re.compile(r"(?:[T\s]+|(?<=日))\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_DATE_HINT = "请填写为 1950-03-01、1950.03.01、19500301 或 1950年3月1日 这样的日期"
_MONTH_HINT = "请填写日期（如 2020-03-01），或年月（如 2020-03、2020年3月）"
MIN_YEAR = 1850
MAX_YEAR = 2100


def parse_date(value: CellValue) -> datetime.date | None:
    """A date from a date cell or text in the §1 出生日期 forms."""
    return _parse_date(value, month=None)


def parse_start_date(value: CellValue) -> datetime.date | None:
    """As :func:`parse_date`; a month alone (2020-03) is its first day."""
    return _parse_date(value, month="first")


def parse_end_date(value: CellValue) -> datetime.date | None:
    """As :func:`parse_date`; a month alone (2020-03) is its last day."""
    return _parse_date(value, month="last")


def _parse_date(value: CellValue, *, month: str | None) -> datetime.date | None:
    if is_blank(value):
        return None
    hint = _MONTH_HINT if month else _DATE_HINT
    if isinstance(value, datetime.datetime):
        return _in_range(value.date(), value, hint)
    if isinstance(value, datetime.date):
        return _in_range(value, value, hint)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InvalidValue(f"“{shown(value)}”不是日期，{hint}")
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        # A number cell typed as 19500301 (or 202003 for a month).
        if not (math.isfinite(value) and value.is_integer()):
            raise InvalidValue(f"“{shown(value)}”不是日期，{hint}")
        text = str(int(value))
    else:
        text = unicodedata.normalize("NFKC", value).strip()
        text = _WHITESPACE.sub("", _TIME_OF_DAY.sub("", text))
    for form in _DATE_FORMS:
        found = form.fullmatch(text)
        if found:
            year, mon, day = (int(part) for part in found.groups())
            return _make_date(year, mon, day, value, hint)
    if month:
        for form in _MONTH_FORMS:
            found = form.fullmatch(text)
            if found:
                year, mon = (int(part) for part in found.groups())
                if not 1 <= mon <= 12 or not MIN_YEAR <= year <= MAX_YEAR:
                    break
                day = 1 if month == "first" else calendar.monthrange(year, mon)[1]
                return datetime.date(year, mon, day)
    raise InvalidValue(f"“{shown(value)}”不是有效的日期，{hint}")


def _make_date(year: int, mon: int, day: int, value: CellValue, hint: str):
    try:
        made = datetime.date(year, mon, day)
    except ValueError:
        raise InvalidValue(f"“{shown(value)}”不是存在的日期，{hint}") from None
    return _in_range(made, value, hint)


def _in_range(made: datetime.date, value: CellValue, hint: str) -> datetime.date:
    if not MIN_YEAR <= made.year <= MAX_YEAR:
        raise InvalidValue(f"“{shown(value)}”的年份不合理，{hint}")
    return made


# Numbers and text --------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def parse_amount(value: CellValue) -> Decimal | None:
    """A non-negative amount in yuan, to the cent (收入、金额、月标准)."""
    if is_blank(value):
        return None
    hint = "请填写数字（单位：元），如 4200 或 4200.50"
    if isinstance(value, bool):
        raise InvalidValue(f"“{shown(value)}”不是数字，{hint}")
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidValue(f"“{shown(value)}”不是数字，{hint}")
        text = repr(value)
    elif isinstance(value, str):
        text = _WHITESPACE.sub("", unicodedata.normalize("NFKC", value))
        text = text.replace(",", "").removeprefix("¥").removesuffix("元")
        if not _NUMBER.fullmatch(text):
            raise InvalidValue(f"“{shown(value)}”不是数字，{hint}")
    else:
        raise InvalidValue(f"“{shown(value)}”不是数字，{hint}")
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise InvalidValue(f"“{shown(value)}”不是数字，{hint}") from None
    if amount < 0:
        raise InvalidValue(f"“{shown(value)}”是负数，金额不能为负，请核对后重新填写")
    if amount > MAX_AMOUNT:
        raise InvalidValue(f"“{shown(value)}”数额过大，请核对单位（元）后重新填写")
    return abs(amount.quantize(_CENT, rounding=ROUND_HALF_UP))


def parse_text(value: CellValue, *, label: str, max_length: int) -> str | None:
    """Free text, trimmed; a number cell as the digits typed."""
    if type(value) is str:
        text = value.strip()
    elif is_blank(value):
        return None
    elif isinstance(value, bool):
        text = "是" if value else "否"
    elif isinstance(value, float):
        text = _number_text(value)
    elif isinstance(value, int | datetime.date | datetime.time):
        text = shown(value)
    else:
        text = str(value).strip()
    if not text:
        return None
    if len(text) > max_length:
        raise InvalidValue(
            f"“{label}”内容过长（{len(text)} 个字，最多 {max_length} 个字），请删减后重新填写"
        )
    return text


def _number_text(value: float) -> str:
    if math.isfinite(value) and value.is_integer():
        return str(int(value))
    return repr(value)


def parse_compact(
    value: CellValue, *, label: str, max_length: int, nfkc: bool = False
) -> str | None:
    """Text with every space removed (names, village names, numbers)."""
    text = parse_text(value, label=label, max_length=10 * max_length)
    if text is None:
        return None
    return _compact(text, label, max_length, nfkc)


@functools.lru_cache(maxsize=4096)
def _compact(text: str, label: str, max_length: int, nfkc: bool) -> str | None:
    if nfkc:
        text = unicodedata.normalize("NFKC", text)
    text = _WHITESPACE.sub("", text)
    if not text:
        return None
    if len(text) > max_length:
        raise InvalidValue(
            f"“{label}”内容过长（{len(text)} 个字，最多 {max_length} 个字），请删减后重新填写"
        )
    return text


def parse_name(value: CellValue) -> str | None:
    """姓名, stripped of every space, full-width ones included."""
    return parse_compact(value, label="姓名", max_length=50)


def parse_village(value: CellValue) -> str | None:
    """村（居）name, stripped of every space."""
    return parse_compact(value, label="村（居）", max_length=50)


def parse_household_no(value: CellValue) -> str | None:
    """户编号 as text: leading zeros kept, full-width characters made ASCII."""
    return parse_compact(value, label="户编号", max_length=40, nfkc=True)


# ID numbers and disability certificates -----------------------------------

_CERT = re.compile(r"\d{17}[\dX][1-7][1-4]")


def is_numeric_cell(value: CellValue) -> bool:
    """Excel stored the cell as a number (not text, not a date)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_id(value: CellValue) -> idnumbers.ParsedId:
    """Validate an ID number cell (§3); raise ``IdNumberError``.

    A number cell, whatever its length, has lost digits: only text is read.
    """
    if is_numeric_cell(value):
        return idnumbers.parse(value, numeric_cell=True)
    if not isinstance(value, str):
        raise idnumbers.IdNumberError(idnumbers.INVALID_FORMAT)
    text = idnumbers.normalize(value)
    if not text.isascii():
        # Other scripts' digits pass str.isdigit() but are not ID digits.
        raise idnumbers.IdNumberError(idnumbers.INVALID_FORMAT)
    return idnumbers.parse(text)


def parse_disability_cert_no(value: CellValue) -> str | None:
    """残疾人证号: 20 characters, the ID number + category + grade digits."""
    if is_blank(value):
        return None
    if is_numeric_cell(value):
        raise InvalidValue(
            "残疾人证号被存为数字，后几位已丢失，请将该列设为文本后重新录入"
        )
    text = idnumbers.normalize(shown(value))
    if not (text.isascii() and _CERT.fullmatch(text)):
        raise InvalidValue(
            f"“{shown(value)}”不是有效的残疾人证号：应为 20 位，"
            "即 18 位身份证号码加残疾类别（1–7）和残疾等级（1–4）各一位，请核对后重新填写"
        )
    return text


# Townships ---------------------------------------------------------------


@dataclass(frozen=True)
class TownshipRef:
    """A township as the import needs it: id, name and accepted spellings."""

    id: object
    name: str
    aliases: tuple[str, ...] = ()


class TownshipMatcher:
    """Township names as people write them: suffix optional, aliases.

    Built from ``Township`` objects (``id``, ``name``, ``short_name``,
    ``aliases``), :class:`TownshipRef` or ``(id, name, aliases)`` tuples, so
    the same code works on the database's rows and in pure tests.
    """

    def __init__(self, townships: Iterable[object]):
        self._index: dict[str, TownshipRef] = {}
        refs = [township_ref(township) for township in townships]
        for ref in refs:
            for spelling in (ref.name, *ref.aliases):
                key = match_key(spelling)
                if key:
                    self._index.setdefault(key, ref)
        self.townships = tuple(refs)
        self._seen: dict[str, TownshipRef | None] = {}

    def match(self, value: CellValue) -> TownshipRef | None:
        """The township ``value`` names, or None (blank or unknown)."""
        if is_blank(value) or not isinstance(value, str):
            return None
        if value in self._seen:
            return self._seen[value]
        key = match_key(normalize(value))
        found = self._index.get(key) if key else None
        if len(self._seen) < 1000:
            self._seen[value] = found
        return found


def township_ref(township: object) -> TownshipRef:
    """A :class:`TownshipRef` from a model row, a ref or an ``(id, name, aliases)``."""
    if isinstance(township, TownshipRef):
        return township
    if isinstance(township, tuple):
        ident, name, *rest = township
        aliases = tuple(rest[0]) if rest else ()
        return TownshipRef(ident, name, aliases)
    short = getattr(township, "short_name", "") or ""
    aliases = tuple(getattr(township, "aliases", ()) or ())
    return TownshipRef(
        township.id,  # type: ignore[attr-defined]
        township.name,  # type: ignore[attr-defined]
        (short, *aliases) if short else aliases,
    )


def match_township(value: CellValue, townships: Iterable[object]) -> TownshipRef | None:
    """One-off form of :meth:`TownshipMatcher.match`."""
    return TownshipMatcher(townships).match(value)
