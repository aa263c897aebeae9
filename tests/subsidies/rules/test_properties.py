"""Properties over generated households (hypothesis).

- ``evaluate`` never raises, reports only catalogue codes with their kinds,
  levels and sections, and is deterministic;
- learning an unknown fact never contradicts a finding: a rule that reported
  nothing still reports nothing, and a definite finding (``missing`` or
  ``inconsistent``) keeps its kind.  Only a ``review`` may change.  This is
  the spec's unknown-facts principle seen from outside.
"""

import dataclasses
import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from subsidies.rules import CATALOGUE, Params, evaluate, outcomes
from subsidies.rules.facts import EnrollmentFact, GrantFact, HouseholdFacts, MemberFacts

from .factories import AS_OF, born_for, id_number

D = datetime.date
# The example count comes from the suite's profile (tests/conftest.py); no
# example database, so the run leaves nothing behind.
PROPERTY_SETTINGS = settings(deadline=None, database=None)

DATES = st.sampled_from(
    [
        None,
        D(2019, 1, 1),
        D(2019, 10, 15),
        D(2019, 12, 31),
        D(2020, 2, 29),
        D(2020, 3, 1),
        D(2020, 4, 14),
        AS_OF,
        D(2020, 4, 16),
        D(2020, 12, 31),
    ]
)
MONEY = st.sampled_from([None, Decimal(0), Decimal(3000), Decimal(4200), Decimal(9000)])

enrollments = st.builds(
    EnrollmentFact,
    member_id=st.just(0),
    benefit=st.sampled_from(
        [
            "dibao",
            "tekun",
            "temporary_assistance",
            "disability_living",
            "disability_nursing",
            "elderly",
        ]
    ),
    scope=st.sampled_from(["household", "individual", ""]),
    care_mode=st.sampled_from(["dispersed", "centralized", ""]),
    status=st.sampled_from(["pending", "active", "extension", "suspended", "ended"]),
    start=DATES,
    end=DATES,
    end_reason=st.sampled_from(
        ["employment", "improved", "death", "moved", "other", ""]
    ),
    review_date=DATES,
    review_decision=st.sampled_from(["continue", "extend", "end", ""]),
)


@st.composite
def members(draw, member_id: int):
    age = draw(st.integers(min_value=0, max_value=105))
    number = id_number(born_for(age), sequence=member_id)
    if draw(st.booleans()) and draw(st.booleans()) and draw(st.booleans()):
        number = draw(st.sampled_from(["", "bad", number[:-1] + "Y", number[:15]]))
    grade = draw(st.sampled_from([None, 1, 2, 3, 4]))
    return MemberFacts(
        id=member_id,
        name=f"成员{member_id}",
        id_number=number,
        relation=draw(
            st.sampled_from(
                [
                    "head",
                    "spouse",
                    "son",
                    "daughter",
                    "father",
                    "mother",
                    "grandson",
                    "other",
                ]
            )
        ),
        health=draw(st.sampled_from(["healthy", "chronic", "serious", "disabled", ""])),
        disability_category=draw(
            st.sampled_from(
                [
                    "",
                    "visual",
                    "hearing",
                    "speech",
                    "physical",
                    "intellectual",
                    "mental",
                    "multiple",
                ]
            )
        ),
        disability_grade=grade,
        disability_cert_no=draw(st.sampled_from(["", number + "42", number])),
        self_care=draw(st.sampled_from(["full", "partial", "none", ""])),
        employment=draw(
            st.sampled_from(
                [
                    "migrant_work",
                    "farming",
                    "self_employed",
                    "unemployed",
                    "student",
                    "preschool",
                    "other",
                    "",
                ]
            )
        ),
        supporter_status=draw(st.sampled_from(["none", "unable", "able", "unknown"])),
        willing_centralized=draw(st.sampled_from(["yes", "no", "unknown"])),
        deceased=draw(st.booleans()) and draw(st.booleans()),
        removed=draw(st.booleans()) and draw(st.booleans()) and draw(st.booleans()),
        enrollments=tuple(
            dataclasses.replace(e, member_id=member_id)
            for e in draw(st.lists(enrollments, max_size=3))
        ),
        grants=tuple(
            GrantFact(member_id, day, Decimal(500))
            for day in draw(st.lists(DATES.filter(bool), max_size=1))
        ),
    )


@st.composite
def households(draw):
    size = draw(st.integers(min_value=1, max_value=3))
    return HouseholdFacts(
        id=1,
        household_no="3715210010001",
        village_kind=draw(st.sampled_from(["village", "community"])),
        poverty_type=draw(st.sampled_from(["general", "dibao", "tekun", ""])),
        poverty_status=draw(
            st.sampled_from(["not_lifted", "lifted_keeping_policy", "lifted", ""])
        ),
        income_per_capita=draw(MONEY),
        employment_costs=draw(MONEY),
        rigid_expenses=draw(MONEY),
        members=tuple(draw(members(index + 1)) for index in range(size)),
    )


params_strategy = st.builds(
    Params,
    dibao_standard_rural=st.sampled_from([None, Decimal(4200)]),
    dibao_standard_urban=st.sampled_from([None, Decimal(6000)]),
    single_dibao_severity=st.sampled_from(["grade1_2", "grade1_2_plus_mental3"]),
    single_dibao_adult_age=st.sampled_from([16, 18]),
    tekun_minor_age=st.sampled_from([16, 18]),
    tekun_incapacity_list=st.sampled_from(["2016", "2021"]),
    nursing_extends_grade3=st.booleans(),
    tekun_may_get_nursing=st.fixed_dictionaries(
        {
            "centralized": st.sampled_from(["no", "review", "yes"]),
            "dispersed": st.sampled_from(["no", "review", "yes"]),
        }
    ),
    extension_months=st.sampled_from([3, 6]),
    extension_start=st.sampled_from(["month_after_review", "review_date"]),
    cannot_self_care_levels=st.sampled_from(["partial_none", "none"]),
)


@PROPERTY_SETTINGS
@given(households(), params_strategy)
def test_evaluate_reports_only_well_formed_findings(household, params):
    findings = evaluate(household, AS_OF, params)
    assert findings == evaluate(household, AS_OF, params)
    keys = [f.key for f in findings]
    assert len(keys) == len(set(keys)), "one finding per rule and member"
    member_ids = {m.id for m in household.members}
    for f in findings:
        rule = CATALOGUE[f.rule]
        assert f.kind in rule.kinds
        assert f.level in rule.levels
        assert f.section == rule.section
        assert (f.member_id is None) == (f.level == "household")
        assert f.member_id is None or f.member_id in member_ids
        assert f.message
    matrix = outcomes(household, findings, AS_OF)
    assert set(matrix.values()) <= {"covered", "missing", "partial", "not_eligible"}


@st.composite
def learned(draw, household):
    """``household`` with some of its unknown facts filled in."""
    alone = len(household.members) == 1
    members = []
    for m in household.members:
        changes = {}
        if m.employment in ("", "other") and draw(st.booleans()):
            changes["employment"] = draw(
                st.sampled_from(["farming", "unemployed", "student"])
            )
        if not m.self_care and draw(st.booleans()):
            changes["self_care"] = draw(st.sampled_from(["full", "partial", "none"]))
        if m.willing_centralized == "unknown" and draw(st.booleans()):
            changes["willing_centralized"] = draw(st.sampled_from(["yes", "no"]))
        # With relatives at home, "unknown" may already mean "a capable
        # supporter found", which a recorded "none" would contradict.
        if alone and m.supporter_status == "unknown" and draw(st.booleans()):
            changes["supporter_status"] = draw(
                st.sampled_from(["none", "unable", "able"])
            )
        incomplete = bool(m.disability_category) != (
            m.disability_grade is not None
        ) or (m.health == "disabled" and not m.disability_category)
        if incomplete and draw(st.booleans()):
            changes["disability_category"] = m.disability_category or draw(
                st.sampled_from(["physical", "intellectual", "multiple", "hearing"])
            )
            changes["disability_grade"] = m.disability_grade or draw(
                st.sampled_from([1, 2, 3, 4])
            )
        members.append(dataclasses.replace(m, **changes))
    income = household.income_per_capita
    if income is None and draw(st.booleans()):
        income = draw(MONEY.filter(lambda value: value is not None))
    return dataclasses.replace(
        household, members=tuple(members), income_per_capita=income
    )


@PROPERTY_SETTINGS
@given(st.data(), households(), params_strategy)
def test_learning_an_unknown_fact_never_contradicts_a_finding(data, household, params):
    before = {
        f.key: f.kind
        for f in evaluate(household, AS_OF, params)
        if f.kind != "data_quality"
    }
    richer = data.draw(learned(household))
    standard = params
    if params.dibao_standard_rural is None and data.draw(st.booleans()):
        standard = dataclasses.replace(params, dibao_standard_rural=Decimal(4200))
    after = {
        f.key: f.kind
        for f in evaluate(richer, AS_OF, standard)
        if f.kind != "data_quality"
    }
    for key, kind in after.items():
        assert key in before, f"{key} appeared ({kind}) after learning a fact"
        if before[key] != "review":
            assert kind == before[key], f"{key}: {before[key]} became {kind}"
    for key, kind in before.items():
        if kind != "review":
            assert after.get(key) == kind, f"{key}: {kind} disappeared"
