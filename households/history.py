"""A household's change history: who changed what, when, through what.

Merges the django-simple-history rows of the household and its members
into one timeline, newest first, each entry with the changed fields'
old and new values in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Household, Member

ACTIONS = {"+": "新增", "~": "修改", "-": "删除"}
HIDDEN_FIELDS = {"id", "created_at", "updated_at", "version", "household"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: object
    user: object
    source: str
    action: str
    subject: str
    changes: list[Change] = field(default_factory=list)


def _display(record, name: str) -> str:
    model_field = record.instance_type._meta.get_field(name)
    value = getattr(record, name)
    if value in (None, ""):
        return "（空）"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if name == "id_number":
        from .idnumbers import mask

        return mask(value)
    return str(value)


def _entries(records, subject_of) -> list[Entry]:
    entries = []
    previous = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        key = record.id
        prior = previous.get(key)
        changes = []
        if prior is not None:
            delta = record.diff_against(prior)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                label = str(
                    record.instance_type._meta.get_field(change.field).verbose_name
                )
                changes.append(
                    Change(
                        label,
                        _display(prior, change.field),
                        _display(record, change.field),
                    )
                )
            if not changes and record.history_type == "~":
                previous[key] = record
                continue
        entries.append(
            Entry(
                when=record.history_date,
                user=record.history_user,
                source=record.history_change_reason or "",
                action=ACTIONS.get(record.history_type, record.history_type),
                subject=subject_of(record),
                changes=changes,
            )
        )
        previous[key] = record
    return entries


def household_history(household: Household) -> list[Entry]:
    household_records = Household.history.filter(id=household.pk).select_related(
        "history_user", "village"
    )
    member_records = Member.history.filter(household_id=household.pk).select_related(
        "history_user"
    )
    entries = _entries(household_records, lambda r: f"户信息（{r.household_no}）")
    entries += _entries(member_records, lambda r: f"成员 {r.name}")
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
