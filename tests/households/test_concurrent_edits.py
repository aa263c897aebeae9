"""Two people edit the same household or member: the second save is refused.

Each editor is a separate browser session (its own test client); both
open the edit page, so both forms carry the same version.  The first save
wins; the second, from the now stale page, is refused with a Chinese
message naming who saved in between and the current value of every field
that differs, and nothing the first editor saved is lost.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_household, make_member

pytestmark = pytest.mark.django_db


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _version(page) -> int:
    match = re.search(r'name="version" value="(\d+)"', page.content.decode())
    assert match, "the edit form carries no version"
    return int(match.group(1))


@pytest.fixture
def household(acheng):
    household = make_household(acheng, household_no="AC-0001", phone="")
    make_member(household, name="王大山", relation="head")
    return household


def _household_form(household, version, **changes):
    values = {
        "village": household.village_id,
        "poverty_type": "general",
        "poverty_status": "not_lifted",
        "income_per_capita": "",
        "employment_costs": "",
        "rigid_expenses": "",
        "address": "",
        "phone": "",
        "version": version,
    }
    return values | changes


def test_it_refuses_the_second_household_save_and_shows_what_changed(
    household, staff_acheng, admin_user
):
    url = reverse("households:edit", args=[household.pk])
    first, second = _logged_in(staff_acheng), _logged_in(admin_user)
    first_version, second_version = _version(first.get(url)), _version(second.get(url))
    assert first_version == second_version == household.version

    saved = first.post(
        url, _household_form(household, first_version, poverty_type="dibao")
    )
    refused = second.post(
        url, _household_form(household, second_version, phone="13800000002")
    )

    assert saved.status_code == 302
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "保存未成功" in body and "已被他人修改" in body
    assert f"（{staff_acheng}于 " in body
    assert "贫困户属性（现为“低保贫困户”）" in body
    assert 'value="13800000002"' in body  # the second editor's input is kept
    household.refresh_from_db()
    assert (household.poverty_type, household.phone) == ("dibao", "")


def test_the_refused_editor_saves_after_reloading(household, staff_acheng, admin_user):
    url = reverse("households:edit", args=[household.pk])
    first, second = _logged_in(staff_acheng), _logged_in(admin_user)
    stale = _version(second.get(url))
    first.post(url, _household_form(household, stale, poverty_type="dibao"))
    second.post(url, _household_form(household, stale, phone="13800000002"))

    fresh = _version(second.get(url))
    response = second.post(
        url,
        _household_form(household, fresh, poverty_type="dibao", phone="13800000002"),
    )

    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.poverty_type, household.phone) == ("dibao", "13800000002")


def _member_form(member, version, **changes):
    values = {
        "name": member.name,
        "id_number": member.masked_id,
        "relation": "head",
        "supporter_status": "unknown",
        "willing_centralized": "unknown",
        "version": version,
    }
    return values | changes


def test_it_refuses_the_second_member_save_and_shows_what_changed(
    household, staff_acheng, admin_user
):
    member = household.members.get()
    url = reverse("households:member_edit", args=[member.pk])
    first, second = _logged_in(staff_acheng), _logged_in(admin_user)
    version = _version(first.get(url))
    assert _version(second.get(url)) == version

    saved = first.post(url, _member_form(member, version, health="disabled"))
    refused = second.post(url, _member_form(member, version, employment="farming"))

    assert saved.status_code == 302
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "已被他人修改" in body and "健康状况（现为“残疾”）" in body
    assert member.id_number not in body
    member.refresh_from_db()
    assert (member.health, member.employment) == ("disabled", "")


def test_a_stale_save_of_what_is_already_stored_is_accepted(
    household, staff_acheng, admin_user
):
    """Nothing can be lost when both saved the same values."""
    member = household.members.get()
    url = reverse("households:member_edit", args=[member.pk])
    first, second = _logged_in(staff_acheng), _logged_in(admin_user)
    version = _version(first.get(url))
    first.post(url, _member_form(member, version, health="chronic"))

    response = second.post(url, _member_form(member, version, health="chronic"))

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.health == "chronic" and member.version == version + 1
