"""The catalogue matches policy-rules.md: codes, levels, sections, policies."""

import pytest

from subsidies.rules import CATALOGUE, POLICIES, RULES

COVERAGE = {
    "DIBAO_WHOLE_HOUSEHOLD_MISSING": ("household", "missing", "social_assistance"),
    "DIBAO_SEVERE_DISABILITY_INDIVIDUAL": ("member", "missing", "social_assistance"),
    "TEKUN_INSTEAD_OF_DIBAO": ("member", "missing", "social_assistance"),
    "TEKUN_MISSING": ("member", "missing", "social_assistance"),
    "DIBAO_EXTENSION_MISSING": ("household", "missing", "social_assistance"),
    "DISABILITY_LIVING_SUBSIDY_MISSING": ("member", "missing", "social_affairs"),
    "DISABILITY_NURSING_SUBSIDY_MISSING": ("member", "missing", "social_affairs"),
    "ELDERLY_SUBSIDY_MISSING": ("member", "missing", "charity_elderly"),
    "TEMPORARY_ASSISTANCE_BRIDGE": ("member/household", "review", "social_assistance"),
    "TEKUN_CENTRALIZED_CANDIDATE": ("member", "missing", "social_assistance"),
}
CONSISTENCY = {
    "TEKUN_IN_DIBAO_HOUSEHOLD": ("member", "inconsistent", "social_assistance"),
    "TEKUN_WITH_LIVING_SUBSIDY": ("member", "inconsistent", "social_affairs"),
    "TEKUN_WITH_NURSING_SUBSIDY": ("member", "inconsistent", "social_affairs"),
    "LIVING_SUBSIDY_WITHOUT_DIBAO": ("member", "inconsistent", "social_affairs"),
    "LIVING_SUBSIDY_NO_DISABILITY": ("member", "inconsistent", "social_affairs"),
    "NURSING_SUBSIDY_NOT_SEVERE": ("member", "inconsistent", "social_affairs"),
    "ELDERLY_SUBSIDY_OUT_OF_RANGE": ("member", "inconsistent", "charity_elderly"),
    "DIBAO_EXTENSION_OVERDUE": ("household", "review", "social_assistance"),
    "DIBAO_EXIT_REVIEW": ("household", "review", "social_assistance"),
    "POVERTY_TYPE_MISMATCH": ("household", "inconsistent", "social_assistance"),
}
DATA_QUALITY = {
    "ID_INVALID": "member",
    "ID_DUPLICATE": "member",
    "ID_AREA_NOT_LOCAL": "member",
    "DISABILITY_CERT_MISMATCH": "member",
    "DISABILITY_INCOMPLETE": "member",
    "HOUSEHOLD_HEAD_INVALID": "household",
    "DECEASED_WITH_BENEFIT": "member",
}
# policy-rules.md, "From findings to the coverage matrix".
MATRIX = {
    "dibao": {
        "DIBAO_WHOLE_HOUSEHOLD_MISSING",
        "DIBAO_SEVERE_DISABILITY_INDIVIDUAL",
        "DIBAO_EXTENSION_MISSING",
        "DIBAO_EXTENSION_OVERDUE",
        "DIBAO_EXIT_REVIEW",
        "POVERTY_TYPE_MISMATCH",
    },
    "tekun": {
        "TEKUN_INSTEAD_OF_DIBAO",
        "TEKUN_MISSING",
        "TEKUN_CENTRALIZED_CANDIDATE",
        "TEKUN_IN_DIBAO_HOUSEHOLD",
    },
    "temporary_assistance": {"TEMPORARY_ASSISTANCE_BRIDGE"},
    "disability_living": {
        "DISABILITY_LIVING_SUBSIDY_MISSING",
        "TEKUN_WITH_LIVING_SUBSIDY",
        "LIVING_SUBSIDY_WITHOUT_DIBAO",
        "LIVING_SUBSIDY_NO_DISABILITY",
    },
    "disability_nursing": {
        "DISABILITY_NURSING_SUBSIDY_MISSING",
        "TEKUN_WITH_NURSING_SUBSIDY",
        "NURSING_SUBSIDY_NOT_SEVERE",
    },
    "elderly": {"ELDERLY_SUBSIDY_MISSING", "ELDERLY_SUBSIDY_OUT_OF_RANGE"},
}


def test_the_catalogue_has_exactly_the_spec_codes_in_spec_order():
    assert [rule.code for rule in RULES] == [
        *COVERAGE,
        *CONSISTENCY,
        *DATA_QUALITY,
    ]


@pytest.mark.parametrize(
    ("code", "group", "spec"),
    [(code, "coverage", spec) for code, spec in COVERAGE.items()]
    + [(code, "consistency", spec) for code, spec in CONSISTENCY.items()],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_level_kind_and_section_follow_the_spec(code, group, spec):
    rule = CATALOGUE[code]
    assert (rule.level, rule.kind, rule.section) == spec
    assert rule.group == group
    assert rule.kind in rule.kinds
    assert rule.title and not rule.title.isascii()


@pytest.mark.parametrize(("code", "level"), DATA_QUALITY.items())
def test_data_quality_rules_have_no_section_and_no_policy(code, level):
    rule = CATALOGUE[code]
    assert (rule.level, rule.kinds, rule.section, rule.policy) == (
        level,
        ("data_quality",),
        None,
        None,
    )


def test_policies_follow_the_coverage_matrix_table():
    assert tuple(MATRIX) == POLICIES
    for policy, codes in MATRIX.items():
        assert {rule.code for rule in RULES if rule.policy == policy} == codes


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_every_check_cites_its_rule_code(rule):
    checks = [c for c in (rule.member_check, rule.household_check) if c is not None]
    assert checks
    for check in checks:
        assert check.__doc__ and check.__doc__.startswith(rule.code)
