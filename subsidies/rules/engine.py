"""Run the catalogue over a household; turn findings into the coverage matrix.

:func:`evaluate` applies the spec's scope (policy-rules.md, Notation):
coverage and consistency rules for living, non-removed members of
households whose poverty_status is not_lifted, lifted_keeping_policy or
blank; data-quality rules for everyone.  :func:`outcomes` implements "From
findings to the coverage matrix".
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping

from households import idnumbers

from .base import DATA_QUALITY
from .catalogue import CATALOGUE, COVERAGE, HOUSEHOLD, MEMBER, POLICIES, RULES
from .derived import (
    IN_SCOPE_STATUSES,
    HouseholdView,
    application_date,
    granted_since,
    is_application,
)
from .facts import TEMPORARY_ASSISTANCE, HouseholdFacts, MemberFacts
from .findings import Finding
from .params import Params

COVERED = "covered"
MISSING = "missing"
PARTIAL = "partial"
NOT_ELIGIBLE = "not_eligible"
OUTCOMES = (COVERED, MISSING, PARTIAL, NOT_ELIGIBLE)
# Precedence: the first that applies wins, so the highest rank.
OUTCOME_RANK = {NOT_ELIGIBLE: 0, COVERED: 1, PARTIAL: 2, MISSING: 3}

Outcomes = dict[tuple[int, str], str]

# The catalogue unpacked once: the loop below runs for every household.
_DISPATCH = tuple(
    (rule, rule.group == DATA_QUALITY, rule.household_check, rule.member_check)
    for rule in RULES
)


def evaluate(
    household: HouseholdFacts,
    as_of: datetime.date,
    params: Params,
    *,
    county_code: str = idnumbers.COUNTY_CODE,
    duplicate_ids: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Every finding for ``household`` at ``as_of``, in catalogue order.

    ``duplicate_ids`` are the ID numbers that occur in more than one
    non-removed member county-wide (see :func:`find_duplicate_ids`);
    duplicates within the household are found here anyway.  Within a rule,
    the household-level finding comes first, then members in the order of
    ``household.members``.
    """
    view = HouseholdView(
        household, as_of, params, county_code=county_code, duplicate_ids=duplicate_ids
    )
    household_no = household.household_no
    findings: list[Finding] = []
    append = findings.append
    for rule, data_quality, household_check, member_check in _DISPATCH:
        if data_quality:
            members = view.members
        elif view.scoped:
            members = view.scoped
        else:
            # Out of scope (lifted, or nobody living): data quality only.
            continue
        if household_check is not None:
            verdict = household_check(view)
            if verdict is not None:
                append(
                    Finding(
                        rule.code,
                        verdict.kind,
                        HOUSEHOLD,
                        household_no,
                        None,
                        None,
                        rule.section,
                        rule.policy,
                        verdict.message,
                    )
                )
        if member_check is None:
            continue
        for member in members:
            verdict = member_check(member, view)
            if verdict is not None:
                append(
                    Finding(
                        rule.code,
                        verdict.kind,
                        MEMBER,
                        household_no,
                        member.id,
                        member.facts.id_number,
                        rule.section,
                        rule.policy,
                        verdict.message,
                    )
                )
    return findings


def find_duplicate_ids(id_numbers: Iterable[str]) -> frozenset[str]:
    """ID numbers that occur more than once (pass non-removed members only).

    The service feeds it every non-removed member's stored number county-wide
    and hands the result to :func:`evaluate` as ``duplicate_ids``.
    """
    counts = Counter(number for number in id_numbers if number)
    return frozenset(number for number, count in counts.items() if count > 1)


def scoped_members(household: HouseholdFacts) -> list[MemberFacts]:
    """The members coverage and consistency rules (and outcomes) apply to."""
    if household.poverty_status not in IN_SCOPE_STATUSES:
        return []
    return [m for m in household.members if m.is_living]


def outcomes(
    household: HouseholdFacts,
    findings: Iterable[Finding],
    as_of: datetime.date,
) -> Outcomes:
    """Each in-scope member's outcome per policy, by ``(member_id, policy)``.

    Only members in scope (living, non-removed, in a household whose
    poverty_status is in scope) get outcomes; a lifted household gets an
    empty dict.  Per member and policy the first that applies wins:
    ``missing`` (a coverage rule of the policy fired, also as review) >
    ``partial`` (a consistency rule fired) > ``covered`` (an active
    enrollment; for temporary assistance, a grant on or after the pending
    application's date) > ``not_eligible``.  A household-level finding
    applies to every member; data-quality findings, and findings of other
    households, are ignored.
    """
    members = scoped_members(household)
    if not members:
        return {}
    fired: dict[tuple[int | None, str], str] = {}
    for finding in findings:
        rule = CATALOGUE.get(finding.rule)
        # Another household's findings must not leak in through the
        # household-level ones (member_id None).
        if (
            rule is None
            or rule.policy is None
            or finding.household_no != household.household_no
        ):
            continue
        outcome = MISSING if rule.group == COVERAGE else PARTIAL
        key = (finding.member_id, rule.policy)
        if OUTCOME_RANK[outcome] > OUTCOME_RANK.get(fired.get(key, ""), -1):
            fired[key] = outcome
    bridged = _bridged_members(members, as_of)
    result: Outcomes = {}
    for member in members:
        active = {e.benefit for e in member.enrollments if e.is_active_on(as_of)}
        for policy in POLICIES:
            best = NOT_ELIGIBLE
            if policy in active or (
                policy == TEMPORARY_ASSISTANCE and member.id in bridged
            ):
                best = COVERED
            for key in ((member.id, policy), (None, policy)):
                found = fired.get(key)
                if found and OUTCOME_RANK[found] > OUTCOME_RANK[best]:
                    best = found
            result[(member.id, policy)] = best
    return result


def _bridged_members(members: list[MemberFacts], as_of: datetime.date) -> set[int]:
    """Members whose pending application was bridged by a grant.

    A single-person dibao or tekun application: a grant to the applicant on
    or after its date.  A whole-household dibao application: a grant to any
    member on or after the household's application date, for every member
    of the application.
    """
    pending = {
        m.id: [e for e in m.enrollments if e.is_pending_on(as_of)] for m in members
    }
    household_apps = [
        e
        for apps in pending.values()
        for e in apps
        if is_application(e, whole_household=True)
    ]
    household_bridged = bool(household_apps) and granted_since(
        [g for m in members for g in m.grants], application_date(household_apps), as_of
    )
    bridged = set()
    for m in members:
        own = [e for e in pending[m.id] if is_application(e, whole_household=False)]
        in_household_application = any(
            is_application(e, whole_household=True) for e in pending[m.id]
        )
        own_bridged = bool(own) and granted_since(
            m.grants, application_date(own), as_of
        )
        if own_bridged or (household_bridged and in_household_application):
            bridged.add(m.id)
    return bridged


def household_outcome(
    member_outcomes: Mapping[tuple[int, str], str], policy: str
) -> str:
    """The household's outcome for ``policy``: its worst member's.

    ``not_eligible`` when no member is in scope.
    """
    worst = NOT_ELIGIBLE
    for (_member_id, member_policy), outcome in member_outcomes.items():
        if member_policy == policy and OUTCOME_RANK[outcome] > OUTCOME_RANK[worst]:
            worst = outcome
    return worst


def household_outcomes(
    member_outcomes: Mapping[tuple[int, str], str],
) -> dict[str, str]:
    """:func:`household_outcome` for every policy."""
    worst = dict.fromkeys(POLICIES, NOT_ELIGIBLE)
    for (_member_id, policy), outcome in member_outcomes.items():
        if OUTCOME_RANK[outcome] > OUTCOME_RANK[worst[policy]]:
            worst[policy] = outcome
    return worst
