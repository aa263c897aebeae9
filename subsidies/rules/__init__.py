"""The policy rules: pure Python, facts in, findings out (no ORM here).

The ORM service fills :class:`HouseholdFacts` from ``.values()`` rows,
resolves the dated :class:`Params` with :func:`resolve_params`, and calls
:func:`evaluate` per household; :func:`outcomes` turns the findings into the
coverage matrix.  policy-rules.md is the spec, docs/policy-rules.md the
rule table.
"""

from .catalogue import CATALOGUE, POLICIES, RULE_CODES, RULES, Rule
from .engine import (
    COVERED,
    MISSING,
    NOT_ELIGIBLE,
    OUTCOMES,
    PARTIAL,
    evaluate,
    find_duplicate_ids,
    household_outcome,
    household_outcomes,
    outcomes,
)
from .facts import EnrollmentFact, GrantFact, HouseholdFacts, MemberFacts
from .findings import Finding
from .params import (
    PARAMETER_SPECS,
    ParameterSpec,
    Params,
    format_value,
    parse_value,
    resolve_params,
)

__all__ = [
    "CATALOGUE",
    "COVERED",
    "MISSING",
    "NOT_ELIGIBLE",
    "OUTCOMES",
    "PARAMETER_SPECS",
    "PARTIAL",
    "POLICIES",
    "RULES",
    "RULE_CODES",
    "EnrollmentFact",
    "Finding",
    "GrantFact",
    "HouseholdFacts",
    "MemberFacts",
    "ParameterSpec",
    "Params",
    "Rule",
    "evaluate",
    "find_duplicate_ids",
    "format_value",
    "household_outcome",
    "household_outcomes",
    "outcomes",
    "parse_value",
    "resolve_params",
]
