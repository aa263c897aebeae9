"""Build the rules' facts from the database and run the rules.

The ORM face of the pure rules module (``subsidies.rules``): households,
their members (removed and deceased ones included: the data-quality rules
look at everyone), enrollments and temporary-assistance grants are read
with ``values()`` and grouped in Python into frozen
:class:`~subsidies.rules.HouseholdFacts`.  The number of queries does not
depend on the number of households: four per chunk of :data:`CHUNK_SIZE`
households, so memory stays bounded for the whole county too.

Storing what the rules found (the coverage matrix, the household checks)
is the checklists app's job: ``checklists.evaluation.evaluate``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import Upper

from households.models import Household, Member

from .models import Enrollment, TemporaryGrant
from .rules import (
    EnrollmentFact,
    Finding,
    GrantFact,
    HouseholdFacts,
    MemberFacts,
    Params,
    evaluate,
)

CHUNK_SIZE = 2000

_HOUSEHOLD_FIELDS = (
    "id",
    "household_no",
    "village__kind",
    "poverty_type",
    "poverty_status",
    "income_per_capita",
    "employment_costs",
    "rigid_expenses",
)
_MEMBER_FIELDS = (
    "id",
    "household_id",
    "name",
    "id_number",
    "relation",
    "health",
    "disability_category",
    "disability_grade",
    "disability_cert_no",
    "self_care",
    "employment",
    "supporter_status",
    "willing_centralized",
    "deceased",
    "removed",
)
_ENROLLMENT_FIELDS = (
    "member_id",
    "benefit_id",
    "scope",
    "care_mode",
    "status",
    "start",
    "end",
    "end_reason",
    "review_date",
    "review_decision",
)
_GRANT_FIELDS = ("member_id", "date", "amount")
# The facts' field names, in the order of the columns above.
_HOUSEHOLD_NAMES = ("id", "household_no", "village_kind", *_HOUSEHOLD_FIELDS[3:])
_ENROLLMENT_NAMES = ("member_id", "benefit", *_ENROLLMENT_FIELDS[2:])


def _between(households, first: int, last: int):
    return households.filter(pk__range=(first, last)).order_by().values("pk")


def chunk_scope(households, chunk: list[HouseholdFacts]):
    """The households of ``chunk`` as a subquery of ``households``.

    Chunks are consecutive in primary-key order, so a range on the scope's
    queryset selects exactly them; the database receives a subquery rather
    than a list of thousands of ids (which costs the ORM ~20 ms a query).
    """
    return _between(households, chunk[0].id, chunk[-1].id)


def _facts_for(household_rows: list[tuple], households) -> list[HouseholdFacts]:
    """Facts for these household rows: three queries (members, benefits).

    ``households`` is the scope's queryset; the rows are consecutive in it.
    """
    if not household_rows:
        return []
    ids = _between(households, household_rows[0][0], household_rows[-1][0])
    enrollments: dict[int, list[EnrollmentFact]] = defaultdict(list)
    for row in (
        Enrollment.objects.filter(member__household_id__in=ids)
        .order_by("member_id", "pk")
        .values_list(*_ENROLLMENT_FIELDS)
    ):
        fields = dict(zip(_ENROLLMENT_NAMES, row, strict=True))
        enrollments[row[0]].append(EnrollmentFact(**fields))
    grants: dict[int, list[GrantFact]] = defaultdict(list)
    for member_id, day, amount in (
        TemporaryGrant.objects.filter(member__household_id__in=ids)
        .order_by("member_id", "date", "pk")
        .values_list(*_GRANT_FIELDS)
    ):
        grants[member_id].append(GrantFact(member_id, day, amount))
    members: dict[int, list[MemberFacts]] = defaultdict(list)
    for row in (
        Member.objects.filter(household_id__in=ids)
        .order_by("household_id", "pk")
        .values_list(*_MEMBER_FIELDS)
    ):
        member_id, household_id = row[0], row[1]
        fields = dict(zip(_MEMBER_FIELDS[2:], row[2:], strict=True))
        members[household_id].append(
            MemberFacts(
                id=member_id,
                enrollments=tuple(enrollments.get(member_id, ())),
                grants=tuple(grants.get(member_id, ())),
                **fields,
            )
        )
    facts = []
    for row in household_rows:
        fields = dict(zip(_HOUSEHOLD_NAMES, row, strict=True))
        fields["village_kind"] = fields["village_kind"] or "village"
        facts.append(HouseholdFacts(**fields, members=tuple(members.get(row[0], ()))))
    return facts


def iter_fact_chunks(
    households, *, size: int = CHUNK_SIZE
) -> Iterator[list[HouseholdFacts]]:
    """The facts of ``households`` (a queryset), ``size`` households at a time.

    Four queries per chunk (households, members, enrollments, grants),
    households in primary-key order; keyset pagination keeps every query
    small whatever the scope.
    """
    households = households.order_by()
    rows = households.order_by("pk").values_list(*_HOUSEHOLD_FIELDS)
    last = None
    while True:
        page = rows if last is None else rows.filter(pk__gt=last)
        chunk = list(page[:size])
        if not chunk:
            return
        yield _facts_for(chunk, households)
        if len(chunk) < size:
            return
        last = chunk[-1][0]


def load_facts(households) -> list[HouseholdFacts]:
    """The facts of every household in ``households`` (a queryset).

    A constant number of queries (four per :data:`CHUNK_SIZE` households);
    for the whole county prefer :func:`iter_fact_chunks`, whose memory
    stays bounded.
    """
    return [facts for chunk in iter_fact_chunks(households) for facts in chunk]


def load_household_facts(household: Household) -> HouseholdFacts:
    """One household's facts (for its page)."""
    return load_facts(Household.objects.filter(pk=household.pk))[0]


def duplicate_ids(numbers: Iterable[str] | None = None) -> frozenset[str]:
    """ID numbers held by more than one non-removed member, county-wide.

    One aggregate query.  The database already allows one non-removed
    member per stored number, so this safety net compares numbers
    upper-cased: ``…x`` and ``…X`` are the same person.  ``numbers``
    restricts the answer to those numbers (one household's page).
    """
    members = Member.objects.filter(removed=False)
    if numbers is not None:
        wanted = {n.upper() for n in numbers if n}
        members = members.filter(id_number__in=wanted | {n.lower() for n in wanted})
    rows = (
        members.annotate(key=Upper("id_number"))
        .values("key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("key", flat=True)
    )
    return frozenset(rows)


def evaluate_each(
    facts: Iterable[HouseholdFacts],
    *,
    as_of: datetime.date,
    params: Params,
    duplicates: frozenset[str],
) -> Iterator[tuple[HouseholdFacts, list[Finding]]]:
    """Each household's facts with its findings at ``as_of`` (no queries)."""
    county_code = settings.COUNTY_CODE
    for household in facts:
        yield (
            household,
            evaluate(
                household,
                as_of,
                params,
                county_code=county_code,
                duplicate_ids=duplicates,
            ),
        )


def run_rules(
    facts: Iterable[HouseholdFacts],
    *,
    as_of: datetime.date,
    params: Params,
    duplicates: frozenset[str] | None = None,
) -> list[Finding]:
    """Every finding for these households at ``as_of``, household by household.

    ``duplicates`` are the county's duplicated ID numbers
    (:func:`duplicate_ids`, read with one query when not given).
    """
    if duplicates is None:
        duplicates = duplicate_ids()
    return [
        finding
        for _, findings in evaluate_each(
            facts, as_of=as_of, params=params, duplicates=duplicates
        )
        for finding in findings
    ]
