"""Policy parameters: specs, parsing, dated defaults and resolution."""

import datetime
from decimal import Decimal

import pytest

from subsidies.rules import (
    PARAMETER_SPECS,
    Params,
    format_value,
    parse_value,
    resolve_params,
)
from subsidies.rules.params import PARAM_NAMES, coerce_value

D = datetime.date


def test_it_describes_every_parameter_of_the_spec():
    assert set(PARAMETER_SPECS) == {
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
    assert set(PARAM_NAMES) == set(PARAMETER_SPECS)
    for spec in PARAMETER_SPECS.values():
        assert spec.label and not spec.label.isascii()


@pytest.mark.parametrize(
    ("name", "default"),
    [
        ("dibao_standard_rural", None),
        ("dibao_standard_urban", None),
        ("single_dibao_severity", "grade1_2_plus_mental3"),
        ("single_dibao_adult_age", 18),
        ("tekun_incapacity_list", "2016"),
        ("nursing_extends_grade3", False),
        ("tekun_may_get_nursing", {"centralized": "no", "dispersed": "review"}),
        ("extension_months", 6),
        ("extension_start", "month_after_review"),
        ("cannot_self_care_levels", "partial_none"),
        ("centralized_target", Decimal(50)),
    ],
    ids=lambda value: str(value),
)
def test_it_uses_the_spec_defaults(name, default):
    assert PARAMETER_SPECS[name].default_on(D(2020, 4, 15)) == default
    assert getattr(Params(), name) == default


@pytest.mark.parametrize(
    ("as_of", "age"),
    [
        (D(2016, 1, 1), 16),
        (D(2020, 6, 30), 16),
        (D(2020, 7, 1), 18),
        (D(2025, 1, 1), 18),
    ],
    ids=str,
)
def test_tekun_minor_age_has_a_dated_default(as_of, age):
    assert PARAMETER_SPECS["tekun_minor_age"].default_on(as_of) == age
    assert resolve_params(as_of).tekun_minor_age == age
    assert Params.defaults(as_of).tekun_minor_age == age


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("dibao_standard_rural", "4200", Decimal("4200")),
        ("dibao_standard_rural", " 4,200.50 ", Decimal("4200.50")),
        ("dibao_standard_urban", "６０００元", Decimal("6000")),
        ("single_dibao_severity", "grade1_2", "grade1_2"),
        ("single_dibao_severity", "GRADE1_2_PLUS_MENTAL3", "grade1_2_plus_mental3"),
        ("single_dibao_adult_age", "16", 16),
        ("single_dibao_adult_age", "18岁", 18),
        ("tekun_minor_age", "18", 18),
        ("tekun_incapacity_list", "2021", "2021"),
        ("nursing_extends_grade3", "true", True),
        ("nursing_extends_grade3", "是", True),
        ("nursing_extends_grade3", "0", False),
        ("nursing_extends_grade3", "False", False),
        ("tekun_may_get_nursing", "dispersed=yes", ("dispersed", "yes")),
        ("tekun_may_get_nursing", "centralized = review", ("centralized", "review")),
        ("tekun_may_get_nursing", "集中=no", ("centralized", "no")),
        ("extension_months", "6", 6),
        ("extension_months", "12", 12),
        ("extension_start", "review_date", "review_date"),
        ("extension_start", "复核次月起", "month_after_review"),
        ("cannot_self_care_levels", "none", "none"),
        ("centralized_target", "50", Decimal(50)),
        ("centralized_target", "55.5%", Decimal("55.5")),
    ],
    ids=lambda value: str(value),
)
def test_parse_value_accepts_the_domain(name, text, value):
    assert parse_value(name, text) == value
    assert parse_value(name, format_value(name, value)) == value


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("dibao_standard_rural", "abc"),
        ("dibao_standard_rural", "0"),
        ("dibao_standard_rural", "-1"),
        ("dibao_standard_rural", "NaN"),
        ("dibao_standard_rural", "Infinity"),
        ("single_dibao_severity", "grade1"),
        ("single_dibao_adult_age", "17"),
        ("single_dibao_adult_age", "eighteen"),
        ("tekun_minor_age", "20"),
        ("tekun_incapacity_list", "2018"),
        ("nursing_extends_grade3", "maybe"),
        ("tekun_may_get_nursing", "yes"),
        ("tekun_may_get_nursing", "home=yes"),
        ("tekun_may_get_nursing", "dispersed=sometimes"),
        ("extension_months", "0"),
        ("extension_months", "6.5"),
        ("extension_months", "25"),
        ("extension_start", "tomorrow"),
        ("cannot_self_care_levels", "partial"),
        ("centralized_target", "101"),
        ("centralized_target", "-5"),
    ],
    ids=lambda value: str(value),
)
def test_parse_value_refuses_outside_the_domain_in_chinese(name, text):
    with pytest.raises(ValueError, match=f"参数 {name}.*无效"):
        parse_value(name, text)


def test_parse_value_refuses_an_unknown_name_in_chinese():
    with pytest.raises(ValueError, match="未知参数“no_such_thing”"):
        parse_value("no_such_thing", "1")


def test_resolve_params_takes_the_latest_value_in_force():
    rows = [
        ("dibao_standard_rural", D(2020, 1, 1), "4200"),
        ("dibao_standard_rural", D(2019, 1, 1), "3800"),
        ("dibao_standard_rural", D(2020, 7, 1), "4500"),
        ("extension_months", D(2020, 4, 15), 12),
    ]
    params = resolve_params(D(2020, 4, 15), rows)
    assert params.dibao_standard_rural == Decimal("4200")
    assert params.extension_months == 12
    assert resolve_params(D(2020, 4, 14), rows).extension_months == 6
    assert resolve_params(D(2020, 7, 1), rows).dibao_standard_rural == Decimal("4500")
    assert resolve_params(D(2018, 12, 31), rows).dibao_standard_rural is None


def test_an_admin_value_beats_the_dated_default():
    rows = [("tekun_minor_age", D(2020, 3, 1), "18")]
    assert resolve_params(D(2020, 4, 15), rows).tekun_minor_age == 18
    assert resolve_params(D(2020, 2, 1), rows).tekun_minor_age == 16


def test_nursing_is_resolved_per_care_mode():
    rows = [
        ("tekun_may_get_nursing", D(2020, 1, 1), "dispersed=yes"),
        ("tekun_may_get_nursing", D(2020, 6, 1), {"centralized": "review"}),
    ]
    assert resolve_params(D(2020, 4, 15), rows).tekun_may_get_nursing == {
        "centralized": "no",
        "dispersed": "yes",
    }
    assert resolve_params(D(2020, 6, 1), rows).tekun_may_get_nursing == {
        "centralized": "review",
        "dispersed": "yes",
    }


def test_resolve_params_ignores_names_added_by_later_work():
    params = resolve_params(D(2020, 4, 15), [("care_visit_days", D(2020, 1, 1), 30)])
    assert params == resolve_params(D(2020, 4, 15))


@pytest.mark.parametrize(
    ("name", "stored", "value"),
    [
        ("dibao_standard_rural", 4200, Decimal(4200)),
        ("dibao_standard_rural", 4200.5, Decimal("4200.5")),
        ("dibao_standard_rural", Decimal("4200"), Decimal("4200")),
        ("single_dibao_adult_age", 16.0, 16),
        ("nursing_extends_grade3", True, True),
        ("tekun_may_get_nursing", ["dispersed", "yes"], {"dispersed": "yes"}),
        ("tekun_may_get_nursing", "dispersed=no", {"dispersed": "no"}),
    ],
    ids=str,
)
def test_coerce_value_reads_json_values(name, stored, value):
    assert coerce_value(name, stored) == value


def test_a_bad_stored_value_is_not_silently_replaced_by_the_default():
    with pytest.raises(ValueError):
        resolve_params(D(2020, 4, 15), [("extension_months", D(2020, 1, 1), "x")])


def test_nursing_for_reads_a_blank_care_mode_as_dispersed():
    assert Params().nursing_for("") == "review"
    assert Params().nursing_for("centralized") == "no"
