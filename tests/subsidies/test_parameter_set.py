"""parameter_set: a new dated value, validated against the domain."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from subsidies.models import PolicyParameter
from subsidies.parameters import parameter_set, params_for

pytestmark = pytest.mark.django_db
D = datetime.date


def test_it_stores_a_decimal_as_text_with_history(admin_user):
    parameter = parameter_set(
        name="dibao_standard_rural",
        value_text="4,560元",
        effective_from=D(2020, 1, 1),
        actor=admin_user,
        note="阳民发[2020]1号",
    )
    parameter.refresh_from_db()
    assert (parameter.value, parameter.set_by, parameter.note) == (
        "4560",
        admin_user,
        "阳民发[2020]1号",
    )
    history = parameter.history.get()
    assert (history.history_change_reason, history.history_user) == ("表单", admin_user)


def test_it_replaces_the_value_of_the_same_date():
    parameter_set(name="extension_months", value_text="6", effective_from=D(2020, 1, 1))
    parameter_set(
        name="extension_months", value_text="12", effective_from=D(2020, 1, 1)
    )
    parameter = PolicyParameter.objects.get(name="extension_months")
    assert parameter.value == 12
    assert parameter.history.count() == 2


def test_it_marks_placeholders_with_a_note():
    parameter = parameter_set(
        name="dibao_standard_urban",
        value_text="7440",
        effective_from=D(2020, 1, 1),
        is_placeholder=True,
    )
    assert parameter.is_placeholder
    assert parameter.note == "示例值，非本县正式标准"


def test_it_changes_one_care_mode_and_carries_the_other_in_force():
    parameter_set(
        name="tekun_may_get_nursing",
        value_text="centralized=review",
        effective_from=D(2020, 1, 1),
    )
    parameter = parameter_set(
        name="tekun_may_get_nursing",
        value_text="dispersed=yes",
        effective_from=D(2020, 7, 1),
    )
    assert parameter.value == {"centralized": "review", "dispersed": "yes"}
    assert params_for(D(2020, 6, 30)).tekun_may_get_nursing == {
        "centralized": "review",
        "dispersed": "review",
    }
    assert params_for(D(2020, 7, 1)).tekun_may_get_nursing == {
        "centralized": "review",
        "dispersed": "yes",
    }


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("no_such_parameter", "1", "未知参数"),
        ("dibao_standard_rural", "很多", "无效"),
        ("dibao_standard_rural", "-1", "无效"),
        ("single_dibao_adult_age", "17", "无效"),
        ("extension_start", "next_year", "无效"),
        ("nursing_extends_grade3", "maybe", "无效"),
        ("tekun_may_get_nursing", "yes", "无效"),
        ("tekun_may_get_nursing", "everyone=yes", "无效"),
    ],
)
def test_it_refuses_unknown_names_and_bad_values_in_chinese(name, value, message):
    with pytest.raises(ValidationError, match=message):
        parameter_set(name=name, value_text=value, effective_from=D(2020, 1, 1))
    assert not PolicyParameter.objects.exists()


def test_it_needs_a_date():
    with pytest.raises(ValidationError, match="生效日期"):
        parameter_set(name="extension_months", value_text="6", effective_from=None)
