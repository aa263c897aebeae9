"""The benefit roster import, database side (roster-format.md §2, §4).

One service for the browser (upload → preview → confirm) and for
``manage.py import_benefits``:

1. read and parse the file (:mod:`.roster`, pure);
2. match each valid row to a member by ID number within the importer's
   scope (the chosen township, a staff member's own, or the whole county);
   a valid ID number that matches no member is listed as not in the
   registry (never written, not an error); a name that differs from the
   registry's is ``name_mismatch``;
3. match each row to a stored record: an enrollment is (member, benefit,
   scope or care mode, start) — a row without a start stands for the
   member's latest enrollment of the benefit, and a blank 保障方式/供养方式
   does not make a stored record with the same start another one — and a
   grant is (member, date, amount); count every row as created, updated,
   unchanged or skipped (rows with an error);
4. unless it is a dry run, write in one transaction — all or nothing, or
   with ``skip_invalid`` every row without an error — in bulk, with
   history rows whose change reason names the import batch.

Policy-breaking rows (tekun and dibao together, a subsidy without dibao, a
benefit of a deceased member …) are recorded as the benefit systems say:
the rules report them.  This is why the import writes in bulk instead of
through ``subsidies.services``, which refuse some of them; it checks only
what a field can hold.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from checklists.recheck import household_changed
from households import idnumbers
from households.imports.roster_import import (
    Counts,
    _create,  # the bulk writers (COPY on PostgreSQL) shared with the roster
    _History,
    _update,
)
from households.imports.rows import FILE_UNREADABLE, UNKNOWN_TOWNSHIP, RowIssue
from households.imports.values import TownshipMatcher
from households.imports.workbook import (
    FileUnreadable,
    open_workbook,
    read_upload,
    upload_name,
)
from households.models import ImportBatch, Member, Township

from ..models import Enrollment, TemporaryGrant
from .roster import (
    ENDED,
    BenefitPlan,
    BenefitRow,
    parse_benefit_roster,
    same_name,
)

NAME_MISMATCH = "name_mismatch"
# ID numbers (or member ids) per IN (...) lookup: one query for a roster of
# up to this many people, well under SQLite's (32,766) and PostgreSQL's
# parameter limits.
LOOKUP_CHUNK = 20_000
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# pg_advisory_xact_lock key of the benefit import ("BENE" in ASCII).
ADVISORY_LOCK_KEY = 0x42454E45


@dataclass(frozen=True)
class NotInRegistry:
    """A row whose valid ID number matches no member in the importer's scope."""

    sheet: str
    row: int
    name: str | None
    benefit: str | None

    def as_dict(self) -> dict[str, object]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "name": self.name,
            "benefit": self.benefit,
        }


@dataclass(frozen=True)
class PlannedChange:
    """A row that creates or updates a record (what the preview lists).

    ``kind`` is ``enrollment`` or ``grant``; ``fields`` names the changed
    fields of an update.
    """

    sheet: str
    row: int
    name: str
    id_number: str
    benefit: str
    kind: str
    outcome: str
    fields: tuple[str, ...] = ()

    @property
    def masked_id(self) -> str:
        return idnumbers.mask(self.id_number)


@dataclass
class BenefitImportResult:
    """What the import found and did; :meth:`as_json` is the §4 object.

    ``households_changed`` counts the households whose records the import
    created or changed; ``rechecked`` tells whether their re-check was
    scheduled (a large import leaves it to the next full rule run, see
    ``checklists.recheck``).
    """

    file: str
    dry_run: bool
    skip_invalid: bool
    township: Township | None = None
    written: bool = False
    enrollments: Counts = field(default_factory=Counts)
    grants: Counts = field(default_factory=Counts)
    not_in_registry_rows: list[NotInRegistry] = field(default_factory=list)
    changes: list[PlannedChange] = field(default_factory=list)
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)
    file_error: bool = False
    batch: ImportBatch | None = None
    households_changed: int = 0
    rechecked: bool = False

    @property
    def not_in_registry(self) -> int:
        return len(self.not_in_registry_rows)

    @property
    def exit_status(self) -> int:
        """1 for a file-level error, or any error without ``skip_invalid``."""
        if self.file_error or (self.errors and not self.skip_invalid):
            return 1
        return 0

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "dry_run": self.dry_run,
            "written": self.written,
            "enrollments": self.enrollments.as_dict(),
            "grants": self.grants.as_dict(),
            "not_in_registry": self.not_in_registry,
            "not_in_registry_rows": [r.as_dict() for r in self.not_in_registry_rows],
            "errors": [issue.as_dict() for issue in self.errors],
            "warnings": [issue.as_dict() for issue in self.warnings],
        }


def benefit_roster_import(
    *,
    source: str | os.PathLike | bytes | BinaryIO,
    name: str | None = None,
    township: Township | str | None = None,
    actor=None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    batch: ImportBatch | None = None,
    max_bytes: int | None = None,
    max_rows: int | None = None,
) -> BenefitImportResult:
    """Import a benefit roster; see the module docstring.

    ``township`` (a Township or a name, matched like the roster's column)
    limits the matching to that township's members; by default a township
    staff member's own, and the whole county otherwise.  Staff may import
    into their own township only, section chiefs not at all.  ``batch`` is
    an existing ImportBatch (the browser's preview) to complete; otherwise
    a committed import creates one.  Limits default to the settings
    ``IMPORT_MAX_BYTES`` and ``IMPORT_MAX_ROWS``.
    """
    max_bytes = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    max_rows = settings.IMPORT_MAX_ROWS if max_rows is None else max_rows
    if actor is not None and not (actor.is_township_staff or actor.is_bureau_admin):
        raise PermissionDenied("只有乡镇经办人员和管理员可以导入名册")
    if township is None and actor is not None and actor.is_township_staff:
        township = actor.township
    result = BenefitImportResult(
        file=name or upload_name(source), dry_run=dry_run, skip_invalid=skip_invalid
    )
    if isinstance(township, str):
        name_given, township = township, _find_township(township)
        if township is None:
            result.errors = [_unknown_township(name_given)]
            result.file_error = True
            return result
    if (
        actor is not None
        and actor.is_township_staff
        and township is not None
        and township.pk != actor.township_id
    ):
        raise PermissionDenied("您只能导入本乡镇（街道）的名册")
    result.township = township
    try:
        data = read_upload(source, max_bytes=max_bytes)
        book = open_workbook(data, name=result.file, max_rows=max_rows)
        plan = parse_benefit_roster(book)
    except FileUnreadable as exc:
        result.errors = [RowIssue(None, None, None, FILE_UNREADABLE, exc.message)]
        result.file_error = True
        return result
    result.warnings = plan.warnings
    if plan.file_error:
        result.errors, result.file_error = plan.errors, True
        return result
    with transaction.atomic():
        matched = _Matcher(plan, township=township, lock=not dry_run).run()
        result.errors = plan.sort_issues(plan.errors + matched.errors)
        result.enrollments, result.grants = matched.enrollments, matched.grants
        result.not_in_registry_rows = matched.not_in_registry
        result.changes = sorted(
            matched.changes, key=lambda c: (plan.sheets.index(c.sheet), c.row)
        )
        if not dry_run and (skip_invalid or not result.errors):
            result.batch = _write(
                matched, data=data, result=result, actor=actor, batch=batch
            )
            result.written = True
    return result


def _find_township(text: str) -> Township | None:
    townships = list(Township.objects.all())
    found = TownshipMatcher(townships).match(text)
    return next((t for t in townships if found and t.pk == found.id), None)


def _unknown_township(text: str) -> RowIssue:
    return RowIssue(
        None,
        None,
        None,
        UNKNOWN_TOWNSHIP,
        f"“{text}”不是本县的乡镇（街道），"
        "请改为本县18个乡镇（街道）之一（如“七级镇”或“七级”）后重新导入",
    )


def _chunks(items: list, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _in(field_name: str, values: list) -> Q:
    """``field IN values``; on PostgreSQL with one array parameter.

    Django prepares every value of an ``IN (...)`` list one by one, which
    costs about half a second for a roster's 18,000 ID numbers; the array
    is adapted by the driver in one go.
    """
    if connection.vendor == "postgresql" and values:
        return Q(**{f"{field_name}__in": RawSQL("SELECT unnest(%s)", [values])})
    return Q(**{f"{field_name}__in": values})


def _one_import_at_a_time() -> None:
    """Serialise benefit imports until the transaction ends.

    Two imports of the same file at once would each create every record.
    PostgreSQL: a transaction-level advisory lock (one statement, where
    locking 18,000 member rows costs a noticeable part of a second);
    SQLite serialises writing transactions by itself.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


# Matching ------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    pk: int
    name: str
    household_id: int


class _Matcher:
    """Compares the parsed rows with the registry; reports and counts.

    Three queries whatever the file's size (for up to LOOKUP_CHUNK people):
    the members by ID number, their enrollments of the file's benefits,
    and their grants.
    """

    def __init__(self, plan: BenefitPlan, *, township: Township | None, lock: bool):
        self.plan = plan
        self.township = township
        self.lock = lock
        self.errors: list[RowIssue] = []
        self.enrollments = Counts()
        self.grants = Counts()
        self.not_in_registry: list[NotInRegistry] = []
        self.changes: list[PlannedChange] = []
        self.enrollment_creates: list[Enrollment] = []
        self.enrollment_updates: list[tuple[Enrollment, list[str]]] = []
        self.grant_creates: list[TemporaryGrant] = []
        self.touched: set[int] = set()

    def run(self) -> _Matcher:
        if self.lock:
            _one_import_at_a_time()
        rows = self.plan.rows
        people = self._members(sorted({r.id_number for r in rows if r.id_number}))
        member_ids = sorted({p.pk for p in people.values()})
        benefits = sorted(
            {r.benefit for r in rows if r.valid and r.benefit and not r.is_grant}
        )
        stored = self._enrollments(member_ids, benefits) if benefits else []
        self.by_identity = {
            (e.member_id, e.benefit_id, e.scope or e.care_mode, e.start): e
            for e in stored
        }
        self.by_benefit: dict[tuple[int, str], list[Enrollment]] = {}
        for enrollment in stored:
            key = (enrollment.member_id, enrollment.benefit_id)
            self.by_benefit.setdefault(key, []).append(enrollment)
        has_grants = any(r.valid and r.is_grant for r in rows)
        self.stored_grants = self._grants(member_ids) if has_grants else set()
        matched: list[tuple[BenefitRow, _Person]] = []
        for row in rows:
            person = self._person(row, people)
            if person is not None:
                matched.append((row, person))
        for row, person in matched:
            if row.is_grant:
                self._plan_grant(row, person)
        enrollment_rows = [(r, p) for r, p in matched if not r.is_grant]
        found = self._match_enrollments(enrollment_rows)
        for row, person in enrollment_rows:
            self._plan_enrollment(row, person, found.get(id(row)))
        return self

    def _match_enrollments(
        self, rows: list[tuple[BenefitRow, _Person]]
    ) -> dict[int, Enrollment]:
        """The stored enrollment each row stands for, by ``id(row)``.

        In three rounds, each taking only enrollments no earlier round
        gave to a row: rows with a start, by the whole identity (member,
        benefit, scope or care mode, start); rows with a start and a blank
        保障方式/供养方式, by member, benefit and start when exactly one
        enrollment has them (the default 整户/分散 is for new records: a
        blank cell does not make a stored 单人保 another record); rows
        without a start, the member's latest enrollment of the benefit.
        """
        found: dict[int, Enrollment] = {}
        claimed: set[int] = set()

        def claim(row: BenefitRow, enrollment: Enrollment) -> None:
            found[id(row)] = enrollment
            claimed.add(enrollment.pk)

        dated = [(r, p) for r, p in rows if r.start is not None]
        for row, person in dated:
            key = (person.pk, row.benefit, row.scope or row.care_mode, row.start)
            enrollment = self.by_identity.get(key)
            if enrollment is not None:
                claim(row, enrollment)
        for row, person in dated:
            if id(row) in found or row.mode_given:
                continue
            same_start = [
                e
                for e in self.by_benefit.get((person.pk, row.benefit), [])  # type: ignore[arg-type]
                if e.start == row.start and e.pk not in claimed
            ]
            if len(same_start) == 1:
                claim(row, same_start[0])
        for row, person in rows:
            if row.start is not None:
                continue
            latest = max(
                (
                    e
                    for e in self.by_benefit.get((person.pk, row.benefit), [])  # type: ignore[arg-type]
                    if e.pk not in claimed
                ),
                key=lambda e: (e.start or datetime.date.min, e.pk),
                default=None,
            )
            if latest is not None:
                claim(row, latest)
        return found

    def _members(self, ids: list[str]) -> dict[str, _Person]:
        query = Member.objects.filter(removed=False, household__removed=False)
        if self.township is not None:
            query = query.filter(household__township_id=self.township.pk)
        found: dict[str, _Person] = {}
        for chunk in _chunks(ids):
            for pk, id_number, name, household_id in query.filter(
                _in("id_number", chunk)
            ).values_list("pk", "id_number", "name", "household_id"):
                found[id_number] = _Person(pk, name, household_id)
        return found

    def _enrollments(self, member_ids: list[int], benefits: list[str]):
        found: list[Enrollment] = []
        for chunk in _chunks(member_ids):
            found += Enrollment.objects.filter(
                _in("member_id", chunk), benefit_id__in=benefits
            ).order_by("pk")
        return found

    def _grants(self, member_ids: list[int]) -> set[tuple]:
        found: set[tuple] = set()
        for chunk in _chunks(member_ids):
            found.update(
                TemporaryGrant.objects.filter(_in("member_id", chunk)).values_list(
                    "member_id", "date", "amount"
                )
            )
        return found

    def _counts(self, row: BenefitRow) -> Counts:
        return self.grants if row.is_grant else self.enrollments

    def _error(self, row: BenefitRow, issue: RowIssue) -> None:
        row.errors.append(issue)
        self.errors.append(issue)

    def _person(self, row: BenefitRow, people: dict[str, _Person]) -> _Person | None:
        """The row's member; None when skipped or not in the registry."""
        if not row.valid:
            self._counts(row).add("skipped")
            return None
        person = people.get(row.id_number)  # type: ignore[arg-type]
        if person is None:
            self.not_in_registry.append(
                NotInRegistry(row.sheet, row.row, row.name, row.benefit)
            )
            return None
        if not same_name(row.name or "", person.name):
            self._error(
                row,
                RowIssue(
                    row.sheet,
                    row.row,
                    row.column("name"),
                    NAME_MISMATCH,
                    f"姓名“{row.name}”与系统中该身份证号码登记的姓名“{person.name}”"
                    "不一致。请核对身份证号码和姓名：号码抄错的改正号码，"
                    "姓名有误的改正名册（或先在系统中更正登记的姓名）后重新导入",
                ),
            )
            self._counts(row).add("skipped")
            return None
        return person

    def _plan_grant(self, row: BenefitRow, person: _Person) -> None:
        key = (person.pk, row.start, row.amount)
        if key in self.stored_grants:
            self.grants.add(UNCHANGED)
            return
        self.grant_creates.append(
            TemporaryGrant(member_id=person.pk, date=row.start, amount=row.amount)
        )
        self._record(row, person, "grant", CREATED)

    def _plan_enrollment(
        self, row: BenefitRow, person: _Person, match: Enrollment | None
    ) -> None:
        if match is None:
            self.enrollment_creates.append(
                Enrollment(
                    member_id=person.pk,
                    benefit_id=row.benefit,
                    scope=row.scope,
                    care_mode=row.care_mode,
                    status=row.status,
                    start=row.start,
                    end=row.end,
                    end_reason=_end_reason(row, stored=""),
                    amount=row.amount,
                )
            )
            self._record(row, person, "enrollment", CREATED)
            return
        changed = _apply(match, row)
        if changed:
            self.enrollment_updates.append((match, changed))
            self._record(row, person, "enrollment", UPDATED, changed)
        else:
            self.enrollments.add(UNCHANGED)

    def _record(
        self,
        row: BenefitRow,
        person: _Person,
        kind: str,
        outcome: str,
        fields: Iterable[str] = (),
    ) -> None:
        self._counts(row).add(outcome)
        self.touched.add(person.household_id)
        self.changes.append(
            PlannedChange(
                sheet=row.sheet,
                row=row.row,
                name=person.name,
                id_number=row.id_number or "",
                benefit=row.benefit or "",
                kind=kind,
                outcome=outcome,
                fields=tuple(fields),
            )
        )


def _end_reason(row: BenefitRow, *, stored: str, end=None) -> str:
    """The end reason to store: as typed; blank → 其他 once the record ends.

    A blank cell keeps a stored reason; a record still running without an
    end date keeps none.
    """
    if row.end_reason is not None:
        return row.end_reason
    if stored:
        return stored
    if (end or row.end) is not None or row.status == ENDED:
        return Enrollment.EndReason.OTHER
    return ""


def _apply(enrollment: Enrollment, row: BenefitRow) -> list[str]:
    """Set the row's values on a stored enrollment; return the changed fields.

    Status comes from the row (blank is 在保); a blank end or amount keeps
    the stored value.  A row without a start changes the scope or care
    mode only when the cell is filled.
    """
    values: dict[str, object] = {"status": row.status}
    if row.end is not None:
        values["end"] = row.end
    if row.amount is not None:
        values["amount"] = row.amount
    if row.start is None and row.mode_given:
        values["scope"], values["care_mode"] = row.scope, row.care_mode
    values["end_reason"] = _end_reason(
        row, stored=enrollment.end_reason, end=values.get("end", enrollment.end)
    )
    changed = []
    for name, value in values.items():
        if getattr(enrollment, name) != value:
            setattr(enrollment, name, value)
            changed.append(name)
    return changed


# Writing -------------------------------------------------------------------


def _write(
    matched: _Matcher,
    *,
    data: bytes,
    result: BenefitImportResult,
    actor,
    batch: ImportBatch | None,
) -> ImportBatch:
    """Write every planned change in bulk, with history; return the batch."""
    now = timezone.now()
    batch = _record_batch(batch, data=data, result=result, actor=actor, now=now)
    history = _History(user=actor, reason=batch.source_label, date=now)
    _create(Enrollment, matched.enrollment_creates, history)
    _update(Enrollment, matched.enrollment_updates, history)
    _create(TemporaryGrant, matched.grant_creates, history)
    result.households_changed = len(matched.touched)
    result.rechecked = household_changed(matched.touched)
    return batch


def _record_batch(
    batch: ImportBatch | None,
    *,
    data: bytes,
    result: BenefitImportResult,
    actor,
    now: datetime.datetime,
) -> ImportBatch:
    """The batch record of a committed import, with the original file."""
    if batch is None:
        batch = ImportBatch(
            kind=ImportBatch.Kind.BENEFIT_ROSTER,
            uploaded_by=actor,
            original_name=result.file[:255],
        )
    if result.township is not None:
        batch.township = result.township
    batch.status = ImportBatch.Status.COMMITTED
    batch.skip_invalid = result.skip_invalid
    batch.committed_at = now
    batch.summary = {**result.as_json(), "written": True}
    if not batch.file:
        batch.file.save(result.file or "benefits.xlsx", ContentFile(data), save=False)
    batch.save()
    return batch
