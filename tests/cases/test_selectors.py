"""The dashboard's selectors: counts, the opened/closed series, the window."""

import datetime

import pytest
from django.utils import timezone

from cases.models import Case, CaseEvent
from cases.selectors import (
    case_summary,
    cases_by_section,
    chart_window,
    opened_closed_series,
)
from checklists.demo import seed_campaign
from tests.factories import make_member

from .ledger_builders import make_case

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 4, 10)


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 30)))


def event(case, kind, day):
    created = CaseEvent.objects.create(case=case, kind=kind, status_after="open")
    CaseEvent.objects.filter(pk=created.pk).update(created_at=at(day))


def test_the_series_accumulates_opened_and_closed_per_local_day(household):
    early = make_case(household)
    CaseEvent.objects.filter(case=early).update(
        created_at=at(DAY - datetime.timedelta(days=30))
    )
    later = make_case(household, member=make_member(household))
    CaseEvent.objects.filter(case=later).update(created_at=at(DAY))
    event(early, "verified", DAY + datetime.timedelta(days=1))
    event(early, "reopened", DAY + datetime.timedelta(days=2))

    series = opened_closed_series(
        Case.objects.all(), start=DAY, end=DAY + datetime.timedelta(days=3)
    )

    # 23:30 in Asia/Shanghai is still that day: no slip to the next one.
    assert series == [
        (DAY, 2, 0),
        (DAY + datetime.timedelta(days=1), 2, 1),
        (DAY + datetime.timedelta(days=2), 3, 1),
        (DAY + datetime.timedelta(days=3), 3, 1),
    ]


def test_the_summary_of_an_empty_ledger_has_no_rate():
    summary = case_summary(Case.objects.all(), today=DAY)

    assert summary["opened"] == 0
    assert summary["rate"] is None


def test_due_soon_counts_seven_days_ahead(household):
    make_case(household, due_date=DAY + datetime.timedelta(days=7))
    make_case(
        household, rule="TEKUN_MISSING", due_date=DAY + datetime.timedelta(days=8)
    )
    make_case(household, rule="POVERTY_TYPE_MISMATCH", due_date=DAY, status="verified")

    summary = case_summary(Case.objects.all(), today=DAY)

    assert (summary["due_soon"], summary["overdue"]) == (1, 0)


def test_sections_follow_the_glossary_order(household):
    make_case(household, rule="ELDERLY_SUBSIDY_MISSING")
    make_case(household, rule="TEKUN_MISSING", status="verified")

    rows = cases_by_section(Case.objects.all())

    assert [row["section"] for row in rows] == ["social_assistance", "charity_elderly"]
    assert rows[0]["counts"] == [0, 0, 1, 0, 0]


def test_the_chart_starts_with_a_campaign_that_has_begun():
    campaign = seed_campaign(DAY)

    assert chart_window(campaign, today=DAY) == (datetime.date(2020, 3, 1), DAY)
    assert chart_window(campaign, today=datetime.date(2020, 2, 1)) == (
        datetime.date(2019, 11, 3),
        datetime.date(2020, 2, 1),
    )
    assert chart_window(None, today=DAY)[0] == DAY - datetime.timedelta(days=90)
