"""Benefit pages in real Chromium: the panel's menu and the parameters page."""

import datetime

import pytest

from subsidies.models import Enrollment, PolicyParameter
from tests.factories import make_household, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_ends_a_benefit_from_the_household_panel(
    page,
    login,
    live_server,
    personas,
    acheng,
):
    household = make_household(acheng, household_no="AC-B-0001")
    member = make_member(household, name="王大山", birth=datetime.date(1950, 3, 1))
    elderly = Enrollment.objects.create(
        member=member,
        benefit_id="elderly",
        status="active",
        start=datetime.date(2019, 1, 1),
        amount=100,
    )
    login("staff_acheng")
    page.goto(f"{live_server.url}{household.get_absolute_url()}")
    panel = page.locator("#benefits")
    assert "老年人补贴" in panel.inner_text()
    panel.locator("button.dropdown-toggle").click()
    panel.locator("text=停保").click()
    page.select_option("select[name=end_reason]", value="death")
    page.fill("input[name=end]", "2020-03-31")
    page.click("button:has-text('确认停保')")
    assert "办理停保" in page.locator(".alert-success").inner_text()
    assert "停保" in page.locator("#benefits").inner_text()
    elderly.refresh_from_db()
    assert (elderly.status, elderly.end) == ("ended", datetime.date(2020, 3, 31))


def test_it_adds_a_care_mode_value_on_the_parameters_page(
    page,
    login,
    live_server,
    personas,
):
    login("admin")
    page.click("text=系统设置")
    page.click("text=政策参数")
    page.click("button[data-bs-target='#form-tekun_may_get_nursing']")
    page.select_option("#id_tekun_may_get_nursing-mode", "dispersed")
    page.select_option("#id_tekun_may_get_nursing-value", "yes")
    page.fill("#id_tekun_may_get_nursing-effective_from", "2020-07-01")
    page.click("#form-tekun_may_get_nursing button[type=submit]")
    row = page.locator("#param-tekun_may_get_nursing")
    assert "分散供养：可以" in row.inner_text()
    assert PolicyParameter.objects.get().value == {
        "centralized": "no",
        "dispersed": "yes",
    }
