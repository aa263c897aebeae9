"""The automatic re-check: a saved household re-runs the rules and syncs its cases."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.models import Case
from cases.sync import recheck_households
from checklists import recheck
from checklists.demo import seed_campaign
from checklists.models import HouseholdCheck
from subsidies.models import Enrollment
from subsidies.services import enrollment_start
from tests.factories import make_household, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def elderly_on_dibao(acheng):
    """A 70-odd-year-old on dibao without the elderly subsidy: one open case."""
    household = make_household(
        acheng, poverty_type="dibao", income_per_capita=Decimal("6000")
    )
    elder = make_member(household, name="赵老汉", birth=datetime.date(1950, 1, 1))
    Enrollment.objects.create(member=elder, benefit_id="dibao", scope="household")
    return household, elder


def test_the_handler_is_registered_by_the_cases_app():
    assert recheck_households in recheck._handlers


def test_the_handler_opens_the_case_and_fills_the_campaign_check(elderly_on_dibao):
    household, elder = elderly_on_dibao
    campaign = seed_campaign(timezone.localdate())

    counts = recheck_households([household.pk])

    assert counts["opened"] >= 1
    case = Case.objects.get(rule="ELDERLY_SUBSIDY_MISSING", member=elder)
    assert (case.status, case.campaign, case.due_date) == (
        "open",
        campaign,
        campaign.due_date,
    )
    check = HouseholdCheck.objects.get(campaign=campaign, household=household)
    assert check.outcomes["elderly"] == "missing"


def test_recording_the_missing_benefit_submits_the_case_by_the_system(
    elderly_on_dibao, staff_acheng, django_capture_on_commit_callbacks
):
    household, elder = elderly_on_dibao
    recheck_households([household.pk])
    case = Case.objects.get(rule="ELDERLY_SUBSIDY_MISSING", member=elder)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enrollment_start(member=elder, benefit="elderly", actor=staff_acheng)

    assert len(callbacks) == 1
    case.refresh_from_db()
    assert (case.status, case.resolution, case.finding_holds) == (
        "submitted",
        "auto",
        False,
    )
    event = case.events.latest("pk")
    assert (event.kind, event.actor) == ("auto_rectified", None)


def test_nothing_runs_before_the_commit(elderly_on_dibao, staff_acheng):
    household, elder = elderly_on_dibao
    recheck_households([household.pk])

    enrollment_start(member=elder, benefit="elderly", actor=staff_acheng)

    case = Case.objects.get(rule="ELDERLY_SUBSIDY_MISSING", member=elder)
    assert case.status == "open"
