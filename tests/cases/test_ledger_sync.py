"""ledger_sync: findings into cases, counted as roster-format.md §4 says."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, CaseEvent
from cases.sync import ledger_sync
from checklists.demo import seed_campaign
from tests.factories import make_household, make_member

from .ledger_builders import finding, make_case

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2020, 4, 15)
LATER = datetime.date(2020, 4, 20)


def sync(households, findings, as_of=AS_OF, **kwargs):
    return ledger_sync(
        household_ids=[h.pk for h in households],
        findings=findings,
        as_of=as_of,
        **kwargs,
    )


def test_it_opens_a_case_for_a_new_finding(household, elder):
    campaign = seed_campaign(AS_OF)

    counts = sync([household], [finding(household, member=elder)])

    assert counts == {"opened": 1, "reopened": 0, "auto_rectified": 0, "unchanged": 0}
    case = Case.objects.get()
    assert (case.rule, case.kind, case.section, case.policy) == (
        "ELDERLY_SUBSIDY_MISSING",
        "missing",
        "charity_elderly",
        "elderly",
    )
    assert (case.household, case.member, case.township) == (
        household,
        elder,
        household.township,
    )
    assert (case.campaign, case.due_date) == (campaign, datetime.date(2020, 5, 31))
    assert (case.status, case.finding_holds, case.last_checked_on) == (
        "open",
        True,
        AS_OF,
    )
    assert "困难老年人补贴" in case.message
    [event] = case.events.all()
    assert (event.kind, event.actor, event.status_after) == ("opened", None, "open")


def test_without_a_current_campaign_the_case_has_no_due_date(household, elder):
    sync([household], [finding(household, member=elder)])

    case = Case.objects.get()
    assert case.status == "open"
    assert (case.campaign, case.due_date) == (None, None)


def test_a_later_current_campaign_gives_open_cases_its_deadline(household, elder):
    sync([household], [finding(household, member=elder)])
    campaign = seed_campaign(AS_OF)

    sync([household], [finding(household, member=elder)], as_of=LATER)

    case = Case.objects.get()
    assert (case.campaign, case.due_date) == (campaign, campaign.due_date)


def test_a_second_run_without_changes_reports_only_unchanged(household, elder):
    findings = [
        finding(household, member=elder),
        finding(household, rule="DIBAO_WHOLE_HOUSEHOLD_MISSING", kind="review"),
        finding(household, member=elder, rule="ID_AREA_NOT_LOCAL", kind="data_quality"),
    ]
    first = sync([household], findings)

    second = sync([household], findings)

    assert first == {"opened": 2, "reopened": 0, "auto_rectified": 0, "unchanged": 0}
    assert second == {"opened": 0, "reopened": 0, "auto_rectified": 0, "unchanged": 2}
    assert Case.objects.count() == 2
    assert CaseEvent.objects.count() == 2


def test_data_quality_findings_never_become_cases(household, elder):
    counts = sync(
        [household],
        [finding(household, member=elder, rule="ID_INVALID", kind="data_quality")],
    )

    assert counts == {"opened": 0, "reopened": 0, "auto_rectified": 0, "unchanged": 0}
    assert not Case.objects.exists()


def test_one_case_per_rule_household_and_member(household, elder):
    spouse = make_member(household, name="钱老太", relation="spouse", male=False)

    counts = sync(
        [household],
        [
            finding(household, member=elder),
            finding(household, member=spouse),
            finding(household, member=elder),  # reported twice: one case
        ],
    )

    assert counts["opened"] == 2
    assert set(Case.objects.values_list("member_id", flat=True)) == {
        elder.pk,
        spouse.pk,
    }


@pytest.mark.parametrize("status", ["open", "returned"])
def test_a_finding_that_vanished_is_submitted_by_the_system(household, elder, status):
    case = make_case(household, member=elder, status=status)

    counts = sync([household], [])

    assert counts == {"opened": 0, "reopened": 0, "auto_rectified": 1, "unchanged": 0}
    case.refresh_from_db()
    assert (case.status, case.resolution, case.finding_holds) == (
        "submitted",
        "auto",
        False,
    )
    assert case.version == 2
    event = case.events.latest("pk")
    assert (event.kind, event.actor, event.status_after) == (
        "auto_rectified",
        None,
        "submitted",
    )


def test_a_submitted_case_whose_finding_vanished_only_records_it(household, elder):
    case = make_case(
        household, member=elder, status="submitted", resolution="rectified"
    )

    counts = sync([household], [])

    assert counts == {"opened": 0, "reopened": 0, "auto_rectified": 0, "unchanged": 0}
    case.refresh_from_db()
    assert (case.status, case.resolution) == ("submitted", "rectified")
    assert (case.finding_holds, case.last_checked_on) == (False, AS_OF)
    assert case.events.count() == 1


def test_a_submitted_case_whose_finding_returns_is_unchanged_but_holds(
    household, elder
):
    case = make_case(
        household,
        member=elder,
        status="submitted",
        resolution="auto",
        finding_holds=False,
    )

    counts = sync([household], [finding(household, member=elder)])

    assert counts["unchanged"] == 1
    case.refresh_from_db()
    assert (case.status, case.finding_holds) == ("submitted", True)


def test_a_verified_case_whose_finding_holds_again_is_reopened(household, elder):
    campaign = seed_campaign(AS_OF)
    case = make_case(
        household,
        member=elder,
        status="verified",
        resolution="rectified",
        finding_holds=False,
        due_date=datetime.date(2019, 5, 31),
    )
    Case.objects.filter(pk=case.pk).update(closed_at="2020-04-01T10:00:00+08:00")

    counts = sync([household], [finding(household, member=elder)])

    assert counts == {"opened": 0, "reopened": 1, "auto_rectified": 0, "unchanged": 0}
    case.refresh_from_db()
    assert (case.status, case.resolution, case.closed_at) == ("open", "", None)
    assert (case.finding_holds, case.campaign, case.due_date) == (
        True,
        campaign,
        campaign.due_date,
    )
    event = case.events.latest("pk")
    assert (event.kind, event.actor, event.status_after) == ("reopened", None, "open")


def test_a_verified_case_stays_closed_while_the_finding_stays_away(household, elder):
    case = make_case(household, member=elder, status="verified", finding_holds=False)

    counts = sync([household], [])

    assert counts == {"opened": 0, "reopened": 0, "auto_rectified": 0, "unchanged": 0}
    case.refresh_from_db()
    assert case.status == "verified"


def test_a_dismissed_case_whose_finding_still_holds_is_unchanged(household, elder):
    case = make_case(
        household, member=elder, status="dismissed", resolution="not_applicable"
    )

    counts = sync([household], [finding(household, member=elder)])

    assert counts == {"opened": 0, "reopened": 0, "auto_rectified": 0, "unchanged": 1}
    case.refresh_from_db()
    assert case.status == "dismissed"


def test_it_updates_the_message_and_kind_of_a_holding_case(household, elder):
    case = make_case(household, member=elder)

    sync(
        [household],
        [finding(household, member=elder, kind="review", message="待核实：年龄")],
        as_of=LATER,
    )

    case.refresh_from_db()
    assert (case.kind, case.message, case.last_checked_on) == (
        "review",
        "待核实：年龄",
        LATER,
    )


def test_it_touches_only_the_evaluated_households(household, elder, qiji_household):
    other = make_case(qiji_household)

    counts = sync([household], [finding(qiji_household)])

    assert counts == {"opened": 0, "reopened": 0, "auto_rectified": 0, "unchanged": 0}
    other.refresh_from_db()
    assert (other.status, other.last_checked_on) == ("open", None)


def test_a_dry_run_counts_the_same_and_writes_nothing(household, elder, qiji_household):
    seed_campaign(AS_OF)
    vanished = make_case(household, member=elder)
    verified = make_case(qiji_household, status="verified", finding_holds=False)
    findings = [
        finding(household, rule="TEKUN_MISSING", member=elder),
        finding(qiji_household),
    ]
    before = list(Case.objects.order_by("pk").values())

    counts = sync([household, qiji_household], findings, dry_run=True)

    assert counts == {"opened": 1, "reopened": 1, "auto_rectified": 1, "unchanged": 0}
    assert list(Case.objects.order_by("pk").values()) == before
    assert CaseEvent.objects.count() == 2
    assert sync([household, qiji_household], findings) == counts
    vanished.refresh_from_db()
    verified.refresh_from_db()
    assert (vanished.status, verified.status) == ("submitted", "open")


def _queries_for(count: int) -> int:
    """Queries of a sync over ``count`` households with every kind of change."""
    households, findings = [], []
    for _ in range(count):
        household = make_household("阿城镇")
        head = make_member(household)
        make_case(household, member=head, status="open")  # will vanish
        make_case(
            household, member=head, rule="TEKUN_MISSING", status="verified"
        )  # reopens
        make_case(household, rule="POVERTY_TYPE_MISMATCH", kind="inconsistent")
        households.append(household)
        findings += [
            finding(household, member=head, rule="TEKUN_MISSING"),
            finding(household, rule="POVERTY_TYPE_MISMATCH", message="新的描述"),
            finding(household, member=head, rule="DISABILITY_LIVING_SUBSIDY_MISSING"),
        ]
    with CaptureQueriesContext(connection) as queries:
        counts = sync(households, findings)
    assert counts == {
        "opened": count,
        "reopened": count,
        "auto_rectified": count,
        "unchanged": count,
    }
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_households(db, acheng):
    seed_campaign(AS_OF)

    assert _queries_for(2) == _queries_for(12)
