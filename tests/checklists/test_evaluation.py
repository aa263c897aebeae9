"""Storing a rule run: evaluations, the coverage matrix, the campaign checks."""

import datetime
from decimal import Decimal

import pytest

from checklists.demo import seed_campaign
from checklists.evaluation import evaluate
from checklists.models import HouseholdCheck, HouseholdEvaluation, PolicyOutcome
from households.models import Household
from subsidies.models import Enrollment
from subsidies.parameters import parameter_set
from tests.factories import make_household, make_member

AS_OF = datetime.date(2020, 4, 15)
POLICIES = {
    "dibao",
    "tekun",
    "temporary_assistance",
    "disability_living",
    "disability_nursing",
    "elderly",
}
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dibao_standard(db):
    """A rural standard below the households' income: no whole-household gap."""
    parameter_set(
        name="dibao_standard_rural",
        value_text="4560",
        effective_from=datetime.date(2020, 1, 1),
    )


def _elderly_dibao_household(**fields):
    """A head of 70 on dibao without the elderly subsidy, and a son of 40."""
    household = make_household(
        poverty_type="dibao", income_per_capita=Decimal("6000"), **fields
    )
    head = make_member(household, name="赵老汉", birth=datetime.date(1950, 1, 1))
    son = make_member(
        household,
        name="赵小",
        relation="son",
        birth=datetime.date(1980, 6, 1),
        employment="migrant_work",
    )
    Enrollment.objects.create(
        member=head, benefit_id="dibao", scope="individual", start=AS_OF
    )
    return household, head, son


def test_it_stores_the_evaluation_and_the_coverage_matrix():
    household, head, son = _elderly_dibao_household()

    result = evaluate(as_of=AS_OF)

    assert result.as_of == AS_OF
    assert result.households_evaluated == 1
    assert result.household_ids == [household.pk]
    evaluation = HouseholdEvaluation.objects.get(household=household)
    assert evaluation.as_of == AS_OF
    assert evaluation.data_quality_count == 0
    [stored] = [
        f for f in evaluation.findings if f["rule"] == "ELDERLY_SUBSIDY_MISSING"
    ]
    assert set(stored) == {
        "rule",
        "kind",
        "household_no",
        "id_number",
        "section",
        "message",
        "member_id",
        "policy",
    }
    assert stored["member_id"] == head.pk and stored["policy"] == "elderly"
    assert len(evaluation.findings) == len(result.findings)

    outcomes = {
        (o.member_id, o.policy): o
        for o in PolicyOutcome.objects.filter(evaluation=evaluation)
    }
    # Only cells that say something are stored; the rest are 不符合条件.
    assert all(o.outcome != "not_eligible" or o.rules for o in outcomes.values()), (
        outcomes
    )
    assert set(outcomes) < {(m.pk, p) for m in (head, son) for p in POLICIES}
    assert outcomes[(head.pk, "elderly")].outcome == "missing"
    assert outcomes[(head.pk, "elderly")].rules == ["ELDERLY_SUBSIDY_MISSING"]
    assert outcomes[(head.pk, "dibao")].outcome == "covered"
    assert (son.pk, "elderly") not in outcomes
    assert {o.as_of for o in outcomes.values()} == {AS_OF}
    assert {o.household_id for o in outcomes.values()} == {household.pk}


def test_it_counts_data_quality_findings():
    household = make_household()
    make_member(household, relation="spouse")  # no head

    evaluate(as_of=AS_OF)

    evaluation = HouseholdEvaluation.objects.get(household=household)
    assert evaluation.data_quality_count == 1
    [stored] = [f for f in evaluation.findings if f["kind"] == "data_quality"]
    assert stored["rule"] == "HOUSEHOLD_HEAD_INVALID"
    assert stored["section"] is None and stored["policy"] is None


def test_it_replaces_a_run_for_the_same_date_instead_of_duplicating():
    household, head, _son = _elderly_dibao_household()
    evaluate(as_of=AS_OF)
    Enrollment.objects.create(member=head, benefit_id="elderly", start=AS_OF)

    evaluate(as_of=AS_OF)

    assert HouseholdEvaluation.objects.filter(household=household).count() == 1
    # The head's dibao and elderly cells; the other ten are 不符合条件.
    assert PolicyOutcome.objects.filter(household=household).count() == 2
    elderly = PolicyOutcome.objects.get(member=head, policy="elderly")
    assert elderly.outcome == "covered"
    assert elderly.rules == []
    evaluation = HouseholdEvaluation.objects.get(household=household)
    assert "ELDERLY_SUBSIDY_MISSING" not in {f["rule"] for f in evaluation.findings}


def test_it_drops_the_outcome_of_a_member_removed_since_the_same_dates_run():
    household, _head, son = _elderly_dibao_household()
    Enrollment.objects.create(
        member=son, benefit_id="dibao", scope="individual", start=AS_OF
    )
    evaluate(as_of=AS_OF)
    assert PolicyOutcome.objects.filter(member=son).exists()
    son.removed = True
    son.save()

    evaluate(as_of=AS_OF)

    assert not PolicyOutcome.objects.filter(member=son).exists()
    assert PolicyOutcome.objects.filter(household=household).count() == 2


def test_it_keeps_the_rows_of_an_earlier_date():
    household, head, _son = _elderly_dibao_household()
    earlier = datetime.date(2020, 3, 1)
    evaluate(as_of=earlier)
    Enrollment.objects.create(member=head, benefit_id="elderly", start=AS_OF)

    evaluate(as_of=AS_OF)

    assert sorted(
        HouseholdEvaluation.objects.filter(household=household).values_list(
            "as_of", flat=True
        )
    ) == [earlier, AS_OF]
    by_date = dict(
        PolicyOutcome.objects.filter(member=head, policy="elderly").values_list(
            "as_of", "outcome"
        )
    )
    # On 2020-03-01 the dibao had not started yet: not eligible then, which
    # is stored as no row.
    assert by_date == {AS_OF: "covered"}


def test_it_writes_nothing_on_a_dry_run():
    seed_campaign(AS_OF)
    household, _head, _son = _elderly_dibao_household()

    result = evaluate(as_of=AS_OF, dry_run=True)

    assert result.households_evaluated == 1
    assert "ELDERLY_SUBSIDY_MISSING" in {f.rule for f in result.findings}
    assert not HouseholdEvaluation.objects.exists()
    assert not PolicyOutcome.objects.exists()
    assert not HouseholdCheck.objects.exists()


def test_it_updates_the_current_campaigns_checks_with_the_worst_member():
    campaign = seed_campaign(AS_OF)
    household, _head, _son = _elderly_dibao_household()
    other = make_household()
    make_member(other)

    evaluate(as_of=AS_OF)

    check = HouseholdCheck.objects.get(campaign=campaign, household=household)
    assert check.evaluated_on == AS_OF
    assert check.outcomes["elderly"] == "missing"
    assert check.outcomes["dibao"] == "covered"
    assert set(check.outcomes) == POLICIES
    assert HouseholdCheck.objects.filter(campaign=campaign).count() == 2

    later = datetime.date(2020, 4, 20)
    evaluate(as_of=later)
    check.refresh_from_db()
    assert check.evaluated_on == later
    assert HouseholdCheck.objects.filter(campaign=campaign).count() == 2


def test_it_evaluates_current_households_by_default_and_a_given_scope():
    kept, _head, _son = _elderly_dibao_household()
    removed = make_household(removed=True)
    make_member(removed)
    other = make_household("七级镇")
    make_member(other)

    assert evaluate(as_of=AS_OF).household_ids == sorted([kept.pk, other.pk])
    result = evaluate(
        as_of=AS_OF, households=Household.objects.filter(township__name="七级镇")
    )
    assert result.household_ids == [other.pk]
    assert not HouseholdEvaluation.objects.filter(household=removed).exists()


def test_it_stores_a_lifted_household_with_data_quality_only():
    household = make_household(poverty_status="lifted")
    make_member(household, birth=datetime.date(1950, 1, 1))

    evaluate(as_of=AS_OF)

    assert HouseholdEvaluation.objects.get(household=household).findings == []
    assert not PolicyOutcome.objects.filter(household=household).exists()


def test_it_runs_in_the_same_number_of_queries_for_2_and_30_households(
    django_assert_num_queries, django_assert_max_num_queries
):
    seed_campaign(AS_OF)
    small = [_elderly_dibao_household()[0].pk for _ in range(2)]
    large = [_elderly_dibao_household()[0].pk for _ in range(30)]
    # Parameters, duplicates, campaign; four reads per chunk and the writes:
    # evaluations (read, insert, ids), outcomes (read, insert; on PostgreSQL
    # with its foreign keys checked at once), checks (read, insert).
    with django_assert_max_num_queries(18) as first:
        evaluate(as_of=AS_OF, households=Household.objects.filter(pk__in=small))
    with django_assert_num_queries(len(first)):
        result = evaluate(
            as_of=AS_OF, households=Household.objects.filter(pk__in=large)
        )
    assert result.households_evaluated == 30
    assert PolicyOutcome.objects.count() == 32 * 2  # the heads' dibao, elderly
    assert HouseholdCheck.objects.count() == 32


def test_it_writes_nothing_when_a_rerun_finds_the_same(django_assert_num_queries):
    seed_campaign(AS_OF)
    for _ in range(3):
        _elderly_dibao_household()
    evaluate(as_of=AS_OF)
    evaluated_at = list(
        HouseholdEvaluation.objects.order_by("pk").values_list("evaluated_at", "pk")
    )
    outcome_ids = sorted(PolicyOutcome.objects.values_list("pk", flat=True))

    with django_assert_num_queries(12) as rerun:
        evaluate(as_of=AS_OF)

    writes = [
        q["sql"]
        for q in rerun.captured_queries
        if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE", "COPY"}
    ]
    assert writes == []
    assert (
        list(
            HouseholdEvaluation.objects.order_by("pk").values_list("evaluated_at", "pk")
        )
        == evaluated_at
    )
    assert sorted(PolicyOutcome.objects.values_list("pk", flat=True)) == outcome_ids


def test_it_leaves_households_outside_the_scope_alone():
    """A township's run never touches another township's rows in between."""
    seed_campaign(AS_OF)
    first, _, _ = _elderly_dibao_household()
    other, _, _ = _elderly_dibao_household(township="七级镇")
    last, _, _ = _elderly_dibao_household()
    evaluate(as_of=AS_OF)
    kept = sorted(PolicyOutcome.objects.filter(household=other).values_list("pk"))
    assert len(kept) == 2

    result = evaluate(
        as_of=AS_OF, households=Household.objects.filter(township__name="阿城镇")
    )

    assert result.household_ids == [first.pk, last.pk]
    assert sorted(PolicyOutcome.objects.filter(household=other).values_list("pk")) == (
        kept
    )
    assert HouseholdEvaluation.objects.filter(household=other).exists()
