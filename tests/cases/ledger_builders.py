"""Ledger test data: cases in a given status, and rule findings, via the ORM."""

import datetime

from cases.models import Case, CaseEvent
from subsidies.rules import Finding

SECTION_OF = {
    "ELDERLY_SUBSIDY_MISSING": ("charity_elderly", "elderly"),
    "DISABILITY_LIVING_SUBSIDY_MISSING": ("social_affairs", "disability_living"),
    "TEKUN_MISSING": ("social_assistance", "tekun"),
    "DIBAO_WHOLE_HOUSEHOLD_MISSING": ("social_assistance", "dibao"),
    "POVERTY_TYPE_MISMATCH": ("social_assistance", "dibao"),
}


def make_case(
    household,
    *,
    member=None,
    rule="ELDERLY_SUBSIDY_MISSING",
    status="open",
    resolution="",
    finding_holds=True,
    due_date=datetime.date(2020, 5, 31),
    campaign=None,
    kind="missing",
    message="年满60周岁的低保对象未享受困难老年人补贴。应落实困难老年人补贴。",
):
    """A case in ``status`` with its "opened" event (and no other history)."""
    section, policy = SECTION_OF[rule]
    case = Case.objects.create(
        rule=rule,
        kind=kind,
        section=section,
        policy=policy,
        household=household,
        member=member,
        township=household.township,
        campaign=campaign,
        due_date=due_date,
        status=status,
        resolution=resolution,
        finding_holds=finding_holds,
        message=message,
    )
    CaseEvent.objects.create(case=case, kind="opened", status_after="open")
    return case


def finding(
    household,
    *,
    member=None,
    rule="ELDERLY_SUBSIDY_MISSING",
    kind="missing",
    message="年满60周岁的低保对象未享受困难老年人补贴。应落实困难老年人补贴。",
):
    """A rule finding as the rules module reports it."""
    section, policy = SECTION_OF.get(rule, (None, None))
    if kind == "data_quality":
        section = policy = None
    return Finding(
        rule=rule,
        kind=kind,
        level="member" if member else "household",
        household_no=household.household_no,
        member_id=member.pk if member else None,
        id_number=member.id_number if member else None,
        section=section,
        policy=policy,
        message=message,
    )
