"""Synchronise rule findings into the ledger (roster-format.md §4, ``ledger``).

One case per (rule, household, member), whatever its status.  For the
evaluated households only:

- a finding with no case yet → a new open case and an "opened" event
  (``opened``);
- a verified case whose finding holds again → open again, "reopened"
  event (``reopened``);
- an open or returned case whose finding no longer holds → submitted by the
  system, resolution ``auto``, "auto_rectified" event (``auto_rectified``);
- every other finding, a dismissed case's included, keeps its case's status
  (``unchanged``).

Every case of those households gets ``finding_holds``, ``last_checked_on``
and the finding's current message.  Data-quality findings never become
cases.  The queries do not grow with the number of households (grouped
``UPDATE``\\s, ``bulk_create``); ids go to the database in chunks only to
stay under the SQL variable limits.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from checklists.evaluation import evaluate
from checklists.models import Campaign
from households.models import Household

from .models import Case, CaseEvent

Status = Case.Status
DATA_QUALITY = "data_quality"
CHUNK = 5000


class FindingLike(Protocol):
    rule: str
    kind: str
    household_no: str
    member_id: int | None
    section: str | None
    policy: str | None
    message: str


def _is_case_finding(finding: FindingLike) -> bool:
    return finding.kind != DATA_QUALITY and bool(finding.section)


def ledger_sync(
    *,
    household_ids: Iterable[int],
    findings: Iterable[FindingLike],
    as_of: datetime.date,
    dry_run: bool = False,
) -> dict[str, int]:
    """Bring the cases of ``household_ids`` in line with ``findings``.

    Returns ``{"opened", "reopened", "auto_rectified", "unchanged"}``; with
    ``dry_run`` the same counts and nothing written.
    """
    by_household_no: dict[str, list[FindingLike]] = defaultdict(list)
    for finding in findings:
        if _is_case_finding(finding):
            by_household_no[finding.household_no].append(finding)
    ids = sorted(set(household_ids))
    counts = {"opened": 0, "reopened": 0, "auto_rectified": 0, "unchanged": 0}
    with transaction.atomic():
        campaign = Campaign.objects.current()
        for start in range(0, len(ids), CHUNK):
            chunk = _sync_chunk(
                ids[start : start + CHUNK],
                by_household_no,
                as_of=as_of,
                campaign=campaign,
                dry_run=dry_run,
            )
            for key, value in chunk.items():
                counts[key] += value
    return counts


def _sync_chunk(
    household_ids: list[int],
    by_household_no: dict[str, list[FindingLike]],
    *,
    as_of: datetime.date,
    campaign: Campaign | None,
    dry_run: bool,
) -> dict[str, int]:
    households = Household.objects.filter(pk__in=household_ids).values_list(
        "pk", "household_no", "township_id"
    )
    cases = Case.objects.filter(household_id__in=household_ids)
    if not dry_run:
        cases = cases.select_for_update()
    existing = {(c.rule, c.household_id, c.member_id): c for c in cases}

    now = timezone.now()
    due_date = campaign.due_date if campaign else None
    new_cases: list[Case] = []
    holds: list[int] = []  # still found, status kept
    reopen: list[Case] = []
    changed_text: list[Case] = []
    seen: set[tuple] = set()
    unchanged = 0
    for household_id, household_no, township_id in households:
        for finding in by_household_no.get(household_no, ()):
            key = (finding.rule, household_id, finding.member_id)
            if key in seen:
                continue
            seen.add(key)
            case = existing.get(key)
            if case is None:
                new_cases.append(
                    Case(
                        rule=finding.rule,
                        kind=finding.kind,
                        section=finding.section,
                        policy=finding.policy or "",
                        household_id=household_id,
                        member_id=finding.member_id,
                        township_id=township_id,
                        campaign=campaign,
                        due_date=due_date,
                        message=finding.message,
                        last_checked_on=as_of,
                    )
                )
                continue
            if case.message != finding.message or case.kind != finding.kind:
                case.message, case.kind = finding.message, finding.kind
                changed_text.append(case)
            if case.status == Status.VERIFIED:
                reopen.append(case)
            else:
                unchanged += 1
                if not case.finding_holds or case.last_checked_on != as_of:
                    holds.append(case.pk)

    gone = [case for key, case in existing.items() if key not in seen]
    auto = [c for c in gone if c.status in (Status.OPEN, Status.RETURNED)]
    vanished = [
        c.pk
        for c in gone
        if c.status not in (Status.OPEN, Status.RETURNED)
        and (c.finding_holds or c.last_checked_on != as_of)
    ]
    # Active cases opened without a campaign (none was current) take the
    # current one; the current campaign's cases follow its deadline.
    reopened = {c.pk for c in reopen}
    attach = [
        c.pk
        for c in existing.values()
        if campaign is not None
        and c.pk not in reopened
        and c.status in Case.ACTIVE_STATUSES
        and (c.campaign_id is None or c.campaign_id == campaign.pk)
        and c.due_date != campaign.due_date
    ]
    counts = {
        "opened": len(new_cases),
        "reopened": len(reopen),
        "auto_rectified": len(auto),
        "unchanged": unchanged,
    }
    if dry_run:
        return counts

    checked = {"last_checked_on": as_of, "updated_at": now}
    if holds:
        Case.objects.filter(pk__in=holds).update(finding_holds=True, **checked)
    if vanished:
        Case.objects.filter(pk__in=vanished).update(finding_holds=False, **checked)
    if auto:
        Case.objects.filter(pk__in=[c.pk for c in auto]).update(
            status=Status.SUBMITTED,
            resolution=Case.Resolution.AUTO,
            finding_holds=False,
            version=F("version") + 1,
            **checked,
        )
    if reopen:
        Case.objects.filter(pk__in=[c.pk for c in reopen]).update(
            status=Status.OPEN,
            resolution="",
            closed_at=None,
            finding_holds=True,
            campaign=campaign,
            due_date=due_date,
            version=F("version") + 1,
            **checked,
        )
    if attach:
        Case.objects.filter(pk__in=attach).update(campaign=campaign, due_date=due_date)
    Case.objects.bulk_update(changed_text, ["message", "kind"])
    Case.objects.bulk_create(new_cases)

    day = as_of.isoformat()
    events = [
        CaseEvent(
            case=case, kind=CaseEvent.Kind.OPENED, status_after=Status.OPEN, note=""
        )
        for case in new_cases
    ]
    events += [
        CaseEvent(
            case=case,
            kind=CaseEvent.Kind.REOPENED,
            status_after=Status.OPEN,
            note=f"规则核查（基准日 {day}）再次发现该问题，已重新列为待整改",
        )
        for case in reopen
    ]
    events += [
        CaseEvent(
            case=case,
            kind=CaseEvent.Kind.AUTO_RECTIFIED,
            status_after=Status.SUBMITTED,
            note=f"规则核查（基准日 {day}）已不再发现该问题，系统自动提交待核实",
        )
        for case in auto
    ]
    CaseEvent.objects.bulk_create(events)
    return counts


def recheck_households(household_ids: list[int]) -> dict[str, int]:
    """The re-check hook's handler (registered in ``CasesConfig.ready``).

    Runs after the writer's transaction commits: re-evaluates the households
    for today (Asia/Shanghai), which also stores their outcomes and updates
    the current campaign's checks, then synchronises their cases.
    """
    today = timezone.localdate()
    with transaction.atomic():
        result = evaluate(
            as_of=today, households=Household.objects.filter(pk__in=household_ids)
        )
        return ledger_sync(
            household_ids=result.household_ids,
            findings=result.findings,
            as_of=today,
        )
