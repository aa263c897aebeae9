"""Township staff record the missing benefit; the chief verifies the case."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.models import Case
from cases.sync import recheck_households
from checklists.demo import seed_campaign
from subsidies.models import Enrollment
from tests.factories import make_household, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_rectify_and_the_chief_verifies(
    page, login, live_server, personas, acheng
):
    seed_campaign(timezone.localdate())
    household = make_household(
        acheng, poverty_type="dibao", income_per_capita=Decimal("6000")
    )
    elder = make_member(household, name="赵老汉", birth=datetime.date(1950, 1, 1))
    Enrollment.objects.create(member=elder, benefit_id="dibao", scope="household")
    recheck_households([household.pk])
    case = Case.objects.get(rule="ELDERLY_SUBSIDY_MISSING", member=elder)

    login("staff_acheng")
    with page.expect_navigation():
        page.click("nav >> text=问题台账")
    with page.expect_navigation():
        page.click("table >> text=未落实困难老年人补贴")
    assert f"#{case.pk}" in page.inner_text("h1")
    with page.expect_navigation():
        page.click("text=为赵老汉登记救助/补贴")
    page.select_option("select[name=benefit]", label="困难老年人补贴")
    page.fill("input[name=start]", timezone.localdate().isoformat())
    page.fill("input[name=amount]", "100")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "已为 赵老汉 登记" in page.content()

    # The save re-ran the rules on commit: the system submitted the case.
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert "已提交（待核实）" in page.inner_text("h1")
    assert "系统复核：问题已消除" in page.content()
    with page.expect_navigation():
        page.click("form[action='/logout/'] button")

    login("chief_elderly")
    with page.expect_navigation():
        page.click("nav >> text=问题台账")
    with page.expect_navigation():
        page.click(f"table >> text=#{case.pk}")
    page.fill("textarea[name=note]", "已核对补贴发放名册")
    with page.expect_navigation():
        page.click("button:has-text('核实销号')")
    assert "已核实销号。" in page.content()
    assert "已核实（销号）" in page.inner_text("h1")

    case.refresh_from_db()
    assert (case.status, case.resolution) == ("verified", "auto")
    assert list(case.events.values_list("kind", flat=True)) == [
        "opened",
        "auto_rectified",
        "verified",
    ]
