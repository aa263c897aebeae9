"""The member edit page shows the masked number; left as is, it is kept."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import make_household, make_id_number, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(acheng):
    household = make_household(acheng, household_no="AC-0001")
    return make_member(household, name="王大山", relation="head")


def url(member):
    return reverse("households:member_edit", args=[member.pk])


def form(member, **changes):
    values = {
        "name": member.name,
        "id_number": member.masked_id,
        "relation": "head",
        "supporter_status": "unknown",
        "willing_centralized": "unknown",
        "version": member.version,
    }
    return values | changes


def test_the_form_shows_the_masked_number_only(client_for, staff_acheng, member):
    html = client_for(staff_acheng).get(url(member)).content.decode()
    assert f'value="{member.masked_id}"' in html
    assert member.id_number not in html
    assert "保持不变即不修改" in html


@pytest.mark.parametrize("shown", ["masked", "blank"])
def test_the_number_is_kept_when_left_as_shown(client_for, staff_acheng, member, shown):
    number = member.id_number
    value = member.masked_id if shown == "masked" else ""

    response = client_for(staff_acheng).post(
        url(member), form(member, id_number=value, phone="13800000001")
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.id_number, member.phone) == (number, "13800000001")


def test_a_new_full_number_corrects_it(client_for, staff_acheng, member):
    new = make_id_number(datetime.date(1961, 2, 3), male=False)

    response = client_for(staff_acheng).post(url(member), form(member, id_number=new))

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.id_number == new
    assert (member.birth_date, member.sex) == (datetime.date(1961, 2, 3), "female")


def test_a_wrong_new_number_is_refused_in_chinese(client_for, staff_acheng, member):
    response = client_for(staff_acheng).post(
        url(member), form(member, id_number="371521196102030000")
    )
    assert response.status_code == 200
    assert "身份证号码校验码不正确" in response.content.decode()
