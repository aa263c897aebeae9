"""The bureau admin's page of dated policy parameters."""

import datetime

import pytest
from django.urls import reverse

from subsidies.demo import seed_parameters
from subsidies.parameters import parameter_set
from subsidies.rules.params import PARAMETER_SPECS

pytestmark = pytest.mark.django_db
URL = reverse("subsidies:parameters")


def test_it_lists_every_parameter_with_its_chinese_label(client_for, admin_user):
    response = client_for(admin_user).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    for spec in PARAMETER_SPECS.values():
        assert spec.label in body
    assert "未设置" in body  # the dibao standards before the admin enters them
    assert "默认值" in body


def test_it_marks_placeholder_values_and_shows_the_history(client_for, admin_user):
    seed_parameters()
    parameter_set(
        name="dibao_standard_rural",
        value_text="5000",
        effective_from=datetime.date(2099, 1, 1),
        actor=admin_user,
    )
    body = client_for(admin_user).get(URL).content.decode()
    rural = body.split('id="param-dibao_standard_rural"')[1].split("</tbody>")[0]
    assert "4,560 元/人·年" in rural
    assert "示例" in rural
    assert "2020-01-01 起" in rural and "2099-01-01 起" in rural
    assert "待生效" in rural and "局管理员" in rural


def test_it_reads_in_a_constant_number_of_queries(
    client_for, admin_user, django_assert_max_num_queries
):
    seed_parameters()
    for day in range(1, 20):
        parameter_set(
            name="extension_months",
            value_text=str(day % 12 + 1),
            effective_from=datetime.date(2020, 1, day),
        )
    client = client_for(admin_user)
    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("persona", ["staff_acheng", "chief_assistance"])
def test_it_is_for_the_bureau_admin_only(client_for, personas, persona):
    assert client_for(personas[persona]).get(URL).status_code == 403


def test_it_refuses_other_methods(client_for, admin_user):
    assert client_for(admin_user).post(URL).status_code == 405
