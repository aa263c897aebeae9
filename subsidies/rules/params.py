"""Dated policy parameters (policy-rules.md, "Parameters").

``PARAMETER_SPECS`` describes every parameter: its Chinese label, its domain
and its default (``tekun_minor_age`` has a dated default).  ``parse_value``
validates what an admin types (``set_parameter``, the admin UI);
``resolve_params`` turns the stored dated values into the ``Params`` in force
at an evaluation date.  Pure Python: the ORM service reads the
``PolicyParameter`` rows and hands them over as plain tuples.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from typing import Any

# Domains of parameter values.
DECIMAL = "decimal"
INT = "int"
CHOICE = "choice"
BOOL = "bool"
PER_CARE_MODE = "per_care_mode"

CARE_MODES = ("centralized", "dispersed")
CARE_MODE_LABELS = {"centralized": "集中供养", "dispersed": "分散供养"}
NURSING_CHOICES = ("no", "review", "yes")

# The 2020 national notice moved the tekun minor age from 16 to 18; the
# default date is the spec's, to be confirmed by the admin (open question 6).
TEKUN_MINOR_AGE_CHANGE = datetime.date(2020, 7, 1)


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    """One parameter of policy-rules.md: what it means and what it accepts.

    ``default`` is the value before any dated default in ``dated_defaults``
    (pairs of ``(effective_from, value)``, oldest first).  ``choices`` pairs
    each accepted code with its Chinese label; for ``per_care_mode`` they are
    the per-mode choices and ``default`` is a dict by care mode.
    """

    name: str
    label: str
    domain: str
    default: Any
    choices: tuple[tuple[Any, str], ...] = ()
    dated_defaults: tuple[tuple[datetime.date, Any], ...] = ()
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    unit: str = ""
    help_text: str = ""

    def default_on(self, as_of: datetime.date) -> Any:
        """The spec default in force at ``as_of``."""
        value = self.default
        for effective_from, dated in self.dated_defaults:
            if effective_from <= as_of:
                value = dated
        if isinstance(value, dict):
            return dict(value)
        return value

    def choice_label(self, value: Any) -> str:
        """The Chinese label of a choice code, or the code itself."""
        return dict(self.choices).get(value, str(value))


PARAMETER_SPECS: dict[str, ParameterSpec] = {
    spec.name: spec
    for spec in (
        ParameterSpec(
            name="dibao_standard_rural",
            label="农村低保标准",
            domain=DECIMAL,
            default=None,
            minimum=Decimal("0.01"),
            unit="元/人·年",
            help_text="村（居）类型为“村”的家庭适用；未录入时相关规则一律报“需核实”",
        ),
        ParameterSpec(
            name="dibao_standard_urban",
            label="城市低保标准",
            domain=DECIMAL,
            default=None,
            minimum=Decimal("0.01"),
            unit="元/人·年",
            help_text="村（居）类型为“社区”的家庭适用",
        ),
        ParameterSpec(
            name="single_dibao_severity",
            label="重残单人保的重度残疾范围",
            domain=CHOICE,
            default="grade1_2_plus_mental3",
            choices=(
                ("grade1_2", "一、二级（各类别）"),
                ("grade1_2_plus_mental3", "一、二级，以及三级智力、精神残疾"),
            ),
        ),
        ParameterSpec(
            name="single_dibao_adult_age",
            label="重残单人保的成年年龄",
            domain=INT,
            default=18,
            choices=((16, "16周岁"), (18, "18周岁")),
            unit="周岁",
        ),
        ParameterSpec(
            name="tekun_minor_age",
            label="特困人员认定的未成年年龄",
            domain=INT,
            default=16,
            choices=((16, "16周岁"), (18, "18周岁")),
            dated_defaults=((TEKUN_MINOR_AGE_CHANGE, 18),),
            unit="周岁",
            help_text="2016年规定为16周岁，2020年国家通知改为18周岁（默认2020-07-01起）",
        ),
        ParameterSpec(
            name="tekun_incapacity_list",
            label="特困无劳动能力的残疾范围",
            domain=CHOICE,
            default="2016",
            choices=(
                ("2016", "2016年：智力、精神一至二级，肢体一级"),
                ("2021", "2021年：智力、精神一至三级，肢体一至二级，视力一级"),
            ),
        ),
        ParameterSpec(
            name="nursing_extends_grade3",
            label="护理补贴扩至三级智力、精神残疾",
            domain=BOOL,
            default=False,
        ),
        ParameterSpec(
            name="tekun_may_get_nursing",
            label="特困人员可否享受护理补贴",
            domain=PER_CARE_MODE,
            default={"centralized": "no", "dispersed": "review"},
            choices=(("no", "不可以"), ("review", "需核实"), ("yes", "可以")),
            help_text="按供养方式分别设置，例如 dispersed=yes",
        ),
        ParameterSpec(
            name="extension_months",
            label="延保月数",
            domain=INT,
            default=6,
            minimum=Decimal(1),
            maximum=Decimal(24),
            unit="个月",
        ),
        ParameterSpec(
            name="extension_start",
            label="延保起算时间",
            domain=CHOICE,
            default="month_after_review",
            choices=(
                ("month_after_review", "复核次月起"),
                ("review_date", "复核之日起"),
            ),
        ),
        ParameterSpec(
            name="cannot_self_care_levels",
            label="“生活不能自理”的范围",
            domain=CHOICE,
            default="partial_none",
            choices=(
                ("partial_none", "半失能和全失能"),
                ("none", "仅全失能"),
            ),
        ),
        ParameterSpec(
            name="centralized_target",
            label="特困人员集中供养率目标",
            domain=DECIMAL,
            default=Decimal(50),
            minimum=Decimal(0),
            maximum=Decimal(100),
            unit="%",
        ),
        # Care services (care/, work point 四): no rule reads these two,
        # but they are dated and set like the others.
        ParameterSpec(
            name="visit_interval_days",
            label="留守老年人、儿童探访周期",
            domain=INT,
            default=30,
            minimum=Decimal(1),
            maximum=Decimal(365),
            unit="天",
            help_text="登记或上次探访后超过该天数未探访即为探访逾期",
        ),
        ParameterSpec(
            name="advanced_age",
            label="高龄年龄（集中供养候选）",
            domain=INT,
            default=80,
            minimum=Decimal(60),
            maximum=Decimal(120),
            unit="周岁",
            help_text="达到该年龄的失能低保对象列为自愿集中供养候选",
        ),
    )
}


def _default_nursing() -> dict[str, str]:
    return dict(PARAMETER_SPECS["tekun_may_get_nursing"].default)


@dataclass(frozen=True, slots=True)
class Params:
    """Every parameter, resolved for one evaluation date.

    The defaults are the spec's.  ``tekun_minor_age`` has a dated default
    (16, then 18 from 2020-07-01): the field default is the later value, so
    build the ``Params`` for a date with :func:`resolve_params` (or
    :meth:`defaults`), which applies the dated default.
    """

    dibao_standard_rural: Decimal | None = None
    dibao_standard_urban: Decimal | None = None
    single_dibao_severity: str = "grade1_2_plus_mental3"
    single_dibao_adult_age: int = 18
    tekun_minor_age: int = 18
    tekun_incapacity_list: str = "2016"
    nursing_extends_grade3: bool = False
    tekun_may_get_nursing: dict[str, str] = field(default_factory=_default_nursing)
    extension_months: int = 6
    extension_start: str = "month_after_review"
    cannot_self_care_levels: str = "partial_none"
    centralized_target: Decimal = Decimal(50)
    visit_interval_days: int = 30
    advanced_age: int = 80

    @classmethod
    def defaults(cls, as_of: datetime.date) -> Params:
        """The spec defaults in force at ``as_of``."""
        return resolve_params(as_of)

    def nursing_for(self, care_mode: str) -> str:
        """``tekun_may_get_nursing`` for a care mode (blank = dispersed)."""
        mode = care_mode or "dispersed"
        return self.tekun_may_get_nursing.get(mode, _default_nursing()[mode])


PARAM_NAMES = tuple(f.name for f in fields(Params))


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


def _invalid(spec: ParameterSpec, text: str, expected: str) -> ValueError:
    return ValueError(f"参数 {spec.name}（{spec.label}）的值“{text}”无效：{expected}")


def _choices_text(spec: ParameterSpec) -> str:
    return "、".join(f"{code}（{label}）" for code, label in spec.choices)


def _parse_decimal(spec: ParameterSpec, text: str) -> Decimal:
    cleaned = _clean(text).replace(",", "").removesuffix(spec.unit).removesuffix("元")
    expected = "应为数字"
    if spec.minimum is not None:
        expected += f"，不小于 {spec.minimum}"
    if spec.maximum is not None:
        expected += f"，不大于 {spec.maximum}"
    try:
        value = Decimal(cleaned.strip())
    except InvalidOperation:
        raise _invalid(spec, text, expected) from None
    if not value.is_finite():
        raise _invalid(spec, text, expected)
    if spec.minimum is not None and value < spec.minimum:
        raise _invalid(spec, text, expected)
    if spec.maximum is not None and value > spec.maximum:
        raise _invalid(spec, text, expected)
    return value


def _parse_int(spec: ParameterSpec, text: str) -> int:
    cleaned = _clean(text).removesuffix(spec.unit).removesuffix("岁").strip()
    if spec.choices:
        expected = "应为 " + "、".join(str(code) for code, _ in spec.choices)
    else:
        expected = f"应为 {spec.minimum} 至 {spec.maximum} 之间的整数"
    if not cleaned.isdigit():
        raise _invalid(spec, text, expected)
    value = int(cleaned)
    if spec.choices and value not in dict(spec.choices):
        raise _invalid(spec, text, expected)
    if spec.minimum is not None and value < spec.minimum:
        raise _invalid(spec, text, expected)
    if spec.maximum is not None and value > spec.maximum:
        raise _invalid(spec, text, expected)
    return value


def _parse_choice(spec: ParameterSpec, text: str) -> str:
    cleaned = _clean(text)
    for code, label in spec.choices:
        if cleaned.lower() == str(code).lower() or cleaned == label:
            return code
    raise _invalid(spec, text, "应为 " + _choices_text(spec))


_TRUE = {"true", "1", "yes", "on", "是", "开", "开启"}
_FALSE = {"false", "0", "no", "off", "否", "关", "关闭"}


def _parse_bool(spec: ParameterSpec, text: str) -> bool:
    cleaned = _clean(text).lower()
    if cleaned in _TRUE:
        return True
    if cleaned in _FALSE:
        return False
    raise _invalid(spec, text, "应为 true（是）或 false（否）")


_MODE_ALIASES = {
    "centralized": "centralized",
    "集中": "centralized",
    "集中供养": "centralized",
    "dispersed": "dispersed",
    "分散": "dispersed",
    "分散供养": "dispersed",
}


def _parse_per_care_mode(spec: ParameterSpec, text: str) -> tuple[str, str]:
    expected = (
        "应为“供养方式=取值”，供养方式为 centralized（集中）或 dispersed（分散），"
        "取值为 " + _choices_text(spec) + "，例如 dispersed=yes"
    )
    mode_text, sep, choice_text = _clean(text).partition("=")
    mode = _MODE_ALIASES.get(mode_text.strip().lower())
    if not sep or mode is None:
        raise _invalid(spec, text, expected)
    try:
        choice = _parse_choice(spec, choice_text)
    except ValueError:
        raise _invalid(spec, text, expected) from None
    return mode, choice


_PARSERS = {
    DECIMAL: _parse_decimal,
    INT: _parse_int,
    CHOICE: _parse_choice,
    BOOL: _parse_bool,
    PER_CARE_MODE: _parse_per_care_mode,
}


def get_spec(name: str) -> ParameterSpec:
    """The spec of ``name``; ``ValueError`` in Chinese for an unknown name."""
    try:
        return PARAMETER_SPECS[name]
    except KeyError:
        known = "、".join(PARAMETER_SPECS)
        raise ValueError(f"未知参数“{name}”。可设置的参数：{known}") from None


def parse_value(name: str, text: str) -> Any:
    """Validate a value typed for parameter ``name`` and return it typed.

    Decimals come back as ``Decimal``, ages and months as ``int``, switches
    as ``bool``, choices as their code; ``tekun_may_get_nursing`` takes
    ``MODE=CHOICE`` (``dispersed=yes``) and returns ``(mode, choice)``.
    Raises ``ValueError`` with a Chinese message for an unknown name or a
    value outside the domain.
    """
    spec = get_spec(name)
    return _PARSERS[spec.domain](spec, str(text))


def format_value(name: str, value: Any) -> str:
    """The text form of a typed value, accepted back by :func:`parse_value`."""
    spec = get_spec(name)
    if spec.domain == BOOL:
        return "true" if value else "false"
    if spec.domain == PER_CARE_MODE:
        mode, choice = value
        return f"{mode}={choice}"
    return str(value)


def coerce_value(name: str, value: Any) -> Any:
    """Typed value from a stored one: text, or a JSON number, bool or dict.

    ``PolicyParameter.value`` is a JSON field, so a stored value may already
    be typed.  For ``tekun_may_get_nursing`` the result is a dict by care mode
    holding the modes the stored value sets (one for ``"dispersed=yes"``).
    """
    spec = get_spec(name)
    if spec.domain == PER_CARE_MODE:
        if isinstance(value, Mapping):
            return dict(parse_value(name, f"{key}={val}") for key, val in value.items())
        if isinstance(value, (tuple, list)) and len(value) == 2:
            value = f"{value[0]}={value[1]}"
        mode, choice = parse_value(name, value)
        return {mode: choice}
    if isinstance(value, bool) and spec.domain == BOOL:
        return value
    if isinstance(value, Decimal) and spec.domain == DECIMAL:
        return parse_value(name, str(value))
    if isinstance(value, float) and spec.domain == INT and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A JSON float such as 4200.5 goes through its shortest repr.
        return parse_value(name, repr(value))
    return parse_value(name, value)


def resolve_params(
    as_of: datetime.date,
    rows: Iterable[tuple[str, datetime.date, Any]] = (),
) -> Params:
    """The parameters in force at ``as_of``.

    ``rows`` are the stored dated values, ``(name, effective_from, value)``
    in any order; a value holds from its ``effective_from`` until the next
    one.  A name without a row in force gets its spec default at ``as_of``.
    Names this module does not know (added by later work items) are
    ignored.  ``tekun_may_get_nursing`` is resolved per care mode, so a row
    setting one mode leaves the other one as it was.
    """
    values: dict[str, Any] = {
        name: PARAMETER_SPECS[name].default_on(as_of) for name in PARAM_NAMES
    }
    in_force = sorted(
        (row for row in rows if row[0] in PARAMETER_SPECS and row[1] <= as_of),
        key=lambda row: row[1],
    )
    for name, _effective_from, value in in_force:
        typed = coerce_value(name, value)
        if PARAMETER_SPECS[name].domain == PER_CARE_MODE:
            values[name] = {**values[name], **typed}
        else:
            values[name] = typed
    return Params(**values)
