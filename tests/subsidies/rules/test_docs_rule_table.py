"""docs/policy-rules.md and the catalogue describe the same rules."""

import re
from pathlib import Path

import pytest

from subsidies.rules import CATALOGUE, PARAMETER_SPECS

DOC = Path(__file__).resolve().parents[3] / "docs" / "policy-rules.md"
RULE_ROW = re.compile(r"^\|\s*`([A-Z][A-Z_]+)`\s*\|(.*)\|\s*$")
PARAMETER_ROW = re.compile(r"^\|\s*`([a-z][a-z0-9_]+)`\s*\|")


def rule_rows() -> dict[str, list[str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = RULE_ROW.match(line)
        if match:
            code = match.group(1)
            assert code not in rows, f"{code} listed twice"
            rows[code] = [cell.strip() for cell in match.group(2).split("|")]
    return rows


def test_the_doc_lists_every_catalogue_code_and_no_other():
    documented = set(rule_rows())
    catalogue = set(CATALOGUE)
    assert documented - catalogue == set(), "in the doc, not in the catalogue"
    assert catalogue - documented == set(), "in the catalogue, not in the doc"


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_the_doc_row_matches_the_catalogue(code):
    level, kinds, section, policy, condition = rule_rows()[code]
    rule = CATALOGUE[code]
    assert level.split(", ") == list(rule.levels)
    assert tuple(kinds.split(", ")) == rule.kinds
    assert section == (rule.section or "—")
    assert policy == (rule.policy or "—")
    assert condition.endswith(".")


def test_the_doc_lists_every_parameter():
    names = set()
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = PARAMETER_ROW.match(line)
        if match:
            names.add(match.group(1))
    assert names == set(PARAMETER_SPECS)
