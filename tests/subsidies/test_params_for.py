"""params_for: every parameter in force at a date, in one query."""

import datetime
from decimal import Decimal

import pytest

from subsidies.models import PolicyParameter
from subsidies.parameters import parameter_set, params_for
from subsidies.rules.params import PARAM_NAMES

pytestmark = pytest.mark.django_db
D = datetime.date


def test_it_gives_the_spec_defaults_without_any_stored_value():
    params = params_for(D(2020, 4, 15))
    assert params.dibao_standard_rural is None
    assert params.dibao_standard_urban is None
    assert params.single_dibao_severity == "grade1_2_plus_mental3"
    assert params.single_dibao_adult_age == 18
    assert params.tekun_incapacity_list == "2016"
    assert params.nursing_extends_grade3 is False
    assert params.tekun_may_get_nursing == {"centralized": "no", "dispersed": "review"}
    assert params.extension_months == 6
    assert params.extension_start == "month_after_review"
    assert params.cannot_self_care_levels == "partial_none"
    assert params.centralized_target == Decimal(50)


def test_it_applies_the_dated_default_of_the_tekun_minor_age():
    assert params_for(D(2020, 6, 30)).tekun_minor_age == 16
    assert params_for(D(2020, 7, 1)).tekun_minor_age == 18


def test_it_takes_each_value_from_its_date_until_the_next():
    for day, value in [(D(2020, 1, 1), "4560"), (D(2021, 1, 1), "5000")]:
        parameter_set(name="dibao_standard_rural", value_text=value, effective_from=day)
    assert params_for(D(2019, 12, 31)).dibao_standard_rural is None
    assert params_for(D(2020, 1, 1)).dibao_standard_rural == Decimal(4560)
    assert params_for(D(2020, 12, 31)).dibao_standard_rural == Decimal(4560)
    assert params_for(D(2021, 1, 1)).dibao_standard_rural == Decimal(5000)


def test_it_lets_a_stored_value_override_the_dated_default():
    parameter_set(name="tekun_minor_age", value_text="18", effective_from=D(2020, 3, 1))
    assert params_for(D(2020, 2, 29)).tekun_minor_age == 16
    assert params_for(D(2020, 3, 1)).tekun_minor_age == 18


def test_it_reads_every_parameter_in_one_query(django_assert_num_queries):
    for name, value in [
        ("dibao_standard_rural", "4560"),
        ("dibao_standard_urban", "7440"),
        ("extension_months", "3"),
        ("tekun_may_get_nursing", "dispersed=yes"),
        ("nursing_extends_grade3", "true"),
    ]:
        parameter_set(name=name, value_text=value, effective_from=D(2020, 1, 1))
    with django_assert_num_queries(1):
        params = params_for(D(2020, 4, 15))
    assert (params.extension_months, params.nursing_extends_grade3) == (3, True)
    assert params.tekun_may_get_nursing == {"centralized": "no", "dispersed": "yes"}


def test_it_ignores_names_it_does_not_know():
    PolicyParameter.objects.create(
        name="later_work_item", value="1", effective_from=D(2020, 1, 1)
    )
    assert params_for(D(2020, 4, 15)).extension_months == 6


def test_it_covers_every_parameter_of_the_spec():
    assert set(PARAM_NAMES) == {
        "dibao_standard_rural",
        "dibao_standard_urban",
        "single_dibao_severity",
        "single_dibao_adult_age",
        "tekun_minor_age",
        "tekun_incapacity_list",
        "nursing_extends_grade3",
        "tekun_may_get_nursing",
        "extension_months",
        "extension_start",
        "cannot_self_care_levels",
        "centralized_target",
        "visit_interval_days",
        "advanced_age",
    }
