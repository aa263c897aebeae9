"""“显示完整号码”: the full ID number, after the view is recorded."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from tests.factories import make_household, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(acheng):
    household = make_household(acheng, household_no="AC-0001")
    return make_member(household, name="王大山", relation="head")


def url(member):
    return reverse("households:member_reveal_id", args=[member.pk])


def test_the_household_page_shows_masked_numbers_and_the_button(
    client_for, staff_acheng, member
):
    body = client_for(staff_acheng).get(member.household.get_absolute_url())
    html = body.content.decode()
    assert member.masked_id in html and member.id_number not in html
    assert f'action="{url(member)}"' in html and "显示完整号码" in html
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("persona", ["staff_acheng", "admin"])
def test_it_shows_the_full_number_and_records_who_looked(
    client_for, personas, member, persona
):
    user = personas[persona]

    response = client_for(user).post(url(member), REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 200
    html = response.content.decode()
    assert member.id_number in html
    assert html.count(member.id_number) == 1
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get()
    assert (event.user, event.action) == (user, "id_reveal")
    assert event.township == member.household.township
    assert event.ip_address == "10.1.2.3"
    assert "王大山" in event.target and member.masked_id in event.target
    assert member.id_number not in event.target
    assert event.target_url == member.household.get_absolute_url()


def test_chiefs_are_refused_and_nothing_is_recorded(
    client_for, chief_assistance, member
):
    response = client_for(chief_assistance).post(url(member))
    assert response.status_code == 403
    assert member.id_number not in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_chiefs_get_no_button(client_for, chief_assistance, member):
    html = client_for(chief_assistance).get(member.household.get_absolute_url())
    assert "显示完整号码" not in html.content.decode()


def test_other_townships_get_404(client_for, staff_qiji, member):
    assert client_for(staff_qiji).post(url(member)).status_code == 404
    assert not AuditEvent.objects.exists()


def test_a_removed_member_is_not_found(client_for, staff_acheng, member):
    member.removed = True
    member.save()
    assert client_for(staff_acheng).post(url(member)).status_code == 404


def test_it_needs_post(client_for, staff_acheng, member):
    assert client_for(staff_acheng).get(url(member)).status_code == 405
    assert not AuditEvent.objects.exists()


def test_it_needs_a_login(client, member):
    response = client.post(url(member))
    assert response.status_code == 302
    assert not AuditEvent.objects.exists()


def test_each_view_is_recorded(client_for, staff_acheng, member):
    client = client_for(staff_acheng)
    client.post(url(member))
    client.post(url(member))
    assert AuditEvent.objects.filter(action="id_reveal").count() == 2


def test_the_page_stays_within_a_query_budget(
    client_for, staff_acheng, member, django_assert_max_num_queries
):
    client = client_for(staff_acheng)
    with django_assert_max_num_queries(30):
        assert client.post(url(member)).status_code == 200
