"""Derived facts (policy-rules.md, "Derived facts"), computed once per member.

:class:`HouseholdView` wraps a :class:`~.facts.HouseholdFacts` for one
evaluation date and parameters, and holds a :class:`MemberView` per member:
age, disability, what the member is on, and the tri-state facts the rules
combine (no labour capacity, no capable supporter, no livelihood source,
unemployed, cannot self-care, willing).  Everything a rule needs about the
household is computed here once, so the rules stay linear in the number of
members.
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from households import idnumbers

from .base import NO, Fact, Tri, all_of, any_of, fact, first_of
from .facts import (
    DIBAO,
    TEKUN,
    EnrollmentFact,
    GrantFact,
    HouseholdFacts,
    MemberFacts,
)
from .params import Params

_T = TypeVar("_T")


class cached_property(Generic[_T]):
    """A lock-free ``functools.cached_property`` for single-threaded views.

    Python 3.11's version takes a lock on every first access, a measurable
    share of evaluating 18,000 members; a view is used by one thread only.
    """

    def __init__(self, func: Callable[[Any], _T]):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = self.func(instance)
        instance.__dict__[self.name] = value
        return value


IN_SCOPE_STATUSES = frozenset({"not_lifted", "lifted_keeping_policy", ""})

CATEGORY_LABELS = {
    "visual": "视力",
    "hearing": "听力",
    "speech": "言语",
    "physical": "肢体",
    "intellectual": "智力",
    "mental": "精神",
    "multiple": "多重",
}
# The category digit of the 20-character disability certificate number.
CATEGORY_DIGITS = {
    "visual": "1",
    "hearing": "2",
    "speech": "3",
    "physical": "4",
    "intellectual": "5",
    "mental": "6",
    "multiple": "7",
}
MENTAL_CATEGORIES = frozenset({"intellectual", "mental"})

# Grades that make a category incapacitating for the tekun test.
INCAPACITY_LISTS: dict[str, dict[str, frozenset[int]]] = {
    "2016": {
        "intellectual": frozenset({1, 2}),
        "mental": frozenset({1, 2}),
        "physical": frozenset({1}),
    },
    "2021": {
        "intellectual": frozenset({1, 2, 3}),
        "mental": frozenset({1, 2, 3}),
        "physical": frozenset({1, 2}),
        "visual": frozenset({1}),
    },
}

ELDERLY_AGE = 60
ADULT_SUPPORTER_AGE = 18

NOT_RECORDED = "none"
RECORDED = "recorded"
INCOMPLETE = "incomplete"

AGE_UNKNOWN = "身份证号码无效，无法确定出生日期和年龄，请核实身份证号码"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by calendar months, clamped to the month's last day.

    2020-08-31 minus 6 months is 2020-02-29.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def first_of_next_month(day: datetime.date) -> datetime.date:
    return add_months(day.replace(day=1), 1)


BENEFIT_LABELS = {
    "dibao": "低保",
    "tekun": "特困供养",
    "temporary_assistance": "临时救助",
    "disability_living": "困难残疾人生活补贴",
    "disability_nursing": "重度残疾人护理补贴",
    "elderly": "困难老年人补贴",
}
CARE_MODE_LABELS = {"dispersed": "分散供养", "centralized": "集中供养"}


def is_application(enrollment: EnrollmentFact, *, whole_household: bool) -> bool:
    """A dibao or tekun application of the given kind (for the bridge).

    Whole-household: a whole-household dibao application.  Otherwise: a
    single-person dibao or a tekun application.
    """
    if enrollment.benefit == TEKUN:
        return not whole_household
    if enrollment.benefit == DIBAO:
        return enrollment.is_whole_household == whole_household
    return False


def application_date(
    applications: Iterable[EnrollmentFact],
) -> datetime.date | None:
    """The earliest application date; None when any date is blank."""
    dates = [e.start for e in applications]
    if any(d is None for d in dates):
        return None
    return min(d for d in dates if d is not None)


def granted_since(
    grants: Iterable[GrantFact], since: datetime.date | None, as_of: datetime.date
) -> bool:
    """A grant paid on or after ``since`` (blank: any) and by ``as_of``."""
    return any(g.date <= as_of and (since is None or g.date >= since) for g in grants)


def parse_id(value: str) -> idnumbers.ParsedId | None:
    """The parsed ID number, or None when it fails validation."""
    try:
        return idnumbers.parse(value or "")
    except idnumbers.IdNumberError:
        return None


@dataclass(frozen=True, slots=True)
class Disability:
    """A member's recorded disability and how complete the record is.

    ``state`` is ``recorded`` (category and grade 1-4), ``none`` (nothing
    recorded and health not 残疾) or ``incomplete`` (health 残疾 without
    category or grade, or only one of the two): every rule that needs the
    disability then reports ``review``.
    """

    category: str
    grade: int | None
    state: str

    @property
    def label(self) -> str:
        """``智力残疾2级``; empty unless recorded."""
        if self.state != RECORDED:
            return ""
        return f"{CATEGORY_LABELS[self.category]}残疾{self.grade}级"

    @property
    def incomplete_text(self) -> str:
        if self.category:
            what = f"已登记残疾类别（{CATEGORY_LABELS[self.category]}）但未登记残疾等级"
        elif self.grade is not None:
            what = f"已登记残疾等级（{self.grade}级）但未登记残疾类别"
        else:
            what = "健康状况为残疾，但未登记残疾类别和等级"
        return f"{what}，请核实残疾人证后补录"

    def matches(self, predicate: Callable[[str, int], bool], text: str = "") -> Fact:
        """Tri-state ``predicate(category, grade)``; False when none recorded.

        ``text`` may use ``{label}``; it defaults to the label itself.
        """
        if self.state == NOT_RECORDED:
            return NO
        if self.state == INCOMPLETE:
            return Fact.unknown(self.incomplete_text)
        holds = predicate(self.category, self.grade or 0)
        return fact(holds, (text or "{label}").format(label=self.label))

    def tri(self, predicate: Callable[[str, int], bool]) -> Tri:
        return self.matches(predicate).value


def disability_of(member: MemberFacts) -> Disability:
    category = member.disability_category
    if category not in CATEGORY_LABELS:
        category = ""
    grade = member.disability_grade
    if grade not in (1, 2, 3, 4):
        grade = None
    disabled = member.health == "disabled"
    if category and grade is not None:
        state = RECORDED
    elif category or grade is not None or disabled:
        state = INCOMPLETE
    else:
        state = NOT_RECORDED
    return Disability(category, grade, state)


def is_severe(category: str, grade: int) -> bool:
    """重度残疾: grade 1 or 2, any category."""
    return grade in (1, 2)


def single_dibao_severe(params: Params) -> Callable[[str, int], bool]:
    """Parameter ``single_dibao_severity``."""
    plus_mental3 = params.single_dibao_severity == "grade1_2_plus_mental3"

    def predicate(category: str, grade: int) -> bool:
        return grade in (1, 2) or (
            plus_mental3 and grade == 3 and category in MENTAL_CATEGORIES
        )

    return predicate


def nursing_severe(params: Params) -> Callable[[str, int], bool]:
    """Nursing-subsidy severity: grade 1-2, or mental 3 when extended.

    Intellectual or mental grade 3 counts when ``nursing_extends_grade3``.
    """
    extends = params.nursing_extends_grade3

    def predicate(category: str, grade: int) -> bool:
        return grade in (1, 2) or (
            extends and grade == 3 and category in MENTAL_CATEGORIES
        )

    return predicate


# Relations to the head that make a member a spouse, child or parent of the
# head (policy-rules.md: relations between members).
_SPOUSE = "spouse"
_CHILDREN = frozenset({"son", "daughter"})
_PARENTS = frozenset({"father", "mother"})


class MemberView:
    """One member's derived facts at the evaluation date."""

    def __init__(self, member: MemberFacts, household: HouseholdView):
        as_of = household.as_of
        self.facts = member
        self.id = member.id
        self.household = household
        parsed = parse_id(member.id_number)
        self.parsed_id = parsed
        # The number duplicates are compared on: normalised, upgraded to 18.
        self.id_key = (
            parsed.number if parsed else idnumbers.normalize(member.id_number or "")
        )
        # An ID that fails validation gives no trustworthy birth date: the
        # age is unknown and age-dependent rules report review.
        self.age: int | None = (
            idnumbers.age_on(parsed.birth_date, as_of) if parsed else None
        )
        self.disability = disability_of(member)
        self.living = member.is_living
        enrollments = member.enrollments
        active: tuple[EnrollmentFact, ...] = ()
        self.pending: tuple[EnrollmentFact, ...] = ()
        if enrollments:
            active = tuple(e for e in enrollments if e.is_active_on(as_of))
            self.pending = tuple(e for e in enrollments if e.is_pending_on(as_of))
        self.active_enrollments = active
        self.active_benefits = frozenset(e.benefit for e in active)
        self.on_dibao = DIBAO in self.active_benefits
        self.on_tekun = TEKUN in self.active_benefits
        self.on_whole_household_dibao = any(e.is_whole_household for e in active)
        # A blank care mode reads as dispersed, the roster's default; a member
        # with any centralized tekun enrollment lives in an institution.
        self.tekun_care_mode = (
            "centralized"
            if any(e.benefit == TEKUN and e.care_mode == "centralized" for e in active)
            else "dispersed"
        )
        self.in_scope = household.in_scope and self.living

    # Age ---------------------------------------------------------------

    def age_fact(self, predicate: Callable[[int], bool], text: str) -> Fact:
        """``predicate(age)``; ``text`` may use ``{age}``. Unknown: review."""
        if self.age is None:
            return Fact.unknown(AGE_UNKNOWN)
        return fact(predicate(self.age), text.format(age=self.age))

    def age_at_least(self, years: int) -> Tri:
        return None if self.age is None else self.age >= years

    # Disability --------------------------------------------------------

    @cached_property
    def severe(self) -> Tri:
        return self.disability.tri(is_severe)

    @cached_property
    def no_labour_capacity(self) -> Fact:
        """无劳动能力 for the tekun test (age, or disability by the list).

        Age >= 60 or below ``tekun_minor_age``, or a disability on the
        ``tekun_incapacity_list``.  A multiple disability (components not
        recorded) counts as physical at its grade; a result that rests on it
        is unknown, so the tekun finding becomes a review.
        """
        params = self.household.params
        minor = params.tekun_minor_age
        if self.age is None:
            by_age = Fact.unknown(AGE_UNKNOWN)
        elif self.age >= ELDERLY_AGE:
            by_age = Fact.yes(f"年满60周岁（{self.age}岁），无劳动能力")
        elif self.age < minor:
            by_age = Fact.yes(f"未满{minor}周岁（{self.age}岁），无劳动能力")
        else:
            by_age = NO
        grades = INCAPACITY_LISTS[params.tekun_incapacity_list]
        disability = self.disability
        by_disability = disability.matches(
            lambda category, grade: (
                grade
                in grades.get("physical" if category == "multiple" else category, ())
            ),
            "{label}，无劳动能力",
        )
        if by_disability.value and disability.category == "multiple":
            by_disability = Fact.unknown(
                f"多重残疾{disability.grade}级未登记具体类别，按肢体残疾"
                f"{disability.grade}级认定为无劳动能力，请核实各类残疾"
            )
        return first_of(by_age, by_disability)

    # Employment, self-care, willingness ------------------------------

    @cached_property
    def unemployed(self) -> Fact:
        """无业: employment ``unemployed``; blank or 其他 is unknown."""
        employment = self.facts.employment
        if employment == "unemployed":
            return Fact.yes("无业")
        if employment in ("", "other"):
            shown = "为“其他”" if employment else "未填写"
            return Fact.unknown(f"就业状况{shown}，请核实是否无业")
        return NO

    @cached_property
    def employed(self) -> Tri:
        """务工, 务农 or 个体经营; a student or pre-school child is neither."""
        employment = self.facts.employment
        if employment in ("", "other"):
            return None
        return employment in ("migrant_work", "farming", "self_employed")

    @cached_property
    def cannot_self_care(self) -> Fact:
        """生活不能自理 per ``cannot_self_care_levels``; blank is unknown."""
        self_care = self.facts.self_care
        if not self_care:
            return Fact.unknown("生活自理能力未填写，请核实是否能自理")
        levels = self.household.params.cannot_self_care_levels
        unable = ("partial", "none") if levels == "partial_none" else ("none",)
        shown = {"partial": "半失能", "none": "全失能"}.get(self_care, "")
        return fact(self_care in unable, f"生活不能自理（{shown}）")

    @cached_property
    def willing_centralized(self) -> Fact:
        value = self.facts.willing_centralized
        if value == "yes":
            return Fact.yes("本人愿意集中供养")
        if value == "no":
            return NO
        return Fact.unknown("集中供养意愿未询问，请询问本人意愿")

    # Supporters --------------------------------------------------------

    @cached_property
    def capable_as_supporter(self) -> Tri:
        """Aged 18 or over and not unable (policy-rules.md: capable supporter).

        Unable: on tekun; or on dibao and (age >= 60 or severely disabled).
        """
        adult = self.age_at_least(ADULT_SUPPORTER_AGE)
        if self.on_tekun:
            unable: Tri = True
        elif self.on_dibao:
            unable = any_of(self.age_at_least(ELDERLY_AGE), self.severe)
        else:
            unable = False
        return all_of(adult, None if unable is None else not unable)

    @cached_property
    def no_capable_supporter(self) -> Fact:
        """无有履行能力的法定义务人, decided by ``supporter_status`` first.

        ``able`` -> a supporter exists; ``none``/``unable`` -> none; unknown
        -> a capable spouse, child or parent in the household means one
        exists, none found means unknown (supporters often live elsewhere).
        """
        status = self.facts.supporter_status
        if status == "able":
            return NO
        if status == "none":
            return Fact.yes("无法定赡养、抚养、扶养义务人")
        if status == "unable":
            return Fact.yes("法定赡养、抚养、扶养义务人无履行能力")
        relatives = self.household.relatives.get(self.id, ())
        if any(r.capable_as_supporter is True for r in relatives):
            return NO
        return Fact.unknown(
            "户内未发现有履行能力的法定赡养、抚养、扶养义务人，户外义务人情况未核实，"
            "请核实配偶、子女、父母的履行能力并登记“法定义务人情况”"
        )


class HouseholdView:
    """A household's derived facts for one evaluation date and parameters.

    ``members`` holds every member (for data-quality rules); ``living``
    the living, non-removed ones; ``scoped`` the members coverage and
    consistency rules apply to: the living ones of a household whose
    poverty_status is not_lifted, lifted_keeping_policy or blank.
    """

    def __init__(
        self,
        household: HouseholdFacts,
        as_of: datetime.date,
        params: Params,
        *,
        county_code: str = idnumbers.COUNTY_CODE,
        duplicate_ids: frozenset[str] = frozenset(),
    ):
        self.facts = household
        self.as_of = as_of
        self.params = params
        self.county_code = county_code
        self.duplicate_ids = duplicate_ids
        self.in_scope = household.poverty_status in IN_SCOPE_STATUSES
        self.members = [MemberView(m, self) for m in household.members]
        self.living = [m for m in self.members if m.living]
        self.scoped = [m for m in self.living if m.in_scope]
        # Only living, non-removed members make the household "on" a
        # benefit: a dead member's leftover enrollment covers nobody.
        self.whole_household_dibao = any(
            m.on_whole_household_dibao for m in self.living
        )

    @cached_property
    def id_counts(self) -> Counter[str]:
        """How often each ID number occurs among non-removed members."""
        return Counter(m.id_key for m in self.members if not m.facts.removed)

    @cached_property
    def relatives(self) -> dict[int, tuple[MemberView, ...]]:
        """Spouses, parents and children, derived from relations to the head.

        head-spouse are spouses; the head and the head's spouse are parents
        of 之子/之女; 之父/之母 are parents of the head.  Other pairs are not
        derived.  Only living, non-removed members can support anyone.
        """
        heads, spouses, children, parents = [], [], [], []
        for m in self.living:
            relation = m.facts.relation
            if relation == "head":
                heads.append(m)
            elif relation == _SPOUSE:
                spouses.append(m)
            elif relation in _CHILDREN:
                children.append(m)
            elif relation in _PARENTS:
                parents.append(m)
        result: dict[int, tuple[MemberView, ...]] = {}
        for m in heads:
            result[m.id] = (*spouses, *children, *parents)
        for m in spouses:
            result[m.id] = (*heads, *children)
        for m in children:
            result[m.id] = (*heads, *spouses)
        for m in parents:
            result[m.id] = tuple(heads)
        return result

    @cached_property
    def dibao_standard(self) -> tuple[str, Decimal | None]:
        """The standard in force: urban for a 社区, rural otherwise."""
        if self.facts.village_kind == "community":
            return "城市", self.params.dibao_standard_urban
        return "农村", self.params.dibao_standard_rural

    @cached_property
    def no_livelihood(self) -> Fact:
        """无生活来源: income after deductions below the dibao standard.

        income_per_capita - (employment_costs + rigid_expenses) / number of
        living, non-removed members < standard.  Blank deductions count as 0;
        blank income or no standard in force makes the fact unknown.
        """
        household = self.facts
        kind, standard = self.dibao_standard
        unknown = []
        if household.income_per_capita is None:
            unknown.append("家庭年人均纯收入未填写，请核实家庭收入")
        if standard is None:
            unknown.append(f"{kind}低保标准未录入，请管理员录入评估日适用的低保标准")
        if not self.living:
            unknown.append("户内无在世成员，无法计算人均收入")
        if unknown or household.income_per_capita is None or standard is None:
            return Fact.unknown("；".join(unknown))
        deductions = (household.employment_costs or Decimal(0)) + (
            household.rigid_expenses or Decimal(0)
        )
        net = household.income_per_capita - deductions / len(self.living)
        shown = net.quantize(Decimal("0.01"))
        if deductions:
            what = f"家庭年人均纯收入扣减就业成本和刚性支出后为{shown}元"
        else:
            what = f"家庭年人均纯收入{shown}元"
        return fact(
            net < standard,
            f"{what}，低于{kind}低保标准（{standard}元/人·年），无生活来源",
        )
