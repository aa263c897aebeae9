"""Reads over several care models: lists with visit status, candidates for
centralized care, the workforce flags and the work-point tracker.

Every read takes the user's scope (``visible_to``) or an explicit list of
township ids the caller has already scoped, and runs in a constant number
of queries whatever the number of people.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from households.models import Member, Township, Village
from subsidies.models import Enrollment
from subsidies.parameters import params_for

from .models import (
    CharityDrive,
    Child,
    ChildCategory,
    ChildSupervisor,
    ElderlyPerson,
    Institution,
    InstitutionResident,
    SocialOrganization,
    sees_children,
)
from .visits import birth_cutoff, visit_status
from .workpoints import WORK_POINTS, WorkPoint

SELF_CARE_LEVELS = {"partial_none": ("partial", "none"), "none": ("none",)}
SEVERE_GRADES = (1, 2)
# Policy-based centralized care is for adults; children with a severe
# disability are cared for through the child-welfare system (work point 五).
ADULT_AGE = 18


@dataclass(frozen=True, slots=True)
class CareParams:
    """The dated parameters the care pages use, in force at ``on``."""

    on: datetime.date
    visit_interval_days: int
    advanced_age: int
    cannot_self_care_levels: str

    @property
    def overdue_cutoff(self) -> datetime.date:
        """Anchors (last visit or registration) before this are overdue."""
        return self.on - datetime.timedelta(days=self.visit_interval_days)


def care_params(on: datetime.date) -> CareParams:
    params = params_for(on)
    return CareParams(
        on=on,
        visit_interval_days=params.visit_interval_days,
        advanced_age=params.advanced_age,
        cannot_self_care_levels=params.cannot_self_care_levels,
    )


def attach_visit_status(people, params: CareParams) -> list:
    """Give each person (annotated ``with_last_visit``) a ``visit`` status."""
    people = list(people)
    for person in people:
        person.age = person.age_on(params.on)
        person.visit = visit_status(
            last_visit=person.last_visit,
            registered_on=person.registered_on,
            interval_days=params.visit_interval_days,
            on=params.on,
        )
    return people


# Overdue visits -------------------------------------------------------------


@dataclass
class OverdueSummary:
    elderly: int = 0
    children: int = 0
    children_visible: bool = False
    interval_days: int = 30

    @property
    def total(self) -> int:
        return self.elderly + self.children


def overdue_summary(user, on: datetime.date) -> OverdueSummary:
    """Overdue visits in the user's scope (children only for those who see them)."""
    params = care_params(on)
    summary = OverdueSummary(interval_days=params.visit_interval_days)
    summary.elderly = (
        ElderlyPerson.objects.visible_to(user)
        .overdue(on, params.visit_interval_days)
        .count()
    )
    if sees_children(user):
        summary.children_visible = True
        summary.children = (
            Child.objects.visible_to(user)
            .overdue(on, params.visit_interval_days)
            .count()
        )
    return summary


# Candidates for voluntary centralized care --------------------------------


def centralized_candidates(members, params: CareParams):
    """Members on dibao, aged ``advanced_age`` or more who cannot self-care,
    or adults (18 or over) with a severe disability (grade 1–2), not yet
    housed in an institution.

    Work point 四: 高龄失能和重度残疾人 of dibao households, to be offered
    policy-based centralized care on a voluntary basis.
    """
    on = params.on
    cutoff = birth_cutoff(on, params.advanced_age)
    adult = birth_cutoff(on, ADULT_AGE)
    levels = SELF_CARE_LEVELS.get(params.cannot_self_care_levels, ("partial", "none"))
    on_dibao = Enrollment.objects.active_on(on).filter(
        benefit_id="dibao", member=OuterRef("pk")
    )
    placed = InstitutionResident.objects.filter(member=OuterRef("pk"))
    return (
        members.filter(removed=False, deceased=False, household__removed=False)
        .filter(Exists(on_dibao))
        .filter(
            Q(birth_date__lte=cutoff, self_care__in=levels)
            | Q(birth_date__lte=adult, disability_grade__in=SEVERE_GRADES)
        )
        .exclude(Exists(placed))
    )


def candidate_reasons(member, params: CareParams) -> list[str]:
    """Why a member is a candidate, in Chinese, for the list."""
    reasons = []
    age = member.age_on(params.on)
    levels = SELF_CARE_LEVELS.get(params.cannot_self_care_levels, ())
    if age is not None and age >= params.advanced_age and member.self_care in levels:
        reasons.append(f"高龄失能（{age}周岁，{member.get_self_care_display()}）")
    if member.disability_grade in SEVERE_GRADES and (age or 0) >= ADULT_AGE:
        category = member.get_disability_category_display() or "残疾"
        reasons.append(f"重度残疾（{category}{member.get_disability_grade_display()}）")
    return reasons


# Child-protection workforce ---------------------------------------------------


@dataclass
class TownshipWorkforce:
    township: Township
    supervisors: list = field(default_factory=list)
    villages: list = field(default_factory=list)

    @property
    def has_supervisor(self) -> bool:
        return bool(self.supervisors)

    @property
    def villages_without_director(self) -> list:
        return [v for v in self.villages if v.director is None]

    @property
    def villages_with_director_count(self) -> int:
        return len(self.villages) - len(self.villages_without_director)


def workforce(user, township: Township | None = None) -> list[TownshipWorkforce]:
    """Supervisors and village directors per township, with the gaps."""
    townships = Township.objects.visible_to(user).order_by("order", "name")
    if township is not None:
        townships = townships.filter(pk=township.pk)
    rows = {t.pk: TownshipWorkforce(t) for t in townships}
    supervisors = ChildSupervisor.objects.filter(
        active=True, township_id__in=list(rows)
    ).order_by("name")
    for supervisor in supervisors:
        rows[supervisor.township_id].supervisors.append(supervisor)
    villages = (
        Village.objects.filter(township_id__in=list(rows))
        .select_related("child_director")
        .order_by("name")
    )
    for village in villages:
        village.director = getattr(village, "child_director", None)
        rows[village.township_id].villages.append(village)
    return list(rows.values())


# The work-point tracker -------------------------------------------------------


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class TownshipIndicators:
    """One township's numbers for work points 四 to 九 (or the total)."""

    township_id: int | None
    name: str
    elderly: int = 0
    elderly_overdue: int = 0
    elderly_without_contact: int = 0
    candidates: int = 0
    left_behind_children: int = 0
    children_in_difficulty: int = 0
    children_overdue: int = 0
    supervisors: int = 0
    townships_without_supervisor: int = 0
    villages: int = 0
    villages_with_director: int = 0
    nursing_homes: int = 0
    happiness_homes: int = 0
    institutions_operating: int = 0
    beds: int = 0
    residents: int = 0
    charity_amount: Decimal = Decimal(0)
    social_organizations: int = 0
    villages_with_council: int = 0
    villages_with_rules: int = 0
    villages_with_disclosure: int = 0

    @property
    def children(self) -> int:
        return self.left_behind_children + self.children_in_difficulty

    @property
    def institutions(self) -> int:
        return self.nursing_homes + self.happiness_homes

    @property
    def villages_without_director(self) -> int:
        return self.villages - self.villages_with_director

    @property
    def director_rate(self) -> float | None:
        return _ratio(self.villages_with_director, self.villages)

    @property
    def council_rate(self) -> float | None:
        return _ratio(self.villages_with_council, self.villages)

    @property
    def rules_rate(self) -> float | None:
        return _ratio(self.villages_with_rules, self.villages)

    @property
    def disclosure_rate(self) -> float | None:
        return _ratio(self.villages_with_disclosure, self.villages)

    @property
    def operating_rate(self) -> float | None:
        return _ratio(self.institutions_operating, self.institutions)

    def add(self, other: TownshipIndicators) -> None:
        for name in self.__dataclass_fields__:
            if name not in ("township_id", "name"):
                setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class WorkPointRow:
    point: WorkPoint
    indicator: str


@dataclass
class WorkPointTracker:
    as_of: datetime.date
    params: CareParams
    rows: list[TownshipIndicators]
    total: TownshipIndicators
    points: list[WorkPointRow]

    @property
    def year(self) -> int:
        return self.as_of.year


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def format_yuan(amount: Decimal) -> str:
    """82,800 or 82,800.5: thousands grouped, no trailing zero cents."""
    text = f"{Decimal(amount):,.2f}"
    return text.removesuffix(".00")


def _indicator_texts(total: TownshipIndicators, year: int) -> dict[int, str]:
    """A one-line indicator for each of points 四 to 九."""
    return {
        4: (
            f"留守老年人 {total.elderly} 人，探访逾期 {total.elderly_overdue} 人，"
            f"未明确联络人 {total.elderly_without_contact} 人；"
            f"自愿集中供养候选 {total.candidates} 人"
        ),
        5: (
            f"留守儿童 {total.left_behind_children} 人、困境儿童 "
            f"{total.children_in_difficulty} 人，巡查探访逾期 {total.children_overdue} 人；"
            f"未配备儿童督导员的乡镇（街道）{total.townships_without_supervisor} 个，"
            f"村（居）儿童主任配备率 {_percent(total.director_rate)}"
        ),
        6: (
            f"敬老院 {total.nursing_homes} 个、农村幸福院 {total.happiness_homes} 个，"
            f"其中运营中 {total.institutions_operating} 个"
            f"（床位 {total.beds} 张，在院 {total.residents} 人）"
        ),
        7: (
            f"{year}年慈心一日捐 {format_yuan(total.charity_amount)} 元；"
            f"参与扶贫的社会组织 {total.social_organizations} 个"
        ),
        8: (
            f"建立红白理事会的村（居）{total.villages_with_council} 个，"
            f"占 {_percent(total.council_rate)}"
        ),
        9: (
            f"制定村规民约的村（居）占 {_percent(total.rules_rate)}，"
            f"落实村务公开的占 {_percent(total.disclosure_rate)}"
        ),
    }


def _by_township(rows, key="township_id") -> dict:
    return {row[key]: row for row in rows}


def work_point_tracker(
    *, as_of: datetime.date, township_ids: list[int] | None = None, user=None
) -> WorkPointTracker:
    """The nine work points and the indicators of 四 to 九 per township.

    ``township_ids`` are the townships to report (already scoped by the
    caller, e.g. the progress report's); with ``user`` instead, the
    townships the user sees.  People count when registered on or before
    ``as_of`` and still on the register; visits count up to ``as_of``; the
    charity drive is ``as_of``'s year.  Eleven queries, whatever the size.
    """
    townships = Township.objects.order_by("order", "name")
    if user is not None:
        townships = townships.visible_to(user)
    if township_ids is not None:
        townships = townships.filter(pk__in=township_ids)
    townships = list(townships)
    ids = [t.pk for t in townships]
    params = care_params(as_of)
    cutoff = params.overdue_cutoff

    villages = _by_township(
        Village.objects.filter(township_id__in=ids)
        .values("township_id")
        .annotate(
            total=Count("pk"),
            director=Count("child_director"),
            council=Count("pk", filter=Q(work_point__council_established=True)),
            rules=Count("pk", filter=Q(work_point__rules_in_place=True)),
            disclosure=Count("pk", filter=Q(work_point__disclosure_in_place=True)),
        )
        .order_by()
    )
    supervisors = _by_township(
        ChildSupervisor.objects.filter(active=True, township_id__in=ids)
        .values("township_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    elderly = _by_township(
        ElderlyPerson.objects.current()
        .filter(township_id__in=ids, registered_on__lte=as_of)
        .with_last_visit(as_of)
        .values("township_id")
        .annotate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(visit_anchor__lt=cutoff)),
            no_contact=Count("pk", filter=Q(contact_name="") | Q(contact_phone="")),
        )
        .order_by()
    )
    children = _by_township(
        Child.objects.current()
        .filter(township_id__in=ids, registered_on__lte=as_of)
        .with_last_visit(as_of)
        .values("township_id")
        .annotate(
            left_behind=Count("pk", filter=Q(category=ChildCategory.LEFT_BEHIND)),
            in_difficulty=Count("pk", filter=Q(category=ChildCategory.IN_DIFFICULTY)),
            overdue=Count("pk", filter=Q(visit_anchor__lt=cutoff)),
        )
        .order_by()
    )
    institutions = defaultdict(list)
    for row in (
        Institution.objects.filter(township_id__in=ids)
        .values("township_id", "kind", "status")
        .annotate(total=Count("pk"), beds=Sum("beds"), residents=Sum("residents"))
        .order_by()
    ):
        institutions[row["township_id"]].append(row)
    charity = {
        row["township_id"]: row["amount"]
        for row in CharityDrive.objects.filter(
            township_id__in=ids, year=as_of.year
        ).values("township_id", "amount")
    }
    organizations = _by_township(
        SocialOrganization.objects.filter(active=True, township_id__in=ids)
        .values("township_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    candidates = _by_township(
        centralized_candidates(
            Member.objects.filter(household__township_id__in=ids), params
        )
        .values("household__township_id")
        .annotate(total=Count("pk"))
        .order_by(),
        key="household__township_id",
    )

    rows = []
    for township in townships:
        pk = township.pk
        row = TownshipIndicators(township_id=pk, name=township.name)
        village = villages.get(pk, {})
        row.villages = village.get("total", 0)
        row.villages_with_director = village.get("director", 0)
        row.villages_with_council = village.get("council", 0)
        row.villages_with_rules = village.get("rules", 0)
        row.villages_with_disclosure = village.get("disclosure", 0)
        row.supervisors = supervisors.get(pk, {}).get("total", 0)
        row.townships_without_supervisor = 0 if row.supervisors else 1
        person = elderly.get(pk, {})
        row.elderly = person.get("total", 0)
        row.elderly_overdue = person.get("overdue", 0)
        row.elderly_without_contact = person.get("no_contact", 0)
        child = children.get(pk, {})
        row.left_behind_children = child.get("left_behind", 0)
        row.children_in_difficulty = child.get("in_difficulty", 0)
        row.children_overdue = child.get("overdue", 0)
        for entry in institutions.get(pk, []):
            if entry["kind"] == Institution.Kind.NURSING_HOME:
                row.nursing_homes += entry["total"]
            else:
                row.happiness_homes += entry["total"]
            if entry["status"] == Institution.Status.OPERATING:
                row.institutions_operating += entry["total"]
                row.beds += entry["beds"] or 0
                row.residents += entry["residents"] or 0
        row.charity_amount = charity.get(pk, Decimal(0))
        row.social_organizations = organizations.get(pk, {}).get("total", 0)
        row.candidates = candidates.get(pk, {}).get("total", 0)
        rows.append(row)

    total = TownshipIndicators(
        township_id=None, name="合计" if len(rows) == 1 else "全县合计"
    )
    for row in rows:
        total.add(row)
    texts = _indicator_texts(total, as_of.year)
    points = [WorkPointRow(point, texts.get(point.number, "")) for point in WORK_POINTS]
    return WorkPointTracker(
        as_of=as_of, params=params, rows=rows, total=total, points=points
    )
