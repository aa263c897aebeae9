"""The page that records a benefit for one member."""

import pytest
from django.urls import reverse

from subsidies.models import Enrollment

pytestmark = pytest.mark.django_db

VALID = {
    "benefit": "dibao",
    "scope": "individual",
    "care_mode": "",
    "status": "active",
    "start": "2020-03-01",
    "end": "",
    "end_reason": "",
    "amount": "380",
    "note": "",
}


def url(member):
    return reverse("subsidies:enrollment_add", args=[member.pk])


def test_it_shows_the_form_to_staff_of_the_township(client_for, staff_acheng, head):
    response = client_for(staff_acheng).get(url(head))
    assert response.status_code == 200
    body = response.content.decode()
    assert "为 王大山 登记救助/补贴" in body
    assert "临时救助" not in body.split('name="benefit"')[1].split("</select>")[0]


def test_it_records_the_enrollment_and_returns_to_the_household(
    client_for, staff_acheng, head
):
    response = client_for(staff_acheng).post(url(head), VALID)
    assert response.status_code == 302
    assert response.url == head.household.get_absolute_url()
    enrollment = Enrollment.objects.get()
    assert (enrollment.member, enrollment.scope, enrollment.amount) == (
        head,
        "individual",
        380,
    )
    history = enrollment.history.get()
    assert (history.history_user, history.history_change_reason) == (
        staff_acheng,
        "表单",
    )


def test_it_shows_the_services_refusal_on_the_form(client_for, staff_acheng, head):
    response = client_for(staff_acheng).post(url(head), VALID | {"scope": ""})
    assert response.status_code == 200
    assert "低保须选择保障方式" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_it_lets_the_admin_write_in_any_township(
    client_for, admin_user, outsider_member
):
    response = client_for(admin_user).post(url(outsider_member), VALID)
    assert response.status_code == 302


def test_it_hides_other_townships_from_staff(client_for, staff_qiji, head):
    client = client_for(staff_qiji)
    assert client.get(url(head)).status_code == 404
    assert client.post(url(head), VALID).status_code == 404


def test_it_is_read_only_for_section_chiefs(client_for, chief_assistance, head):
    client = client_for(chief_assistance)
    assert client.get(url(head)).status_code == 403
    assert client.post(url(head), VALID).status_code == 403
    assert not Enrollment.objects.exists()


def test_it_hides_removed_members(client_for, staff_acheng, head):
    head.removed = True
    head.save()
    assert client_for(staff_acheng).get(url(head)).status_code == 404


def test_it_refuses_other_methods(client_for, staff_acheng, head):
    assert client_for(staff_acheng).put(url(head)).status_code == 405
