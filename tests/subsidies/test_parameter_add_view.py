"""Adding a dated parameter value from the parameters page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from subsidies.models import PolicyParameter
from subsidies.parameters import params_for

pytestmark = pytest.mark.django_db
D = datetime.date


def url(name):
    return reverse("subsidies:parameter_add", args=[name])


def test_it_records_a_dated_value(client_for, admin_user):
    response = client_for(admin_user).post(
        url("dibao_standard_rural"),
        {
            "dibao_standard_rural-value": "4800",
            "dibao_standard_rural-effective_from": "2020-07-01",
            "dibao_standard_rural-note": "聊民发[2020]5号",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("subsidies:parameters")
    parameter = PolicyParameter.objects.get()
    assert (parameter.value, parameter.set_by, parameter.note) == (
        "4800",
        admin_user,
        "聊民发[2020]5号",
    )
    assert params_for(D(2020, 7, 1)).dibao_standard_rural == Decimal(4800)


def test_it_sets_one_care_mode(client_for, admin_user):
    client_for(admin_user).post(
        url("tekun_may_get_nursing"),
        {
            "tekun_may_get_nursing-mode": "dispersed",
            "tekun_may_get_nursing-value": "yes",
            "tekun_may_get_nursing-effective_from": "2020-07-01",
        },
    )
    assert params_for(D(2020, 7, 1)).tekun_may_get_nursing == {
        "centralized": "no",
        "dispersed": "yes",
    }


def test_it_shows_errors_on_the_open_form(client_for, admin_user):
    response = client_for(admin_user).post(
        url("extension_months"),
        {"extension_months-value": "99", "extension_months-effective_from": ""},
    )
    assert response.status_code == 200
    body = response.content.decode()
    form = body.split('id="form-extension_months"')[0].rsplit("<tr", 1)[1]
    assert "show" in form
    assert "这个字段是必填项" in body
    assert not PolicyParameter.objects.exists()


def test_it_answers_404_for_an_unknown_parameter(client_for, admin_user):
    assert client_for(admin_user).post(url("no_such_parameter"), {}).status_code == 404


@pytest.mark.parametrize("persona", ["staff_acheng", "chief_assistance"])
def test_it_is_for_the_bureau_admin_only(client_for, personas, persona):
    response = client_for(personas[persona]).post(
        url("extension_months"),
        {
            "extension_months-value": "3",
            "extension_months-effective_from": "2020-01-01",
        },
    )
    assert response.status_code == 403
    assert not PolicyParameter.objects.exists()


def test_it_refuses_other_methods(client_for, admin_user):
    assert client_for(admin_user).get(url("extension_months")).status_code == 405
