"""checks_record_outcomes: the rules' outcomes onto the campaign's checks, in bulk."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checklists.models import HouseholdCheck
from checklists.services import checks_record_outcomes
from tests.factories import make_household

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2020, 4, 15)


def test_it_creates_checks_with_every_policy(campaign, household):
    written = checks_record_outcomes(
        campaign=campaign, outcomes={household.pk: {"elderly": "missing"}}, as_of=AS_OF
    )

    assert written == 1
    check = HouseholdCheck.objects.get()
    assert check.evaluated_on == AS_OF
    assert check.outcomes == {
        "dibao": "not_eligible",
        "tekun": "not_eligible",
        "temporary_assistance": "not_eligible",
        "disability_living": "not_eligible",
        "disability_nursing": "not_eligible",
        "elderly": "missing",
    }


def test_it_updates_existing_checks_and_keeps_the_inspection(
    campaign, household, staff_acheng
):
    HouseholdCheck.objects.create(
        campaign=campaign, household=household, inspected_by=staff_acheng
    )

    checks_record_outcomes(
        campaign=campaign, outcomes={household.pk: {"elderly": "covered"}}, as_of=AS_OF
    )

    check = HouseholdCheck.objects.get()
    assert check.outcomes["elderly"] == "covered"
    assert check.inspected_by == staff_acheng


def test_unchanged_outcomes_are_not_written_again(campaign, household):
    outcomes = {household.pk: {"elderly": "covered"}}
    checks_record_outcomes(campaign=campaign, outcomes=outcomes, as_of=AS_OF)

    assert (
        checks_record_outcomes(campaign=campaign, outcomes=outcomes, as_of=AS_OF) == 0
    )


def _queries(campaign, count):
    households = [make_household("阿城镇") for _ in range(count)]
    checks_record_outcomes(
        campaign=campaign,
        outcomes={h.pk: {"dibao": "covered"} for h in households[: count // 2]},
        as_of=AS_OF,
    )
    with CaptureQueriesContext(connection) as queries:
        checks_record_outcomes(
            campaign=campaign,
            outcomes={h.pk: {"dibao": "missing"} for h in households},
            as_of=AS_OF,
        )
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_households(campaign):
    assert _queries(campaign, 4) == _queries(campaign, 40)
