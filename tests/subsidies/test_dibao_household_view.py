"""The page that records whole-household dibao (整户保)."""

import datetime

import pytest
from django.urls import reverse

from subsidies.models import Enrollment

pytestmark = pytest.mark.django_db


def url(household):
    return reverse("subsidies:dibao_household", args=[household.pk])


def test_it_previews_who_is_covered(client_for, staff_acheng, family):
    household, head, wife, _son = family
    Enrollment.objects.create(
        member=wife, benefit_id="tekun", care_mode="dispersed", status="active"
    )
    response = client_for(staff_acheng).get(url(household))
    assert response.status_code == 200
    body = response.content.decode()
    assert "不纳入：正在享受特困供养" in body
    assert body.count("bi-check-circle") == 2


def test_it_enrols_the_household(client_for, staff_acheng, family):
    household = family[0]
    response = client_for(staff_acheng).post(
        url(household), {"status": "active", "start": "2020-04-01", "amount": "380"}
    )
    assert response.status_code == 302
    assert response.url == household.get_absolute_url()
    assert set(Enrollment.objects.values_list("scope", "start")) == {
        ("household", datetime.date(2020, 4, 1))
    }
    assert Enrollment.objects.count() == 3


def test_it_hides_other_townships(client_for, staff_qiji, family):
    assert client_for(staff_qiji).get(url(family[0])).status_code == 404


def test_it_is_read_only_for_section_chiefs(client_for, chief_assistance, family):
    response = client_for(chief_assistance).post(
        url(family[0]), {"status": "active", "start": "2020-04-01", "amount": "380"}
    )
    assert response.status_code == 403
    assert not Enrollment.objects.exists()


def test_it_refuses_other_methods(client_for, staff_acheng, family):
    assert client_for(staff_acheng).put(url(family[0])).status_code == 405


def test_it_says_when_nobody_can_be_covered(client_for, staff_acheng, family):
    for member in family[1:]:
        Enrollment.objects.create(
            member=member, benefit_id="tekun", care_mode="dispersed", status="active"
        )
    body = client_for(staff_acheng).get(url(family[0])).content.decode()
    assert "没有可纳入整户保的成员" in body
    assert "disabled>保存</button>" in " ".join(body.split())
