"""Charity drives and social organisations (七)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from care import services
from care.models import CharityDrive, SocialOrganization

pytestmark = pytest.mark.django_db
URL = reverse("care:social")


def test_the_county_view_sums_this_years_drives(
    client_for, personas, acheng, qiji, today, django_assert_max_num_queries
):
    services.charity_drive_set(
        township=acheng, year=today.year, amount=Decimal("80000")
    )
    services.charity_drive_set(township=qiji, year=today.year, amount=Decimal("2000.5"))
    services.charity_drive_set(
        township=qiji, year=today.year - 1, amount=Decimal("999")
    )
    client = client_for(personas["chief_policy"])
    with django_assert_max_num_queries(10):
        body = client.get(URL).content.decode()
    assert "82,000.50 元" in body and "80,000" in body


def test_staff_record_the_drive_and_correct_it(client_for, staff_acheng, acheng):
    client = client_for(staff_acheng)
    url = reverse("care:charity_set", args=[acheng.pk])
    client.post(url, {"year": 2020, "amount": "5000", "donors": 100})
    client.post(url, {"year": 2020, "amount": "5200", "donors": 110})
    drive = CharityDrive.objects.get()
    assert (drive.amount, drive.donors) == (Decimal("5200"), 110)
    body = client.get(url, {"year": 2020}).content.decode()
    assert 'value="5200' in body


def test_staff_register_and_edit_an_organisation(client_for, staff_acheng, acheng):
    client = client_for(staff_acheng)
    client.post(
        reverse("care:organization_create", args=[acheng.pk]),
        {
            "name": "阿城志愿者协会",
            "kind": "association",
            "activity": "结对帮扶",
            "active": "on",
        },
    )
    organization = SocialOrganization.objects.get()
    response = client.post(
        reverse("care:organization_edit", args=[organization.pk]),
        {"name": organization.name, "kind": "association", "activity": "助老"},
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.activity == "助老" and not organization.active
    body = client.get(response.url).content.decode()
    assert "已停止" in body
