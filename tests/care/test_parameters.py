"""visit_interval_days and advanced_age: dated, set like the rule parameters."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from care.selectors import care_params
from subsidies.parameters import params_for

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_defaults_are_30_days_and_80_years():
    params = care_params(D(2020, 5, 15))
    assert (params.visit_interval_days, params.advanced_age) == (30, 80)


def test_set_parameter_sets_them_from_a_date():
    out = StringIO()
    call_command(
        "set_parameter",
        "visit_interval_days",
        "20天",
        "--from",
        "2020-06-01",
        stdout=out,
    )
    call_command(
        "set_parameter", "advanced_age", "75", "--from", "2020-06-01", stdout=out
    )
    assert "20 天" in out.getvalue()
    assert params_for(D(2020, 5, 31)).visit_interval_days == 30
    assert (
        params_for(D(2020, 6, 1)).visit_interval_days,
        params_for(D(2020, 6, 1)).advanced_age,
    ) == (20, 75)


@pytest.mark.parametrize(
    ("name", "value"), [("visit_interval_days", "0"), ("advanced_age", "59")]
)
def test_a_value_out_of_range_is_refused(name, value):
    with pytest.raises(CommandError, match="无效"):
        call_command("set_parameter", name, value, "--from", "2020-06-01")


def test_the_parameters_page_lists_and_sets_them(client_for, admin_user):
    client = client_for(admin_user)
    body = client.get(reverse("subsidies:parameters")).content.decode()
    assert "留守老年人、儿童探访周期" in body and "高龄年龄（集中供养候选）" in body
    response = client.post(
        reverse("subsidies:parameter_add", args=["visit_interval_days"]),
        {
            "visit_interval_days-value": "45",
            "visit_interval_days-effective_from": "2020-01-01",
        },
    )
    assert response.status_code == 302
    assert params_for(D(2020, 5, 1)).visit_interval_days == 45
