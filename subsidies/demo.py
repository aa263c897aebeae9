"""Demo benefits: placeholder standards and a realistic mix with gaps.

``seed_parameters`` enters placeholder dibao standards marked 示例 (the
county's 2020 standards are not public here).  ``seed_enrollments`` gives
generated households the benefits such households receive — many
whole-household dibao, tekun for elderly people living alone, the two
disability subsidies, the elderly subsidy, pending applications, ended
dibao, temporary grants — and deliberately leaves gaps and mistakes, so
every benefit rule of policy-rules.md fires on some household: one
showcase household per rule first, then a random mix with a gap rate.

Demo only: never real people.  Deterministic for the random generator
and the households given; written in bulk with history ("演示数据").
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from households.bulkload import bulk_create_with_history, bulk_update_with_history
from households.models import Household, Member

from .models import Enrollment, PolicyParameter, TemporaryGrant
from .parameters import parameter_set, params_for
from .rules.derived import add_months

REASON = "演示数据"
PLACEHOLDER_STANDARDS = {
    "dibao_standard_rural": "4560",
    "dibao_standard_urban": "7440",
}
PLACEHOLDER_FROM = datetime.date(2020, 1, 1)

# Placeholder monthly amounts (yuan), for the look of the pages only.
AMOUNTS = {
    ("dibao", "village"): Decimal(380),
    ("dibao", "community"): Decimal(620),
    ("tekun", "dispersed"): Decimal(520),
    ("tekun", "centralized"): Decimal(700),
    "disability_living": Decimal(80),
    "disability_nursing": Decimal(80),
    "elderly": Decimal(100),
}

SEVERE_FOR_SINGLE_DIBAO = {"intellectual", "mental"}


def seed_parameters() -> list[PolicyParameter]:
    """Placeholder dibao standards (示例) unless the name has any value."""
    created = []
    for name, value in PLACEHOLDER_STANDARDS.items():
        if PolicyParameter.objects.filter(name=name).exists():
            continue
        created.append(
            parameter_set(
                name=name,
                value_text=value,
                effective_from=PLACEHOLDER_FROM,
                is_placeholder=True,
                source=REASON,
            )
        )
    return created


# -- the plan ------------------------------------------------------------------


@dataclass
class _Person:
    member: Member
    age: int | None

    @property
    def disabled(self) -> bool:
        return bool(self.member.disability_category and self.member.disability_grade)

    @property
    def grade(self) -> int | None:
        return self.member.disability_grade if self.disabled else None

    @property
    def severe(self) -> bool:
        return self.grade in (1, 2)

    @property
    def severe_for_single_dibao(self) -> bool:
        return self.severe or (
            self.grade == 3
            and self.member.disability_category in SEVERE_FOR_SINGLE_DIBAO
        )


@dataclass
class _Home:
    household: Household
    people: list[_Person]
    poor: bool  # no livelihood source at the placeholder standard
    kind: str  # village kind: village / community

    @property
    def in_scope(self) -> bool:
        return self.household.poverty_status != "lifted"

    @property
    def elderly_single(self) -> bool:
        return len(self.people) == 1 and (self.people[0].age or 0) >= 60


@dataclass
class _Plan:
    today: datetime.date
    rng: random.Random
    enrollments: list[Enrollment] = field(default_factory=list)
    grants: list[TemporaryGrant] = field(default_factory=list)
    members: dict[int, Member] = field(default_factory=dict)
    member_fields: set[str] = field(default_factory=set)
    households: dict[int, Household] = field(default_factory=dict)
    household_fields: set[str] = field(default_factory=set)
    used: set[int] = field(default_factory=set)
    missing: list[str] = field(default_factory=list)  # rules without a showcase

    def past(self, min_days: int, max_days: int) -> datetime.date:
        return self.today - datetime.timedelta(
            days=self.rng.randrange(min_days, max_days)
        )

    def enrol(self, person: _Person, benefit: str, **fields) -> Enrollment:
        fields.setdefault("status", "active")
        if "start" not in fields:
            fields["start"] = self.past(60, 5 * 365)
        enrollment = Enrollment(member=person.member, benefit_id=benefit, **fields)
        self.enrollments.append(enrollment)
        return enrollment

    def grant(self, person: _Person, day: datetime.date, amount: int, reason: str):
        self.grants.append(
            TemporaryGrant(
                member=person.member,
                date=min(day, self.today),
                amount=Decimal(amount),
                grant_type=self.rng.choice(["emergency", "expenditure"]),
                reason=reason,
            )
        )

    def set_member(self, person: _Person, **values) -> None:
        for name, value in values.items():
            setattr(person.member, name, value)
            self.member_fields.add(name)
        self.members[person.member.pk] = person.member

    def set_household(self, home: _Home, **values) -> None:
        for name, value in values.items():
            setattr(home.household, name, value)
            self.household_fields.add(name)
        self.households[home.household.pk] = home.household

    # Benefit bundles ----------------------------------------------------------

    def whole_dibao(
        self,
        home: _Home,
        *,
        start=None,
        skip: Iterable[_Person] = (),
        subsidies: float = 0.85,
    ) -> None:
        """Whole-household dibao for everyone not skipped, with subsidies."""
        start = start or self.past(90, 5 * 365)
        skipped = {p.member.pk for p in skip}
        for person in home.people:
            if person.member.pk in skipped:
                continue
            self.enrol(
                person,
                "dibao",
                scope="household",
                start=start,
                amount=AMOUNTS["dibao", home.kind],
            )
            self.dibao_subsidies(person, rate=subsidies)
        self.set_household(home, poverty_type="dibao")

    def dibao_subsidies(self, person: _Person, *, rate: float) -> None:
        """What a dibao member should also get; ``1 - rate`` is left out."""
        if person.disabled and self.rng.random() < rate:
            self.enrol(person, "disability_living", amount=AMOUNTS["disability_living"])
        if person.severe and self.rng.random() < rate:
            self.enrol(
                person, "disability_nursing", amount=AMOUNTS["disability_nursing"]
            )
        if (
            person.age is not None
            and 60 <= person.age <= 99
            and self.rng.random() < rate
        ):
            self.enrol(person, "elderly", amount=AMOUNTS["elderly"])

    def tekun(self, person: _Person, home: _Home, *, care_mode: str = "dispersed"):
        self.enrol(
            person,
            "tekun",
            care_mode=care_mode,
            amount=AMOUNTS["tekun", care_mode],
        )
        # Nursing for tekun persons depends on a parameter (dispersed:
        # review by default): some counties give it, so some have it.
        if person.severe and care_mode == "dispersed" and self.rng.random() < 0.25:
            self.enrol(
                person, "disability_nursing", amount=AMOUNTS["disability_nursing"]
            )
        if len(home.people) == 1:
            self.set_household(home, poverty_type="tekun")
        self.set_member(person, supporter_status="none")

    def ended_dibao(
        self,
        home: _Home,
        *,
        end: datetime.date,
        reason: str,
        extended: bool,
        review_decision: str = "",
    ) -> None:
        """A dibao that ended at ``end``; with the extension when ``extended``."""
        start = end - datetime.timedelta(days=self.rng.randrange(400, 1500))
        for person in home.people:
            self.enrol(
                person,
                "dibao",
                scope="household",
                status="ended",
                start=start,
                end=end,
                end_reason=reason,
                amount=AMOUNTS["dibao", home.kind],
                review_date=end - datetime.timedelta(days=5)
                if review_decision
                else None,
                review_decision=review_decision,
            )
            if extended:
                ext_start = end + datetime.timedelta(days=1)
                ext_end = add_months(ext_start, 6) - datetime.timedelta(days=1)
                done = ext_end < self.today
                self.enrol(
                    person,
                    "dibao",
                    scope="household",
                    status="ended" if done else "extension",
                    start=ext_start,
                    end=ext_end,
                    end_reason="improved" if done else "",
                    amount=AMOUNTS["dibao", home.kind],
                    review_date=ext_end - datetime.timedelta(days=10) if done else None,
                    review_decision="end" if done else "",
                    note="延保（渐退期）",
                )


# -- showcases: one household per rule ---------------------------------------------


def _pick(
    homes: list[_Home], plan: _Plan, test: Callable[[_Home], bool]
) -> _Home | None:
    for home in homes:
        if home.household.pk not in plan.used and home.in_scope and test(home):
            plan.used.add(home.household.pk)
            return home
    return None


def _pick_person(
    homes: list[_Home], plan: _Plan, test: Callable[[_Person], bool], *, alone=False
) -> tuple[_Home, _Person] | tuple[None, None]:
    for home in homes:
        if home.household.pk in plan.used or not home.in_scope:
            continue
        if alone and len(home.people) != 1:
            continue
        for person in home.people:
            if test(person):
                plan.used.add(home.household.pk)
                return home, person
    return None, None


def _elderly(person: _Person) -> bool:
    return person.age is not None and 60 <= person.age <= 99


def _showcases(homes: list[_Home], plan: _Plan) -> list[str]:
    """One household per rule; returns the rules left without a fit."""
    today = plan.today
    missing = []

    def poor_single(home):
        return home.poor and home.elderly_single

    # TEKUN_MISSING: elderly, alone, poor, no supporter, nothing recorded.
    home = _pick(homes, plan, poor_single)
    if home:
        plan.set_member(home.people[0], supporter_status="none")
        plan.set_household(home, poverty_type="general")
    else:
        missing.append("TEKUN_MISSING")

    # TEKUN_INSTEAD_OF_DIBAO: the same person, given dibao (该吃五保吃低保).
    home = _pick(homes, plan, poor_single)
    if home:
        plan.set_member(home.people[0], supporter_status="none")
        plan.whole_dibao(home, subsidies=1)
    else:
        missing.append("TEKUN_INSTEAD_OF_DIBAO")

    # TEKUN_CENTRALIZED_CANDIDATE: dispersed, cannot self-care, willing.
    home = _pick(homes, plan, lambda h: h.elderly_single)
    if home:
        person = home.people[0]
        plan.tekun(person, home)
        plan.set_member(person, self_care="partial", willing_centralized="yes")
    else:
        missing.append("TEKUN_CENTRALIZED_CANDIDATE")

    # TEKUN_IN_DIBAO_HOUSEHOLD: an elderly parent on tekun kept in the
    # family's whole-household dibao.
    home, person = _pick_person(
        homes,
        plan,
        lambda p: p.age is not None and p.age >= 60 and p.member.relation != "head",
    )
    if home is None:
        home = _pick(homes, plan, lambda h: len(h.people) >= 2)
        person = home.people[-1] if home else None
    if home:
        plan.tekun(person, home)
        plan.whole_dibao(home)
    else:
        missing.append("TEKUN_IN_DIBAO_HOUSEHOLD")

    # TEKUN_WITH_LIVING_SUBSIDY and TEKUN_WITH_NURSING_SUBSIDY.
    home, person = _pick_person(homes, plan, lambda p: p.disabled, alone=True)
    if home is None:
        home, person = _pick_person(homes, plan, lambda p: p.disabled)
    if home:
        plan.tekun(person, home)
        plan.enrol(person, "disability_living", amount=AMOUNTS["disability_living"])
    else:
        missing.append("TEKUN_WITH_LIVING_SUBSIDY")
    home, person = _pick_person(homes, plan, lambda p: p.severe)
    if home:
        plan.enrol(
            person,
            "tekun",
            care_mode="centralized",
            amount=AMOUNTS["tekun", "centralized"],
        )
        plan.enrol(person, "disability_nursing", amount=AMOUNTS["disability_nursing"])
        plan.set_member(person, supporter_status="none")
    else:
        missing.append("TEKUN_WITH_NURSING_SUBSIDY")

    # LIVING_SUBSIDY_WITHOUT_DIBAO: a disabled member of a family not on dibao.
    home, person = _pick_person(homes, plan, lambda p: p.disabled and not p.severe)
    if home:
        plan.enrol(person, "disability_living", amount=AMOUNTS["disability_living"])
    else:
        missing.append("LIVING_SUBSIDY_WITHOUT_DIBAO")

    # LIVING_SUBSIDY_NO_DISABILITY: a living subsidy without a disability.
    home, person = _pick_person(
        homes, plan, lambda p: not p.disabled and p.member.health != "disabled"
    )
    if home:
        plan.whole_dibao(home)
        plan.enrol(person, "disability_living", amount=AMOUNTS["disability_living"])
    else:
        missing.append("LIVING_SUBSIDY_NO_DISABILITY")

    # NURSING_SUBSIDY_NOT_SEVERE: a nursing subsidy at grade 4 (or 3).
    home, person = _pick_person(homes, plan, lambda p: p.grade == 4)
    if home is None:
        home, person = _pick_person(homes, plan, lambda p: p.grade == 3)
    if home:
        plan.whole_dibao(home, subsidies=1)
        plan.enrol(person, "disability_nursing", amount=AMOUNTS["disability_nursing"])
    else:
        missing.append("NURSING_SUBSIDY_NOT_SEVERE")

    # ELDERLY_SUBSIDY_OUT_OF_RANGE: at 100, else below 60.
    home, person = _pick_person(
        homes, plan, lambda p: p.age is not None and p.age >= 100
    )
    if home is None:
        home, person = _pick_person(
            homes, plan, lambda p: p.age is not None and 50 <= p.age < 60
        )
    if home:
        plan.whole_dibao(home, skip=[person], subsidies=1)
        plan.enrol(
            person, "dibao", scope="household", amount=AMOUNTS["dibao", home.kind]
        )
        plan.enrol(person, "elderly", amount=AMOUNTS["elderly"])
    else:
        missing.append("ELDERLY_SUBSIDY_OUT_OF_RANGE")

    # DIBAO_SEVERE_DISABILITY_INDIVIDUAL: an adult, unemployed, severely
    # disabled member of a family not on dibao, without single-person dibao.
    home, person = _pick_person(
        homes,
        plan,
        lambda p: p.severe and p.age is not None and 18 <= p.age < 60,
    )
    if home:
        plan.set_member(person, employment="unemployed")
    else:
        missing.append("DIBAO_SEVERE_DISABILITY_INDIVIDUAL")

    # DISABILITY_LIVING / NURSING / ELDERLY missing: a dibao family where
    # nobody got the subsidies.
    home = _pick(
        homes,
        plan,
        lambda h: (
            any(p.severe for p in h.people) and any(_elderly(p) for p in h.people)
        ),
    )
    if home:
        plan.whole_dibao(home, subsidies=0)
    else:
        for rule, test in (
            ("DISABILITY_LIVING_SUBSIDY_MISSING", lambda p: p.disabled),
            ("DISABILITY_NURSING_SUBSIDY_MISSING", lambda p: p.severe),
            ("ELDERLY_SUBSIDY_MISSING", _elderly),
        ):
            home, _person = _pick_person(homes, plan, test)
            if home:
                plan.whole_dibao(home, subsidies=0)
            else:
                missing.append(rule)

    # DIBAO_WHOLE_HOUSEHOLD_MISSING: a poor family with nothing.
    home = _pick(homes, plan, lambda h: h.poor and len(h.people) >= 2)
    if home is None:
        missing.append("DIBAO_WHOLE_HOUSEHOLD_MISSING")

    # DIBAO_EXTENSION_MISSING: dibao ended for employment two months ago,
    # no extension.
    home = _pick(homes, plan, lambda h: len(h.people) >= 2)
    if home:
        plan.ended_dibao(
            home,
            end=today - datetime.timedelta(days=61),
            reason="employment",
            extended=False,
        )
    else:
        missing.append("DIBAO_EXTENSION_MISSING")

    # DIBAO_EXTENSION_OVERDUE: an extension whose months have passed, never
    # reviewed.
    home = _pick(homes, plan, lambda h: len(h.people) >= 2)
    if home:
        end = add_months(today.replace(day=1), -9) - datetime.timedelta(days=1)
        for person in home.people:
            plan.enrol(
                person,
                "dibao",
                scope="household",
                status="ended",
                start=end - datetime.timedelta(days=900),
                end=end,
                end_reason="improved",
                review_date=end - datetime.timedelta(days=10),
                review_decision="extend",
                amount=AMOUNTS["dibao", home.kind],
            )
            plan.enrol(
                person,
                "dibao",
                scope="household",
                status="extension",
                start=end + datetime.timedelta(days=1),
                end=add_months(end + datetime.timedelta(days=1), 6)
                - datetime.timedelta(days=1),
                amount=AMOUNTS["dibao", home.kind],
                note="延保（渐退期）",
            )
        plan.set_household(home, poverty_type="dibao")
    else:
        missing.append("DIBAO_EXTENSION_OVERDUE")

    # DIBAO_EXIT_REVIEW: lifted out of poverty (keeping the policy), dibao
    # ended this year for improved circumstances, no review recorded.
    home = _pick(homes, plan, lambda h: True)
    if home:
        jan1 = today.replace(month=1, day=1)
        end = jan1 + (today - jan1) // 2
        plan.set_household(home, poverty_status="lifted_keeping_policy")
        plan.ended_dibao(home, end=end, reason="improved", extended=False)
    else:
        missing.append("DIBAO_EXIT_REVIEW")

    # TEMPORARY_ASSISTANCE_BRIDGE: a whole-household application pending
    # for three weeks, no temporary assistance yet.
    home = _pick(homes, plan, lambda h: h.poor)
    if home:
        start = today - datetime.timedelta(days=21)
        for person in home.people:
            plan.enrol(
                person,
                "dibao",
                scope="household",
                status="pending",
                start=start,
                amount=None,
            )
    else:
        missing.append("TEMPORARY_ASSISTANCE_BRIDGE")

    # POVERTY_TYPE_MISMATCH: a 低保贫困户 without dibao, and a 一般贫困户 on
    # whole-household dibao.
    home = _pick(homes, plan, lambda h: not h.poor)
    if home:
        plan.set_household(home, poverty_type="dibao")
    else:
        missing.append("POVERTY_TYPE_MISMATCH")
    home = _pick(homes, plan, lambda h: h.poor)
    if home:
        plan.whole_dibao(home)
        plan.set_household(home, poverty_type="general")

    # DECEASED_WITH_BENEFIT: died, dibao never stopped.
    home, person = _pick_person(
        homes,
        plan,
        lambda p: p.age is not None and p.age >= 75 and p.member.relation != "head",
    )
    if home:
        plan.whole_dibao(home)
        plan.set_member(person, deceased=True)
    else:
        missing.append("DECEASED_WITH_BENEFIT")
    return missing


# -- the mix -----------------------------------------------------------------------


def _mix(home: _Home, plan: _Plan) -> None:
    """Benefits as a county records them, with a gap rate of ~15–25 %."""
    rng = plan.rng
    roll = rng.random()
    if home.poor and home.elderly_single:
        person = home.people[0]
        if roll < 0.6:
            mode = "centralized" if rng.random() < 0.15 else "dispersed"
            plan.tekun(person, home, care_mode=mode)
        elif roll < 0.85:
            plan.whole_dibao(home)
            _supporters(home, plan)
        # else: nothing recorded yet (TEKUN_MISSING or review)
        return
    if home.poor:
        if roll < 0.72:
            plan.whole_dibao(home)
            _supporters(home, plan)
        elif roll < 0.78:
            start = plan.past(5, 60)
            for person in home.people:
                plan.enrol(
                    person, "dibao", scope="household", status="pending", start=start
                )
            if rng.random() < 0.5:
                plan.grant(
                    home.people[0],
                    start + datetime.timedelta(days=7),
                    800,
                    "申请低保期间先行临时救助",
                )
        elif roll < 0.84:
            end = plan.past(200, 700)
            plan.ended_dibao(
                home,
                end=end,
                reason=rng.choice(["employment", "improved"]),
                extended=True,
            )
        # else: the gap — DIBAO_WHOLE_HOUSEHOLD_MISSING
    else:
        # Not poor at the standard: single-person dibao for the severely
        # disabled, subsidies for the disabled.
        for person in home.people:
            adult = person.age is not None and person.age >= 18
            if (
                person.severe_for_single_dibao
                and adult
                and person.member.employment == "unemployed"
                and rng.random() < 0.75
            ):
                plan.enrol(
                    person,
                    "dibao",
                    scope="individual",
                    amount=AMOUNTS["dibao", home.kind],
                )
                plan.dibao_subsidies(person, rate=0.85)
            elif person.severe and rng.random() < 0.6:
                plan.enrol(
                    person, "disability_nursing", amount=AMOUNTS["disability_nursing"]
                )
        if roll < 0.04:
            plan.ended_dibao(
                home,
                end=plan.past(250, 900),
                reason="employment",
                extended=True,
            )
    if rng.random() < 0.06:
        plan.grant(
            rng.choice(home.people),
            plan.past(10, 700),
            rng.choice([300, 500, 800, 1000, 2000]),
            rng.choice(
                ["因病住院医疗费用支出较大", "房屋受损", "突发意外事故", "子女上学支出"]
            ),
        )


def _supporters(home: _Home, plan: _Plan) -> None:
    """Elderly people with no working-age relative at home: staff record
    whether children living elsewhere support them (most do)."""
    if any(p.age is not None and 18 <= p.age < 60 for p in home.people):
        return
    for person in home.people:
        if person.age is not None and person.age >= 60:
            roll = plan.rng.random()
            if roll < 0.65:
                plan.set_member(person, supporter_status="able")
            elif roll < 0.8:
                plan.set_member(person, supporter_status="none")


def _standard(params, kind: str) -> Decimal:
    rural = params.dibao_standard_rural or Decimal(
        PLACEHOLDER_STANDARDS["dibao_standard_rural"]
    )
    urban = params.dibao_standard_urban or Decimal(
        PLACEHOLDER_STANDARDS["dibao_standard_urban"]
    )
    return urban if kind == "community" else rural


def _homes(households: list[Household], today: datetime.date) -> list[_Home]:
    by_household: dict[int, list[_Person]] = defaultdict(list)
    members = Member.objects.filter(
        household_id__in=[h.pk for h in households], removed=False, deceased=False
    ).order_by("household_id", "pk")
    for member in members:
        by_household[member.household_id].append(_Person(member, member.age_on(today)))
    params = params_for(today)
    homes = []
    for household in households:
        people = by_household.get(household.pk)
        if not people:
            continue
        kind = household.village.kind
        poor = False
        if household.income_per_capita is not None:
            deductions = (household.employment_costs or 0) + (
                household.rigid_expenses or 0
            )
            net = household.income_per_capita - Decimal(deductions) / len(people)
            poor = net < _standard(params, kind)
        homes.append(_Home(household, people, poor, kind))
    return homes


def plan_enrollments(
    households: Iterable[Household],
    rng: random.Random,
    *,
    today: datetime.date,
) -> _Plan:
    """What :func:`seed_enrollments` writes, computed without writing.

    One query for the members (and one for the parameters).  The
    household objects given are updated in memory where a showcase needs
    it (poverty type or status).
    """
    households = sorted(households, key=lambda h: h.household_no)
    homes = _homes(households, today)
    plan = _Plan(today=today, rng=rng)
    shuffled = homes[:]
    rng.shuffle(shuffled)
    plan.missing = _showcases(shuffled, plan)
    for home in homes:
        if home.household.pk not in plan.used:
            _mix(home, plan)
    return plan


def seed_enrollments(
    households: Iterable[Household],
    rng: random.Random,
    *,
    today: datetime.date | None = None,
) -> int:
    """Benefits for generated households; returns the records written.

    First one showcase household per rule (so every benefit rule fires),
    then the mix.  Also adjusts what the scenario needs on the registry
    side: poverty_type to match the benefits (dibao/tekun households),
    supporter_status "none" for tekun persons, and the few member facts a
    showcase needs (willing to be centralized, deceased …).
    """
    plan = plan_enrollments(households, rng, today=today or timezone.localdate())
    enrollments = bulk_create_with_history(plan.enrollments, Enrollment, reason=REASON)
    grants = bulk_create_with_history(plan.grants, TemporaryGrant, reason=REASON)
    if plan.members:
        bulk_update_with_history(
            list(plan.members.values()),
            Member,
            sorted(plan.member_fields),
            reason=REASON,
        )
    if plan.households:
        bulk_update_with_history(
            list(plan.households.values()),
            Household,
            sorted(plan.household_fields),
            reason=REASON,
        )
    return len(enrollments) + len(grants)
