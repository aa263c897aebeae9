"""The engine: scope, finding shape and order, and the coverage matrix."""

import datetime
import json

import pytest

from subsidies.rules import (
    CATALOGUE,
    POLICIES,
    Finding,
    evaluate,
    find_duplicate_ids,
    household_outcome,
    household_outcomes,
    outcomes,
)

from .factories import (
    AS_OF,
    POOR_INCOME,
    enrollment,
    grant,
    make_household,
    make_member,
    make_params,
    run,
)

D = datetime.date


def problem_household(**fields):
    """A 68-year-old on dibao without the elderly subsidy, plus bad data."""
    return make_household(
        make_member(age=68, on=("dibao",)),
        make_member(relation="spouse", deceased=True, on=("dibao",)),
        make_member(relation="son", id_number="bad"),
        **fields,
    )


# Scope -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "coverage"),
    [
        ("not_lifted", True),
        ("lifted_keeping_policy", True),
        ("", True),
        ("lifted", False),
    ],
    ids=lambda value: str(value) or "blank",
)
def test_scope_by_poverty_status(status, coverage):
    findings = run(problem_household(poverty_status=status))
    rules = {f.rule for f in findings}
    assert ("ELDERLY_SUBSIDY_MISSING" in rules) is coverage
    assert {"ID_INVALID", "DECEASED_WITH_BENEFIT"} <= rules


@pytest.mark.parametrize("fields", [{"deceased": True}, {"removed": True}])
def test_deceased_and_removed_members_get_no_coverage_findings(fields):
    member = make_member(relation="father", age=68, on=("dibao",), **fields)
    findings = run(make_household(make_member(), member))
    assert {f.rule for f in findings if f.member_id == member.id} == {
        "DECEASED_WITH_BENEFIT"
    }


def test_a_household_with_nobody_living_gets_data_quality_only():
    household = make_household(
        make_member(deceased=True), poverty_type="dibao", income_per_capita=POOR_INCOME
    )
    assert {f.kind for f in run(household)} == {"data_quality"}


# Finding shape ---------------------------------------------------------


def test_to_json_has_exactly_the_contract_keys():
    findings = run(problem_household(poverty_type="general"))
    assert findings
    for f in findings:
        data = f.to_json()
        assert list(data) == [
            "rule",
            "kind",
            "household_no",
            "id_number",
            "section",
            "message",
        ]
        json.dumps(data, ensure_ascii=False)


def test_finding_fields_follow_the_catalogue():
    household = problem_household(poverty_type="general")
    for f in run(household):
        rule = CATALOGUE[f.rule]
        assert f.kind in rule.kinds
        assert f.level in rule.levels
        assert f.section == rule.section and f.policy == rule.policy
        assert f.household_no == household.household_no
        assert f.message and not f.message.isascii()
        if f.level == "household":
            assert f.member_id is None and f.to_json()["id_number"] is None
        else:
            member = next(m for m in household.members if m.id == f.member_id)
            assert f.id_number == member.id_number
        if f.kind == "data_quality":
            assert f.to_json()["section"] is None


def test_the_finding_key_is_rule_household_member():
    f = next(f for f in run(problem_household()) if f.rule == "ELDERLY_SUBSIDY_MISSING")
    assert f.key == ("ELDERLY_SUBSIDY_MISSING", f.household_no, f.member_id)


def test_findings_come_in_catalogue_order_and_are_deterministic():
    household = problem_household(poverty_type="general")
    first = run(household)
    assert first == run(household)
    order = list(CATALOGUE)
    positions = [order.index(f.rule) for f in first]
    assert positions == sorted(positions)


def test_evaluate_defaults_to_the_county_code_and_no_duplicates():
    household = make_household()
    assert evaluate(household, AS_OF, make_params()) == []


def test_find_duplicate_ids():
    assert find_duplicate_ids(["a", "b", "a", "", "", "c"]) == frozenset({"a"})


# Coverage matrix -------------------------------------------------------


HEAD = make_member(id=9001, on=("dibao",))
SPOUSE = make_member(id=9002, relation="spouse")
HOUSEHOLD = make_household(HEAD, SPOUSE)


def synthetic(rule, member_id=None, kind=None, household_no=HOUSEHOLD.household_no):
    entry = CATALOGUE[rule]
    return Finding(
        rule=rule,
        kind=kind or entry.kind,
        level="member" if member_id else "household",
        household_no=household_no,
        member_id=member_id,
        id_number=None,
        section=entry.section,
        policy=entry.policy,
        message="…",
    )


@pytest.mark.parametrize(
    ("findings", "member_id", "policy", "expected"),
    [
        ([], 9001, "dibao", "covered"),
        ([], 9002, "dibao", "not_eligible"),
        ([synthetic("POVERTY_TYPE_MISMATCH")], 9002, "dibao", "partial"),
        ([synthetic("POVERTY_TYPE_MISMATCH")], 9001, "dibao", "partial"),
        (
            [
                synthetic("POVERTY_TYPE_MISMATCH"),
                synthetic("DIBAO_WHOLE_HOUSEHOLD_MISSING"),
            ],
            9001,
            "dibao",
            "missing",
        ),
        (
            [synthetic("DIBAO_SEVERE_DISABILITY_INDIVIDUAL", 9002)],
            9002,
            "dibao",
            "missing",
        ),
        (
            [synthetic("DIBAO_SEVERE_DISABILITY_INDIVIDUAL", 9002)],
            9001,
            "dibao",
            "covered",
        ),
        (
            [synthetic("DIBAO_WHOLE_HOUSEHOLD_MISSING", kind="review")],
            9002,
            "dibao",
            "missing",
        ),
        ([synthetic("DIBAO_EXTENSION_OVERDUE")], 9001, "dibao", "partial"),
        ([synthetic("TEKUN_IN_DIBAO_HOUSEHOLD", 9001)], 9001, "tekun", "partial"),
        ([synthetic("TEKUN_IN_DIBAO_HOUSEHOLD", 9001)], 9001, "dibao", "covered"),
        (
            [
                synthetic("TEKUN_IN_DIBAO_HOUSEHOLD", 9001),
                synthetic("TEKUN_MISSING", 9001, kind="review"),
            ],
            9001,
            "tekun",
            "missing",
        ),
        ([synthetic("ID_INVALID", 9001)], 9001, "dibao", "covered"),
        (
            [synthetic("TEMPORARY_ASSISTANCE_BRIDGE")],
            9002,
            "temporary_assistance",
            "missing",
        ),
    ],
    ids=[
        "active enrollment: covered",
        "nothing: not eligible",
        "household consistency finding: partial for everyone",
        "partial beats covered",
        "missing beats partial",
        "member coverage finding",
        "a member finding applies to that member only",
        "a review from a coverage rule counts as missing",
        "consistency review: partial",
        "tekun consistency: partial",
        "other policies unaffected",
        "missing beats partial, same member",
        "data quality is ignored",
        "household bridge: missing for everyone",
    ],
)
def test_outcome_precedence(findings, member_id, policy, expected):
    assert outcomes(HOUSEHOLD, findings, AS_OF)[(member_id, policy)] == expected


def test_findings_of_another_household_are_ignored():
    other = synthetic("DIBAO_WHOLE_HOUSEHOLD_MISSING", household_no="elsewhere")
    assert outcomes(HOUSEHOLD, [other], AS_OF)[(9002, "dibao")] == "not_eligible"


def test_outcomes_cover_every_policy_for_every_member_in_scope():
    result = outcomes(HOUSEHOLD, [], AS_OF)
    assert set(result) == {(m, p) for m in (9001, 9002) for p in POLICIES}


def test_outcomes_skip_members_and_households_out_of_scope():
    dead = make_member(relation="father", deceased=True, on=("dibao",))
    removed = make_member(relation="mother", removed=True)
    household = make_household(make_member(), dead, removed)
    members = {member_id for member_id, _ in outcomes(household, [], AS_OF)}
    assert members == {household.members[0].id}
    lifted = make_household(make_member(on=("dibao",)), poverty_status="lifted")
    assert outcomes(lifted, [], AS_OF) == {}


def test_an_active_enrollment_is_judged_at_as_of():
    member = make_member(enrollments=(enrollment("elderly", start=D(2020, 5, 1)),))
    household = make_household(member)
    assert outcomes(household, [], AS_OF)[(member.id, "elderly")] == "not_eligible"
    assert outcomes(household, [], D(2020, 5, 1))[(member.id, "elderly")] == "covered"


APPLIED = D(2020, 3, 1)


def pending(benefit="tekun", scope=""):
    return enrollment(benefit, status="pending", start=APPLIED, scope=scope)


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (
            [make_member(enrollments=(pending(),), grants=(grant(D(2020, 3, 2)),))],
            ["covered"],
        ),
        ([make_member(enrollments=(pending(),))], ["missing"]),
        ([make_member(grants=(grant(D(2020, 3, 2)),))], ["not_eligible"]),
        (
            [make_member(enrollments=(pending(),), grants=(grant(D(2020, 2, 1)),))],
            ["missing"],
        ),
        (
            [
                make_member(enrollments=(pending("dibao", "household"),)),
                make_member(
                    relation="spouse",
                    enrollments=(pending("dibao", "household"),),
                    grants=(grant(D(2020, 3, 2)),),
                ),
                make_member(relation="son"),
            ],
            ["covered", "covered", "not_eligible"],
        ),
        (
            [
                make_member(enrollments=(pending("dibao", "household"),)),
                make_member(
                    relation="spouse", enrollments=(pending("dibao", "household"),)
                ),
            ],
            ["missing", "missing"],
        ),
    ],
    ids=[
        "grant after the application: covered",
        "no grant: missing (bridge review)",
        "grant without an application: not eligible",
        "grant before the application: missing",
        "household application bridged by a grant to any member",
        "household application, no grant",
    ],
)
def test_temporary_assistance_outcome(members, expected):
    household = make_household(*members)
    findings = run(household)
    result = outcomes(household, findings, AS_OF)
    assert [result[(m.id, "temporary_assistance")] for m in members] == expected


def test_household_outcome_is_the_worst_members():
    member_outcomes = {
        (1, "dibao"): "covered",
        (2, "dibao"): "partial",
        (3, "dibao"): "not_eligible",
        (1, "elderly"): "covered",
        (2, "elderly"): "not_eligible",
        (1, "tekun"): "missing",
        (2, "tekun"): "partial",
    }
    assert household_outcome(member_outcomes, "dibao") == "partial"
    assert household_outcome(member_outcomes, "elderly") == "covered"
    assert household_outcome(member_outcomes, "tekun") == "missing"
    assert household_outcome(member_outcomes, "disability_living") == "not_eligible"
    assert household_outcomes(member_outcomes) == {
        "dibao": "partial",
        "tekun": "missing",
        "temporary_assistance": "not_eligible",
        "disability_living": "not_eligible",
        "disability_nursing": "not_eligible",
        "elderly": "covered",
    }
    assert household_outcome({}, "dibao") == "not_eligible"


def test_end_to_end_matrix_for_a_typical_household():
    elder = make_member(age=68, on=("dibao",))
    son = make_member(relation="son", age=40, on=("dibao",))
    household = make_household(elder, son, poverty_type="dibao")
    result = outcomes(household, run(household), AS_OF)
    assert result[(elder.id, "elderly")] == "missing"
    assert result[(son.id, "elderly")] == "not_eligible"
    assert result[(elder.id, "dibao")] == "covered"
    assert household_outcomes(result)["elderly"] == "missing"
