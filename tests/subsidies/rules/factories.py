"""Builders of rule facts with sensible defaults, for table-driven tests.

The default member is a healthy 40-year-old head of household who farms,
cares for herself, receives nothing and has every tri-state field unknown;
the default household is not lifted, in a village, with an income well
above the placeholder dibao standard.  Tests override only what they test.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
from decimal import Decimal

from households import idnumbers
from subsidies.rules import (
    EnrollmentFact,
    Finding,
    GrantFact,
    HouseholdFacts,
    MemberFacts,
    Params,
    evaluate,
    resolve_params,
)

AS_OF = datetime.date(2020, 4, 15)
# Placeholder standards (yuan per person per year), not the county's.
RURAL_STANDARD = Decimal("4200")
URBAN_STANDARD = Decimal("6000")
POOR_INCOME = Decimal("3000")
RICH_INCOME = Decimal("9000")

_ids = itertools.count(1)
_households = itertools.count(1)


def id_number(
    born: datetime.date, *, sequence: int = 1, area: str = idnumbers.COUNTY_CODE
) -> str:
    """A valid 18-character ID number for a birth date."""
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    return first17 + idnumbers.check_char(first17)


def bad_id_number(age: int = 40) -> str:
    """An ID number of the right form whose check character is wrong."""
    valid = id_number(born_for(age))
    wrong = "0" if valid[-1] != "0" else "1"
    return valid[:-1] + wrong


def born_for(age: int, as_of: datetime.date = AS_OF) -> datetime.date:
    """A birth date that makes someone exactly ``age`` at ``as_of``."""
    try:
        return as_of.replace(year=as_of.year - age)
    except ValueError:  # as_of is Feb 29
        return datetime.date(as_of.year - age, 2, 28)


def enrollment(benefit: str, **fields) -> EnrollmentFact:
    """An active enrollment from 2019-01-01; ``make_member`` sets member_id.

    Dibao defaults to whole-household scope, tekun to dispersed care.
    """
    defaults = {"status": "active", "start": datetime.date(2019, 1, 1)}
    if benefit == "dibao":
        defaults["scope"] = "household"
    if benefit == "tekun":
        defaults["care_mode"] = "dispersed"
    return EnrollmentFact(member_id=0, benefit=benefit, **{**defaults, **fields})


def grant(day: datetime.date, amount: str = "500") -> GrantFact:
    return GrantFact(member_id=0, date=day, amount=Decimal(amount))


def make_member(
    *,
    age: int | None = 40,
    born: datetime.date | None = None,
    as_of: datetime.date = AS_OF,
    on: tuple[str, ...] = (),
    enrollments: tuple[EnrollmentFact, ...] = (),
    grants: tuple[GrantFact, ...] = (),
    **fields,
) -> MemberFacts:
    """A member; ``on`` lists benefits with a default active enrollment.

    ``age`` (at ``as_of``) or ``born`` sets the ID number's birth date
    unless ``id_number`` is given.
    """
    member_id = fields.pop("id", None) or next(_ids)
    if "id_number" not in fields:
        birth = born or born_for(age if age is not None else 40, as_of)
        fields["id_number"] = id_number(birth, sequence=member_id % 1000)
    all_enrollments = tuple(enrollment(b) for b in on) + tuple(enrollments)
    defaults = {
        "name": f"成员{member_id}",
        "relation": "head",
        "health": "healthy",
        "employment": "farming",
        "self_care": "full",
    }
    return MemberFacts(
        id=member_id,
        **{**defaults, **fields},
        enrollments=tuple(
            dataclasses.replace(e, member_id=member_id) for e in all_enrollments
        ),
        grants=tuple(dataclasses.replace(g, member_id=member_id) for g in grants),
    )


def disabled(category: str, grade: int, **fields) -> MemberFacts:
    """A member with a recorded disability."""
    return make_member(
        health="disabled",
        disability_category=category,
        disability_grade=grade,
        **fields,
    )


def make_household(*members: MemberFacts, **fields) -> HouseholdFacts:
    """A household of ``members`` (one default head when none is given)."""
    number = next(_households)
    defaults = {
        "id": number,
        "household_no": f"37152100100{number:04d}",
        "village_kind": "village",
        "poverty_type": "",
        "poverty_status": "not_lifted",
        "income_per_capita": RICH_INCOME,
    }
    return HouseholdFacts(**{**defaults, **fields}, members=members or (make_member(),))


def make_params(as_of: datetime.date = AS_OF, **overrides) -> Params:
    """The spec defaults at ``as_of`` with placeholder dibao standards."""
    base = resolve_params(as_of)
    values = {
        "dibao_standard_rural": RURAL_STANDARD,
        "dibao_standard_urban": URBAN_STANDARD,
        **overrides,
    }
    return dataclasses.replace(base, **values)


def run(
    household: HouseholdFacts,
    as_of: datetime.date = AS_OF,
    params: Params | None = None,
    **kwargs,
) -> list[Finding]:
    return evaluate(household, as_of, params or make_params(as_of), **kwargs)


def kinds(
    household: HouseholdFacts,
    rule: str,
    as_of: datetime.date = AS_OF,
    params: Params | None = None,
    **kwargs,
) -> list[tuple[int | None, str]]:
    """``(member_id, kind)`` of the findings of ``rule``."""
    return [
        (f.member_id, f.kind)
        for f in run(household, as_of, params, **kwargs)
        if f.rule == rule
    ]


def kind_of(
    household: HouseholdFacts,
    rule: str,
    as_of: datetime.date = AS_OF,
    params: Params | None = None,
    **kwargs,
) -> str | None:
    """The kind of the one finding of ``rule``; None if it did not fire."""
    found = kinds(household, rule, as_of, params, **kwargs)
    assert len(found) <= 1, found
    return found[0][1] if found else None


def finding(
    household: HouseholdFacts,
    rule: str,
    as_of: datetime.date = AS_OF,
    params: Params | None = None,
) -> Finding:
    """The one finding of ``rule`` (fails when there is not exactly one)."""
    found = [f for f in run(household, as_of, params) if f.rule == rule]
    assert len(found) == 1, found
    return found[0]
