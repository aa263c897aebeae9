"""The care roster imports, database side (docs/care-rosters.md).

One service for the browser (upload → preview → confirm) and for
``manage.py import_elderly`` / ``import_children``:

1. read and parse the file (:mod:`.rosters`, pure, on the shared
   :mod:`households.imports` machinery);
2. match every valid row: the person on the register by ID number, the
   registry member by ID number (linked when found; a member of another
   township's household, or a different name, is an error), the village by
   name under the row's township (created when new, as the household
   roster does, with a warning);
3. count every row as created, updated, unchanged or skipped (rows with an
   error);
4. unless it is a dry run, write in one transaction — all or nothing, or
   with ``skip_invalid`` every row without an error — with history rows
   whose change reason names the batch, and keep the original file.

A blank optional cell never clears a stored value.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from households import idnumbers
from households.imports.roster_import import Counts
from households.imports.rows import FILE_UNREADABLE, UNKNOWN_TOWNSHIP, RowIssue
from households.imports.values import INVALID_VALUE, TownshipMatcher
from households.imports.workbook import (
    FileUnreadable,
    open_workbook,
    read_upload,
    upload_name,
)
from households.models import Member, Township, Village

from ..models import CareImportBatch, CareServiceItem, Child, ElderlyPerson
from .rosters import CHILDREN, ELDERLY, KINDS, PersonRow, parse_care_roster

NAME_MISMATCH = "name_mismatch"
VILLAGE_CREATED = "village_created"
LOOKUP_CHUNK = 900
BATCH_SIZE = 500
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

MODELS = {ELDERLY: ElderlyPerson, CHILDREN: Child}
BATCH_KINDS = {
    ELDERLY: CareImportBatch.Kind.ELDERLY,
    CHILDREN: CareImportBatch.Kind.CHILDREN,
}


@dataclass(frozen=True)
class PlannedChange:
    """A row that creates or updates a person (what the preview lists)."""

    sheet: str
    row: int
    name: str
    id_number: str
    village: str
    outcome: str
    linked: bool
    fields: tuple[str, ...] = ()

    @property
    def masked_id(self) -> str:
        return idnumbers.mask(self.id_number)


@dataclass
class CareImportResult:
    """What the import found and did; :meth:`as_json` is the command's JSON."""

    kind: str
    file: str
    dry_run: bool
    skip_invalid: bool
    written: bool = False
    counts: Counts = field(default_factory=Counts)
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)
    changes: list[PlannedChange] = field(default_factory=list)
    villages_created: list[str] = field(default_factory=list)
    file_error: bool = False
    batch: CareImportBatch | None = None

    @property
    def exit_status(self) -> int:
        """1 for a file-level error, or any error without ``skip_invalid``."""
        if self.file_error or (self.errors and not self.skip_invalid):
            return 1
        return 0

    @property
    def label(self) -> str:
        return KINDS[self.kind].label

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "dry_run": self.dry_run,
            "written": self.written,
            self.kind: self.counts.as_dict(),
            "errors": [issue.as_dict() for issue in self.errors],
            "warnings": [issue.as_dict() for issue in self.warnings],
        }


def care_roster_import(
    *,
    kind: str,
    source: str | os.PathLike | bytes | BinaryIO,
    name: str | None = None,
    township: Township | str | None = None,
    actor=None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    batch: CareImportBatch | None = None,
    max_bytes: int | None = None,
    max_rows: int | None = None,
    today: datetime.date | None = None,
) -> CareImportResult:
    """Import an elderly (``kind="elderly"``) or children roster.

    ``township`` (a Township or a name, matched like the column) is the one
    the file is imported into; by default a township staff member's own.
    Staff import into their own township only, the admin anywhere, section
    chiefs not at all (``PermissionDenied``).
    """
    spec = KINDS[kind]
    max_bytes = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    max_rows = settings.IMPORT_MAX_ROWS if max_rows is None else max_rows
    today = today or timezone.localdate()
    if actor is not None and not (actor.is_township_staff or actor.is_bureau_admin):
        raise PermissionDenied("只有乡镇经办人员和管理员可以导入名册")
    if township is None and actor is not None and actor.is_township_staff:
        township = actor.township
    townships = list(Township.objects.all())
    matcher = TownshipMatcher(townships)
    _check_may_import(actor, township, matcher)
    result = CareImportResult(
        kind=kind,
        file=name or upload_name(source),
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    try:
        data = read_upload(source, max_bytes=max_bytes)
        book = open_workbook(data, name=result.file, max_rows=max_rows)
        items = list(
            CareServiceItem.objects.filter(active=True).values_list("pk", "name")
        )
        plan = parse_care_roster(
            book,
            kind=spec,
            townships=matcher,
            township=township,
            services=items,
            today=today,
        )
    except FileUnreadable as exc:
        result.errors = [RowIssue(None, None, None, FILE_UNREADABLE, exc.message)]
        result.file_error = True
        return result
    result.warnings = plan.warnings
    if plan.file_error:
        result.errors, result.file_error = plan.errors, True
        return result
    with transaction.atomic():
        matched = _Matcher(kind, plan.rows, lock=not dry_run, today=today).run()
        result.errors = plan.sort_issues(plan.errors + matched.errors)
        result.warnings = plan.sort_issues(plan.warnings + matched.warnings)
        result.counts = matched.counts
        result.changes = matched.changes
        result.villages_created = matched.villages_created
        if not dry_run and (skip_invalid or not result.errors):
            result.batch = _write(
                matched, data=data, result=result, actor=actor, batch=batch
            )
            result.written = True
    return result


def _check_may_import(actor, township, matcher: TownshipMatcher) -> None:
    if actor is None or not actor.is_township_staff or township is None:
        return
    wanted = matcher.match(township) if isinstance(township, str) else township
    if wanted is not None and wanted.id != actor.township_id:
        raise PermissionDenied("您只能导入本乡镇（街道）的名册")


def _chunks(items: list, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class _Write:
    """One valid row's planned write."""

    row: PersonRow
    person: ElderlyPerson | Child  # unsaved when new
    new: bool
    village_key: tuple[int, str]
    changed: list[str] = field(default_factory=list)
    services_changed: bool = False


class _Matcher:
    """Compares the parsed rows with the registers; reports and counts."""

    def __init__(self, kind: str, rows: list[PersonRow], *, lock: bool, today):
        self.kind = kind
        self.model = MODELS[kind]
        self.rows = rows
        self.lock = lock
        self.today = today
        self.errors: list[RowIssue] = []
        self.warnings: list[RowIssue] = []
        self.counts = Counts()
        self.changes: list[PlannedChange] = []
        self.writes: list[_Write] = []
        self.new_villages: dict[tuple[int, str], Village] = {}
        self.villages_created: list[str] = []

    def run(self) -> _Matcher:
        ids = [row.id_number for row in self.rows if row.id_number]
        members = self._members(ids)
        people = self._people(ids)
        services = self._services([p.pk for p in people.values()])
        townships = {row.township.id for row in self.rows if row.township}
        villages = {
            (village.township_id, village.name): village
            for village in Village.objects.filter(township_id__in=townships)
        }
        for row in self.rows:
            if row.valid:
                self._check(row, members, people)
            if not row.valid:
                self.counts.add("skipped")
                continue
            self._plan(row, members, people, services, villages)
        return self

    def _members(self, ids: list[str]) -> dict[str, tuple]:
        """ID number → (member id, township id, township name, name)."""
        query = Member.objects.filter(removed=False, household__removed=False)
        query = query.values_list(
            "id_number",
            "pk",
            "household__township_id",
            "household__township__name",
            "name",
        )
        found: dict[str, tuple] = {}
        for chunk in _chunks(ids):
            for id_number, *rest in query.filter(id_number__in=chunk):
                found[id_number] = tuple(rest)
        return found

    def _people(self, ids: list[str]) -> dict[str, ElderlyPerson | Child]:
        query = self.model.objects.current().select_related("township", "village")
        if self.lock:
            query = query.select_for_update(of=("self",))
        found = {}
        for chunk in _chunks(ids):
            for person in query.filter(id_number__in=chunk):
                found[person.id_number] = person
        return found

    def _services(self, person_ids: list[int]) -> dict[int, set[int]]:
        if self.model is not ElderlyPerson:
            return {}
        through = ElderlyPerson.services.through
        found: dict[int, set[int]] = {}
        for chunk in _chunks(person_ids):
            for person_id, item_id in through.objects.filter(
                elderlyperson_id__in=chunk
            ).values_list("elderlyperson_id", "careserviceitem_id"):
                found.setdefault(person_id, set()).add(item_id)
        return found

    def _error(self, row: PersonRow, field_name: str, code: str, message: str):
        issue = RowIssue(row.sheet, row.row, row.column(field_name), code, message)
        row.errors.append(issue)
        self.errors.append(issue)

    def _check(self, row: PersonRow, members: dict, people: dict) -> None:
        """The errors only the registry can reveal."""
        member = members.get(row.id_number)
        if member is not None:
            _pk, township_id, township_name, member_name = member
            if township_id != row.township.id:
                self._error(
                    row,
                    "id_number",
                    INVALID_VALUE,
                    f"此人是{township_name}建档立卡户的成员，不能导入到{row.township.name}。"
                    f"请核对身份证号码，或由{township_name}导入",
                )
            elif member_name != row.name:
                self._error(
                    row,
                    "name",
                    NAME_MISMATCH,
                    f"该身份证号码在建档立卡户中登记的姓名为“{member_name}”，"
                    f"与名册中的“{row.name}”不一致，请核对后重新导入",
                )
        person = people.get(row.id_number)
        if person is not None and person.township_id != row.township.id:
            self._error(
                row,
                "id_number",
                INVALID_VALUE,
                f"此人已登记在{person.township.name}的台账中，不能导入到{row.township.name}。"
                "如已迁居，请先由原乡镇（街道）移出台账",
            )

    def _village(self, row: PersonRow, villages: dict) -> tuple[tuple, Village]:
        key = (row.township.id, row.village)
        village = villages.get(key) or self.new_villages.get(key)
        if village is None:
            village = Village(
                township_id=row.township.id,
                name=row.village,
                kind=Village.kind_for_name(row.village),
            )
            self.new_villages[key] = village
            self.villages_created.append(row.village)
            self.warnings.append(
                RowIssue(
                    row.sheet,
                    row.row,
                    row.column("village"),
                    VILLAGE_CREATED,
                    f"村（居）“{row.village}”在{row.township.name}尚未登记，导入时将新建。"
                    "如是笔误，请改正村名后重新导入",
                )
            )
        return key, village

    def _plan(self, row, members, people, services, villages) -> None:
        key, village = self._village(row, villages)
        member = members.get(row.id_number)
        member_id = member[0] if member else None
        person = people.get(row.id_number)
        if person is None:
            person = self.model(
                township_id=row.township.id,
                village=village,
                member_id=member_id,
                name=row.name,
                id_number=row.id_number,
                sex=row.sex,
                birth_date=row.birth_date,
                registered_on=row.registered_on or self.today,
                **row.values,
            )
            write = _Write(row, person, True, key, services_changed=bool(row.services))
            self.counts.add(CREATED)
        else:
            write = _Write(row, person, False, key)
            values = dict(row.values)
            values.update(name=row.name, sex=row.sex, birth_date=row.birth_date)
            if row.registered_on is not None:
                values["registered_on"] = row.registered_on
            if member_id is not None:
                values["member_id"] = member_id
            for name, value in values.items():
                if getattr(person, name) != value:
                    setattr(person, name, value)
                    write.changed.append(name)
            if village.pk is None or person.village_id != village.pk:
                person.village = village
                write.changed.append("village")
            if row.services is not None:
                write.services_changed = set(row.services) != services.get(
                    person.pk, set()
                )
            outcome = UPDATED if write.changed or write.services_changed else UNCHANGED
            self.counts.add(outcome)
        self.writes.append(write)
        if write.new or write.changed or write.services_changed:
            self.changes.append(
                PlannedChange(
                    sheet=row.sheet,
                    row=row.row,
                    name=row.name,
                    id_number=row.id_number,
                    village=row.village,
                    outcome=CREATED if write.new else UPDATED,
                    linked=member_id is not None,
                    fields=tuple(_labels(self.model, write)),
                )
            )


def _labels(model, write: _Write) -> list[str]:
    labels = []
    for name in write.changed:
        model_field = model._meta.get_field(name.removesuffix("_id"))
        labels.append(str(model_field.verbose_name))
    if write.services_changed and not write.new:
        labels.append("关爱服务内容")
    return labels


def _write(
    matched: _Matcher,
    *,
    data: bytes,
    result: CareImportResult,
    actor,
    batch: CareImportBatch | None,
) -> CareImportBatch:
    """Write every planned change in bulk, with history; return the batch.

    New people and changed people get one history row each (who, when,
    the batch as change reason); for the elderly the history also keeps
    the care-service list as it stands after the import.
    """
    now = timezone.now()
    batch = _record_batch(batch, matched=matched, data=data, result=result, actor=actor)
    reason = batch.source_label
    model = matched.model
    for village in matched.new_villages.values():
        village.full_clean()
        village.save()
    new, changed = [], []
    for write in matched.writes:
        person = write.person
        if write.new or "village" in write.changed:
            person.village_id = person.village.pk
        if write.new:
            new.append(write)
        elif write.changed or write.services_changed:
            person.version += 1
            person.updated_at = now
            changed.append(write)
    for write in (*new, *changed):
        # The parsers checked every value; the foreign keys come from the
        # matching.  This is the model's own check of lengths and choices.
        write.person.clean_fields(exclude=["township", "village", "member"])
    history = {
        "default_user": actor,
        "default_change_reason": reason,
        "default_date": now,
        "batch_size": BATCH_SIZE,
    }
    people = [w.person for w in new]
    for person, saved in zip(
        people, bulk_create_with_history(people, model, **history), strict=True
    ):
        person.pk = saved.pk
    if changed:
        fields = sorted({name for w in changed for name in w.changed})
        bulk_update_with_history(
            [w.person for w in changed],
            model,
            fields=[*fields, "version", "updated_at"],
            **history,
        )
    if model is ElderlyPerson:
        _write_services(matched, new + changed, reason=reason, now=now)
    return batch


def _write_services(matched: _Matcher, writes: list[_Write], *, reason, now) -> None:
    """The care-service lists, and their state in the new history rows."""
    through = ElderlyPerson.services.through
    replaced = [w.person.pk for w in writes if w.services_changed and not w.new]
    for chunk in _chunks(replaced):
        through.objects.filter(elderlyperson_id__in=chunk).delete()
    through.objects.bulk_create(
        [
            through(elderlyperson_id=write.person.pk, careserviceitem_id=item)
            for write in writes
            if write.services_changed
            for item in write.row.services or []
        ],
        batch_size=BATCH_SIZE,
    )
    # simple-history keeps, per history row, the list as it stood then.
    historical = ElderlyPerson.history.model
    m2m_history = apps.get_model("care", "HistoricalElderlyPerson_services")
    rows = []
    for chunk in _chunks([w.person.pk for w in writes]):
        history_ids = dict(
            historical.objects.filter(
                id__in=chunk, history_date=now, history_change_reason=reason
            ).values_list("id", "history_id")
        )
        for pk, person_id, item_id in through.objects.filter(
            elderlyperson_id__in=chunk
        ).values_list("pk", "elderlyperson_id", "careserviceitem_id"):
            rows.append(
                m2m_history(
                    id=pk,
                    history_id=history_ids[person_id],
                    elderlyperson_id=person_id,
                    careserviceitem_id=item_id,
                )
            )
    m2m_history.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def _record_batch(
    batch: CareImportBatch | None,
    *,
    matched: _Matcher,
    data: bytes,
    result: CareImportResult,
    actor,
) -> CareImportBatch:
    """The batch record of a committed import, with the original file."""
    if batch is None:
        batch = CareImportBatch(
            kind=BATCH_KINDS[result.kind],
            uploaded_by=actor,
            original_name=result.file[:255],
        )
    townships = {write.person.township_id for write in matched.writes}
    if len(townships) == 1:
        batch.township_id = townships.pop()
    batch.status = CareImportBatch.Status.COMMITTED
    batch.skip_invalid = result.skip_invalid
    batch.committed_at = timezone.now()
    batch.summary = {**result.as_json(), "written": True}
    if not batch.file:
        batch.file.save(result.file or "roster.xlsx", ContentFile(data), save=False)
    batch.save()
    return batch


__all__ = [
    "CHILDREN",
    "ELDERLY",
    "NAME_MISMATCH",
    "UNKNOWN_TOWNSHIP",
    "VILLAGE_CREATED",
    "CareImportResult",
    "PlannedChange",
    "care_roster_import",
]
