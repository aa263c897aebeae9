"""The page that records a temporary-assistance grant (临时救助)."""

import pytest
from django.urls import reverse

from subsidies.models import TemporaryGrant

pytestmark = pytest.mark.django_db
VALID = {
    "date": "2020-04-01",
    "amount": "800",
    "grant_type": "emergency",
    "reason": "住院",
}


def url(member):
    return reverse("subsidies:grant_add", args=[member.pk])


def test_it_shows_the_form(client_for, staff_acheng, head):
    response = client_for(staff_acheng).get(url(head))
    assert response.status_code == 200
    assert "为 王大山 登记临时救助" in response.content.decode()


def test_it_records_the_grant(client_for, staff_acheng, head):
    response = client_for(staff_acheng).post(url(head), VALID)
    assert response.status_code == 302
    grant = TemporaryGrant.objects.get()
    assert (grant.member, grant.amount, grant.reason) == (head, 800, "住院")


def test_it_shows_a_refusal(client_for, staff_acheng, head):
    response = client_for(staff_acheng).post(url(head), VALID | {"date": "2999-01-01"})
    assert response.status_code == 200
    assert "不能晚于今天" in response.content.decode()


def test_it_hides_other_townships(client_for, staff_qiji, head):
    assert client_for(staff_qiji).post(url(head), VALID).status_code == 404


def test_it_is_read_only_for_section_chiefs(client_for, chief_assistance, head):
    assert client_for(chief_assistance).post(url(head), VALID).status_code == 403
    assert not TemporaryGrant.objects.exists()


def test_it_refuses_other_methods(client_for, staff_acheng, head):
    assert client_for(staff_acheng).put(url(head)).status_code == 405
