"""Coverage rules (应享未享): positive, negative, boundary and unknown cases.

Each table row is one household and the kind its rule reports: ``missing``,
``review`` or None (nothing).  Rows with an unknown fact check both halves
of the principle: review when every known condition holds, nothing when a
known condition fails.
"""

import datetime
from decimal import Decimal

import pytest

from .factories import (
    AS_OF,
    POOR_INCOME,
    bad_id_number,
    disabled,
    enrollment,
    finding,
    grant,
    kind_of,
    kinds,
    make_household,
    make_member,
    make_params,
)

D = datetime.date


def case(id, household, expected, *, as_of=AS_OF, **params):
    return pytest.param(household, as_of, params, expected, id=id)


def check(rule, household, as_of, params, expected):
    assert kind_of(household, rule, as_of, make_params(as_of, **params)) == expected


def poor(*members, **fields):
    return make_household(*members, income_per_capita=POOR_INCOME, **fields)


# DIBAO_WHOLE_HOUSEHOLD_MISSING -------------------------------------------

WHOLE = "DIBAO_WHOLE_HOUSEHOLD_MISSING"


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case("poor, nothing received", poor(), "missing"),
        case("income blank", make_household(income_per_capita=None), "review"),
        case("no standard in force", poor(), "review", dibao_standard_rural=None),
        case("income above the standard", make_household(), None),
        case(
            "no standard but on whole-household dibao",
            poor(make_member(on=("dibao",))),
            None,
            dibao_standard_rural=None,
        ),
        case(
            "income blank but on whole-household dibao",
            make_household(make_member(on=("dibao",)), income_per_capita=None),
            None,
        ),
        case("on whole-household dibao", poor(make_member(on=("dibao",))), None),
        case(
            "dibao in extension counts as on dibao",
            poor(make_member(enrollments=(enrollment("dibao", status="extension"),))),
            None,
        ),
        case(
            "only a single-person dibao",
            poor(make_member(enrollments=(enrollment("dibao", scope="individual"),))),
            "missing",
        ),
        case(
            "dibao ended",
            poor(make_member(enrollments=(enrollment("dibao", status="ended"),))),
            "missing",
        ),
        case(
            "pending whole-household application",
            poor(
                make_member(
                    enrollments=(
                        enrollment("dibao", status="pending", start=D(2020, 4, 1)),
                    )
                )
            ),
            None,
        ),
        case(
            "application made after as_of",
            poor(
                make_member(
                    enrollments=(
                        enrollment("dibao", status="pending", start=D(2020, 4, 16)),
                    )
                )
            ),
            "missing",
        ),
        case(
            "pending single-person application",
            poor(
                make_member(
                    enrollments=(
                        enrollment("dibao", status="pending", scope="individual"),
                    )
                )
            ),
            "missing",
        ),
        case("everyone on tekun", poor(make_member(on=("tekun",))), None),
        case(
            "one on tekun, one not",
            poor(make_member(on=("tekun",)), make_member(relation="spouse")),
            "missing",
        ),
        case(
            "a deceased member's dibao covers nobody",
            poor(
                make_member(),
                make_member(relation="spouse", deceased=True, on=("dibao",)),
            ),
            "missing",
        ),
        case(
            "community: urban standard 6000",
            make_household(income_per_capita=Decimal(5000), village_kind="community"),
            "missing",
        ),
        case(
            "village: rural standard 4200",
            make_household(income_per_capita=Decimal(5000)),
            None,
        ),
        case(
            "deductions bring income below",
            make_household(
                make_member(),
                make_member(relation="spouse"),
                income_per_capita=Decimal(5000),
                rigid_expenses=Decimal(1700),
            ),
            "missing",
        ),
        case("lifted household", poor(poverty_status="lifted"), None),
        case(
            "lifted keeping policy",
            poor(poverty_status="lifted_keeping_policy"),
            "missing",
        ),
        case("poverty status blank", poor(poverty_status=""), "missing"),
        case("nobody living", poor(make_member(deceased=True)), None),
    ],
)
def test_dibao_whole_household_missing(household, as_of, params, expected):
    check(WHOLE, household, as_of, params, expected)


def test_whole_household_finding_is_household_level_and_names_the_income():
    f = finding(poor(make_member(), make_member(relation="spouse")), WHOLE)
    assert (f.member_id, f.id_number, f.level) == (None, None, "household")
    assert f.section == "social_assistance" and f.policy == "dibao"
    assert "3000.00元" in f.message and "4200" in f.message


def test_whole_household_review_says_what_to_check():
    f = finding(make_household(income_per_capita=None), WHOLE)
    assert f.kind == "review"
    assert "家庭年人均纯收入未填写" in f.message


# DIBAO_SEVERE_DISABILITY_INDIVIDUAL --------------------------------------

SINGLE = "DIBAO_SEVERE_DISABILITY_INDIVIDUAL"


def severe(category="intellectual", grade=2, **fields):
    fields.setdefault("employment", "unemployed")
    fields.setdefault("age", 30)
    return make_household(disabled(category, grade, **fields))


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case("adult unemployed intellectual 2", severe(), "missing"),
        case("age 17", severe(age=17), None),
        case("age 18", severe(age=18), "missing"),
        case("age 16, adult age 18", severe(age=16), None),
        case(
            "age 16, adult age 16", severe(age=16), "missing", single_dibao_adult_age=16
        ),
        case("age 15, adult age 16", severe(age=15), None, single_dibao_adult_age=16),
        case(
            "Feb-29 birthday, Feb 28 of a non-leap year: 17",
            severe(born=D(2004, 2, 29), as_of=D(2022, 2, 28)),
            None,
            as_of=D(2022, 2, 28),
        ),
        case(
            "Feb-29 birthday, Mar 1 of a non-leap year: 18",
            severe(born=D(2004, 2, 29), as_of=D(2022, 3, 1)),
            "missing",
            as_of=D(2022, 3, 1),
        ),
        case("employment blank", severe(employment=""), "review"),
        case("employment other", severe(employment="other"), "review"),
        case("farming", severe(employment="farming"), None),
        case(
            "employment blank but physical 3",
            severe("physical", 3, employment=""),
            None,
        ),
        case("student", severe(employment="student"), None),
        case("physical 1", severe("physical", 1), "missing"),
        case("visual 2", severe("visual", 2), "missing"),
        case("intellectual 3", severe("intellectual", 3), "missing"),
        case("mental 3", severe("mental", 3), "missing"),
        case("physical 3", severe("physical", 3), None),
        case("multiple 3", severe("multiple", 3), None),
        case("intellectual 4", severe("intellectual", 4), None),
        case(
            "intellectual 3, severity grade1_2",
            severe("intellectual", 3),
            None,
            single_dibao_severity="grade1_2",
        ),
        case(
            "physical 2, severity grade1_2",
            severe("physical", 2),
            "missing",
            single_dibao_severity="grade1_2",
        ),
        case(
            "disability incomplete",
            make_household(make_member(health="disabled", employment="unemployed")),
            "review",
        ),
        case(
            "grade without category",
            make_household(make_member(disability_grade=1, employment="unemployed")),
            "review",
        ),
        case(
            "no disability", make_household(make_member(employment="unemployed")), None
        ),
        case("ID invalid: age unknown", severe(id_number=bad_id_number(30)), "review"),
        case(
            "ID invalid but farming",
            severe(id_number=bad_id_number(30), employment="farming"),
            None,
        ),
        case(
            "household on whole-household dibao",
            make_household(
                disabled("intellectual", 2, employment="unemployed", relation="son"),
                make_member(on=("dibao",)),
            ),
            None,
        ),
        case(
            "another member on single-person dibao",
            make_household(
                disabled("intellectual", 2, employment="unemployed", relation="son"),
                make_member(enrollments=(enrollment("dibao", scope="individual"),)),
            ),
            "missing",
        ),
        case(
            "on single-person dibao already",
            severe(enrollments=(enrollment("dibao", scope="individual"),)),
            None,
        ),
        case("on tekun", severe(on=("tekun",)), None),
        case(
            "lifted household",
            make_household(
                disabled("intellectual", 2, employment="unemployed", age=30),
                poverty_status="lifted",
            ),
            None,
        ),
    ],
)
def test_dibao_severe_disability_individual(household, as_of, params, expected):
    check(SINGLE, household, as_of, params, expected)


# TEKUN_INSTEAD_OF_DIBAO --------------------------------------------------

INSTEAD = "TEKUN_INSTEAD_OF_DIBAO"


def on_dibao(*, income=POOR_INCOME, supporter="none", **fields):
    fields.setdefault("age", 70)
    member = make_member(on=("dibao",), supporter_status=supporter, **fields)
    return make_household(member, income_per_capita=income)


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case("70, on dibao, no supporter, poor", on_dibao(), "missing"),
        case("supporter unable", on_dibao(supporter="unable"), "missing"),
        case(
            "supporter unknown, none in household",
            on_dibao(supporter="unknown"),
            "review",
        ),
        case("supporter able", on_dibao(supporter="able"), None),
        case(
            "supporter unknown, capable son at home",
            make_household(
                make_member(age=70, on=("dibao",)),
                make_member(relation="son", age=40),
                income_per_capita=POOR_INCOME,
            ),
            None,
        ),
        case("income blank", on_dibao(income=None), "review"),
        case("income above the standard", on_dibao(income=Decimal(9000)), None),
        case("no standard", on_dibao(), "review", dibao_standard_rural=None),
        case("59, healthy", on_dibao(age=59), None),
        case("60", on_dibao(age=60), "missing"),
        case(
            "59, intellectual 2",
            make_household(
                disabled(
                    "intellectual", 2, age=59, on=("dibao",), supporter_status="none"
                ),
                income_per_capita=POOR_INCOME,
            ),
            "missing",
        ),
        case(
            "40, multiple 1: counted as physical 1, review",
            make_household(
                disabled("multiple", 1, on=("dibao",), supporter_status="none"),
                income_per_capita=POOR_INCOME,
            ),
            "review",
        ),
        case("15, minor age 16", on_dibao(age=15), "missing", tekun_minor_age=16),
        case("16, minor age 16", on_dibao(age=16), None, tekun_minor_age=16),
        case("17, minor age 18", on_dibao(age=17), "missing", tekun_minor_age=18),
        case("18, minor age 18", on_dibao(age=18), None, tekun_minor_age=18),
        case(
            "also on tekun",
            make_household(
                make_member(age=70, on=("dibao", "tekun"), supporter_status="none"),
                income_per_capita=POOR_INCOME,
            ),
            None,
        ),
        case(
            "not on dibao",
            make_household(
                make_member(age=70, supporter_status="none"),
                income_per_capita=POOR_INCOME,
            ),
            None,
        ),
        case(
            "supporter unknown and income blank, age known to fail",
            on_dibao(age=40, supporter="unknown", income=None),
            None,
        ),
    ],
)
def test_tekun_instead_of_dibao(household, as_of, params, expected):
    check(INSTEAD, household, as_of, params, expected)


# TEKUN_MISSING -----------------------------------------------------------

TEKUN = "TEKUN_MISSING"


def alone(*, income=POOR_INCOME, supporter="none", **fields):
    fields.setdefault("age", 70)
    member = make_member(supporter_status=supporter, **fields)
    return make_household(member, income_per_capita=income)


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case("70, alone, no supporter, poor", alone(), "missing"),
        case(
            "pending tekun application",
            alone(
                enrollments=(
                    enrollment("tekun", status="pending", start=D(2020, 4, 1)),
                )
            ),
            None,
        ),
        case(
            "tekun application after as_of",
            alone(
                enrollments=(
                    enrollment("tekun", status="pending", start=D(2020, 5, 1)),
                )
            ),
            "missing",
        ),
        case(
            "pending dibao application only",
            alone(
                enrollments=(
                    enrollment("dibao", status="pending", start=D(2020, 4, 1)),
                )
            ),
            "missing",
        ),
        case(
            "tekun suspended",
            alone(enrollments=(enrollment("tekun", status="suspended"),)),
            "missing",
        ),
        case("on dibao", alone(on=("dibao",)), None),
        case("on tekun", alone(on=("tekun",)), None),
        case("supporter unknown", alone(supporter="unknown"), "review"),
        case("supporter able", alone(supporter="able"), None),
        case("income blank", alone(income=None), "review"),
        case("income above the standard", alone(income=Decimal(9000)), None),
        case(
            "income blank, supporter unknown",
            alone(income=None, supporter="unknown"),
            "review",
        ),
        case(
            "supporter unknown but income known above",
            alone(income=Decimal(9000), supporter="unknown"),
            None,
        ),
        case("30, healthy", alone(age=30), None),
        case(
            "30, healthy, employment unknown (unused)",
            alone(age=30, employment=""),
            None,
        ),
        case("17, minor age 18", alone(age=17), "missing", tekun_minor_age=18),
        case("17, minor age 16", alone(age=17), None, tekun_minor_age=16),
        case(
            "17 on 2020-06-30: dated default 16",
            alone(age=17, as_of=D(2020, 6, 30)),
            None,
            as_of=D(2020, 6, 30),
        ),
        case(
            "17 on 2020-07-01: dated default 18",
            alone(age=17, as_of=D(2020, 7, 1)),
            "missing",
            as_of=D(2020, 7, 1),
        ),
        case(
            "Feb-29 birthday, 17 on Feb 28 (minor age 18)",
            alone(born=D(2004, 2, 29)),
            "missing",
            as_of=D(2022, 2, 28),
        ),
        case(
            "Feb-29 birthday, 18 on Mar 1 (minor age 18)",
            alone(born=D(2004, 2, 29)),
            None,
            as_of=D(2022, 3, 1),
        ),
        case(
            "physical 1 at 40",
            make_household(
                disabled("physical", 1, supporter_status="none"),
                income_per_capita=POOR_INCOME,
            ),
            "missing",
        ),
        case(
            "physical 2 at 40, list 2016",
            make_household(
                disabled("physical", 2, supporter_status="none"),
                income_per_capita=POOR_INCOME,
            ),
            None,
        ),
        case(
            "physical 2 at 40, list 2021",
            make_household(
                disabled("physical", 2, supporter_status="none"),
                income_per_capita=POOR_INCOME,
            ),
            "missing",
            tekun_incapacity_list="2021",
        ),
        case(
            "visual 1 at 40, list 2021",
            make_household(
                disabled("visual", 1, supporter_status="none"),
                income_per_capita=POOR_INCOME,
            ),
            "missing",
            tekun_incapacity_list="2021",
        ),
        case(
            "mental 3 at 40, list 2016",
            make_household(
                disabled("mental", 3, supporter_status="none"),
                income_per_capita=POOR_INCOME,
            ),
            None,
        ),
        case(
            "mental 3 at 40, list 2021",
            make_household(
                disabled("mental", 3, supporter_status="none"),
                income_per_capita=POOR_INCOME,
            ),
            "missing",
            tekun_incapacity_list="2021",
        ),
        case(
            "multiple 1 at 40: counted as physical 1, review",
            make_household(
                disabled("multiple", 1, supporter_status="none"),
                income_per_capita=POOR_INCOME,
            ),
            "review",
        ),
        case(
            "disability incomplete at 40",
            alone(age=40, health="disabled"),
            "review",
        ),
        case("ID invalid: age unknown", alone(id_number=bad_id_number(70)), "review"),
        case(
            "ID invalid but income above the standard",
            alone(id_number=bad_id_number(70), income=Decimal(9000)),
            None,
        ),
        case("deceased", alone(deceased=True), None),
        case("removed", alone(removed=True), None),
    ],
)
def test_tekun_missing(household, as_of, params, expected):
    check(TEKUN, household, as_of, params, expected)


def test_tekun_review_names_every_unknown_fact():
    f = finding(alone(income=None, supporter="unknown"), TEKUN)
    assert f.kind == "review"
    assert "年满60周岁（70岁）" in f.message
    assert "家庭年人均纯收入未填写" in f.message
    assert "法定义务人情况" in f.message


# DIBAO_EXTENSION_MISSING -------------------------------------------------

EXTENSION = "DIBAO_EXTENSION_MISSING"
END_OF_AUGUST = D(2020, 8, 31)


def ended(end, reason="employment", *extra, **fields):
    dibao = enrollment("dibao", status="ended", end=end, end_reason=reason)
    return make_household(make_member(enrollments=(dibao, *extra), **fields))


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case(
            "ended exactly 6 months before (clamped to Feb 29)",
            ended(D(2020, 2, 29)),
            "missing",
            as_of=END_OF_AUGUST,
        ),
        case(
            "one day outside the window",
            ended(D(2020, 2, 28)),
            None,
            as_of=END_OF_AUGUST,
        ),
        case(
            "ended the day before as_of",
            ended(D(2020, 8, 30)),
            "missing",
            as_of=END_OF_AUGUST,
        ),
        case("ended on as_of", ended(END_OF_AUGUST), None, as_of=END_OF_AUGUST),
        case("2020-04-15: ended 2019-10-15", ended(D(2019, 10, 15)), "missing"),
        case("2020-04-15: ended 2019-10-14", ended(D(2019, 10, 14)), None),
        case("reason improved", ended(D(2020, 3, 1), "improved"), "missing"),
        case("reason death", ended(D(2020, 3, 1), "death"), None),
        case("reason moved", ended(D(2020, 3, 1), "moved"), None),
        case("reason other", ended(D(2020, 3, 1), "other"), None),
        case("reason blank", ended(D(2020, 3, 1), ""), None),
        case(
            "no end date",
            make_household(
                make_member(
                    enrollments=(
                        enrollment("dibao", status="ended", end_reason="employment"),
                    )
                )
            ),
            None,
        ),
        case(
            "extension after the end",
            ended(
                D(2020, 3, 1),
                "employment",
                enrollment("dibao", status="extension", start=D(2020, 4, 1)),
            ),
            None,
        ),
        case(
            "extension with a blank start",
            ended(
                D(2020, 3, 1),
                "employment",
                enrollment("dibao", status="extension", start=None),
            ),
            None,
        ),
        case(
            "an older extension, before the end",
            ended(
                D(2020, 3, 1),
                "employment",
                enrollment(
                    "dibao", status="extension", start=D(2019, 1, 1), end=D(2019, 6, 30)
                ),
            ),
            "missing",
        ),
        case(
            "a finished extension ended by its review is no new exit",
            ended(
                D(2020, 3, 31),
                "employment",
                enrollment(
                    "dibao",
                    status="ended",
                    start=D(2020, 4, 1),
                    end=D(2020, 9, 30),
                    end_reason="improved",
                    review_date=D(2020, 9, 30),
                    review_decision="end",
                ),
            ),
            None,
            as_of=D(2020, 10, 15),
        ),
        case(
            "dibao restarted two months after an exit, then ended again",
            ended(
                D(2019, 12, 31),
                "employment",
                enrollment(
                    "dibao",
                    status="ended",
                    start=D(2020, 3, 1),
                    end=D(2020, 9, 30),
                    end_reason="improved",
                ),
            ),
            "missing",
            as_of=D(2020, 10, 15),
        ),
        case(
            "during the extension the household is on dibao",
            ended(
                D(2020, 3, 31),
                "employment",
                enrollment(
                    "dibao", status="extension", start=D(2020, 4, 1), end=D(2020, 9, 30)
                ),
            ),
            None,
            as_of=D(2020, 5, 1),
        ),
        case(
            "another member still on dibao",
            make_household(
                make_member(
                    enrollments=(
                        enrollment(
                            "dibao",
                            status="ended",
                            end=D(2020, 3, 1),
                            end_reason="employment",
                        ),
                    )
                ),
                make_member(relation="spouse", on=("dibao",)),
            ),
            None,
        ),
        case(
            "extension_months 3: ended 2020-05-31",
            ended(D(2020, 5, 31)),
            "missing",
            as_of=END_OF_AUGUST,
            extension_months=3,
        ),
        case(
            "extension_months 3: ended 2020-05-30",
            ended(D(2020, 5, 30)),
            None,
            as_of=END_OF_AUGUST,
            extension_months=3,
        ),
        case(
            "lifted household",
            make_household(
                make_member(
                    enrollments=(
                        enrollment(
                            "dibao",
                            status="ended",
                            end=D(2020, 3, 1),
                            end_reason="employment",
                        ),
                    )
                ),
                poverty_status="lifted",
            ),
            None,
        ),
    ],
)
def test_dibao_extension_missing(household, as_of, params, expected):
    check(EXTENSION, household, as_of, params, expected)


# DISABILITY_LIVING_SUBSIDY_MISSING ---------------------------------------

LIVING = "DISABILITY_LIVING_SUBSIDY_MISSING"


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case(
            "grade 1 on dibao",
            make_household(disabled("physical", 1, on=("dibao",))),
            "missing",
        ),
        case(
            "grade 2 on dibao",
            make_household(disabled("visual", 2, on=("dibao",))),
            "missing",
        ),
        case(
            "grade 3 on dibao",
            make_household(disabled("hearing", 3, on=("dibao",))),
            "missing",
        ),
        case(
            "grade 4 on dibao",
            make_household(disabled("speech", 4, on=("dibao",))),
            "missing",
        ),
        case(
            "single-person dibao",
            make_household(
                disabled(
                    "physical",
                    2,
                    enrollments=(enrollment("dibao", scope="individual"),),
                )
            ),
            "missing",
        ),
        case(
            "dibao in extension",
            make_household(
                disabled(
                    "physical",
                    2,
                    enrollments=(enrollment("dibao", status="extension"),),
                )
            ),
            "missing",
        ),
        case("not on dibao", make_household(disabled("physical", 2)), None),
        case(
            "dibao ended",
            make_household(
                disabled(
                    "physical", 2, enrollments=(enrollment("dibao", status="ended"),)
                )
            ),
            None,
        ),
        case(
            "on tekun (and dibao)",
            make_household(disabled("physical", 2, on=("dibao", "tekun"))),
            None,
        ),
        case(
            "already receives it",
            make_household(disabled("physical", 2, on=("dibao", "disability_living"))),
            None,
        ),
        case(
            "subsidy suspended",
            make_household(
                disabled(
                    "physical",
                    2,
                    on=("dibao",),
                    enrollments=(enrollment("disability_living", status="suspended"),),
                )
            ),
            "missing",
        ),
        case("no disability", make_household(make_member(on=("dibao",))), None),
        case(
            "disability incomplete",
            make_household(make_member(health="disabled", on=("dibao",))),
            "review",
        ),
        case(
            "disability incomplete, not on dibao",
            make_household(make_member(health="disabled")),
            None,
        ),
    ],
)
def test_disability_living_subsidy_missing(household, as_of, params, expected):
    check(LIVING, household, as_of, params, expected)


# DISABILITY_NURSING_SUBSIDY_MISSING --------------------------------------

NURSING = "DISABILITY_NURSING_SUBSIDY_MISSING"


def tekun_with(category, grade, care_mode="dispersed"):
    return make_household(
        disabled(
            category, grade, enrollments=(enrollment("tekun", care_mode=care_mode),)
        )
    )


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case("physical 1", make_household(disabled("physical", 1)), "missing"),
        case("hearing 2", make_household(disabled("hearing", 2)), "missing"),
        case("physical 3", make_household(disabled("physical", 3)), None),
        case("intellectual 3", make_household(disabled("intellectual", 3)), None),
        case(
            "intellectual 3, extends to grade 3",
            make_household(disabled("intellectual", 3)),
            "missing",
            nursing_extends_grade3=True,
        ),
        case(
            "mental 3, extends to grade 3",
            make_household(disabled("mental", 3)),
            "missing",
            nursing_extends_grade3=True,
        ),
        case(
            "physical 3, extends to grade 3",
            make_household(disabled("physical", 3)),
            None,
            nursing_extends_grade3=True,
        ),
        case(
            "mental 4, extends to grade 3",
            make_household(disabled("mental", 4)),
            None,
            nursing_extends_grade3=True,
        ),
        case("no disability", make_household(), None),
        case(
            "disability incomplete",
            make_household(make_member(health="disabled")),
            "review",
        ),
        case(
            "already receives it",
            make_household(disabled("physical", 1, on=("disability_nursing",))),
            None,
        ),
        case(
            "on dibao too",
            make_household(disabled("physical", 1, on=("dibao",))),
            "missing",
        ),
        case("tekun dispersed (default review)", tekun_with("physical", 1), "review"),
        case(
            "tekun centralized (default no)",
            tekun_with("physical", 1, "centralized"),
            None,
        ),
        case(
            "tekun blank care mode = dispersed", tekun_with("physical", 1, ""), "review"
        ),
        case(
            "tekun dispersed, dispersed=yes",
            tekun_with("physical", 1),
            "missing",
            tekun_may_get_nursing={"centralized": "no", "dispersed": "yes"},
        ),
        case(
            "tekun dispersed, dispersed=no",
            tekun_with("physical", 1),
            None,
            tekun_may_get_nursing={"centralized": "no", "dispersed": "no"},
        ),
        case(
            "tekun centralized, centralized=yes",
            tekun_with("physical", 1, "centralized"),
            "missing",
            tekun_may_get_nursing={"centralized": "yes", "dispersed": "review"},
        ),
        case(
            "tekun centralized, centralized=review",
            tekun_with("physical", 1, "centralized"),
            "review",
            tekun_may_get_nursing={"centralized": "review", "dispersed": "review"},
        ),
        case("tekun dispersed, grade 3", tekun_with("physical", 3), None),
    ],
)
def test_disability_nursing_subsidy_missing(household, as_of, params, expected):
    check(NURSING, household, as_of, params, expected)


# ELDERLY_SUBSIDY_MISSING -------------------------------------------------

ELDERLY = "ELDERLY_SUBSIDY_MISSING"


def elder(age, **fields):
    fields.setdefault("on", ("dibao",))
    return make_household(make_member(age=age, **fields))


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case("59", elder(59), None),
        case("60 today", elder(60), "missing"),
        case(
            "60 tomorrow",
            make_household(make_member(born=D(1960, 4, 16), on=("dibao",))),
            None,
        ),
        case("68", elder(68), "missing"),
        case("99", elder(99), "missing"),
        case("100", elder(100), None),
        case("not on dibao", elder(68, on=()), None),
        case("on tekun too", elder(68, on=("dibao", "tekun")), None),
        case("already receives it", elder(68, on=("dibao", "elderly")), None),
        case(
            "subsidy ended",
            elder(68, enrollments=(enrollment("elderly", status="ended"),)),
            "missing",
        ),
        case(
            "single-person dibao",
            elder(68, on=(), enrollments=(enrollment("dibao", scope="individual"),)),
            "missing",
        ),
        case(
            "ID invalid: age unknown", elder(68, id_number=bad_id_number(68)), "review"
        ),
        case("ID invalid, not on dibao", elder(68, on=(), id_number="bad"), None),
        case(
            "lifted household",
            make_household(make_member(age=68, on=("dibao",)), poverty_status="lifted"),
            None,
        ),
    ],
)
def test_elderly_subsidy_missing(household, as_of, params, expected):
    check(ELDERLY, household, as_of, params, expected)


def test_elderly_message_names_the_age_and_the_policy():
    f = finding(elder(68), ELDERLY)
    assert f.message.startswith("年满60周岁（68岁），享受低保")
    assert "未享受困难老年人补贴" in f.message
    assert f.section == "charity_elderly"


# TEMPORARY_ASSISTANCE_BRIDGE ---------------------------------------------

BRIDGE = "TEMPORARY_ASSISTANCE_BRIDGE"
APPLIED = D(2020, 3, 1)


def applicant(benefit="tekun", scope="", start=APPLIED, status="pending", grants=()):
    application = enrollment(benefit, status=status, start=start, scope=scope)
    return make_member(enrollments=(application,), grants=grants)


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case("pending tekun, no grant", make_household(applicant()), "review"),
        case(
            "pending single-person dibao, no grant",
            make_household(applicant("dibao", "individual")),
            "review",
        ),
        case(
            "grant on the application date",
            make_household(applicant(grants=(grant(APPLIED),))),
            None,
        ),
        case(
            "grant after the application",
            make_household(applicant(grants=(grant(D(2020, 4, 1)),))),
            None,
        ),
        case(
            "grant before the application",
            make_household(applicant(grants=(grant(D(2020, 2, 29)),))),
            "review",
        ),
        case(
            "grant after as_of",
            make_household(applicant(grants=(grant(D(2020, 4, 16)),))),
            "review",
        ),
        case(
            "application after as_of",
            make_household(applicant(start=D(2020, 4, 16))),
            None,
        ),
        case(
            "application dated as_of", make_household(applicant(start=AS_OF)), "review"
        ),
        case("application date blank", make_household(applicant(start=None)), "review"),
        case(
            "application date blank, any grant",
            make_household(applicant(start=None, grants=(grant(D(2019, 1, 1)),))),
            None,
        ),
        case("approved (active)", make_household(applicant(status="active")), None),
        case("refused (ended)", make_household(applicant(status="ended")), None),
        case(
            "a grant to another member does not bridge a personal application",
            make_household(
                applicant(),
                make_member(relation="spouse", grants=(grant(D(2020, 4, 1)),)),
            ),
            "review",
        ),
        case(
            "pending elderly subsidy is no dibao/tekun application",
            make_household(applicant("elderly")),
            None,
        ),
        case(
            "lifted household",
            make_household(applicant(), poverty_status="lifted"),
            None,
        ),
    ],
)
def test_temporary_assistance_bridge_member(household, as_of, params, expected):
    check(BRIDGE, household, as_of, params, expected)


def whole_application(*grants_by_member):
    members = []
    for index, grants in enumerate(grants_by_member):
        members.append(
            make_member(
                relation="head" if index == 0 else "spouse",
                enrollments=(
                    enrollment(
                        "dibao", status="pending", start=APPLIED, scope="household"
                    ),
                ),
                grants=grants,
            )
        )
    return make_household(*members)


@pytest.mark.parametrize(
    ("household", "expected"),
    [
        pytest.param(whole_application((), ()), [(None, "review")], id="no grant"),
        pytest.param(
            whole_application((), (grant(D(2020, 3, 5)),)),
            [],
            id="grant to another member counts",
        ),
        pytest.param(
            whole_application((grant(D(2020, 2, 1)),), ()),
            [(None, "review")],
            id="grant before the application",
        ),
    ],
)
def test_temporary_assistance_bridge_household(household, expected):
    assert kinds(household, BRIDGE) == expected


def test_household_and_member_applications_give_both_levels():
    member = make_member(
        enrollments=(
            enrollment("dibao", status="pending", start=APPLIED, scope="household"),
            enrollment("tekun", status="pending", start=APPLIED),
        )
    )
    assert kinds(make_household(member), BRIDGE) == [
        (None, "review"),
        (member.id, "review"),
    ]


def test_bridge_message_gives_the_application_date():
    f = finding(make_household(applicant()), BRIDGE)
    assert "2020-03-01" in f.message and "特困供养" in f.message
    assert f.policy == "temporary_assistance"


# TEKUN_CENTRALIZED_CANDIDATE ---------------------------------------------

CENTRAL = "TEKUN_CENTRALIZED_CANDIDATE"


def tekun_person(self_care="none", willing="yes", care_mode="dispersed", **fields):
    return make_household(
        make_member(
            self_care=self_care,
            willing_centralized=willing,
            enrollments=(enrollment("tekun", care_mode=care_mode),),
            **fields,
        )
    )


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case("fully dependent, willing", tekun_person(), "missing"),
        case("partly dependent, willing", tekun_person("partial"), "missing"),
        case("independent", tekun_person("full"), None),
        case("self-care blank", tekun_person(""), "review"),
        case("willingness unknown", tekun_person(willing="unknown"), "review"),
        case("unwilling", tekun_person(willing="no"), None),
        case("unwilling, self-care blank", tekun_person("", "no"), None),
        case("willingness unknown, independent", tekun_person("full", "unknown"), None),
        case(
            "partly dependent, levels none only",
            tekun_person("partial"),
            None,
            cannot_self_care_levels="none",
        ),
        case(
            "fully dependent, levels none only",
            tekun_person("none"),
            "missing",
            cannot_self_care_levels="none",
        ),
        case("already centralized", tekun_person(care_mode="centralized"), None),
        case("care mode blank = dispersed", tekun_person(care_mode=""), "missing"),
        case(
            "not on tekun",
            make_household(make_member(self_care="none", willing_centralized="yes")),
            None,
        ),
        case(
            "tekun application only",
            make_household(
                make_member(
                    self_care="none",
                    willing_centralized="yes",
                    enrollments=(enrollment("tekun", status="pending"),),
                )
            ),
            None,
        ),
    ],
)
def test_tekun_centralized_candidate(household, as_of, params, expected):
    check(CENTRAL, household, as_of, params, expected)
