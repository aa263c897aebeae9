"""The household roster import, database side (roster-format.md §1, §4).

One service for the browser (upload → preview → confirm) and for
``manage.py import_roster``:

1. read and parse the file (:mod:`.roster`, pure);
2. match the plan against the registry: households by household number,
   members by ID number; a household number of another township, or an ID
   number of a member of another household, is an error;
3. count every household and member as created, updated, unchanged or
   skipped (households with any error are skipped whole, with their
   members);
4. unless it is a dry run, write in one transaction — all or nothing, or
   with ``skip_invalid`` every household without an error — in bulk, with
   history rows whose change reason names the import batch.

A blank optional cell never clears a stored value; members stored but
absent from the file are left alone and listed (不在本文件中).
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
from django.db import transaction
from django.utils import timezone

from checklists.recheck import household_changed
from households import bulkload, idnumbers
from households.models import Household, ImportBatch, Member, Township, Village

from .roster import HouseholdPlan, MemberPlan, RosterPlan, parse_roster
from .rows import FILE_UNREADABLE, RowIssue
from .values import INVALID_VALUE, TownshipMatcher
from .workbook import FileUnreadable, open_workbook, read_upload, upload_name

ID_IN_OTHER_HOUSEHOLD = "id_in_other_household"
BATCH_SIZE = 1000
# Query parameters per IN (...) lookup: well under every backend's limit.
LOOKUP_CHUNK = 900

HOUSEHOLD_FIELDS = ("poverty_type", "poverty_status", "income_per_capita")
MEMBER_FIELDS = (
    "name",
    "relation",
    "sex",
    "birth_date",
    "ethnicity",
    "health",
    "disability_category",
    "disability_grade",
    "disability_cert_no",
    "labor_capacity",
    "self_care",
    "employment",
    "phone",
    "note",
)


@dataclass
class Counts:
    """created / updated / unchanged / skipped, as in the JSON of §4."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    def add(self, outcome: str, number: int = 1) -> None:
        setattr(self, outcome, getattr(self, outcome) + number)

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }


@dataclass(frozen=True)
class AbsentMember:
    """A stored member of a household in the file whose row is missing."""

    member_id: int
    household_no: str
    name: str
    id_number: str

    @property
    def masked_id(self) -> str:
        return idnumbers.mask(self.id_number)


@dataclass
class RosterImportResult:
    """What the import found and did; :meth:`as_json` is the §4 object."""

    file: str
    dry_run: bool
    skip_invalid: bool
    written: bool = False
    households: Counts = field(default_factory=Counts)
    members: Counts = field(default_factory=Counts)
    villages_created: list[str] = field(default_factory=list)
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)
    absent_members: list[AbsentMember] = field(default_factory=list)
    file_error: bool = False
    batch: ImportBatch | None = None

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
            "households": self.households.as_dict(),
            "members": self.members.as_dict(),
            "villages_created": list(self.villages_created),
            "errors": [issue.as_dict() for issue in self.errors],
            "warnings": [issue.as_dict() for issue in self.warnings],
        }


def roster_import(
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
) -> RosterImportResult:
    """Import a household roster; see the module docstring.

    ``township`` (a Township or a name, matched like the column) is the one
    the file is imported into; by default a township staff member's own.
    Staff may import into their own township only.  ``batch`` is an
    existing ImportBatch (the browser's preview) to complete; otherwise a
    committed import creates one.  Limits default to the settings
    ``IMPORT_MAX_BYTES`` and ``IMPORT_MAX_ROWS``.
    """
    max_bytes = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    max_rows = settings.IMPORT_MAX_ROWS if max_rows is None else max_rows
    townships = list(Township.objects.all())
    matcher = TownshipMatcher(townships)
    if township is None and actor is not None and actor.is_township_staff:
        township = actor.township
    _check_may_import(actor, township, matcher)
    result = RosterImportResult(
        file=name or upload_name(source), dry_run=dry_run, skip_invalid=skip_invalid
    )
    try:
        data = read_upload(source, max_bytes=max_bytes)
        book = open_workbook(data, name=result.file, max_rows=max_rows)
        plan = parse_roster(book, townships=matcher, township=township)
    except FileUnreadable as exc:
        result.errors = [RowIssue(None, None, None, FILE_UNREADABLE, exc.message)]
        result.file_error = True
        return result
    result.warnings = plan.warnings
    if plan.file_error:
        result.errors, result.file_error = plan.errors, True
        return result
    with transaction.atomic():
        matched = _Matcher(plan, lock=not dry_run).run()
        result.errors = plan.sort_issues(plan.errors + matched.errors)
        result.households, result.members = matched.households, matched.members
        result.villages_created = matched.villages_created
        result.absent_members = matched.absent
        if not dry_run and (skip_invalid or not result.errors):
            result.batch = _write(
                matched, data=data, result=result, actor=actor, batch=batch
            )
            result.written = True
    return result


def _check_may_import(actor, township, matcher: TownshipMatcher) -> None:
    """Township staff import into their own township only."""
    if actor is None or not actor.is_township_staff or township is None:
        return
    wanted = matcher.match(township) if isinstance(township, str) else township
    if wanted is not None and wanted.id != actor.township_id:
        raise PermissionDenied("您只能导入本乡镇（街道）的花名册")


def _chunks(items: list, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# Matching ------------------------------------------------------------------


@dataclass
class _Change:
    """One valid household's planned write."""

    plan: HouseholdPlan
    household: Household  # unsaved when new
    new: bool
    village_key: tuple[int, str]
    changed_fields: list[str] = field(default_factory=list)
    member_creates: list[Member] = field(default_factory=list)
    # (member pk, {field: new value}) of stored members that change.
    member_updates: list[tuple[int, dict]] = field(default_factory=list)


class _Matcher:
    """Compares a parsed roster with the registry; reports and counts."""

    def __init__(self, plan: RosterPlan, *, lock: bool):
        self.plan = plan
        self.lock = lock
        self.errors: list[RowIssue] = []
        self.households = Counts()
        self.members = Counts()
        self.villages_created: list[str] = []
        self.absent: list[AbsentMember] = []
        self.changes: list[_Change] = []
        self.new_villages: dict[tuple[int, str], Village] = {}

    def run(self) -> _Matcher:
        plan = self.plan
        numbers = [h.household_no for h in plan.households]
        ids = [m.id_number for h in plan.households for m in h.members if m.id_number]
        stored = self._households(numbers)
        by_id = self._members_by_id(ids)
        current = self._current_members([h.pk for h in stored.values()])
        villages = self._villages(
            {h.township.id for h in plan.households if h.township}
        )
        for household in plan.households:
            existing = stored.get(household.household_no)
            self._check(household, existing, by_id)
            if existing is not None:
                self._list_absent(household, existing, current.get(existing.pk, []))
            if household.errors:
                self.households.add("skipped")
                self.members.add("skipped", len(household.members))
                continue
            self._plan_change(household, existing, current, villages)
        self.members.add("skipped", plan.unassigned_rows)
        return self

    def _households(self, numbers: list[str]) -> dict[str, Household]:
        query = Household.objects.select_related("township")
        if self.lock:
            query = query.select_for_update(of=("self",))
        found: dict[str, Household] = {}
        for chunk in _chunks(numbers):
            for household in query.filter(household_no__in=chunk):
                found[household.household_no] = household
        return found

    def _members_by_id(self, ids: list[str]) -> dict[str, tuple]:
        """ID number → (household id, household number, name) of current members."""
        query = Member.objects.filter(removed=False).values_list(
            "id_number", "household_id", "household__household_no", "name"
        )
        found: dict[str, tuple] = {}
        for chunk in _chunks(ids):
            for id_number, *rest in query.filter(id_number__in=chunk):
                found[id_number] = tuple(rest)
        return found

    def _current_members(self, household_ids: list[int]) -> dict[int, list[dict]]:
        """The stored members of the matched households, as field dicts.

        Dicts, not instances: a re-import compares 18,000 members and most
        are unchanged; only those that change are loaded as instances.
        """
        query = Member.objects.filter(removed=False).order_by("pk")
        query = query.values("pk", "household_id", "id_number", *MEMBER_FIELDS)
        grouped: dict[int, list[dict]] = {}
        for chunk in _chunks(household_ids):
            for member in query.filter(household_id__in=chunk):
                grouped.setdefault(member["household_id"], []).append(member)
        return grouped

    def _villages(self, township_ids: Iterable[int]) -> dict[tuple[int, str], Village]:
        return {
            (village.township_id, village.name): village
            for village in Village.objects.filter(township_id__in=list(township_ids))
        }

    def _error(self, household: HouseholdPlan, issue: RowIssue) -> None:
        household.errors.append(issue)
        self.errors.append(issue)

    def _check(
        self,
        household: HouseholdPlan,
        existing: Household | None,
        by_id: dict[str, tuple],
    ) -> None:
        """The errors only the registry can reveal."""
        first = household.members[0]
        if existing is not None and household.township is not None:
            if existing.removed:
                message = (
                    f"户编号 {household.household_no} 的家庭已在系统中删除，"
                    "不能通过导入恢复。请在系统中核实后再处理，或从文件中删去这一户"
                )
            elif existing.township_id != household.township.id:
                owner = existing.township.name
                message = (
                    f"户编号 {household.household_no} 已登记在{owner}，"
                    f"不能导入到{household.township.name}。请核对户编号，"
                    f"或由{owner}处理这一户"
                )
            else:
                message = ""
            if message:
                column = first.column("household_no")
                self._error(
                    household,
                    RowIssue(first.sheet, first.row, column, INVALID_VALUE, message),
                )
        for member in household.members:
            other = by_id.get(member.id_number) if member.id_number else None
            if other is None or (existing is not None and other[0] == existing.pk):
                continue
            _household_id, other_no, other_name = other
            message = (
                f"该身份证号码已登记在户编号 {other_no} 的家庭中（{other_name}），"
                "同一人不能登记在两户。如此人已迁入本户，"
                "请先在系统中将其从原户移除后再导入"
            )
            column = member.column("id_number")
            self._error(
                household,
                RowIssue(
                    member.sheet, member.row, column, ID_IN_OTHER_HOUSEHOLD, message
                ),
            )

    def _list_absent(
        self, household: HouseholdPlan, existing: Household, stored: list[dict]
    ) -> None:
        in_file = {m.id_number for m in household.members}
        self.absent.extend(
            AbsentMember(m["pk"], household.household_no, m["name"], m["id_number"])
            for m in stored
            if m["id_number"] not in in_file
        )

    def _plan_change(
        self,
        household: HouseholdPlan,
        existing: Household | None,
        current: dict[int, list[dict]],
        villages: dict[tuple[int, str], Village],
    ) -> None:
        township_id = household.township.id  # type: ignore[union-attr]
        key = (township_id, household.village or "")
        village = villages.get(key) or self.new_villages.get(key)
        if village is None:
            village = Village(
                township_id=township_id, name=key[1], kind=Village.kind_for_name(key[1])
            )
            self.new_villages[key] = village
            self.villages_created.append(key[1])
        values = {
            f: household.values[f] for f in HOUSEHOLD_FIELDS if f in household.values
        }
        if existing is None:
            record = Household(
                household_no=household.household_no,
                township_id=township_id,
                village=village,
                **values,
            )
            change = _Change(household, record, True, key)
        else:
            change = _Change(household, existing, False, key)
            if village.pk is None or existing.village_id != village.pk:
                existing.village = village
                change.changed_fields.append("village")
            change.changed_fields += _assign(existing, values)
        stored = (
            {}
            if existing is None
            else {m["id_number"]: m for m in current.get(existing.pk, [])}
        )
        for member in household.members:
            self._plan_member(change, member, stored.get(member.id_number))
        if change.new:
            self.households.add("created")
        elif change.changed_fields or change.member_creates or change.member_updates:
            self.households.add("updated")
        else:
            self.households.add("unchanged")
        self.changes.append(change)

    def _plan_member(
        self, change: _Change, member: MemberPlan, stored: dict | None
    ) -> None:
        values = {f: member.values[f] for f in MEMBER_FIELDS if f in member.values}
        if stored is None:
            change.member_creates.append(
                Member(household=change.household, id_number=member.id_number, **values)
            )
            self.members.add("created")
            return
        changed = {f: v for f, v in values.items() if stored[f] != v}
        if changed:
            change.member_updates.append((stored["pk"], changed))
            self.members.add("updated")
        else:
            self.members.add("unchanged")


def _assign(record, values: dict[str, object]) -> list[str]:
    """Set the values that differ; return the names of the changed fields."""
    changed = []
    for name, value in values.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed.append(name)
    return changed


# Writing -------------------------------------------------------------------


@dataclass(frozen=True)
class _History:
    """Who and what the history rows of one import name."""

    user: object
    reason: str
    date: datetime.datetime


def _write(
    matched: _Matcher,
    *,
    data: bytes,
    result: RosterImportResult,
    actor,
    batch: ImportBatch | None,
) -> ImportBatch:
    """Write every planned change in bulk, with history; return the batch."""
    now = timezone.now()
    batch = _record_batch(
        batch, matched=matched, data=data, result=result, actor=actor, now=now
    )
    history = _History(user=actor, reason=batch.source_label, date=now)

    new_villages = list(matched.new_villages.values())
    if new_villages:
        Village.objects.bulk_create(new_villages, batch_size=BATCH_SIZE)
        _ensure_village_pks(new_villages)
    for change in matched.changes:
        if change.new or "village" in change.changed_fields:
            # The village may have been saved only now: take its new pk.
            change.household.village_id = change.household.village.pk
    _create(Household, [c.household for c in matched.changes if c.new], history)
    _update(
        Household,
        [(c.household, c.changed_fields) for c in matched.changes if c.changed_fields],
        history,
    )
    new_members = []
    for change in matched.changes:
        for member in change.member_creates:
            member.household_id = change.household.pk
            new_members.append(member)
    _create(Member, new_members, history)
    _update(Member, _member_instances(matched), history)
    household_changed(
        c.household.pk
        for c in matched.changes
        if c.new or c.changed_fields or c.member_creates or c.member_updates
    )
    return batch


def _member_instances(matched: _Matcher) -> list[tuple[Member, list[str]]]:
    """The stored members that change, loaded (locked) and changed in memory."""
    updates = {pk: changed for c in matched.changes for pk, changed in c.member_updates}
    changed_members = []
    for chunk in _chunks(list(updates)):
        for member in Member.objects.select_for_update().filter(pk__in=chunk):
            changed_members.append((member, _assign(member, updates[member.pk])))
    return changed_members


def _create(model, objs: list, history: _History) -> None:
    """Insert new records and their "created" history rows; set their pks."""
    bulkload.bulk_create_with_history(
        objs, model, reason=history.reason, user=history.user, date=history.date
    )


def _update(model, changes: list[tuple], history: _History) -> None:
    """Save changed fields (and the version) with "changed" history rows."""
    if not changes:
        return
    fields = sorted({name for _obj, changed in changes for name in changed})
    for obj, _changed in changes:
        obj.version += 1
    bulkload.bulk_update_with_history(
        [obj for obj, _changed in changes],
        model,
        [*fields, "version"],
        reason=history.reason,
        user=history.user,
        date=history.date,
    )


def _ensure_village_pks(villages: list[Village]) -> None:
    """Backends that do not return ids from a bulk insert: look them up."""
    missing = [v for v in villages if v.pk is None]
    if not missing:
        return
    saved = {
        (v.township_id, v.name): v.pk
        for v in Village.objects.filter(
            township_id__in={v.township_id for v in missing},
            name__in=[v.name for v in missing],
        )
    }
    for village in missing:
        village.pk = saved[(village.township_id, village.name)]


def _record_batch(
    batch: ImportBatch | None,
    *,
    matched: _Matcher,
    data: bytes,
    result: RosterImportResult,
    actor,
    now: datetime.datetime,
) -> ImportBatch:
    """The batch record of a committed import, with the original file."""
    if batch is None:
        batch = ImportBatch(
            kind=ImportBatch.Kind.HOUSEHOLD_ROSTER,
            uploaded_by=actor,
            original_name=result.file[:255],
        )
    if matched.plan.township is not None:
        batch.township_id = matched.plan.township.id
    else:
        townships = {c.household.township_id for c in matched.changes}
        if len(townships) == 1:
            batch.township_id = townships.pop()
    batch.status = ImportBatch.Status.COMMITTED
    batch.skip_invalid = result.skip_invalid
    batch.committed_at = now
    batch.summary = {**result.as_json(), "written": True}
    if not batch.file:
        batch.file.save(result.file or "roster.xlsx", ContentFile(data), save=False)
    batch.save()
    return batch
