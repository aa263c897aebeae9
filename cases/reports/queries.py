"""The progress report's numbers, as of a date, per township and in total.

One source of numbers (design.md, principle 7): the progress page, the
Excel export and the dashboard call :func:`build_progress_report`.

"As of a date" means:

- coverage and data quality: for each household, its latest rule
  evaluation whose ``as_of`` is on or before the date (policy-rules.md,
  "From findings to the coverage matrix");
- the ledger: a case counts once it has an event at or before the end of
  the date, with the status of its latest such event, so an earlier date
  never shows a later transition;
- inspections (排查): confirmed at or before the end of the date, in the
  current campaign;
- centralized care: tekun enrollments active at the date.

Registered households and persons are the current registry (not removed;
persons also not deceased); stored outcomes of removed households or
members are left out with them.

Everything is aggregated in the database with a fixed number of queries,
whatever the number of households; Python only folds the grouped rows
(at most townships x sections x statuses) into rows and a total.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from cases.models import Case, CaseEvent
from checklists.models import (
    Campaign,
    HouseholdCheck,
    HouseholdEvaluation,
    PolicyOutcome,
)
from config.routers import replica_reads
from households.models import Household, Member, Township
from subsidies.models import Enrollment
from subsidies.parameters import params_for

from .labels import DATA_QUALITY_RULES, POLICIES, RULE_SECTIONS, SECTION_LABELS

ACTIVE_STATUSES = tuple(
    getattr(Case, "ACTIVE_STATUSES", ("open", "returned", "submitted"))
)
CLOSED_STATUSES = ("verified", "dismissed")
CASE_STATUSES = ("open", "submitted", "verified", "returned", "dismissed")
SELF_CARE_LEVELS = {"partial_none": ("partial", "none"), "none": ("none",)}


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class PolicyCounts:
    """Persons per outcome of one policy; eligible = covered + missing + partial."""

    covered: int = 0
    missing: int = 0
    partial: int = 0

    @property
    def eligible(self) -> int:
        return self.covered + self.missing + self.partial

    @property
    def coverage_rate(self) -> float | None:
        """已享受 / 应享 (None when nobody is eligible)."""
        return _ratio(self.covered, self.eligible)

    def add(self, other: PolicyCounts) -> None:
        self.covered += other.covered
        self.missing += other.missing
        self.partial += other.partial


@dataclass
class LedgerCounts:
    """Cases by status at the date; opened is every case that exists by then."""

    open: int = 0
    submitted: int = 0
    verified: int = 0
    returned: int = 0
    dismissed: int = 0
    overdue: int = 0

    @property
    def opened(self) -> int:
        return (
            self.open + self.submitted + self.verified + self.returned + self.dismissed
        )

    @property
    def closed(self) -> int:
        return self.verified + self.dismissed

    @property
    def pending(self) -> int:
        """Not yet closed: open, submitted or returned."""
        return self.opened - self.closed

    @property
    def rate(self) -> float | None:
        """Rectification rate: (verified + dismissed) / opened."""
        return _ratio(self.closed, self.opened)

    def add(self, other: LedgerCounts) -> None:
        for name in (*CASE_STATUSES, "overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class CareCounts:
    """Tekun persons and centralized care (集中供养), work point 二.四.

    ``eligible`` are tekun persons who cannot self-care and are willing to
    be centralized (a person already in centralized care counts as
    willing); ``centralized`` are those of them in centralized care.
    """

    tekun: int = 0
    cannot_self_care: int = 0
    eligible: int = 0
    centralized: int = 0

    @property
    def rate(self) -> float | None:
        return _ratio(self.centralized, self.eligible)

    def add(self, other: CareCounts) -> None:
        self.tekun += other.tekun
        self.cannot_self_care += other.cannot_self_care
        self.eligible += other.eligible
        self.centralized += other.centralized


@dataclass
class TownshipRow:
    """One township's numbers, or the total row (``township_id`` None)."""

    township_id: int | None
    name: str
    households: int = 0
    persons: int = 0
    inspected: int = 0
    evaluated: int = 0
    policies: dict[str, PolicyCounts] = field(
        default_factory=lambda: {policy: PolicyCounts() for policy in POLICIES}
    )
    ledger: LedgerCounts = field(default_factory=LedgerCounts)
    care: CareCounts = field(default_factory=CareCounts)
    data_quality: dict[str, int] = field(default_factory=dict)

    @property
    def inspection_rate(self) -> float | None:
        return _ratio(self.inspected, self.households)

    @property
    def missing_total(self) -> int:
        """应享未享 person-policies (人次) across the six policies."""
        return sum(counts.missing for counts in self.policies.values())

    @property
    def partial_total(self) -> int:
        return sum(counts.partial for counts in self.policies.values())

    @property
    def data_quality_total(self) -> int:
        return sum(self.data_quality.values())

    def add(self, other: TownshipRow) -> None:
        self.households += other.households
        self.persons += other.persons
        self.inspected += other.inspected
        self.evaluated += other.evaluated
        for policy, counts in other.policies.items():
            self.policies[policy].add(counts)
        self.ledger.add(other.ledger)
        self.care.add(other.care)
        for rule, count in other.data_quality.items():
            self.data_quality[rule] = self.data_quality.get(rule, 0) + count


@dataclass
class SectionRow:
    """Ledger progress of one bureau section (责任科室), or the total."""

    section: str | None
    name: str
    ledger: LedgerCounts = field(default_factory=LedgerCounts)


@dataclass
class ProgressReport:
    as_of: datetime.date
    township: Township | None
    campaign: Campaign | None
    centralized_target: Decimal
    cannot_self_care_levels: str
    rows: list[TownshipRow]
    total: TownshipRow
    sections: list[SectionRow]
    section_total: SectionRow
    data_quality_rules: list[str]

    @property
    def township_ids(self) -> list[int]:
        return [row.township_id for row in self.rows]

    @property
    def scope_label(self) -> str:
        from django.conf import settings

        return self.township.name if self.township else f"{settings.COUNTY_NAME}全县"

    @property
    def has_evaluations(self) -> bool:
        return self.total.evaluated > 0

    @property
    def target_ratio(self) -> float:
        return float(self.centralized_target) / 100

    def meets_target(self, care: CareCounts) -> bool | None:
        rate = care.rate
        return None if rate is None else rate + 1e-9 >= self.target_ratio


# Building blocks --------------------------------------------------------


def day_end(day: datetime.date) -> datetime.datetime:
    """The first instant after ``day`` in the portal's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def report_parameters(day: datetime.date) -> tuple[str, Decimal]:
    """``cannot_self_care_levels`` and ``centralized_target`` in force at ``day``."""
    params = params_for(day)
    return params.cannot_self_care_levels, Decimal(str(params.centralized_target))


def latest_evaluations(as_of: datetime.date, township_ids: list[int]):
    """Each current household's latest evaluation with ``as_of`` on or before it."""
    later = HouseholdEvaluation.objects.filter(
        household_id=OuterRef("household_id"),
        as_of__lte=as_of,
        as_of__gt=OuterRef("as_of"),
    )
    return HouseholdEvaluation.objects.filter(
        as_of__lte=as_of,
        household__removed=False,
        household__township_id__in=township_ids,
    ).exclude(Exists(later))


def cases_as_of(as_of: datetime.date, township_ids: list[int]):
    """Cases existing at the end of ``as_of``, annotated ``status_on``.

    ``status_on`` is the ``status_after`` of the case's latest event at or
    before the end of the date; a case without such an event did not exist
    yet and is left out.
    """
    cutoff = day_end(as_of)
    latest = CaseEvent.objects.filter(
        case_id=OuterRef("pk"), created_at__lt=cutoff
    ).order_by("-created_at", "-pk")
    return (
        Case.objects.filter(township_id__in=township_ids, opened_at__lt=cutoff)
        .annotate(status_on=Subquery(latest.values("status_after")[:1]))
        .filter(status_on__isnull=False)
    )


def _registry(township_ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    households = dict(
        Household.objects.filter(removed=False, township_id__in=township_ids)
        .values("township_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("township_id", "n")
    )
    persons = dict(
        Member.objects.filter(
            removed=False,
            deceased=False,
            household__removed=False,
            household__township_id__in=township_ids,
        )
        .values("household__township_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("household__township_id", "n")
    )
    return households, persons


def _inspected(
    township_ids: list[int], campaign: Campaign | None, as_of: datetime.date
) -> dict[int, int]:
    if campaign is None:
        return {}
    return dict(
        HouseholdCheck.objects.filter(
            campaign=campaign,
            inspected_at__lt=day_end(as_of),
            household__removed=False,
            household__township_id__in=township_ids,
        )
        .values("household__township_id")
        .annotate(n=Count("household_id", distinct=True))
        .order_by()
        .values_list("household__township_id", "n")
    )


def _evaluated(latest) -> dict[int, int]:
    return dict(
        latest.values("household__township_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("household__township_id", "n")
    )


def _coverage(latest) -> dict[tuple[int, str], PolicyCounts]:
    rows = (
        PolicyOutcome.objects.filter(
            evaluation_id__in=latest.values("pk"), member__removed=False
        )
        .values("household__township_id", "policy")
        .annotate(
            covered=Count("id", filter=Q(outcome="covered")),
            missing=Count("id", filter=Q(outcome="missing")),
            partial=Count("id", filter=Q(outcome="partial")),
        )
        .order_by()
    )
    return {
        (row["household__township_id"], row["policy"]): PolicyCounts(
            covered=row["covered"], missing=row["missing"], partial=row["partial"]
        )
        for row in rows
    }


def _ledger(
    as_of: datetime.date, township_ids: list[int]
) -> dict[tuple[int, str], LedgerCounts]:
    rows = (
        cases_as_of(as_of, township_ids)
        .values("township_id", "section", "status_on")
        .annotate(n=Count("id"), overdue=Count("id", filter=Q(due_date__lt=as_of)))
        .order_by()
    )
    result: dict[tuple[int, str], LedgerCounts] = defaultdict(LedgerCounts)
    for row in rows:
        counts = result[(row["township_id"], row["section"])]
        status = row["status_on"]
        if status in CASE_STATUSES:
            setattr(counts, status, getattr(counts, status) + row["n"])
        if status in ACTIVE_STATUSES:
            counts.overdue += row["overdue"]
    return result


def _care(
    as_of: datetime.date, township_ids: list[int], levels: str
) -> dict[int, CareCounts]:
    cannot = Q(member__self_care__in=SELF_CARE_LEVELS.get(levels, ("partial", "none")))
    centralized = Q(care_mode=Enrollment.CareMode.CENTRALIZED)
    eligible = cannot & (Q(member__willing_centralized="yes") | centralized)
    rows = (
        Enrollment.objects.active_on(as_of)
        .filter(
            benefit_id="tekun",
            member__removed=False,
            member__household__removed=False,
            member__household__township_id__in=township_ids,
        )
        .values("member__household__township_id")
        .annotate(
            tekun=Count("member_id", distinct=True),
            cannot_self_care=Count("member_id", distinct=True, filter=cannot),
            eligible=Count("member_id", distinct=True, filter=eligible),
            centralized=Count(
                "member_id", distinct=True, filter=eligible & centralized
            ),
        )
        .order_by()
    )
    return {
        row["member__household__township_id"]: CareCounts(
            tekun=row["tekun"],
            cannot_self_care=row["cannot_self_care"],
            eligible=row["eligible"],
            centralized=row["centralized"],
        )
        for row in rows
    }


# Data-quality findings live in the evaluations' JSON lists: expanding them
# needs the database's JSON table function (no ORM equivalent).


def _json_sql() -> tuple[str, str] | None:
    """(elements join, field template) for this database, or None."""
    if connection.vendor == "postgresql":
        return (
            "CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN "
            "jsonb_typeof(e.findings) = 'array' THEN e.findings "
            "ELSE '[]'::jsonb END) AS f(value)",
            "(f.value ->> '{key}')",
        )
    if connection.vendor == "sqlite":
        return (
            ", json_each(CASE WHEN json_type(e.findings) = 'array' "
            "THEN e.findings ELSE '[]' END) AS f",
            "json_extract(f.value, '$.{key}')",
        )
    return None


def _tables() -> dict[str, str]:
    """Quoted table names for the raw SQL: no user input is ever formatted in."""
    quote = connection.ops.quote_name
    return {
        "evaluation": quote(HouseholdEvaluation._meta.db_table),
        "household": quote(Household._meta.db_table),
        "member": quote(Member._meta.db_table),
        "township": quote(Township._meta.db_table),
        "village": quote(
            Household._meta.get_field("village").related_model._meta.db_table
        ),
        "order": quote("order"),
    }


def _data_quality_counts(latest, township_ids: list[int]) -> dict[tuple[int, str], int]:
    if not township_ids:
        return {}
    latest = latest.filter(data_quality_count__gt=0)
    dialect = _json_sql()
    if dialect is None:  # pragma: no cover - only SQLite and PostgreSQL run this
        counts: dict[tuple[int, str], int] = defaultdict(int)
        for township_id, findings in latest.values_list(
            "household__township_id", "findings"
        ):
            for finding in findings or []:
                if finding.get("kind") == "data_quality":
                    counts[(township_id, finding.get("rule"))] += 1
        return counts
    join, get = dialect
    subquery, params = latest.values("pk").query.sql_with_params()
    rule, kind = get.format(key="rule"), get.format(key="kind")
    tables = _tables()
    sql = (
        f"SELECT h.township_id, {rule}, COUNT(*) "  # noqa: S608 - see _tables
        f"FROM {tables['evaluation']} e "
        f"JOIN {tables['household']} h ON h.id = e.household_id {join} "
        f"WHERE e.id IN ({subquery}) AND {kind} = 'data_quality' "
        "GROUP BY 1, 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(township_id, code): n for township_id, code, n in cursor.fetchall()}


@dataclass(frozen=True)
class DataQualityEntry:
    township: str
    village: str
    household_no: str
    name: str
    id_number: str
    rule: str
    message: str


def data_quality_entries(report: ProgressReport) -> Iterator[DataQualityEntry]:
    """Every data-quality finding in the report's scope, one query, in order."""
    if not report.township_ids:
        return
    latest = latest_evaluations(report.as_of, report.township_ids).filter(
        data_quality_count__gt=0
    )
    dialect = _json_sql()
    if dialect is None:  # pragma: no cover
        return
    join, get = dialect
    subquery, params = latest.values("pk").query.sql_with_params()
    rule, kind = get.format(key="rule"), get.format(key="kind")
    id_number, message = get.format(key="id_number"), get.format(key="message")
    t = _tables()
    sql = (
        f"SELECT tw.name, v.name, h.household_no, "  # noqa: S608 - see _tables
        f"(SELECT m.name FROM {t['member']} m WHERE m.household_id = e.household_id "
        f"AND m.id_number = {id_number} ORDER BY m.removed, m.id LIMIT 1), "
        f"{id_number}, {rule}, {message} "
        f"FROM {t['evaluation']} e "
        f"JOIN {t['household']} h ON h.id = e.household_id "
        f"JOIN {t['township']} tw ON tw.id = h.township_id "
        f"JOIN {t['village']} v ON v.id = h.village_id {join} "
        f"WHERE e.id IN ({subquery}) AND {kind} = 'data_quality' "
        f"ORDER BY tw.{t['order']}, h.household_no, 6, 5"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(2000):
            for township, village, household_no, name, number, code, text in batch:
                yield DataQualityEntry(
                    township=township,
                    village=village,
                    household_no=household_no,
                    name=name or "",
                    id_number=number or "",
                    rule=code or "",
                    message=text or "",
                )


def ledger_entries(report: ProgressReport):
    """Every case in the report's scope as of its date, one query, in order.

    Dicts with the case's fields, ``status_on`` (status at the date),
    ``closed_on`` (when it was last closed, if closed at the date) and
    ``head_name`` (for household-level cases).
    """
    cutoff = day_end(report.as_of)
    closing = CaseEvent.objects.filter(
        case_id=OuterRef("pk"),
        created_at__lt=cutoff,
        kind__in=[CaseEvent.Kind.VERIFIED, CaseEvent.Kind.DISMISSED],
    ).order_by("-created_at", "-pk")
    head = Member.objects.filter(
        household_id=OuterRef("household_id"), relation="head", removed=False
    ).order_by("pk")
    return (
        cases_as_of(report.as_of, report.township_ids)
        .annotate(
            closed_on=Subquery(closing.values("created_at")[:1]),
            head_name=Subquery(head.values("name")[:1]),
        )
        .order_by("township__order", "household__household_no", "rule", "pk")
        .values(
            "pk",
            "household__household_no",
            "township__name",
            "household__village__name",
            "member__name",
            "member__id_number",
            "head_name",
            "rule",
            "kind",
            "policy",
            "section",
            "status_on",
            "opened_at",
            "due_date",
            "closed_on",
            "message",
        )
        .iterator(chunk_size=2000)
    )


# The report -------------------------------------------------------------


@replica_reads()
def build_progress_report(
    *,
    as_of: datetime.date,
    township: Township | None = None,
    user=None,
) -> ProgressReport:
    """The numbers for the county (or ``township``) as of ``as_of``.

    ``user`` narrows the scope through ``Township.objects.visible_to``: a
    township staff member never gets another township's rows, whatever
    ``township`` says.
    """
    townships = Township.objects.all()
    if user is not None:
        townships = Township.objects.visible_to(user)
        if township is None and not user.sees_all_townships:
            township = user.township
    if township is not None:
        townships = townships.filter(pk=township.pk)
    townships = list(townships.order_by("order", "name"))
    township_ids = [t.pk for t in townships]

    campaign = Campaign.objects.current()
    levels, target = report_parameters(as_of)
    households, persons = _registry(township_ids)
    inspected = _inspected(township_ids, campaign, as_of)
    latest = latest_evaluations(as_of, township_ids)
    evaluated = _evaluated(latest)
    coverage = _coverage(latest)
    ledger = _ledger(as_of, township_ids)
    care = _care(as_of, township_ids, levels)
    data_quality = _data_quality_counts(latest, township_ids)

    rows = []
    for t in townships:
        row = TownshipRow(
            township_id=t.pk,
            name=t.name,
            households=households.get(t.pk, 0),
            persons=persons.get(t.pk, 0),
            inspected=inspected.get(t.pk, 0),
            evaluated=evaluated.get(t.pk, 0),
            care=care.get(t.pk, CareCounts()),
        )
        for policy in POLICIES:
            row.policies[policy].add(coverage.get((t.pk, policy), PolicyCounts()))
        for (township_id, _section), counts in ledger.items():
            if township_id == t.pk:
                row.ledger.add(counts)
        for (township_id, rule), count in data_quality.items():
            if township_id == t.pk:
                row.data_quality[rule] = row.data_quality.get(rule, 0) + count
        rows.append(row)

    total = TownshipRow(
        township_id=None, name="合计" if township is not None else "全县合计"
    )
    for row in rows:
        total.add(row)

    sections = {code: SectionRow(code, SECTION_LABELS[code]) for code in RULE_SECTIONS}
    for (_township_id, section), counts in ledger.items():
        if section not in sections:
            sections[section] = SectionRow(
                section, SECTION_LABELS.get(section, section or "未指定科室")
            )
        sections[section].ledger.add(counts)
    order = list(SECTION_LABELS)
    section_rows = sorted(
        sections.values(),
        key=lambda s: order.index(s.section) if s.section in order else len(order),
    )
    section_total = SectionRow(None, "合计")
    for section_row in section_rows:
        section_total.ledger.add(section_row.ledger)

    seen = {rule for (_t, rule) in data_quality}
    rules = list(DATA_QUALITY_RULES) + sorted(seen - set(DATA_QUALITY_RULES))

    return ProgressReport(
        as_of=as_of,
        township=township,
        campaign=campaign,
        centralized_target=target,
        cannot_self_care_levels=levels,
        rows=rows,
        total=total,
        sections=section_rows,
        section_total=section_total,
        data_quality_rules=rules,
    )
