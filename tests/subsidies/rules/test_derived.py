"""Derived facts: dates, age, disability, labour, supporters, income."""

import datetime
from decimal import Decimal

import pytest

from subsidies.rules.base import all_of, any_of
from subsidies.rules.derived import (
    INCOMPLETE,
    NOT_RECORDED,
    RECORDED,
    HouseholdView,
    add_months,
    disability_of,
)

from .factories import (
    AS_OF,
    disabled,
    enrollment,
    make_household,
    make_member,
    make_params,
)

D = datetime.date


def view_of(*members, as_of=AS_OF, params=None, **household_fields):
    household = make_household(*members, **household_fields)
    return HouseholdView(household, as_of, params or make_params(as_of))


def member_view(member, **kwargs):
    return view_of(member, **kwargs).members[0]


# Tri-state logic -------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "conjunction", "disjunction"),
    [
        ((True, True), True, True),
        ((True, None), None, True),
        ((False, None), False, None),
        ((False, True), False, True),
        ((None, None), None, None),
        ((False, False), False, False),
    ],
    ids=str,
)
def test_tri_state_and_or(values, conjunction, disjunction):
    assert all_of(*values) is conjunction
    assert any_of(*values) is disjunction


# Calendar months ---------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "result"),
    [
        (D(2020, 8, 31), -6, D(2020, 2, 29)),
        (D(2021, 8, 31), -6, D(2021, 2, 28)),
        (D(2020, 3, 31), -1, D(2020, 2, 29)),
        (D(2020, 4, 15), -6, D(2019, 10, 15)),
        (D(2020, 1, 15), -6, D(2019, 7, 15)),
        (D(2020, 12, 31), 2, D(2021, 2, 28)),
        (D(2020, 4, 15), -12, D(2019, 4, 15)),
        (D(2020, 4, 1), 6, D(2020, 10, 1)),
    ],
    ids=str,
)
def test_add_months_clamps_to_the_month_end(day, months, result):
    assert add_months(day, months) == result


# Age ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "age"),
    [
        (D(2022, 2, 27), 17),
        (D(2022, 2, 28), 17),
        (D(2022, 3, 1), 18),
        (D(2024, 2, 28), 19),
        (D(2024, 2, 29), 20),
    ],
    ids=str,
)
def test_a_feb_29_birthday_counts_on_mar_1(as_of, age):
    member = make_member(born=D(2004, 2, 29))
    assert member_view(member, as_of=as_of).age == age


def test_an_invalid_id_number_makes_the_age_unknown():
    member = make_member(id_number="371521195001010010")
    assert member_view(member).age is None


# Disability --------------------------------------------------------------


@pytest.mark.parametrize(
    ("health", "category", "grade", "state"),
    [
        ("healthy", "", None, NOT_RECORDED),
        ("", "", None, NOT_RECORDED),
        ("disabled", "physical", 2, RECORDED),
        ("healthy", "physical", 2, RECORDED),
        ("disabled", "", None, INCOMPLETE),
        ("disabled", "physical", None, INCOMPLETE),
        ("disabled", "", 2, INCOMPLETE),
        ("healthy", "", 3, INCOMPLETE),
        ("healthy", "mental", None, INCOMPLETE),
    ],
    ids=lambda value: str(value),
)
def test_disability_state(health, category, grade, state):
    member = make_member(
        health=health, disability_category=category, disability_grade=grade
    )
    assert disability_of(member).state == state


# No labour capacity (tekun test) ---------------------------------------


@pytest.mark.parametrize(
    ("incapacity_list", "category", "grade", "expected"),
    [
        ("2016", "intellectual", 1, True),
        ("2016", "intellectual", 2, True),
        ("2016", "intellectual", 3, False),
        ("2016", "mental", 2, True),
        ("2016", "mental", 3, False),
        ("2016", "physical", 1, True),
        ("2016", "physical", 2, False),
        ("2016", "visual", 1, False),
        ("2016", "hearing", 1, False),
        ("2016", "speech", 1, False),
        ("2016", "intellectual", 4, False),
        ("2016", "multiple", 1, None),
        ("2016", "multiple", 2, False),
        ("2021", "intellectual", 3, True),
        ("2021", "intellectual", 4, False),
        ("2021", "mental", 3, True),
        ("2021", "physical", 2, True),
        ("2021", "physical", 3, False),
        ("2021", "visual", 1, True),
        ("2021", "visual", 2, False),
        ("2021", "hearing", 1, False),
        ("2021", "multiple", 2, None),
        ("2021", "multiple", 3, False),
    ],
    ids=lambda value: str(value),
)
def test_no_labour_capacity_by_disability_list(
    incapacity_list, category, grade, expected
):
    params = make_params(tekun_incapacity_list=incapacity_list)
    member = disabled(category, grade, age=30)
    assert member_view(member, params=params).no_labour_capacity.value is expected


@pytest.mark.parametrize(
    ("age", "minor_age", "expected"),
    [
        (15, 16, True),
        (16, 16, False),
        (17, 16, False),
        (15, 18, True),
        (16, 18, True),
        (17, 18, True),
        (18, 18, False),
        (59, 18, False),
        (60, 18, True),
        (99, 18, True),
        (100, 18, True),
    ],
    ids=lambda value: str(value),
)
def test_no_labour_capacity_by_age(age, minor_age, expected):
    params = make_params(tekun_minor_age=minor_age)
    member = make_member(age=age)
    assert member_view(member, params=params).no_labour_capacity.value is expected


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        (make_member(id_number="bad"), None),
        (disabled("intellectual", 1, id_number="bad"), True),
        (disabled("multiple", 1, age=70), True),
        (make_member(health="disabled"), None),
        (make_member(health="disabled", age=65), True),
    ],
    ids=[
        "age unknown",
        "disability decides",
        "age decides over multiple",
        "incomplete disability",
        "age decides over incomplete",
    ],
)
def test_no_labour_capacity_unknowns(member, expected):
    assert member_view(member).no_labour_capacity.value is expected


def test_a_multiple_disability_review_names_the_assumption():
    fact = member_view(disabled("multiple", 1)).no_labour_capacity
    assert fact.value is None
    assert "多重残疾1级" in fact.text and "按肢体残疾1级" in fact.text


# Employment, self-care, willingness ------------------------------------


@pytest.mark.parametrize(
    ("employment", "unemployed", "employed"),
    [
        ("unemployed", True, False),
        ("farming", False, True),
        ("migrant_work", False, True),
        ("self_employed", False, True),
        ("student", False, False),
        ("preschool", False, False),
        ("", None, None),
        ("other", None, None),
    ],
    ids=lambda value: str(value),
)
def test_employment_tri_state(employment, unemployed, employed):
    view = member_view(make_member(employment=employment))
    assert view.unemployed.value is unemployed
    assert view.employed is employed


@pytest.mark.parametrize(
    ("levels", "self_care", "expected"),
    [
        ("partial_none", "partial", True),
        ("partial_none", "none", True),
        ("partial_none", "full", False),
        ("partial_none", "", None),
        ("none", "partial", False),
        ("none", "none", True),
        ("none", "", None),
    ],
    ids=lambda value: str(value) or "blank",
)
def test_cannot_self_care_levels(levels, self_care, expected):
    params = make_params(cannot_self_care_levels=levels)
    view = member_view(make_member(self_care=self_care), params=params)
    assert view.cannot_self_care.value is expected


@pytest.mark.parametrize(
    ("willing", "expected"), [("yes", True), ("no", False), ("unknown", None)]
)
def test_willing_centralized(willing, expected):
    view = member_view(make_member(willing_centralized=willing))
    assert view.willing_centralized.value is expected


# Relations and capable supporters --------------------------------------


def supporter_fact(subject_relation, relative, **subject_fields):
    subject = make_member(relation=subject_relation, age=70, **subject_fields)
    view = view_of(subject, relative)
    return view.members[0].no_capable_supporter.value


@pytest.mark.parametrize(
    ("subject", "relative", "no_supporter"),
    [
        ("head", "spouse", False),
        ("head", "son", False),
        ("head", "daughter", False),
        ("head", "father", False),
        ("head", "mother", False),
        ("spouse", "head", False),
        ("spouse", "son", False),
        ("spouse", "daughter", False),
        ("son", "head", False),
        ("daughter", "spouse", False),
        ("father", "head", False),
        ("mother", "head", False),
        ("head", "grandson", None),
        ("head", "daughter_in_law", None),
        ("head", "sibling", None),
        ("head", "other", None),
        ("father", "spouse", None),
        ("father", "son", None),
        ("mother", "father", None),
        ("son", "daughter", None),
        ("spouse", "father", None),
        ("grandson", "son", None),
    ],
    ids=lambda value: str(value),
)
def test_supporters_are_derived_from_relations_to_the_head(
    subject, relative, no_supporter
):
    assert supporter_fact(subject, make_member(relation=relative)) is no_supporter


@pytest.mark.parametrize(
    ("relative", "no_supporter"),
    [
        (make_member(relation="son", age=17), None),
        (make_member(relation="son", age=18), False),
        (make_member(relation="son", on=("tekun",)), None),
        (make_member(relation="son", age=59, on=("dibao",)), False),
        (make_member(relation="son", age=60, on=("dibao",)), None),
        (disabled("physical", 2, relation="son", on=("dibao",)), None),
        (disabled("physical", 3, relation="son", on=("dibao",)), False),
        (disabled("physical", 1, relation="son"), False),
        (make_member(relation="son", health="disabled", on=("dibao",)), None),
        (make_member(relation="son", deceased=True), None),
        (make_member(relation="son", removed=True), None),
        (make_member(relation="son", id_number="bad"), None),
    ],
    ids=[
        "17",
        "18",
        "on tekun",
        "dibao 59",
        "dibao 60",
        "dibao severe",
        "dibao grade 3",
        "severe, not on dibao",
        "dibao, disability incomplete",
        "deceased",
        "removed",
        "age unknown",
    ],
)
def test_capable_supporter(relative, no_supporter):
    assert supporter_fact("head", relative) is no_supporter


@pytest.mark.parametrize(
    ("status", "no_supporter"),
    [("able", False), ("none", True), ("unable", True), ("unknown", False)],
)
def test_supporter_status_decides_first(status, no_supporter):
    capable_son = make_member(relation="son")
    assert supporter_fact("head", capable_son, supporter_status=status) is no_supporter


@pytest.mark.parametrize(
    ("status", "no_supporter"),
    [("able", False), ("none", True), ("unable", True), ("unknown", None)],
)
def test_supporter_status_without_a_relative_in_the_household(status, no_supporter):
    subject = make_member(age=70, supporter_status=status)
    assert member_view(subject).no_capable_supporter.value is no_supporter


# No livelihood source --------------------------------------------------


def livelihood(members=None, **household_fields):
    members = members or (make_member(),)
    return view_of(*members, **household_fields).no_livelihood


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"income_per_capita": Decimal("3000")}, True),
        ({"income_per_capita": Decimal("4199.99")}, True),
        ({"income_per_capita": Decimal("4200")}, False),
        ({"income_per_capita": Decimal("4200.01")}, False),
        (
            {"income_per_capita": Decimal("5000"), "employment_costs": Decimal("801")},
            True,
        ),
        (
            {"income_per_capita": Decimal("5000"), "rigid_expenses": Decimal("801")},
            True,
        ),
        (
            {"income_per_capita": Decimal("5000"), "rigid_expenses": Decimal("800")},
            False,
        ),
        (
            {"income_per_capita": Decimal("5000"), "village_kind": "community"},
            True,
        ),
        ({"income_per_capita": None}, None),
        ({"income_per_capita": Decimal("0")}, True),
    ],
    ids=[
        "below",
        "just below",
        "equal",
        "just above",
        "employment costs",
        "rigid expenses",
        "deductions reach exactly the standard",
        "urban standard for a community",
        "blank income",
        "zero income",
    ],
)
def test_no_livelihood_source(fields, expected):
    assert livelihood(**fields).value is expected


def test_deductions_are_shared_by_living_members_only():
    members = (
        make_member(),
        make_member(relation="spouse"),
        make_member(relation="son", deceased=True),
        make_member(relation="daughter", removed=True),
    )
    # 5000 - 1700 / 2 = 4150 < 4200; divided by 4 it would be 4575.
    fact = livelihood(
        members, income_per_capita=Decimal("5000"), rigid_expenses=Decimal("1700")
    )
    assert fact.value is True
    assert "4150.00元" in fact.text


@pytest.mark.parametrize(
    ("village_kind", "rural", "urban", "expected"),
    [
        ("village", None, Decimal("6000"), None),
        ("village", Decimal("4200"), None, True),
        ("community", Decimal("4200"), None, None),
        ("community", None, Decimal("6000"), True),
    ],
    ids=lambda value: str(value),
)
def test_no_standard_in_force_is_unknown(village_kind, rural, urban, expected):
    params = make_params(dibao_standard_rural=rural, dibao_standard_urban=urban)
    household = make_household(
        make_member(), village_kind=village_kind, income_per_capita=Decimal("3000")
    )
    fact = HouseholdView(household, AS_OF, params).no_livelihood
    assert fact.value is expected
    if expected is None:
        assert "低保标准未录入" in fact.text


def test_the_household_is_on_whole_household_dibao_only_through_living_members():
    dead = make_member(deceased=True, on=("dibao",))
    assert not view_of(dead, make_member(relation="spouse")).whole_household_dibao
    single = make_member(enrollments=(enrollment("dibao", scope="individual"),))
    assert not view_of(single).whole_household_dibao
    assert view_of(make_member(on=("dibao",))).whole_household_dibao
