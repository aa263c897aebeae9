"""Run the rules over households and store what they found (per as-of date).

The one entry point for a rule run: ``evaluate_rules``, the re-check after a
household is saved, anything else that needs fresh outcomes.  For each
evaluated household it stores a :class:`~checklists.models.HouseholdEvaluation`
(the findings as JSON) and the coverage matrix
(:class:`~checklists.models.PolicyOutcome`, per in-scope member and policy
that is covered, missing or partial or has rules behind it: nine cells in
ten are 不符合条件 with nothing to say, and an absent cell reads as that),
both for the run's as-of date, and copies the household's outcomes onto the
current campaign's check.  A re-run for the same date replaces that date's
rows (writing only what changed); earlier dates are kept, so reports can
ask "as of a date".

Households are processed in chunks (``subsidies.evaluation.CHUNK_SIZE``)
with a constant number of queries each, all in one transaction.  While the
database stores one chunk, a worker thread runs the rules over the next:
the rules are pure Python and never touch the database, and the database
driver releases the interpreter while it waits, so the two overlap on a
two-core server (issue 3, Performance).
"""

from __future__ import annotations

import datetime
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from households.bulkload import copy_from, copy_text
from households.models import Household
from subsidies.evaluation import chunk_scope, duplicate_ids, iter_fact_chunks
from subsidies.parameters import params_for
from subsidies.rules import (
    NOT_ELIGIBLE,
    Finding,
    HouseholdFacts,
    Params,
    household_outcomes,
    outcomes,
)
from subsidies.rules import evaluate as evaluate_household

from .models import Campaign, HouseholdCheck, HouseholdEvaluation, PolicyOutcome

DATA_QUALITY = "data_quality"


@dataclass(frozen=True)
class EvaluationResult:
    """What one run evaluated and found (in household, then rule order)."""

    as_of: datetime.date
    households_evaluated: int
    findings: list[Finding] = field(default_factory=list)
    household_ids: list[int] = field(default_factory=list)

    def count_by_kind(self) -> dict[str, int]:
        return dict(Counter(finding.kind for finding in self.findings))


def finding_record(finding: Finding) -> dict:
    """A finding as stored in ``HouseholdEvaluation.findings``."""
    return {
        **finding.to_json(),
        "member_id": finding.member_id,
        "policy": finding.policy,
    }


@dataclass(frozen=True, slots=True)
class _Evaluated:
    """One household's results, ready to store.

    ``matrix`` holds ``(member_id, policy, outcome, rules as JSON text)``;
    ``outcomes`` the household's outcome per policy (its worst member's).
    """

    household_id: int
    findings: list[Finding]
    records: list[dict]
    data_quality_count: int
    matrix: list[tuple[int, str, str, str]]
    outcomes: dict[str, str]


def evaluate(
    *,
    as_of: datetime.date,
    households=None,
    dry_run: bool = False,
) -> EvaluationResult:
    """Evaluate ``households`` (default: every current household) at ``as_of``.

    Unless ``dry_run``, store each household's evaluation and policy
    outcomes for ``as_of`` (replacing any earlier ones for that date) and
    update the current campaign's household checks.  One transaction.
    """
    if households is None:
        households = Household.objects.current()
    params = params_for(as_of)
    duplicates = duplicate_ids()
    findings: list[Finding] = []
    household_ids: list[int] = []

    def consume(pending) -> None:
        future, scope = pending
        evaluated = future.result()
        for household in evaluated:
            household_ids.append(household.household_id)
            findings.extend(household.findings)
        if not dry_run:
            _store(evaluated, scope, as_of=as_of, campaign=campaign)

    with (
        transaction.atomic(),
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="rules") as rules,
    ):
        campaign = None if dry_run else Campaign.objects.current()
        previous = None
        for chunk in iter_fact_chunks(households):
            current = (
                rules.submit(
                    _run_rules,
                    chunk,
                    as_of=as_of,
                    params=params,
                    duplicates=duplicates,
                ),
                chunk_scope(households, chunk),
            )
            if previous is not None:
                consume(previous)
            previous = current
        if previous is not None:
            consume(previous)
    return EvaluationResult(
        as_of=as_of,
        households_evaluated=len(household_ids),
        findings=findings,
        household_ids=household_ids,
    )


def _run_rules(
    chunk: list[HouseholdFacts],
    *,
    as_of: datetime.date,
    params: Params,
    duplicates: frozenset[str],
) -> list[_Evaluated]:
    """The rules and the coverage matrix for a chunk (pure: no queries)."""
    county_code = settings.COUNTY_CODE
    evaluated = []
    for facts in chunk:
        found = evaluate_household(
            facts, as_of, params, county_code=county_code, duplicate_ids=duplicates
        )
        member_outcomes = outcomes(facts, found, as_of)
        rules = _rules_by_outcome(found)
        evaluated.append(
            _Evaluated(
                household_id=facts.id,
                findings=found,
                records=[finding_record(f) for f in found],
                data_quality_count=sum(f.kind == DATA_QUALITY for f in found),
                matrix=[
                    (member_id, policy, outcome, cell_rules)
                    for (member_id, policy), outcome in member_outcomes.items()
                    if (cell_rules := _rules_json(rules, member_id, policy)) != "[]"
                    or outcome != NOT_ELIGIBLE
                ],
                outcomes=household_outcomes(member_outcomes),
            )
        )
    return evaluated


def _rules_json(rules: dict[tuple, list[str]], member_id: int, policy: str) -> str:
    """The codes behind one cell as stored JSON (most cells have none)."""
    codes = rules.get((None, policy), []) + rules.get((member_id, policy), [])
    return json.dumps(codes) if codes else "[]"


def _rules_by_outcome(findings: Iterable[Finding]) -> dict[tuple, list[str]]:
    """Rule codes per (member id or None for the household, policy)."""
    rules: dict[tuple, list[str]] = defaultdict(list)
    for finding in findings:
        if finding.policy:
            rules[(finding.member_id, finding.policy)].append(finding.rule)
    return rules


def _store(
    evaluated: list[_Evaluated],
    scope,
    *,
    as_of: datetime.date,
    campaign: Campaign | None,
) -> None:
    """Write one chunk: evaluations, the coverage matrix, the checks.

    ``scope`` is the chunk's households as a subquery.  A handful of
    queries whatever the chunk's size; a re-run also takes one ``UPDATE``
    per distinct change (a few dozen at most).
    """
    evaluation_ids = _save_evaluations(evaluated, scope, as_of=as_of)
    day = as_of.isoformat()
    matrix = [
        (evaluation_ids[household.household_id], household.household_id, *row, day)
        for household in evaluated
        for row in household.matrix
    ]
    _replace_outcomes(scope, matrix, as_of=as_of)
    if campaign is not None:
        _record_checks(
            campaign,
            scope,
            {household.household_id: household.outcomes for household in evaluated},
            as_of=as_of,
        )


def _save_evaluations(
    evaluated: list[_Evaluated], scope, *, as_of: datetime.date
) -> dict[int, int]:
    """Store each household's findings at ``as_of``; return evaluation ids.

    One read; new evaluations are inserted in one statement, changed ones
    upserted, and the ids read back.  A re-run that finds the same leaves
    the row (and its ``evaluated_at``) alone and writes nothing.
    """
    stored = {
        household_id: (pk, findings, data_quality_count)
        for household_id, pk, findings, data_quality_count in (
            HouseholdEvaluation.objects.filter(
                household_id__in=scope, as_of=as_of
            ).values_list("household_id", "pk", "findings", "data_quality_count")
        )
    }
    ids: dict[int, int] = {}
    new: list[tuple] = []
    changed: list[HouseholdEvaluation] = []
    now = timezone.now()
    for household in evaluated:
        old = stored.get(household.household_id)
        if old is None:
            new.append(
                (
                    household.household_id,
                    as_of,
                    now,
                    json.dumps(household.records, ensure_ascii=False),
                    household.data_quality_count,
                )
            )
        elif old[1:] != (household.records, household.data_quality_count):
            changed.append(
                HouseholdEvaluation(
                    household_id=household.household_id,
                    as_of=as_of,
                    findings=household.records,
                    data_quality_count=household.data_quality_count,
                )
            )
        else:
            ids[household.household_id] = old[0]
    HouseholdEvaluation.objects.bulk_create(
        changed,
        update_conflicts=True,
        unique_fields=["household", "as_of"],
        update_fields=["findings", "data_quality_count", "evaluated_at"],
    )
    _insert(HouseholdEvaluation, _EVALUATION_COLUMNS, new)
    if new or changed:
        ids = dict(
            HouseholdEvaluation.objects.filter(
                household_id__in=scope, as_of=as_of
            ).values_list("household_id", "pk")
        )
    return ids


def _batches(items: list, size: int = 1000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _replace_outcomes(scope, matrix: list[tuple], *, as_of: datetime.date) -> None:
    """Make the stored outcomes of these households at ``as_of`` be ``matrix``.

    ``matrix`` rows are ``(evaluation_id, household_id, member_id, policy,
    outcome, rules JSON, as_of)``.  The first run for a date inserts every
    row; a re-run for the same date touches only what changed (deleted
    rows, one ``UPDATE`` per distinct changed outcome and rules, new rows),
    so re-running an unchanged county writes nothing.
    """
    # The rules are compared as JSON text: decoding ~100,000 lists costs
    # more than the rest of the comparison, and a formatting difference
    # only rewrites a row.
    stored = {
        (member_id, policy): (pk, evaluation_id, outcome, rules)
        for pk, member_id, policy, evaluation_id, outcome, rules in (
            PolicyOutcome.objects.filter(household_id__in=scope, as_of=as_of)
            .order_by()
            .values_list(
                "pk",
                "member_id",
                "policy",
                "evaluation_id",
                "outcome",
                Cast("rules", TextField()),
            )
        )
    }
    new: list[tuple] = []
    stale: list[int] = []
    changed: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in matrix:
        evaluation_id, _, member_id, policy, outcome, rules, _ = row
        old = stored.pop((member_id, policy), None)
        if old is None or old[1] != evaluation_id:
            if old is not None:
                stale.append(old[0])
            new.append(row)
        elif old[2] != outcome or old[3] != rules:
            changed[(outcome, rules)].append(old[0])
    stale.extend(old[0] for old in stored.values())
    for pks in _batches(stale):
        PolicyOutcome.objects.filter(pk__in=pks).delete()
    for (outcome, rules), pks in changed.items():
        for batch in _batches(pks):
            PolicyOutcome.objects.filter(pk__in=batch).update(
                outcome=outcome, rules=json.loads(rules)
            )
    _insert(PolicyOutcome, _OUTCOME_COLUMNS, new, check_now=True)


_OUTCOME_COLUMNS = (
    "evaluation_id",
    "household_id",
    "member_id",
    "policy",
    "outcome",
    "rules",
    "as_of",
)
_EVALUATION_COLUMNS = (
    "household_id",
    "as_of",
    "evaluated_at",
    "findings",
    "data_quality_count",
)
_CHECK_COLUMNS = ("campaign_id", "household_id", "outcomes", "evaluated_on", "note")


def _insert(
    model, columns: tuple[str, ...], rows: list[tuple], *, check_now: bool = False
) -> None:
    """Insert plain rows (JSON already as text) into ``model``'s table.

    The county-wide run writes ~100,000 coverage-matrix rows (six per
    member) and thousands of evaluations and checks: ``bulk_create`` spends
    seconds building model instances and SQL for that many, and the run
    must stay faster than reading the same roster with openpyxl (issue 3,
    Performance).  So on PostgreSQL one ``COPY``; elsewhere (SQLite in
    development and tests) one ``executemany``.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            adapt = connection.ops.adapt_datetimefield_value
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({placeholders})",  # noqa: S608 - names from the model
                [
                    tuple(
                        adapt(v) if isinstance(v, datetime.datetime) else v for v in row
                    )
                    for row in rows
                ],
            )
            return
        data = "".join("\t".join(map(copy_text, row)) + "\n" for row in rows)
        sql = f"COPY {table} ({names}) FROM STDIN"
        if check_now:
            # Check the rows' foreign keys during the COPY, while the rules
            # thread works on the next chunk, rather than all at the commit;
            # then back to Django's default (every foreign key is created
            # DEFERRABLE INITIALLY DEFERRED).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        copy_from(cursor, sql, data, one_block=True)
        if check_now:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _record_checks(
    campaign: Campaign,
    scope,
    checks: dict[int, dict[str, str]],
    *,
    as_of: datetime.date,
) -> None:
    """Copy each household's outcomes onto its check in ``campaign``.

    Missing checks are created in bulk; changed ones are updated with one
    ``UPDATE`` per distinct set of outcomes (``bulk_update``'s ``CASE``
    over thousands of rows takes seconds); unchanged ones are left alone.
    Who inspected and when is never touched.
    """
    existing = {
        household_id: (pk, stored, evaluated_on)
        for household_id, pk, stored, evaluated_on in HouseholdCheck.objects.filter(
            campaign=campaign, household_id__in=scope
        ).values_list("household_id", "pk", "outcomes", "evaluated_on")
    }
    groups: dict[tuple, list[int]] = defaultdict(list)
    new: list[tuple] = []
    for household_id, by_policy in checks.items():
        old = existing.get(household_id)
        if old is None:
            new.append((campaign.pk, household_id, json.dumps(by_policy), as_of, ""))
        elif old[1:] != (by_policy, as_of):
            groups[tuple(by_policy.items())].append(old[0])
    for key, pks in groups.items():
        for batch in _batches(pks):
            HouseholdCheck.objects.filter(pk__in=batch).update(
                outcomes=dict(key), evaluated_on=as_of
            )
    _insert(HouseholdCheck, _CHECK_COLUMNS, new)
