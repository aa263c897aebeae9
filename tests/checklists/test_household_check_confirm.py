"""household_check_confirm: who inspected the household in the campaign, and when."""

import pytest
from django.core.exceptions import PermissionDenied

from checklists.models import HouseholdCheck
from checklists.services import household_check_confirm

pytestmark = pytest.mark.django_db


def test_staff_confirm_a_household_of_their_township(campaign, household, staff_acheng):
    check = household_check_confirm(
        household=household, campaign=campaign, user=staff_acheng, note="已入户"
    )

    assert (check.inspected_by, check.note) == (staff_acheng, "已入户")
    assert check.inspected_at is not None


def test_confirming_again_keeps_one_check_and_the_last_visit(
    campaign, household, staff_acheng, admin_user
):
    household_check_confirm(household=household, campaign=campaign, user=staff_acheng)

    household_check_confirm(
        household=household, campaign=campaign, user=admin_user, note="复查"
    )

    check = HouseholdCheck.objects.get()
    assert (check.inspected_by, check.note) == (admin_user, "复查")


def test_it_keeps_the_outcomes_the_rules_stored(campaign, household, staff_acheng):
    HouseholdCheck.objects.create(
        campaign=campaign, household=household, outcomes={"dibao": "covered"}
    )

    check = household_check_confirm(
        household=household, campaign=campaign, user=staff_acheng
    )

    assert check.outcomes == {"dibao": "covered"}


@pytest.mark.parametrize("persona", ["staff_qiji", "chief_assistance", "chief_elderly"])
def test_only_the_townships_staff_and_the_admin_confirm(
    campaign, household, personas, persona
):
    with pytest.raises(PermissionDenied):
        household_check_confirm(
            household=household, campaign=campaign, user=personas[persona]
        )

    assert not HouseholdCheck.objects.exists()
