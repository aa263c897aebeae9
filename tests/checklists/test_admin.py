"""The Django admin: campaigns through the service, checks read-only."""

import pytest
from django.urls import reverse

from checklists.models import Campaign, HouseholdCheck

pytestmark = pytest.mark.django_db

FORM = {
    "name": "后台新建",
    "inspection_start": "2021-03-01",
    "inspection_end": "2021-05-31",
    "due_date": "2021-05-31",
    "report_due": "2021-06-30",
    "is_current": "on",
}


def test_adding_a_current_campaign_unmarks_the_other(client_for, admin_user, campaign):
    response = client_for(admin_user).post(
        reverse("admin:checklists_campaign_add"), FORM
    )

    assert response.status_code == 302
    assert Campaign.objects.current().name == "后台新建"
    campaign.refresh_from_db()
    assert not campaign.is_current


def test_dates_out_of_order_are_refused(client_for, admin_user):
    response = client_for(admin_user).post(
        reverse("admin:checklists_campaign_add"), FORM | {"due_date": "2021-01-01"}
    )

    assert response.status_code == 200
    assert "整改期限不能早于排查开始日期" in response.content.decode()
    assert not Campaign.objects.exists()


def test_checks_are_listed_read_only(client_for, admin_user, campaign, household):
    check = HouseholdCheck.objects.create(campaign=campaign, household=household)
    client = client_for(admin_user)

    assert (
        client.get(reverse("admin:checklists_householdcheck_changelist")).status_code
        == 200
    )
    change = client.get(
        reverse("admin:checklists_householdcheck_change", args=[check.pk])
    )
    assert change.status_code == 200
    assert client.get(reverse("admin:checklists_householdcheck_add")).status_code == 403
