"""Data-quality rules: for every member, in every household."""

import datetime

import pytest

from subsidies.rules import RULES

from .factories import (
    bad_id_number,
    born_for,
    disabled,
    enrollment,
    id_number,
    kinds,
    make_household,
    make_member,
    run,
)

D = datetime.date
VALID = id_number(D(1950, 1, 1), sequence=13)


def id_with_x_check() -> str:
    for sequence in range(1, 1000):
        number = id_number(D(1980, 5, 5), sequence=sequence)
        if number.endswith("X"):
            return number
    raise AssertionError("no X check character found")


def reported(household, rule, **kwargs):
    """Member ids (None: household) that ``rule`` reported."""
    found = kinds(household, rule, **kwargs)
    assert all(kind == "data_quality" for _, kind in found)
    return [member_id for member_id, _ in found]


def fired(household, rule, **kwargs):
    return bool(reported(household, rule, **kwargs))


def test_every_data_quality_finding_has_no_section_and_no_policy():
    household = make_household(
        make_member(id_number="bad", health="disabled", deceased=True, on=("dibao",)),
        make_member(relation="head", id_number=id_number(D(1980, 1, 1), area="110105")),
        poverty_status="lifted",
    )
    findings = [f for f in run(household) if f.kind == "data_quality"]
    assert {f.rule for f in findings} >= {
        "ID_INVALID",
        "DISABILITY_INCOMPLETE",
        "DECEASED_WITH_BENEFIT",
        "ID_AREA_NOT_LOCAL",
    }
    assert all(f.section is None and f.policy is None for f in findings)
    data_quality = {rule.code for rule in RULES if rule.group == "data_quality"}
    assert {f.rule for f in run(household)} <= data_quality


# ID_INVALID --------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "fires", "says"),
    [
        (VALID, False, ""),
        (bad_id_number(), True, "校验码"),
        ("371521195013010011", True, "出生日期"),
        ("37152119500101001", True, "格式"),
        ("abc", True, "格式"),
        ("", True, "未填写"),
        ("371521500101001", True, "18位标准格式"),
        (id_with_x_check().lower(), True, "18位标准格式"),
        (id_with_x_check(), False, ""),
    ],
    ids=[
        "valid",
        "checksum",
        "date",
        "17 digits",
        "letters",
        "blank",
        "legacy 15 digits stored",
        "lower-case x stored",
        "X check",
    ],
)
def test_id_invalid(number, fires, says):
    household = make_household(make_member(id_number=number))
    findings = [f for f in run(household) if f.rule == "ID_INVALID"]
    assert bool(findings) is fires
    if fires:
        assert says in findings[0].message
        assert findings[0].id_number == number


@pytest.mark.parametrize(
    "fields",
    [{"deceased": True}, {"removed": True}],
    ids=["deceased", "removed"],
)
def test_id_invalid_applies_to_everyone(fields):
    member = make_member(id_number="bad", **fields)
    household = make_household(
        make_member(relation="head"), member, poverty_status="lifted"
    )
    assert reported(household, "ID_INVALID") == [member.id]


# ID_DUPLICATE ------------------------------------------------------------


def test_a_number_twice_in_the_household_is_reported_for_both():
    first = make_member(id_number=VALID)
    second = make_member(relation="son", id_number=VALID)
    assert reported(make_household(first, second), "ID_DUPLICATE") == [
        first.id,
        second.id,
    ]


def test_a_removed_member_does_not_count_as_a_duplicate():
    first = make_member(id_number=VALID)
    second = make_member(relation="son", id_number=VALID, removed=True)
    assert reported(make_household(first, second), "ID_DUPLICATE") == []


def test_a_legacy_and_an_upgraded_number_are_the_same_person():
    upgraded = id_number(D(1950, 1, 1), sequence=13)
    legacy = upgraded[:6] + upgraded[8:17]
    first = make_member(id_number=upgraded)
    second = make_member(relation="son", id_number=legacy)
    assert len(reported(make_household(first, second), "ID_DUPLICATE")) == 2


def test_county_wide_duplicates_come_from_the_service():
    member = make_member(id_number=VALID)
    household = make_household(member)
    assert reported(household, "ID_DUPLICATE") == []
    found = [
        f
        for f in run(household, duplicate_ids=frozenset({VALID}))
        if f.rule == "ID_DUPLICATE"
    ]
    assert [f.member_id for f in found] == [member.id]
    assert "其他户" in found[0].message


def test_removed_members_are_never_reported_as_duplicates():
    member = make_member(id_number=VALID, removed=True)
    household = make_household(make_member(relation="head"), member)
    assert not fired(household, "ID_DUPLICATE", duplicate_ids=frozenset({VALID}))


def test_blank_numbers_are_not_duplicates():
    household = make_household(make_member(id_number=""), make_member(id_number=""))
    assert not fired(household, "ID_DUPLICATE")


# ID_AREA_NOT_LOCAL -------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "county_code", "fires"),
    [
        (VALID, "371521", False),
        (id_number(D(1980, 1, 1), area="110105"), "371521", True),
        (id_number(D(1980, 1, 1), area="371502"), "371521", True),
        ("110105198001010000", "371521", False),
        (VALID, "371502", True),
    ],
    ids=["local", "Beijing", "same city, other county", "invalid", "other county code"],
)
def test_id_area_not_local(number, county_code, fires):
    household = make_household(make_member(id_number=number))
    assert fired(household, "ID_AREA_NOT_LOCAL", county_code=county_code) is fires


def test_area_finding_says_it_is_not_an_error():
    number = id_number(D(1980, 1, 1), area="110105")
    found = [
        f
        for f in run(make_household(make_member(id_number=number)))
        if f.rule == "ID_AREA_NOT_LOCAL"
    ]
    assert "110105" in found[0].message and "非错误" in found[0].message


# DISABILITY_CERT_MISMATCH ------------------------------------------------


OTHER = id_number(D(1960, 6, 6), sequence=21)


@pytest.mark.parametrize(
    ("cert", "category", "grade", "fires", "says"),
    [
        (VALID + "52", "intellectual", 2, False, ""),
        ("", "intellectual", 2, False, ""),
        (OTHER + "52", "intellectual", 2, True, "前18位"),
        (VALID + "42", "intellectual", 2, True, "第19位（4，肢体）"),
        (VALID + "53", "intellectual", 2, True, "第20位（3）"),
        (VALID, "intellectual", 2, True, "缺失"),
        (VALID + "72", "multiple", 2, False, ""),
        (" " + VALID.lower() + "52 ", "intellectual", 2, False, ""),
        (VALID + "52B1", "intellectual", 2, False, ""),
        (VALID + "52", "", None, False, ""),
        (VALID + "52", "intellectual", None, False, ""),
        (VALID + "92", "intellectual", 2, True, "无法识别"),
    ],
    ids=[
        "matches",
        "no certificate",
        "other person",
        "category differs",
        "grade differs",
        "18 characters only",
        "multiple",
        "spaces and lower case",
        "reissue suffix",
        "nothing recorded to compare",
        "grade not recorded",
        "unknown category digit",
    ],
)
def test_disability_cert_mismatch(cert, category, grade, fires, says):
    member = make_member(
        id_number=VALID,
        health="disabled",
        disability_category=category,
        disability_grade=grade,
        disability_cert_no=cert,
    )
    found = [
        f for f in run(make_household(member)) if f.rule == "DISABILITY_CERT_MISMATCH"
    ]
    assert bool(found) is fires
    if fires:
        assert says in found[0].message


def test_a_certificate_is_never_required_by_a_coverage_rule():
    member = disabled("physical", 1, on=("dibao",))
    found = {f.rule for f in run(make_household(member))}
    assert "DISABILITY_LIVING_SUBSIDY_MISSING" in found
    assert "DISABILITY_CERT_MISMATCH" not in found


# DISABILITY_INCOMPLETE ---------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "fires"),
    [
        ({"health": "disabled"}, True),
        ({"health": "disabled", "disability_category": "visual"}, True),
        ({"health": "disabled", "disability_grade": 2}, True),
        ({"disability_category": "visual"}, True),
        ({"disability_grade": 2}, True),
        (
            {
                "health": "disabled",
                "disability_category": "visual",
                "disability_grade": 2,
            },
            False,
        ),
        ({"health": "healthy"}, False),
        ({"health": "disabled", "deceased": True}, True),
    ],
    ids=[
        "disabled, nothing recorded",
        "category only",
        "grade only",
        "category only, health not disabled",
        "grade only, health not disabled",
        "complete",
        "healthy",
        "deceased",
    ],
)
def test_disability_incomplete(fields, fires):
    household = make_household(
        make_member(relation="head"), make_member(relation="son", **fields)
    )
    assert fired(household, "DISABILITY_INCOMPLETE") is fires


# HOUSEHOLD_HEAD_INVALID --------------------------------------------------


@pytest.mark.parametrize(
    ("relations", "says"),
    [
        ((("head", {}),), None),
        ((("spouse", {}),), "户内无户主"),
        ((("head", {}), ("head", {})), "2名户主"),
        ((("head", {"deceased": True}), ("spouse", {})), "户主已死亡"),
        ((("head", {"deceased": True}), ("head", {})), None),
        ((("head", {}), ("head", {"removed": True})), None),
        ((("head", {"removed": True}),), "户主已死亡或已移除"),
    ],
    ids=[
        "one head",
        "no head",
        "two heads",
        "head deceased",
        "head deceased, new head",
        "second head removed",
        "head removed",
    ],
)
def test_household_head_invalid(relations, says):
    members = [
        make_member(relation=relation, **fields) for relation, fields in relations
    ]
    household = make_household(*members, poverty_status="lifted")
    found = [f for f in run(household) if f.rule == "HOUSEHOLD_HEAD_INVALID"]
    assert bool(found) is (says is not None)
    if says:
        assert says in found[0].message
        assert found[0].member_id is None and found[0].id_number is None


# DECEASED_WITH_BENEFIT ---------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "fires"),
    [
        ({"deceased": True, "on": ("dibao",)}, True),
        ({"removed": True, "on": ("elderly",)}, True),
        (
            {"deceased": True, "enrollments": (enrollment("dibao", status="ended"),)},
            False,
        ),
        (
            {"deceased": True, "enrollments": (enrollment("tekun", status="pending"),)},
            False,
        ),
        ({"deceased": True}, False),
        ({"on": ("dibao",)}, False),
        (
            {
                "deceased": True,
                "enrollments": (
                    enrollment("dibao", end=born_for(0) - datetime.timedelta(days=1)),
                ),
            },
            False,
        ),
    ],
    ids=[
        "deceased on dibao",
        "removed on elderly subsidy",
        "ended",
        "application",
        "nothing",
        "living",
        "ended by its end date",
    ],
)
def test_deceased_with_benefit(fields, fires):
    household = make_household(
        make_member(relation="head"), make_member(relation="son", **fields)
    )
    assert fired(household, "DECEASED_WITH_BENEFIT") is fires


def test_deceased_with_benefit_names_the_benefits_even_when_lifted():
    member = make_member(relation="son", deceased=True, on=("dibao", "elderly"))
    household = make_household(make_member(), member, poverty_status="lifted")
    found = [f for f in run(household) if f.rule == "DECEASED_WITH_BENEFIT"]
    assert found[0].message == "成员已死亡，仍在享受低保、困难老年人补贴，请及时停发"
