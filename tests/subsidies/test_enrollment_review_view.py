"""The page that records a review (复核) of an enrollment."""

import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def url(enrollment):
    return reverse("subsidies:enrollment_review", args=[enrollment.pk])


def test_it_shows_the_form(client_for, staff_acheng, dibao):
    response = client_for(staff_acheng).get(url(dibao))
    assert response.status_code == 200
    assert "王大山 的低保复核" in response.content.decode()


def test_it_records_the_decision(client_for, staff_acheng, dibao):
    response = client_for(staff_acheng).post(
        url(dibao),
        {"review_date": "2020-04-10", "decision": "continue", "end_reason": ""},
    )
    assert response.status_code == 302
    dibao.refresh_from_db()
    assert (dibao.review_date, dibao.review_decision) == (
        datetime.date(2020, 4, 10),
        "continue",
    )


def test_it_asks_for_the_reason_to_end(client_for, staff_acheng, dibao):
    response = client_for(staff_acheng).post(
        url(dibao), {"review_date": "2020-04-10", "decision": "end", "end_reason": ""}
    )
    assert response.status_code == 200
    assert "请选择停保原因" in response.content.decode()


def test_it_hides_other_townships(client_for, staff_qiji, dibao):
    assert client_for(staff_qiji).get(url(dibao)).status_code == 404


def test_it_is_read_only_for_section_chiefs(client_for, chief_assistance, dibao):
    assert client_for(chief_assistance).get(url(dibao)).status_code == 403


def test_it_refuses_other_methods(client_for, staff_acheng, dibao):
    assert client_for(staff_acheng).patch(url(dibao)).status_code == 405
