"""The fact builder and the rule run (subsidies.evaluation)."""

import datetime
from decimal import Decimal

import pytest

from households.models import Household, Member
from subsidies.evaluation import (
    duplicate_ids,
    iter_fact_chunks,
    load_facts,
    load_household_facts,
    run_rules,
)
from subsidies.models import Enrollment, TemporaryGrant
from subsidies.rules import EnrollmentFact, GrantFact, Params
from tests.factories import make_household, make_member, make_village

AS_OF = datetime.date(2020, 4, 15)
pytestmark = pytest.mark.django_db


def _household_with_benefits(index: int) -> Household:
    household = make_household(income_per_capita=Decimal("3000.00"))
    head = make_member(household, name=f"户主{index}")
    spouse = make_member(household, name=f"配偶{index}", relation="spouse", male=False)
    Enrollment.objects.create(
        member=head, benefit_id="dibao", scope="household", start=AS_OF
    )
    Enrollment.objects.create(member=spouse, benefit_id="elderly", status="pending")
    TemporaryGrant.objects.create(member=spouse, date=AS_OF, amount=Decimal("500.00"))
    return household


def test_it_loads_any_number_of_households_in_four_queries(
    django_assert_num_queries,
):
    for index in range(2):
        _household_with_benefits(index)
    with django_assert_num_queries(4):
        assert len(load_facts(Household.objects.all())) == 2
    for index in range(2, 30):
        _household_with_benefits(index)
    with django_assert_num_queries(4):
        facts = load_facts(Household.objects.all())
    assert len(facts) == 30
    assert sum(len(h.members) for h in facts) == 60


def test_it_reads_large_scopes_in_chunks_of_constant_queries(
    django_assert_num_queries,
):
    for index in range(5):
        _household_with_benefits(index)
    # Chunks of two: 2 + 2 + 1 households, four queries each.
    with django_assert_num_queries(12):
        chunks = list(iter_fact_chunks(Household.objects.all(), size=2))
    assert [len(chunk) for chunk in chunks] == [2, 2, 1]
    ids = [h.id for chunk in chunks for h in chunk]
    assert ids == sorted(Household.objects.values_list("pk", flat=True))


def test_it_stops_after_an_exactly_full_chunk(django_assert_num_queries):
    for index in range(2):
        _household_with_benefits(index)
    # One full chunk, then one query that finds nothing more.
    with django_assert_num_queries(5):
        chunks = list(iter_fact_chunks(Household.objects.all(), size=2))
    assert [len(chunk) for chunk in chunks] == [2]


def test_it_builds_facts_that_match_the_database():
    village = make_village("阿城镇", "城关社区")
    household = make_household(
        village=village,
        household_no="3715210990001",
        poverty_type="dibao",
        poverty_status="lifted_keeping_policy",
        income_per_capita=Decimal("4100.50"),
        employment_costs=Decimal("1200.00"),
        rigid_expenses=Decimal("800.00"),
    )
    head = make_member(
        household,
        name="王大爷",
        birth=datetime.date(1950, 3, 1),
        health="disabled",
        disability_category="physical",
        disability_grade=2,
        self_care="partial",
        employment="unemployed",
        supporter_status="none",
        willing_centralized="yes",
    )
    gone = make_member(
        household, name="王二", relation="son", deceased=True, removed=True
    )
    Enrollment.objects.create(
        member=head,
        benefit_id="dibao",
        scope="household",
        status="ended",
        start=datetime.date(2018, 1, 1),
        end=datetime.date(2020, 1, 31),
        end_reason="improved",
        review_date=datetime.date(2020, 1, 15),
        review_decision="end",
    )
    Enrollment.objects.create(
        member=head, benefit_id="tekun", care_mode="dispersed", status="pending"
    )
    TemporaryGrant.objects.create(
        member=head, date=datetime.date(2020, 2, 2), amount=Decimal("800.00")
    )
    make_household()  # another household, not asked for

    [facts] = load_facts(Household.objects.filter(pk=household.pk))

    assert facts.id == household.pk
    assert facts.household_no == "3715210990001"
    assert facts.village_kind == "community"
    assert facts.poverty_type == "dibao"
    assert facts.poverty_status == "lifted_keeping_policy"
    assert facts.income_per_capita == Decimal("4100.50")
    assert facts.employment_costs == Decimal("1200.00")
    assert facts.rigid_expenses == Decimal("800.00")
    assert [m.id for m in facts.members] == [head.pk, gone.pk]
    member = facts.members[0]
    assert member.name == "王大爷"
    assert member.id_number == head.id_number
    assert member.relation == "head"
    assert (member.health, member.disability_category, member.disability_grade) == (
        "disabled",
        "physical",
        2,
    )
    assert (member.self_care, member.employment) == ("partial", "unemployed")
    assert (member.supporter_status, member.willing_centralized) == ("none", "yes")
    assert member.enrollments == (
        EnrollmentFact(
            member_id=head.pk,
            benefit="dibao",
            scope="household",
            care_mode="",
            status="ended",
            start=datetime.date(2018, 1, 1),
            end=datetime.date(2020, 1, 31),
            end_reason="improved",
            review_date=datetime.date(2020, 1, 15),
            review_decision="end",
        ),
        EnrollmentFact(
            member_id=head.pk, benefit="tekun", care_mode="dispersed", status="pending"
        ),
    )
    assert member.grants == (
        GrantFact(
            member_id=head.pk, date=datetime.date(2020, 2, 2), amount=Decimal("800.00")
        ),
    )
    removed = facts.members[1]
    assert (removed.deceased, removed.removed) == (True, True)
    assert removed.enrollments == () and removed.grants == ()


def test_it_defaults_blank_deductions_to_none_and_villages_to_rural():
    household = make_household()
    make_member(household)
    facts = load_household_facts(household)
    assert facts.village_kind == "village"
    assert facts.income_per_capita is None
    assert facts.employment_costs is None and facts.rigid_expenses is None


def test_it_finds_duplicate_ids_county_wide_in_one_query(django_assert_num_queries):
    first = make_member(make_household("阿城镇"))
    twin = make_member(make_household("七级镇"), name="李四")
    # The database refuses the same stored number twice; a lower-case x
    # written outside the services is the same person.
    number = first.id_number[:17] + "X"
    Member.objects.filter(pk=first.pk).update(id_number=number)
    Member.objects.filter(pk=twin.pk).update(id_number=number.lower())
    removed = make_member(make_household(), name="王五", removed=True)
    Member.objects.filter(pk=removed.pk).update(id_number=number)
    with django_assert_num_queries(1):
        found = duplicate_ids()
    assert found == frozenset({number})

    findings = run_rules(
        load_facts(Household.objects.filter(township__name="七级镇")),
        as_of=AS_OF,
        params=Params.defaults(AS_OF),
    )
    assert "ID_DUPLICATE" in {f.rule for f in findings}


def test_it_finds_a_missing_elderly_subsidy_with_the_members_id_number():
    household = make_household(household_no="3715210010001")
    elder = make_member(household, birth=datetime.date(1950, 1, 1))
    Enrollment.objects.create(
        member=elder, benefit_id="dibao", scope="individual", start=AS_OF
    )
    findings = run_rules(
        load_facts(Household.objects.all()),
        as_of=AS_OF,
        params=Params.defaults(AS_OF),
        duplicates=frozenset(),
    )
    elderly = [f for f in findings if f.rule == "ELDERLY_SUBSIDY_MISSING"]
    assert len(elderly) == 1
    assert elderly[0].to_json() | {"message": ""} == {
        "rule": "ELDERLY_SUBSIDY_MISSING",
        "kind": "missing",
        "household_no": "3715210010001",
        "id_number": elder.id_number,
        "section": "charity_elderly",
        "message": "",
    }
    assert "70岁" in elderly[0].message


def test_it_runs_no_query_for_the_rules_when_duplicates_are_given(
    django_assert_num_queries,
):
    _household_with_benefits(0)
    facts = load_facts(Household.objects.all())
    with django_assert_num_queries(0):
        run_rules(
            facts,
            as_of=AS_OF,
            params=Params.defaults(AS_OF),
            duplicates=frozenset(),
        )
