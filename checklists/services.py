"""Writes on campaigns and household checks (排查): one place for every face."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from households.models import Household

from .models import Campaign, HouseholdCheck, Outcome, Policy


def check_campaign_dates(
    *,
    inspection_start: datetime.date,
    inspection_end: datetime.date,
    due_date: datetime.date,
    report_due: datetime.date,
) -> None:
    errors = {}
    if inspection_end < inspection_start:
        errors["inspection_end"] = "排查结束日期不能早于排查开始日期"
    if due_date < inspection_start:
        errors["due_date"] = "整改期限不能早于排查开始日期"
    if report_due < due_date:
        errors["report_due"] = "报告截止日期不能早于整改期限"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def campaign_save(
    *,
    campaign: Campaign | None = None,
    name: str,
    inspection_start: datetime.date,
    inspection_end: datetime.date,
    due_date: datetime.date,
    report_due: datetime.date,
    is_current: bool,
) -> Campaign:
    """Create or update a campaign; making it current un-marks the other.

    The database allows one current campaign (``one_current_campaign``), so
    the previous one is un-marked first, in the same transaction.
    """
    check_campaign_dates(
        inspection_start=inspection_start,
        inspection_end=inspection_end,
        due_date=due_date,
        report_due=report_due,
    )
    campaign = campaign or Campaign()
    if is_current:
        others = Campaign.objects.select_for_update().filter(is_current=True)
        if campaign.pk:
            others = others.exclude(pk=campaign.pk)
        others.update(is_current=False)
    campaign.name = name.strip()
    campaign.inspection_start = inspection_start
    campaign.inspection_end = inspection_end
    campaign.due_date = due_date
    campaign.report_due = report_due
    campaign.is_current = is_current
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_set_current(*, campaign: Campaign) -> Campaign:
    """Make ``campaign`` the current one."""
    Campaign.objects.select_for_update().filter(is_current=True).exclude(
        pk=campaign.pk
    ).update(is_current=False)
    campaign.is_current = True
    campaign.save(update_fields=["is_current"])
    return campaign


@transaction.atomic
def household_check_confirm(
    *,
    household: Household,
    campaign: Campaign,
    user,
    note: str = "",
) -> HouseholdCheck:
    """Record that ``user`` inspected ``household`` in ``campaign`` (排查确认).

    Township staff confirm their own township's households; the admin any.
    Confirming again updates who and when: the last visit counts.
    """
    if not user.can_edit_township(household.township_id):
        raise PermissionDenied("只有本乡镇（街道）经办人员可以确认排查")
    check, _ = HouseholdCheck.objects.select_for_update().get_or_create(
        campaign=campaign, household=household
    )
    check.inspected_by = user
    check.inspected_at = timezone.now()
    check.note = note.strip()
    check.full_clean()
    check.save(update_fields=["inspected_by", "inspected_at", "note"])
    return check


@transaction.atomic
def checks_record_outcomes(
    *,
    campaign: Campaign,
    outcomes: Mapping[int, Mapping[str, str]],
    as_of: datetime.date,
) -> int:
    """Store each household's policy outcomes on its check in ``campaign``.

    ``outcomes`` maps household id → {policy: outcome}; a household with no
    stored outcome gets every policy as 不符合条件.  Constant queries: one
    read, one bulk update, one bulk insert.  Returns the number written.
    """
    if not outcomes:
        return 0
    existing = {
        check.household_id: check
        for check in HouseholdCheck.objects.select_for_update().filter(
            campaign=campaign, household_id__in=list(outcomes)
        )
    }
    to_update, to_create = [], []
    for household_id, by_policy in outcomes.items():
        full = {p: by_policy.get(p, Outcome.NOT_ELIGIBLE.value) for p in Policy.values}
        check = existing.get(household_id)
        if check is None:
            to_create.append(
                HouseholdCheck(
                    campaign=campaign,
                    household_id=household_id,
                    outcomes=full,
                    evaluated_on=as_of,
                )
            )
        elif check.outcomes != full or check.evaluated_on != as_of:
            check.outcomes = full
            check.evaluated_on = as_of
            to_update.append(check)
    HouseholdCheck.objects.bulk_update(to_update, ["outcomes", "evaluated_on"])
    HouseholdCheck.objects.bulk_create(to_create)
    return len(to_update) + len(to_create)
