"""The coverage panel's as-of control swaps the panel without reloading."""

import datetime

import pytest

from subsidies.models import Enrollment
from tests.factories import make_household, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_another_dates_coverage_in_place(
    page, login, live_server, acheng, personas
):
    household = make_household(acheng, poverty_type="dibao")
    elder = make_member(household, name="赵老汉", birth=datetime.date(1950, 1, 1))
    Enrollment.objects.create(
        member=elder,
        benefit_id="dibao",
        scope="individual",
        start=datetime.date(2020, 3, 1),
    )
    login("staff_acheng")
    page.goto(f"{live_server.url}/households/{household.pk}/")
    assert "兜底政策落实情况" in page.inner_text("#coverage")
    page.evaluate("window.notReloaded = true")

    page.fill("#coverage-as-of", "2020-04-15")
    page.click("#coverage button[type=submit]")
    page.wait_for_selector("#coverage >> text=仅供查看，不保存")

    assert page.evaluate("window.notReloaded") is True
    assert "as_of=2020-04-15" in page.url
    panel = page.locator("#coverage")
    assert "2020年4月15日" in panel.inner_text()
    page.click("#coverage button[data-bs-toggle=collapse]")
    reasons = page.locator(f"#coverage-reasons-{elder.pk}")
    reasons.wait_for(state="visible")
    assert "未落实困难老年人补贴" in reasons.inner_text()
