"""“删除此户”: a confirm page, a soft delete, the history kept for the admin."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from households.models import Household, Member
from tests.factories import make_household, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(acheng):
    household = make_household(acheng, household_no="AC-0001")
    make_member(household, name="王大山", relation="head")
    make_member(household, name="李秀英", relation="spouse", male=False)
    return household


def url(household):
    return reverse("households:remove", args=[household.pk])


def test_the_household_page_offers_it_to_its_staff(client_for, staff_acheng, household):
    html = client_for(staff_acheng).get(household.get_absolute_url()).content.decode()
    assert f'href="{url(household)}"' in html and "删除此户" in html


def test_the_confirm_page_names_the_household_and_its_members(
    client_for, staff_acheng, household
):
    response = client_for(staff_acheng).get(url(household))
    assert response.status_code == 200
    html = response.content.decode()
    assert "确认删除建档立卡户 AC-0001" in html
    assert "王大山" in html and "李秀英" in html
    household.refresh_from_db()
    assert not household.removed


@pytest.mark.parametrize("persona", ["staff_acheng", "admin"])
def test_it_soft_deletes_the_household_and_its_members(
    client_for, personas, household, persona
):
    response = client_for(personas[persona]).post(url(household))

    assert response.status_code == 302
    assert response["Location"] == reverse("households:list")
    household.refresh_from_db()
    assert household.removed
    assert Member.objects.filter(household=household, removed=False).count() == 0
    assert Member.objects.filter(household=household).count() == 2
    record = household.history.first()
    assert record.removed and record.history_user == personas[persona]
    assert record.history_change_reason == "表单"
    event = AuditEvent.objects.get(action="household_remove")
    assert event.user == personas[persona] and event.township == household.township


def test_the_removed_household_vanishes_from_lists_and_search(
    client_for, staff_acheng, chief_assistance, household
):
    head = household.members.get(name="王大山")
    before = client_for(staff_acheng).get(reverse("households:list"), {"q": "王大山"})
    assert f'href="{household.get_absolute_url()}"' in before.content.decode()
    done = client_for(staff_acheng).post(url(household), follow=True)
    assert "已删除建档立卡户 AC-0001（2 人）" in done.content.decode()
    for user in (staff_acheng, chief_assistance):
        client = client_for(user)
        for query in ({}, {"q": "王大山"}, {"q": head.id_number}, {"q": "AC-0001"}):
            html = client.get(reverse("households:list"), query).content.decode()
            assert f'href="{household.get_absolute_url()}"' not in html, (user, query)
            assert "没有" in html or "暂无" in html
        assert client.get(household.get_absolute_url()).status_code == 404


def test_its_history_stays_visible_to_the_admin(
    client_for, staff_acheng, admin_user, household
):
    client_for(staff_acheng).post(url(household))

    admin_page = client_for(admin_user).get(
        reverse("households:history", args=[household.pk])
    )
    staff_page = client_for(staff_acheng).get(
        reverse("households:history", args=[household.pk])
    )

    assert admin_page.status_code == 200
    html = admin_page.content.decode()
    assert "该户已删除" in html and "王大山" in html and "已删除" in html
    assert staff_page.status_code == 404
    audit = client_for(admin_user).get(reverse("audit")).content.decode()
    assert "删除建档立卡户" in audit
    assert reverse("households:history", args=[household.pk]) in audit


def test_chiefs_may_not_remove(client_for, chief_assistance, household):
    client = client_for(chief_assistance)
    assert client.get(url(household)).status_code == 403
    assert client.post(url(household)).status_code == 403
    assert not Household.objects.get(pk=household.pk).removed


def test_other_townships_get_404(client_for, staff_qiji, household):
    client = client_for(staff_qiji)
    assert client.get(url(household)).status_code == 404
    assert client.post(url(household)).status_code == 404
    assert not Household.objects.get(pk=household.pk).removed


def test_a_removed_household_cannot_be_removed_again(
    client_for, staff_acheng, household
):
    client = client_for(staff_acheng)
    client.post(url(household))
    assert client.post(url(household)).status_code == 404


def test_it_allows_get_and_post_only(client_for, staff_acheng, household):
    assert client_for(staff_acheng).put(url(household)).status_code == 405
