"""Report test data built directly with the ORM (no rule engine needed)."""

import datetime

from django.utils import timezone

from cases.models import Case, CaseEvent
from checklists.models import HouseholdEvaluation, PolicyOutcome
from subsidies.models import Enrollment


def moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A time on ``day`` in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def evaluate(household, as_of, outcomes=None, findings=()):
    """Store an evaluation of ``household``: ``outcomes`` maps member → {policy: outcome}."""
    findings = list(findings)
    evaluation = HouseholdEvaluation.objects.create(
        household=household,
        as_of=as_of,
        findings=findings,
        data_quality_count=sum(1 for f in findings if f["kind"] == "data_quality"),
    )
    PolicyOutcome.objects.bulk_create(
        PolicyOutcome(
            evaluation=evaluation,
            household=household,
            member=member,
            policy=policy,
            outcome=outcome,
            as_of=as_of,
        )
        for member, by_policy in (outcomes or {}).items()
        for policy, outcome in by_policy.items()
    )
    return evaluation


def data_quality_finding(household, rule, member=None, message="数据有误，请核对"):
    return {
        "rule": rule,
        "kind": "data_quality",
        "household_no": household.household_no,
        "id_number": member.id_number if member else None,
        "section": None,
        "message": message,
        "member_id": member.pk if member else None,
        "policy": None,
    }


def open_case(
    household,
    *,
    opened: datetime.date,
    member=None,
    rule="ELDERLY_SUBSIDY_MISSING",
    section="charity_elderly",
    policy="elderly",
    due_date=datetime.date(2020, 5, 31),
    events=(),
    message="应落实困难老年人补贴",
):
    """A case opened on ``opened``; ``events`` are (kind, status_after, day)."""
    case = Case.objects.create(
        rule=rule,
        kind="missing",
        section=section,
        policy=policy,
        household=household,
        member=member,
        township=household.township,
        due_date=due_date,
        message=message,
    )
    Case.objects.filter(pk=case.pk).update(opened_at=moment(opened, 9))
    status = "open"
    for kind, status_after, day in [("opened", "open", opened), *events]:
        event = CaseEvent.objects.create(
            case=case, kind=kind, status_after=status_after
        )
        hour = 9 if kind == "opened" else 15
        CaseEvent.objects.filter(pk=event.pk).update(created_at=moment(day, hour))
        status = status_after
    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    return case


def enroll_tekun(member, *, care_mode="dispersed", start=datetime.date(2019, 1, 1)):
    return Enrollment.objects.create(
        member=member,
        benefit_id="tekun",
        care_mode=care_mode,
        status="active",
        start=start,
    )
