"""The admin's campaign pages: list, create, edit, make current."""

import datetime

import pytest
from django.urls import reverse

from checklists.models import Campaign

pytestmark = pytest.mark.django_db

FORM = {
    "name": "2021年自查整改",
    "inspection_start": "2021-03-01",
    "inspection_end": "2021-05-31",
    "due_date": "2021-05-31",
    "report_due": "2021-06-30",
    "is_current": "on",
}


def test_the_admin_lists_campaigns(client_for, admin_user, campaign):
    response = client_for(admin_user).get(reverse("checklists:campaigns"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "2020年自查整改" in page and "当前活动" in page
    assert "2020-05-31" in page


def test_an_empty_list_invites_to_create_one(client_for, admin_user):
    page = client_for(admin_user).get(reverse("checklists:campaigns")).content.decode()

    assert "还没有自查整改活动" in page
    assert reverse("checklists:campaign_add") in page


def test_the_navigation_links_to_the_campaigns(client_for, admin_user):
    page = client_for(admin_user).get(reverse("dashboard")).content.decode()

    assert reverse("checklists:campaigns") in page


def test_the_admin_creates_a_current_campaign(client_for, admin_user, campaign):
    client = client_for(admin_user)
    assert client.get(reverse("checklists:campaign_add")).status_code == 200

    response = client.post(reverse("checklists:campaign_add"), FORM)

    assert response.status_code == 302
    assert Campaign.objects.current().name == "2021年自查整改"
    campaign.refresh_from_db()
    assert not campaign.is_current


def test_dates_out_of_order_are_shown_on_the_form(client_for, admin_user):
    response = client_for(admin_user).post(
        reverse("checklists:campaign_add"), FORM | {"report_due": "2021-05-01"}
    )

    assert response.status_code == 400
    assert "报告截止日期不能早于整改期限" in response.content.decode()
    assert not Campaign.objects.exists()


def test_the_admin_edits_a_campaign(client_for, admin_user, campaign):
    url = reverse("checklists:campaign_edit", args=[campaign.pk])
    client = client_for(admin_user)
    assert "2020年自查整改" in client.get(url).content.decode()

    response = client.post(
        url, FORM | {"name": "延期后的活动", "due_date": "2021-06-15"}
    )

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.due_date) == (
        "延期后的活动",
        datetime.date(2021, 6, 15),
    )


def test_the_admin_makes_a_campaign_current(client_for, admin_user, campaign):
    client = client_for(admin_user)
    client.post(reverse("checklists:campaign_add"), FORM | {"is_current": ""})
    newer = Campaign.objects.get(name="2021年自查整改")

    response = client.post(reverse("checklists:campaign_make_current", args=[newer.pk]))

    assert response.status_code == 302
    assert Campaign.objects.current() == newer


def test_an_unknown_campaign_is_404(client_for, admin_user):
    client = client_for(admin_user)

    assert (
        client.get(reverse("checklists:campaign_edit", args=[999])).status_code == 404
    )
    assert (
        client.post(reverse("checklists:campaign_make_current", args=[999])).status_code
        == 404
    )


@pytest.mark.parametrize(
    "persona", ["staff_acheng", "chief_assistance", "chief_elderly"]
)
def test_only_the_admin_may_use_them(client_for, personas, campaign, persona):
    client = client_for(personas[persona])

    assert client.get(reverse("checklists:campaigns")).status_code == 403
    assert client.get(reverse("checklists:campaign_add")).status_code == 403
    assert client.post(reverse("checklists:campaign_add"), FORM).status_code == 403
    edit = reverse("checklists:campaign_edit", args=[campaign.pk])
    assert client.get(edit).status_code == 403
    current = reverse("checklists:campaign_make_current", args=[campaign.pk])
    assert client.post(current).status_code == 403
    assert Campaign.objects.count() == 1


def test_wrong_methods_are_405(client_for, admin_user, campaign):
    client = client_for(admin_user)

    assert client.post(reverse("checklists:campaigns")).status_code == 405
    assert client.put(reverse("checklists:campaign_add")).status_code == 405
    current = reverse("checklists:campaign_make_current", args=[campaign.pk])
    assert client.get(current).status_code == 405
