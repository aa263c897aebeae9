"""Consistency rules (部分落实 / 不一致): table-driven, one row per household."""

import datetime

import pytest

from .factories import (
    AS_OF,
    bad_id_number,
    born_for,
    disabled,
    enrollment,
    finding,
    kind_of,
    make_household,
    make_member,
    make_params,
)

D = datetime.date


def case(id, household, expected, *, as_of=AS_OF, **params):
    return pytest.param(household, as_of, params, expected, id=id)


def check(rule, household, as_of, params, expected):
    assert kind_of(household, rule, as_of, make_params(as_of, **params)) == expected


def one(**fields):
    return make_household(make_member(**fields))


# TEKUN_IN_DIBAO_HOUSEHOLD ------------------------------------------------


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case(
            "tekun and whole-household dibao",
            one(on=("tekun", "dibao")),
            "inconsistent",
        ),
        case(
            "tekun and single-person dibao",
            one(on=("tekun",), enrollments=(enrollment("dibao", scope="individual"),)),
            "inconsistent",
        ),
        case(
            "tekun and dibao in extension",
            one(on=("tekun",), enrollments=(enrollment("dibao", status="extension"),)),
            "inconsistent",
        ),
        case(
            "tekun and an ended dibao",
            one(on=("tekun",), enrollments=(enrollment("dibao", status="ended"),)),
            None,
        ),
        case("tekun only", one(on=("tekun",)), None),
        case(
            "tekun, another member on dibao",
            make_household(
                make_member(on=("tekun",)),
                make_member(relation="spouse", on=("dibao",)),
            ),
            None,
        ),
        case(
            "tekun application and dibao",
            one(on=("dibao",), enrollments=(enrollment("tekun", status="pending"),)),
            None,
        ),
        case(
            "lifted household",
            make_household(make_member(on=("tekun", "dibao")), poverty_status="lifted"),
            None,
        ),
    ],
)
def test_tekun_in_dibao_household(household, as_of, params, expected):
    check("TEKUN_IN_DIBAO_HOUSEHOLD", household, as_of, params, expected)


# TEKUN_WITH_LIVING_SUBSIDY -----------------------------------------------


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case(
            "tekun with living subsidy",
            make_household(disabled("physical", 2, on=("tekun", "disability_living"))),
            "inconsistent",
        ),
        case("living subsidy only", one(on=("disability_living", "dibao")), None),
        case(
            "tekun, living subsidy ended",
            one(
                on=("tekun",),
                enrollments=(enrollment("disability_living", status="ended"),),
            ),
            None,
        ),
    ],
)
def test_tekun_with_living_subsidy(household, as_of, params, expected):
    check("TEKUN_WITH_LIVING_SUBSIDY", household, as_of, params, expected)


# TEKUN_WITH_NURSING_SUBSIDY ----------------------------------------------


def tekun_nursing(care_mode="dispersed"):
    return make_household(
        disabled(
            "physical",
            1,
            on=("disability_nursing",),
            enrollments=(enrollment("tekun", care_mode=care_mode),),
        )
    )


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case("dispersed (default review)", tekun_nursing(), "review"),
        case("centralized (default no)", tekun_nursing("centralized"), "inconsistent"),
        case("blank care mode = dispersed", tekun_nursing(""), "review"),
        case(
            "dispersed=yes",
            tekun_nursing(),
            None,
            tekun_may_get_nursing={"centralized": "no", "dispersed": "yes"},
        ),
        case(
            "dispersed=no",
            tekun_nursing(),
            "inconsistent",
            tekun_may_get_nursing={"centralized": "no", "dispersed": "no"},
        ),
        case(
            "centralized=yes",
            tekun_nursing("centralized"),
            None,
            tekun_may_get_nursing={"centralized": "yes", "dispersed": "review"},
        ),
        case("tekun without nursing subsidy", one(on=("tekun",)), None),
        case(
            "nursing subsidy without tekun",
            make_household(disabled("physical", 1, on=("disability_nursing",))),
            None,
        ),
    ],
)
def test_tekun_with_nursing_subsidy(household, as_of, params, expected):
    check("TEKUN_WITH_NURSING_SUBSIDY", household, as_of, params, expected)


# LIVING_SUBSIDY_WITHOUT_DIBAO --------------------------------------------


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case(
            "living subsidy, no dibao", one(on=("disability_living",)), "inconsistent"
        ),
        case("living subsidy and dibao", one(on=("disability_living", "dibao")), None),
        case(
            "living subsidy and single-person dibao",
            one(
                on=("disability_living",),
                enrollments=(enrollment("dibao", scope="individual"),),
            ),
            None,
        ),
        case(
            "living subsidy and tekun (the tekun rule reports it)",
            one(on=("disability_living", "tekun")),
            None,
        ),
        case(
            "living subsidy, dibao ended",
            one(
                on=("disability_living",),
                enrollments=(enrollment("dibao", status="ended"),),
            ),
            "inconsistent",
        ),
        case(
            "living subsidy, dibao pending",
            one(
                on=("disability_living",),
                enrollments=(enrollment("dibao", status="pending"),),
            ),
            "inconsistent",
        ),
        case(
            "living subsidy, another member on whole-household dibao",
            make_household(
                make_member(on=("disability_living",)),
                make_member(relation="spouse", on=("dibao",)),
            ),
            "inconsistent",
        ),
    ],
)
def test_living_subsidy_without_dibao(household, as_of, params, expected):
    check("LIVING_SUBSIDY_WITHOUT_DIBAO", household, as_of, params, expected)


# LIVING_SUBSIDY_NO_DISABILITY --------------------------------------------


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case("no disability", one(on=("disability_living", "dibao")), "inconsistent"),
        case(
            "recorded disability",
            make_household(disabled("hearing", 4, on=("disability_living", "dibao"))),
            None,
        ),
        case(
            "disability incomplete",
            one(health="disabled", on=("disability_living", "dibao")),
            "review",
        ),
        case(
            "category without grade",
            one(disability_category="visual", on=("disability_living", "dibao")),
            "review",
        ),
        case("no subsidy", one(on=("dibao",)), None),
    ],
)
def test_living_subsidy_no_disability(household, as_of, params, expected):
    check("LIVING_SUBSIDY_NO_DISABILITY", household, as_of, params, expected)


# NURSING_SUBSIDY_NOT_SEVERE ----------------------------------------------


def nursing(category, grade, **fields):
    return make_household(
        disabled(category, grade, on=("disability_nursing",), **fields)
    )


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case("physical 1", nursing("physical", 1), None),
        case("visual 2", nursing("visual", 2), None),
        case("physical 3", nursing("physical", 3), "inconsistent"),
        case("hearing 4", nursing("hearing", 4), "inconsistent"),
        case("intellectual 3", nursing("intellectual", 3), "inconsistent"),
        case(
            "intellectual 3, extends to grade 3",
            nursing("intellectual", 3),
            None,
            nursing_extends_grade3=True,
        ),
        case(
            "mental 3, extends to grade 3",
            nursing("mental", 3),
            None,
            nursing_extends_grade3=True,
        ),
        case(
            "physical 3, extends to grade 3",
            nursing("physical", 3),
            "inconsistent",
            nursing_extends_grade3=True,
        ),
        case(
            "mental 4, extends to grade 3",
            nursing("mental", 4),
            "inconsistent",
            nursing_extends_grade3=True,
        ),
        case("no disability", one(on=("disability_nursing",)), "inconsistent"),
        case(
            "disability incomplete",
            one(health="disabled", on=("disability_nursing",)),
            "review",
        ),
        case(
            "grade without category",
            one(disability_grade=1, on=("disability_nursing",)),
            "review",
        ),
    ],
)
def test_nursing_subsidy_not_severe(household, as_of, params, expected):
    check("NURSING_SUBSIDY_NOT_SEVERE", household, as_of, params, expected)


# ELDERLY_SUBSIDY_OUT_OF_RANGE --------------------------------------------


def elderly(age=68, on=("elderly", "dibao"), **fields):
    return one(age=age, on=on, **fields)


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case("59", elderly(59), "inconsistent"),
        case(
            "the day before the 60th birthday",
            make_household(
                make_member(
                    born=born_for(60) + datetime.timedelta(days=1),
                    on=("elderly", "dibao"),
                )
            ),
            "inconsistent",
        ),
        case("60", elderly(60), None),
        case("99", elderly(99), None),
        case("100", elderly(100), "inconsistent"),
        case("68, not on dibao", elderly(on=("elderly",)), "inconsistent"),
        case(
            "68, dibao ended",
            elderly(
                on=("elderly",), enrollments=(enrollment("dibao", status="ended"),)
            ),
            "inconsistent",
        ),
        case("ID invalid, on dibao", elderly(id_number=bad_id_number(68)), "review"),
        case(
            "ID invalid, not on dibao",
            elderly(on=("elderly",), id_number=bad_id_number(68)),
            "inconsistent",
        ),
        case("no elderly subsidy", elderly(50, on=("dibao",)), None),
    ],
)
def test_elderly_subsidy_out_of_range(household, as_of, params, expected):
    check("ELDERLY_SUBSIDY_OUT_OF_RANGE", household, as_of, params, expected)


def test_out_of_range_message_says_why():
    f = finding(elderly(100), "ELDERLY_SUBSIDY_OUT_OF_RANGE")
    assert "100岁，不在60至99周岁之间" in f.message


# DIBAO_EXTENSION_OVERDUE -------------------------------------------------


def extension(review_date=None, decision="extend", start=None, status="extension"):
    return one(
        enrollments=(
            enrollment(
                "dibao",
                status=status,
                start=start,
                review_date=review_date,
                review_decision=decision,
            ),
        )
    )


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case(
            "reviewed 2019-09-20: ended 2020-04-01", extension(D(2019, 9, 20)), "review"
        ),
        case("reviewed 2019-10-20: ends 2020-05-01", extension(D(2019, 10, 20)), None),
        case(
            "reviewed 2019-10-15, months from the review date",
            extension(D(2019, 10, 15)),
            "review",
            extension_start="review_date",
        ),
        case(
            "reviewed 2019-10-16, months from the review date",
            extension(D(2019, 10, 16)),
            None,
            extension_start="review_date",
        ),
        case(
            "reviewed 2019-10-15, months from the next month",
            extension(D(2019, 10, 15)),
            None,
        ),
        case(
            "reviewed 2019-09-30, next month",
            extension(D(2019, 9, 30)),
            "review",
        ),
        case("decision continue", extension(D(2019, 9, 20), "continue"), None),
        case("decision end", extension(D(2019, 9, 20), "end"), None),
        case("no decision", extension(D(2019, 9, 20), ""), "review"),
        case(
            "no review date, started 2019-10-15",
            extension(start=D(2019, 10, 15)),
            "review",
        ),
        case(
            "no review date, started 2019-10-16", extension(start=D(2019, 10, 16)), None
        ),
        case("neither review date nor start", extension(), "review"),
        case("not an extension", extension(D(2019, 9, 20), status="active"), None),
        case(
            "3 months, started 2020-01-15",
            extension(start=D(2020, 1, 15)),
            "review",
            extension_months=3,
        ),
        case(
            "3 months, started 2020-01-16",
            extension(start=D(2020, 1, 16)),
            None,
            extension_months=3,
        ),
        case(
            "lifted household",
            make_household(
                make_member(
                    enrollments=(
                        enrollment(
                            "dibao", status="extension", review_date=D(2019, 9, 20)
                        ),
                    )
                ),
                poverty_status="lifted",
            ),
            None,
        ),
    ],
)
def test_dibao_extension_overdue(household, as_of, params, expected):
    check("DIBAO_EXTENSION_OVERDUE", household, as_of, params, expected)


def test_extension_overdue_is_household_level_once_for_many_members():
    members = [
        make_member(
            relation=relation,
            enrollments=(
                enrollment("dibao", status="extension", review_date=D(2019, 9, 20)),
            ),
        )
        for relation in ("head", "spouse", "son")
    ]
    f = finding(make_household(*members), "DIBAO_EXTENSION_OVERDUE")
    assert f.member_id is None and f.id_number is None
    assert "2020-04-01" in f.message


# DIBAO_EXIT_REVIEW -------------------------------------------------------


def lifted_keeping(*enrollments, status="lifted_keeping_policy"):
    return make_household(make_member(enrollments=enrollments), poverty_status=status)


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case(
            "dibao ended this year, no decision",
            lifted_keeping(enrollment("dibao", status="ended", end=D(2020, 2, 1))),
            "review",
        ),
        case(
            "dibao ending later this year",
            lifted_keeping(enrollment("dibao", end=D(2020, 12, 31))),
            "review",
        ),
        case(
            "dibao ended last year",
            lifted_keeping(enrollment("dibao", status="ended", end=D(2019, 12, 31))),
            None,
        ),
        case(
            "dibao ending next year",
            lifted_keeping(enrollment("dibao", end=D(2021, 1, 1))),
            None,
        ),
        case(
            "decision recorded",
            lifted_keeping(
                enrollment(
                    "dibao", status="ended", end=D(2020, 2, 1), review_decision="end"
                )
            ),
            None,
        ),
        case("no end date", lifted_keeping(enrollment("dibao")), None),
        case(
            "an application with an end date",
            lifted_keeping(enrollment("dibao", status="pending", end=D(2020, 6, 1))),
            None,
        ),
        case(
            "elderly subsidy ending",
            lifted_keeping(enrollment("elderly", end=D(2020, 6, 1))),
            None,
        ),
        case(
            "not lifted",
            lifted_keeping(
                enrollment("dibao", status="ended", end=D(2020, 2, 1)),
                status="not_lifted",
            ),
            None,
        ),
        case(
            "lifted, not keeping policy (out of scope)",
            lifted_keeping(
                enrollment("dibao", status="ended", end=D(2020, 2, 1)), status="lifted"
            ),
            None,
        ),
    ],
)
def test_dibao_exit_review(household, as_of, params, expected):
    check("DIBAO_EXIT_REVIEW", household, as_of, params, expected)


# POVERTY_TYPE_MISMATCH ---------------------------------------------------


def typed(poverty_type, *members):
    return make_household(*(members or (make_member(),)), poverty_type=poverty_type)


@pytest.mark.parametrize(
    ("household", "as_of", "params", "expected"),
    [
        case("dibao type, nobody on dibao", typed("dibao"), "inconsistent"),
        case("dibao type, on dibao", typed("dibao", make_member(on=("dibao",))), None),
        case(
            "dibao type, single-person dibao",
            typed(
                "dibao",
                make_member(enrollments=(enrollment("dibao", scope="individual"),)),
            ),
            None,
        ),
        case(
            "dibao type, dibao ended",
            typed(
                "dibao", make_member(enrollments=(enrollment("dibao", status="ended"),))
            ),
            "inconsistent",
        ),
        case("tekun type, nobody on tekun", typed("tekun"), "inconsistent"),
        case("tekun type, on tekun", typed("tekun", make_member(on=("tekun",))), None),
        case(
            "general type, whole-household dibao",
            typed("general", make_member(on=("dibao",))),
            "inconsistent",
        ),
        case(
            "general type, a member on tekun",
            typed(
                "general", make_member(), make_member(relation="father", on=("tekun",))
            ),
            "inconsistent",
        ),
        case(
            "general type, single-person dibao",
            typed(
                "general",
                make_member(enrollments=(enrollment("dibao", scope="individual"),)),
            ),
            None,
        ),
        case("general type, nothing", typed("general"), None),
        case("blank type", typed("", make_member(on=("tekun",))), None),
        case(
            "lifted household",
            make_household(
                make_member(), poverty_type="dibao", poverty_status="lifted"
            ),
            None,
        ),
    ],
)
def test_poverty_type_mismatch(household, as_of, params, expected):
    check("POVERTY_TYPE_MISMATCH", household, as_of, params, expected)
