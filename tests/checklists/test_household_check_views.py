"""A household's check page, the confirmation and the printable sheet."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists.models import HouseholdCheck, HouseholdEvaluation, PolicyOutcome
from subsidies.models import Enrollment
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def url(name, household):
    return reverse(f"checklists:{name}", args=[household.pk])


@pytest.fixture
def evaluated(campaign, household):
    """The rules found the elder on dibao without the elderly subsidy."""
    elder = household.members.get()
    Enrollment.objects.create(
        member=elder, benefit_id="dibao", scope="household", amount=300
    )
    evaluation = HouseholdEvaluation.objects.create(
        household=household, as_of=datetime.date(2020, 4, 15)
    )
    for policy, outcome in [("dibao", "covered"), ("elderly", "missing")]:
        PolicyOutcome.objects.create(
            evaluation=evaluation,
            household=household,
            member=elder,
            policy=policy,
            outcome=outcome,
            as_of=datetime.date(2020, 4, 15),
        )
    HouseholdCheck.objects.create(
        campaign=campaign,
        household=household,
        outcomes={"dibao": "covered", "elderly": "missing"},
        evaluated_on=datetime.date(2020, 4, 15),
    )
    return elder


def test_it_shows_each_policys_outcome(client_for, staff_acheng, household, evaluated):
    response = client_for(staff_acheng).get(url("household", household))

    assert response.status_code == 200
    page = response.content.decode()
    assert "应享未享" in page and "已享受" in page
    assert "2020-04-15" in page
    assert url("confirm", household) in page
    assert url("sheet", household) in page


def test_staff_confirm_the_inspection(client_for, staff_acheng, household, campaign):
    client = client_for(staff_acheng)

    response = client.post(url("confirm", household), {"note": "已入户核实"})

    assert response.status_code == 302
    check = HouseholdCheck.objects.get(campaign=campaign, household=household)
    assert (check.inspected_by, check.note) == (staff_acheng, "已入户核实")
    page = client.get(response["Location"]).content.decode()
    assert "已确认" in page and "重新确认排查" in page


def test_without_a_campaign_nothing_can_be_confirmed(
    client_for, staff_acheng, household
):
    client = client_for(staff_acheng)
    page = client.get(url("household", household)).content.decode()

    response = client.post(url("confirm", household), {"note": ""}, follow=True)

    assert url("confirm", household) not in page
    assert "暂不能确认排查" in response.content.decode()
    assert not HouseholdCheck.objects.exists()


def test_a_chief_reads_but_does_not_confirm(
    client_for, chief_assistance, household, campaign
):
    client = client_for(chief_assistance)

    page = client.get(url("household", household)).content.decode()

    assert url("confirm", household) not in page
    assert client.post(url("confirm", household)).status_code == 403


def test_the_sheet_has_members_benefits_outcomes_and_signature_lines(
    client_for, staff_acheng, household, evaluated
):
    response = client_for(staff_acheng).get(url("sheet", household))

    assert response.status_code == 200
    page = response.content.decode()
    assert "入户排查表" in page
    assert "赵老汉" in page and evaluated.masked_id in page
    assert evaluated.id_number not in page
    assert "最低生活保障（低保）" in page and "整户保" in page
    assert "应享未享" in page
    assert "排查发现的问题" in page and "排查人（签字）" in page
    assert 'id="print-sheet"' in page


def test_a_household_without_outcomes_reads_not_yet_checked(
    client_for, staff_acheng, household, campaign
):
    page = client_for(staff_acheng).get(url("sheet", household)).content.decode()

    assert "未核查" in page
    assert "未登记享受任何救助或补贴" in page


@pytest.mark.parametrize("name", ["household", "sheet", "confirm"])
def test_outsiders_get_404(client_for, staff_qiji, household, campaign, name):
    client = client_for(staff_qiji)
    response = (
        client.post(url(name, household))
        if name == "confirm"
        else client.get(url(name, household))
    )

    assert response.status_code == 404


def test_wrong_methods_are_405(client_for, staff_acheng, household, campaign):
    client = client_for(staff_acheng)

    assert client.post(url("household", household)).status_code == 405
    assert client.post(url("sheet", household)).status_code == 405
    assert client.get(url("confirm", household)).status_code == 405


def _sheet_queries(client, household, extra_members):
    for i in range(extra_members):
        member = make_member(household, name=f"成员{i}", relation="son")
        Enrollment.objects.create(member=member, benefit_id="dibao", scope="household")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("sheet", household)).status_code == 200
    return len(queries)


def test_the_sheet_needs_the_same_queries_for_a_bigger_family(
    client_for, staff_acheng, household, evaluated
):
    client = client_for(staff_acheng)

    assert _sheet_queries(client, household, 1) == _sheet_queries(client, household, 6)


def test_a_cell_the_run_did_not_store_reads_not_eligible_and_a_later_member_unchecked(
    client_for, staff_acheng, household, evaluated
):
    """The matrix stores only what says something; an absent cell of an
    evaluated member is 不符合条件, a member registered since is 未核查."""
    newcomer = make_member(household, name="赵新生", relation="grandson")
    client = client_for(staff_acheng)

    rows = {
        row["member"].pk: [o["label"] for o in row["outcomes"]]
        for row in client.get(url("household", household)).context["member_rows"]
    }

    assert rows[evaluated.pk][0] == "已享受"  # dibao, stored
    assert "应享未享" in rows[evaluated.pk]  # elderly, stored
    assert rows[evaluated.pk].count("不符合条件") == 4  # not stored
    assert set(rows[newcomer.pk]) == {"未核查"}
