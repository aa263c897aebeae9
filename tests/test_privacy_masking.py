"""ID numbers show as ``371521********0013`` in every page and export.

A household is built through the services and evaluated by the rules, so
its member appears everywhere a person appears: lists, details, history,
forms, the ledger, the inspection sheet, the audit log and the progress
workbook.  None of them may contain the full number; only the recorded
“显示完整号码” action shows it (tests/households/test_member_reveal_id.py).
"""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.models import Case
from households import services as household_services
from subsidies.models import Enrollment
from subsidies.services import enrollment_start
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db

FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")


@pytest.fixture
def elder(acheng, staff_acheng):
    village = household_services.village_get_or_create(township=acheng, name="东关村")
    household = household_services.household_create(
        household_no="3715210010001",
        village=village,
        actor=staff_acheng,
        poverty_type="dibao",
    )
    elder = household_services.member_create(
        household=household,
        name="赵老汉",
        id_number=make_id_number(datetime.date(1950, 1, 1)),
        relation="head",
        actor=staff_acheng,
    )
    household_services.member_update(
        member=elder, actor=staff_acheng, phone="13800000001"
    )
    enrollment_start(
        member=elder,
        benefit="dibao",
        scope="individual",
        start=datetime.date(2019, 1, 1),
        actor=staff_acheng,
    )
    call_command("evaluate_rules", "--as-of", "2020-04-15", stdout=io.StringIO())
    return elder


def _pages(elder) -> list[str]:
    household = elder.household
    case = Case.objects.get(member=elder, rule="ELDERLY_SUBSIDY_MISSING")
    enrollment = Enrollment.objects.get(member=elder)
    return [
        reverse("dashboard"),
        reverse("households:list"),
        reverse("households:list") + "?q=赵老汉",
        reverse("households:detail", args=[household.pk]),
        reverse("households:history", args=[household.pk]),
        reverse("households:member_edit", args=[elder.pk]),
        reverse("households:remove", args=[household.pk]),
        reverse("subsidies:enrollment_edit", args=[enrollment.pk]),
        reverse("subsidies:grant_add", args=[elder.pk]),
        reverse("cases:queue") + "?tab=all",
        reverse("cases:detail", args=[case.pk]),
        reverse("checklists:household", args=[household.pk]),
        reverse("checklists:sheet", args=[household.pk]),
        reverse("checklists:coverage_panel", args=[household.pk]),
        reverse("checklists:progress")
        + f"?township={household.township_id}&village={household.village_id}",
        reverse("cases:progress") + "?as_of=2020-04-15",
        reverse("audit"),
    ]


def test_no_page_shows_a_full_id_number(client_for, admin_user, staff_acheng, elder):
    # The reveal is recorded in the audit log, whose page must stay masked.
    client_for(staff_acheng).post(
        reverse("households:member_reveal_id", args=[elder.pk])
    )
    client = client_for(admin_user)
    seen_masked = 0
    for url in _pages(elder):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert elder.id_number not in html, url
        assert not FULL_ID.search(html), (url, FULL_ID.search(html).group(0))
        seen_masked += elder.masked_id in html
    assert seen_masked >= 8


def test_the_progress_workbook_has_masked_numbers_only(client_for, admin_user, elder):
    response = client_for(admin_user).get(reverse("cases:report_download"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    text = "\n".join(cells)
    assert elder.masked_id in text
    assert elder.id_number not in text
    assert not FULL_ID.search(text)


def test_the_command_line_json_keeps_full_numbers(elder):
    """The operator's scripted output is not a page: roster-format.md §4."""
    out = io.StringIO()
    call_command(
        "evaluate_rules", "--as-of", "2020-04-15", "--format", "json", stdout=out
    )
    assert elder.id_number in out.getvalue()
