"""The report queries: numbers per township and in total, as of a date."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from cases.reports import build_progress_report, data_quality_entries, ledger_entries
from checklists.models import Campaign, HouseholdCheck, PolicyOutcome
from households.models import Household, Member
from subsidies.models import PolicyParameter
from tests.factories import make_household, make_member

from .report_builders import (
    data_quality_finding,
    enroll_tekun,
    evaluate,
    moment,
    open_case,
)

APR_1 = datetime.date(2020, 4, 1)
MAY_1 = datetime.date(2020, 5, 1)
MAY_31 = datetime.date(2020, 5, 31)
JUN_20 = datetime.date(2020, 6, 20)

pytestmark = pytest.mark.django_db


def row_for(report, name):
    return next(row for row in report.rows if row.name == name)


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(
        name="2020年兜底保障自查整改",
        inspection_start=datetime.date(2020, 3, 1),
        inspection_end=MAY_31,
        due_date=MAY_31,
        report_due=datetime.date(2020, 6, 30),
        is_current=True,
    )


def test_it_lists_every_township_in_order_then_the_county_total():
    report = build_progress_report(as_of=MAY_31)

    assert len(report.rows) == 18
    assert report.rows[0].name == "博济桥街道"
    assert report.rows[-1].name == "大布乡"
    assert report.total.name == "全县合计"
    assert not report.has_evaluations


def test_it_counts_registered_households_and_living_current_persons(acheng, qiji):
    household = make_household(acheng)
    make_member(household, name="甲")
    make_member(household, name="乙", relation="spouse", deceased=True)
    make_member(household, name="丙", relation="son", removed=True)
    make_member(make_household(qiji), name="丁")
    make_household(qiji, removed=True)

    report = build_progress_report(as_of=MAY_31)

    assert (
        row_for(report, "阿城镇").households,
        row_for(report, "阿城镇").persons,
    ) == (1, 1)
    assert (
        row_for(report, "七级镇").households,
        row_for(report, "七级镇").persons,
    ) == (1, 1)
    assert (report.total.households, report.total.persons) == (2, 2)


def test_it_counts_households_inspected_by_the_end_of_the_date(acheng, campaign):
    early, late, never = (make_household(acheng) for _ in range(3))
    HouseholdCheck.objects.create(
        campaign=campaign, household=early, inspected_at=moment(APR_1)
    )
    HouseholdCheck.objects.create(
        campaign=campaign, household=late, inspected_at=moment(JUN_20)
    )
    HouseholdCheck.objects.create(campaign=campaign, household=never)

    on_may_31 = row_for(build_progress_report(as_of=MAY_31), "阿城镇")
    on_jun_20 = row_for(build_progress_report(as_of=JUN_20), "阿城镇")

    assert (on_may_31.inspected, on_may_31.households) == (1, 3)
    assert on_may_31.inspection_rate == pytest.approx(1 / 3)
    assert on_jun_20.inspected == 2


def test_it_reads_each_households_latest_outcomes_on_or_before_the_date(acheng):
    household = make_household(acheng)
    old, young = make_member(household, name="老人"), make_member(household, name="孙")
    evaluate(
        household,
        APR_1,
        {
            old: {"elderly": "missing", "dibao": "covered"},
            young: {"elderly": "not_eligible", "dibao": "partial"},
        },
    )
    evaluate(
        household,
        MAY_1,
        {
            old: {"elderly": "covered", "dibao": "covered"},
            young: {"elderly": "not_eligible", "dibao": "covered"},
        },
    )

    before = build_progress_report(as_of=datetime.date(2020, 3, 31))
    april = build_progress_report(as_of=datetime.date(2020, 4, 30))
    may = build_progress_report(as_of=MAY_31)

    assert not before.has_evaluations
    assert before.total.policies["elderly"].eligible == 0
    elderly, dibao = april.total.policies["elderly"], april.total.policies["dibao"]
    assert (elderly.eligible, elderly.covered, elderly.missing) == (1, 0, 1)
    assert (dibao.eligible, dibao.covered, dibao.partial) == (2, 1, 1)
    assert april.total.missing_total == 1
    assert april.total.evaluated == 1
    elderly, dibao = may.total.policies["elderly"], may.total.policies["dibao"]
    assert (elderly.eligible, elderly.covered, elderly.missing) == (1, 1, 0)
    assert (dibao.eligible, dibao.covered, dibao.partial) == (2, 2, 0)
    assert may.total.policies["elderly"].coverage_rate == 1


def test_it_derives_case_status_from_the_events_up_to_the_date(acheng):
    household = make_household(acheng)
    member = make_member(household)
    open_case(
        household,
        member=member,
        opened=APR_1,
        events=[
            ("submitted", "submitted", datetime.date(2020, 4, 20)),
            ("verified", "verified", datetime.date(2020, 5, 10)),
        ],
    )
    open_case(
        household,
        rule="POVERTY_TYPE_MISMATCH",
        section="social_assistance",
        policy="dibao",
        opened=datetime.date(2020, 5, 20),
    )

    def ledger(day):
        return build_progress_report(as_of=day).total.ledger

    assert ledger(datetime.date(2020, 3, 31)).opened == 0
    april_10 = ledger(datetime.date(2020, 4, 10))
    assert (april_10.opened, april_10.open, april_10.submitted) == (1, 1, 0)
    april_25 = ledger(datetime.date(2020, 4, 25))
    assert (april_25.opened, april_25.open, april_25.submitted) == (1, 0, 1)
    may_15 = ledger(datetime.date(2020, 5, 15))
    assert (may_15.opened, may_15.verified, may_15.rate) == (1, 1, 1.0)
    june = ledger(JUN_20)
    assert (june.opened, june.open, june.verified, june.overdue) == (2, 1, 1, 1)
    assert june.rate == 0.5
    assert Case.objects.get(rule="ELDERLY_SUBSIDY_MISSING").status == "verified"


def test_it_counts_returned_and_dismissed_cases_and_overdue_active_ones(acheng):
    household = make_household(acheng)
    returned = [("submitted", "submitted", APR_1), ("returned", "returned", MAY_1)]
    dismissed = [("submitted", "submitted", APR_1), ("dismissed", "dismissed", MAY_1)]
    open_case(household, opened=APR_1, events=returned)
    open_case(household, rule="TEKUN_MISSING", opened=APR_1, events=dismissed)
    open_case(
        household,
        rule="TEKUN_INSTEAD_OF_DIBAO",
        opened=APR_1,
        events=[("submitted", "submitted", MAY_1)],
    )

    ledger = build_progress_report(as_of=JUN_20).total.ledger

    assert (ledger.returned, ledger.dismissed, ledger.submitted) == (1, 1, 1)
    assert ledger.overdue == 2  # returned and submitted, past 05-31
    assert ledger.rate == pytest.approx(1 / 3)


def test_it_reports_ledger_progress_per_section(acheng, qiji):
    open_case(make_household(acheng), opened=APR_1)
    open_case(
        make_household(qiji),
        rule="DIBAO_WHOLE_HOUSEHOLD_MISSING",
        section="social_assistance",
        policy="dibao",
        opened=APR_1,
        events=[("submitted", "submitted", MAY_1), ("verified", "verified", MAY_1)],
    )

    report = build_progress_report(as_of=MAY_31)

    by_section = {row.section: row.ledger for row in report.sections}
    assert list(by_section) == [
        "social_assistance",
        "social_affairs",
        "charity_elderly",
    ]
    assert (
        by_section["social_assistance"].opened,
        by_section["social_assistance"].verified,
    ) == (1, 1)
    assert by_section["social_affairs"].opened == 0
    assert by_section["charity_elderly"].open == 1
    assert report.section_total.ledger.opened == report.total.ledger.opened == 2


def test_it_computes_the_centralized_care_rate_against_the_target(acheng):
    household = make_household(acheng)
    cases = [
        ("partial", "yes", "dispersed"),  # eligible, not centralized
        ("none", "yes", "centralized"),  # eligible, centralized
        ("none", "unknown", "centralized"),  # in care counts as willing
        ("full", "yes", "centralized"),  # can self-care: not in the rate
        ("partial", "no", "dispersed"),  # unwilling: not in the rate
    ]
    for self_care, willing, mode in cases:
        member = make_member(
            household, self_care=self_care, willing_centralized=willing
        )
        enroll_tekun(member, care_mode=mode)
    later = make_member(household, self_care="none", willing_centralized="yes")
    enroll_tekun(later, start=datetime.date(2020, 6, 1))

    report = build_progress_report(as_of=MAY_31)
    care = report.total.care

    assert (care.tekun, care.cannot_self_care, care.eligible, care.centralized) == (
        5,
        4,
        3,
        2,
    )
    assert care.rate == pytest.approx(2 / 3)
    assert report.centralized_target == 50
    assert report.meets_target(care) is True

    PolicyParameter.objects.create(
        name="cannot_self_care_levels", value="none", effective_from=MAY_1
    )
    PolicyParameter.objects.create(
        name="centralized_target", value="80", effective_from=MAY_1
    )
    report = build_progress_report(as_of=MAY_31)
    assert (report.total.care.eligible, report.total.care.centralized) == (2, 2)
    assert report.centralized_target == 80
    assert build_progress_report(as_of=APR_1).centralized_target == 50


def test_it_counts_data_quality_findings_per_rule_from_the_latest_evaluation(acheng):
    household = make_household(acheng)
    member = make_member(household)
    evaluate(
        household,
        APR_1,
        findings=[
            data_quality_finding(household, "ID_INVALID", member),
            data_quality_finding(household, "HOUSEHOLD_HEAD_INVALID"),
        ],
    )
    evaluate(
        household,
        MAY_1,
        findings=[
            data_quality_finding(household, "DISABILITY_INCOMPLETE", member),
            {
                "rule": "ELDERLY_SUBSIDY_MISSING",
                "kind": "missing",
                "household_no": household.household_no,
                "id_number": member.id_number,
                "section": "charity_elderly",
                "message": "应落实",
            },
        ],
    )

    april = build_progress_report(as_of=datetime.date(2020, 4, 30))
    may = build_progress_report(as_of=MAY_31)

    assert april.total.data_quality == {"ID_INVALID": 1, "HOUSEHOLD_HEAD_INVALID": 1}
    assert may.total.data_quality == {"DISABILITY_INCOMPLETE": 1}
    assert row_for(may, "阿城镇").data_quality_total == 1
    entries = list(data_quality_entries(may))
    assert [(e.rule, e.name, e.household_no) for e in entries] == [
        ("DISABILITY_INCOMPLETE", member.name, household.household_no)
    ]
    assert may.data_quality_rules[:2] == ["ID_INVALID", "ID_DUPLICATE"]


def test_it_lists_cases_with_their_status_at_the_date(acheng):
    household = make_household(acheng)
    make_member(household, name="户主甲")
    member = make_member(household, name="老人乙", relation="father")
    open_case(
        household,
        member=member,
        opened=APR_1,
        events=[
            ("submitted", "submitted", datetime.date(2020, 4, 20)),
            ("verified", "verified", datetime.date(2020, 5, 10)),
        ],
    )
    open_case(household, rule="POVERTY_TYPE_MISMATCH", member=None, opened=APR_1)
    open_case(household, rule="TEKUN_MISSING", opened=JUN_20)

    april = list(
        ledger_entries(build_progress_report(as_of=datetime.date(2020, 4, 25)))
    )
    may = list(ledger_entries(build_progress_report(as_of=MAY_31)))

    assert [(e["rule"], e["status_on"]) for e in april] == [
        ("ELDERLY_SUBSIDY_MISSING", "submitted"),
        ("POVERTY_TYPE_MISMATCH", "open"),
    ]
    assert april[0]["closed_on"] is None
    assert may[0]["status_on"] == "verified"
    assert may[0]["closed_on"] == moment(datetime.date(2020, 5, 10), 15)
    assert may[0]["member__name"] == "老人乙"
    assert may[1]["member__name"] is None
    assert may[1]["head_name"] == "户主甲"


def _populate(acheng, qiji, campaign, households_per_township: int):
    """A mixed data set in two townships (plus one untouched)."""
    policies = ["dibao", "tekun", "elderly"]
    outcomes = ["covered", "missing", "partial", "not_eligible"]
    for township in (acheng, qiji):
        for i in range(households_per_township):
            household = make_household(township)
            members = [
                make_member(
                    household, name=f"成员{j}", relation="head" if j == 0 else "son"
                )
                for j in range(2)
            ]
            evaluate(
                household,
                APR_1,
                {
                    m: {p: outcomes[(i + j + k) % 4] for k, p in enumerate(policies)}
                    for j, m in enumerate(members)
                },
                findings=[
                    data_quality_finding(household, "ID_AREA_NOT_LOCAL", members[0])
                ]
                if i % 3 == 0
                else [],
            )
            if i % 2:
                evaluate(household, MAY_1, {m: {"dibao": "covered"} for m in members})
            HouseholdCheck.objects.create(
                campaign=campaign,
                household=household,
                inspected_at=moment(APR_1) if i % 4 else None,
            )
            events = [("submitted", "submitted", MAY_1)] if i % 2 else []
            open_case(household, member=members[1], opened=APR_1, events=events)
            enroll_tekun(
                members[0],
                care_mode="centralized" if i % 2 else "dispersed",
            )
            Member.objects.filter(pk=members[0].pk).update(
                self_care="none", willing_centralized="yes"
            )


def test_totals_equal_the_sum_of_township_rows_and_match_the_database(
    acheng, qiji, campaign
):
    _populate(acheng, qiji, campaign, 5)

    report = build_progress_report(as_of=MAY_31)
    total, rows = report.total, report.rows

    for attribute in ("households", "persons", "inspected", "evaluated"):
        assert getattr(total, attribute) == sum(getattr(r, attribute) for r in rows)
    for policy, counts in total.policies.items():
        for name in ("eligible", "covered", "missing", "partial"):
            assert getattr(counts, name) == sum(
                getattr(r.policies[policy], name) for r in rows
            )
    for name in ("opened", "open", "submitted", "verified", "overdue"):
        assert getattr(total.ledger, name) == sum(getattr(r.ledger, name) for r in rows)
    assert total.care.eligible == sum(r.care.eligible for r in rows)
    assert total.data_quality_total == sum(r.data_quality_total for r in rows)

    # Counted independently, straight from the tables.
    assert total.households == Household.objects.filter(removed=False).count() == 10
    assert total.persons == Member.objects.count() == 20
    assert total.inspected == HouseholdCheck.objects.exclude(inspected_at=None).count()
    latest = PolicyOutcome.objects.filter(
        as_of=MAY_1, household__evaluations__as_of=MAY_1
    ) | PolicyOutcome.objects.filter(as_of=APR_1).exclude(
        household__evaluations__as_of=MAY_1
    )
    for policy in ("dibao", "tekun", "elderly"):
        for outcome in ("covered", "missing", "partial"):
            expected = latest.filter(policy=policy, outcome=outcome).distinct().count()
            assert getattr(total.policies[policy], outcome) == expected, (
                policy,
                outcome,
            )
    assert total.ledger.opened == Case.objects.count() == 10
    assert total.ledger.submitted == Case.objects.filter(status="submitted").count()
    assert total.ledger.overdue == 0  # as of 05-31 nothing is past due yet
    assert total.care.centralized == 4
    # Households 0 and 3 had the finding on 04-01; 3 was re-evaluated clean.
    assert total.data_quality == {"ID_AREA_NOT_LOCAL": 2}
    assert row_for(report, "阿城镇").households == 5


def test_a_township_scope_has_one_row_and_a_plain_total(acheng, qiji, campaign):
    _populate(acheng, qiji, campaign, 2)

    report = build_progress_report(as_of=MAY_31, township=acheng)

    assert [row.name for row in report.rows] == ["阿城镇"]
    assert report.total.name == "合计"
    assert report.total.households == 2
    assert report.total.ledger.opened == 2
    assert report.scope_label == "阿城镇"


def test_a_township_staff_member_never_gets_another_townships_rows(
    acheng, qiji, campaign, staff_acheng
):
    _populate(acheng, qiji, campaign, 2)

    report = build_progress_report(as_of=MAY_31, user=staff_acheng)
    other = build_progress_report(as_of=MAY_31, township=qiji, user=staff_acheng)

    assert [row.name for row in report.rows] == ["阿城镇"]
    assert (report.total.name, report.scope_label) == ("合计", "阿城镇")
    assert report.total.households == 2
    assert other.rows == []
    assert other.total.households == 0


def _queries_for(as_of):
    with CaptureQueriesContext(connection) as context:
        report = build_progress_report(as_of=as_of)
        list(ledger_entries(report))
        list(data_quality_entries(report))
    return len(context.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_households(
    acheng, qiji, campaign, django_assert_num_queries
):
    _populate(acheng, qiji, campaign, 1)
    small = _queries_for(MAY_31)
    _populate(acheng, qiji, campaign, 10)

    with django_assert_num_queries(small):
        report = build_progress_report(as_of=MAY_31)
        assert len(list(ledger_entries(report))) == 22
        assert len(list(data_quality_entries(report))) == 6
    assert small <= 14
