"""The page that grants the dibao extension (延保)."""

import datetime

import pytest
from django.urls import reverse

from subsidies.models import Enrollment

pytestmark = pytest.mark.django_db
D = datetime.date


def url(enrollment):
    return reverse("subsidies:enrollment_extend", args=[enrollment.pk])


def test_it_explains_the_period_from_the_parameters(client_for, staff_acheng, dibao):
    response = client_for(staff_acheng).get(url(dibao))
    assert response.status_code == 200
    assert "延保 6 个月，复核次月起" in response.content.decode()


def test_it_grants_the_extension(client_for, staff_acheng, dibao):
    response = client_for(staff_acheng).post(
        url(dibao), {"review_date": "2020-03-15", "end_reason": "employment"}
    )
    assert response.status_code == 302
    extension = Enrollment.objects.get(status="extension")
    assert (extension.start, extension.end) == (D(2020, 4, 1), D(2020, 9, 30))


def test_it_is_only_for_dibao(client_for, staff_acheng, head):
    elderly = Enrollment.objects.create(member=head, benefit_id="elderly")
    assert client_for(staff_acheng).get(url(elderly)).status_code == 404


def test_it_hides_other_townships(client_for, staff_qiji, dibao):
    assert client_for(staff_qiji).get(url(dibao)).status_code == 404


def test_it_is_read_only_for_section_chiefs(client_for, chief_assistance, dibao):
    response = client_for(chief_assistance).post(
        url(dibao), {"review_date": "2020-03-15", "end_reason": "employment"}
    )
    assert response.status_code == 403
    assert not Enrollment.objects.filter(status="extension").exists()


def test_it_refuses_other_methods(client_for, staff_acheng, dibao):
    assert client_for(staff_acheng).put(url(dibao)).status_code == 405
