"""The page that corrects one enrollment."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def url(enrollment):
    return reverse("subsidies:enrollment_edit", args=[enrollment.pk])


def data(enrollment, **changes):
    values = {
        "version": enrollment.version,
        "scope": enrollment.scope,
        "care_mode": "",
        "status": enrollment.status,
        "start": "2019-01-01",
        "end": "",
        "end_reason": "",
        "amount": "380",
        "note": "",
    }
    return values | changes


def test_it_shows_the_current_values(client_for, staff_acheng, dibao):
    response = client_for(staff_acheng).get(url(dibao))
    assert response.status_code == 200
    body = response.content.decode()
    assert "修改 王大山 的低保记录" in body
    assert 'value="2019-01-01"' in body


def test_it_saves_the_changes_with_history(client_for, staff_acheng, dibao):
    response = client_for(staff_acheng).post(
        url(dibao), data(dibao, amount="420", note="提标")
    )
    assert response.status_code == 302
    dibao.refresh_from_db()
    assert (dibao.amount, dibao.note, dibao.version) == (420, "提标", 2)
    latest = dibao.history.latest()
    assert (latest.history_type, latest.history_user) == ("~", staff_acheng)


def test_it_keeps_the_benefit_whatever_is_posted(client_for, staff_acheng, dibao):
    client_for(staff_acheng).post(url(dibao), data(dibao, benefit="elderly"))
    dibao.refresh_from_db()
    assert dibao.benefit_id == "dibao"


def test_it_refuses_a_stale_form(client_for, staff_acheng, dibao):
    response = client_for(staff_acheng).post(
        url(dibao), data(dibao, version=0, note="x")
    )
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()


def test_it_hides_other_townships(client_for, staff_qiji, dibao):
    assert client_for(staff_qiji).get(url(dibao)).status_code == 404
    assert client_for(staff_qiji).post(url(dibao), data(dibao)).status_code == 404


def test_it_is_read_only_for_section_chiefs(client_for, chief_assistance, dibao):
    client = client_for(chief_assistance)
    assert client.get(url(dibao)).status_code == 403
    assert client.post(url(dibao), data(dibao, note="x")).status_code == 403


def test_it_refuses_other_methods(client_for, staff_acheng, dibao):
    assert client_for(staff_acheng).delete(url(dibao)).status_code == 405
