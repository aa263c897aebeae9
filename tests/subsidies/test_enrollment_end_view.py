"""The page that stops a benefit (停保)."""

import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def url(enrollment):
    return reverse("subsidies:enrollment_end", args=[enrollment.pk])


def test_it_suggests_the_extension_for_a_dibao(client_for, staff_acheng, dibao):
    response = client_for(staff_acheng).get(url(dibao))
    assert response.status_code == 200
    assert "6个月延保" in response.content.decode()


def test_it_ends_the_enrollment(client_for, staff_acheng, dibao):
    response = client_for(staff_acheng).post(
        url(dibao), {"end": "2020-03-31", "end_reason": "death"}
    )
    assert response.status_code == 302
    dibao.refresh_from_db()
    assert (dibao.status, dibao.end, dibao.end_reason) == (
        "ended",
        datetime.date(2020, 3, 31),
        "death",
    )


def test_it_shows_a_refusal_on_the_form(client_for, staff_acheng, dibao):
    response = client_for(staff_acheng).post(
        url(dibao), {"end": "2018-03-31", "end_reason": "death"}
    )
    assert response.status_code == 200
    assert "不能早于开始日期" in response.content.decode()


def test_it_hides_other_townships(client_for, staff_qiji, dibao):
    assert client_for(staff_qiji).post(url(dibao), {}).status_code == 404


def test_it_is_read_only_for_section_chiefs(client_for, chief_assistance, dibao):
    response = client_for(chief_assistance).post(
        url(dibao), {"end": "2020-03-31", "end_reason": "death"}
    )
    assert response.status_code == 403
    dibao.refresh_from_db()
    assert dibao.status == "active"


def test_it_refuses_other_methods(client_for, staff_acheng, dibao):
    assert client_for(staff_acheng).put(url(dibao)).status_code == 405
