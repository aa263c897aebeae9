"""The progress page (cases:progress) and its download (cases:report_download)."""

import datetime
import io
from urllib.parse import quote

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import make_household, make_member

from .report_builders import enroll_tekun, evaluate, open_case

pytestmark = pytest.mark.django_db

PAGE = reverse("cases:progress")
DOWNLOAD = reverse("cases:report_download")
APR_1 = datetime.date(2020, 4, 1)


@pytest.fixture
def data(acheng, qiji):
    """One household in 阿城镇 and two in 七级镇, evaluated and with cases."""
    created = {}
    for township, count in ((acheng, 1), (qiji, 2)):
        for i in range(count):
            household = make_household(township)
            member = make_member(household, name=f"{township.short_name}{i}")
            evaluate(
                household, APR_1, {member: {"elderly": "missing", "dibao": "covered"}}
            )
            open_case(household, member=member, opened=APR_1)
            created[township.name] = household
    return created


def summary(response):
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book["汇总"].iter_rows(values_only=True)]


# The page -------------------------------------------------------------------


def test_it_shows_the_county_tables_to_a_chief(client_for, chief_assistance, data):
    response = client_for(chief_assistance).get(PAGE, {"as_of": "2020-05-31"})

    assert response.status_code == 200
    report = response.context["report"]
    assert len(report.rows) == 18
    assert report.total.households == 3
    assert report.total.policies["elderly"].missing == 3
    body = response.content.decode()
    for text in (
        "汇总（按乡镇（街道））",
        "分政策落实情况",
        "问题台账整改进度",
        "特困人员集中供养",
        "全县合计",
    ):
        assert text in body
    assert body.count("<svg viewBox") == 6  # one chart per policy
    assert "七级镇" in body
    assert f"{DOWNLOAD}?as_of=2020-05-31" in body
    assert "尚未运行规则核查" not in body


def test_a_chief_can_pick_one_township(client_for, chief_elderly, data, qiji):
    response = client_for(chief_elderly).get(
        PAGE, {"township": qiji.pk, "as_of": "2020-05-31"}
    )

    report = response.context["report"]
    assert [row.name for row in report.rows] == ["七级镇"]
    assert report.total.name == "合计"
    assert report.total.households == 2
    assert f"township={qiji.pk}" in response.context["download_url"]
    # One chart with a bar per policy instead of six one-bar charts.
    assert response.content.decode().count("<svg viewBox") == 1
    assert [bar["name"] for bar in response.context["charts"][0]["bars"]] == [
        "低保",
        "特困供养",
        "临时救助",
        "残疾人生活补贴",
        "重度残疾人护理补贴",
        "困难老年人补贴",
    ]


def test_township_staff_see_their_own_township_only(client_for, staff_acheng, data):
    response = client_for(staff_acheng).get(PAGE)

    report = response.context["report"]
    assert [row.name for row in report.rows] == ["阿城镇"]
    assert report.total.households == 1
    body = response.content.decode()
    assert "七级镇" not in body
    assert "七级0" not in body
    assert 'name="township"' not in body  # no township picker for staff


def test_township_staff_asking_for_another_township_get_404(
    client_for, staff_acheng, qiji, acheng
):
    client = client_for(staff_acheng)

    assert client.get(PAGE, {"township": qiji.pk}).status_code == 404
    assert client.get(DOWNLOAD, {"township": qiji.pk}).status_code == 404
    assert client.get(PAGE, {"township": acheng.pk}).status_code == 200


def test_an_unknown_township_is_404(client_for, admin_user):
    client = client_for(admin_user)

    assert client.get(PAGE, {"township": "999999"}).status_code == 404
    assert client.get(PAGE, {"township": "阿城镇"}).status_code == 404


def test_an_earlier_date_excludes_later_changes(client_for, admin_user, acheng):
    household = make_household(acheng)
    member = make_member(household)
    evaluate(household, APR_1, {member: {"elderly": "missing"}})
    evaluate(household, datetime.date(2020, 5, 10), {member: {"elderly": "covered"}})
    open_case(
        household,
        member=member,
        opened=APR_1,
        events=[
            ("submitted", "submitted", datetime.date(2020, 5, 10)),
            ("verified", "verified", datetime.date(2020, 5, 12)),
        ],
    )
    client = client_for(admin_user)

    april = client.get(PAGE, {"as_of": "2020-04-30"}).context["report"].total
    may = client.get(PAGE, {"as_of": "2020-05-31"}).context["report"].total

    assert (
        april.policies["elderly"].missing,
        april.ledger.open,
        april.ledger.verified,
    ) == (1, 1, 0)
    assert (may.policies["elderly"].covered, may.ledger.open, may.ledger.verified) == (
        1,
        0,
        1,
    )


def test_it_explains_an_empty_report(client_for, chief_affairs, acheng):
    make_member(make_household(acheng))

    response = client_for(chief_affairs).get(PAGE)

    body = response.content.decode()
    assert response.status_code == 200
    assert "尚未运行规则核查" in body
    assert "evaluate_rules" in body
    assert "分政策落实情况" not in body


def test_a_bad_date_is_explained_and_today_is_used(client_for, chief_affairs):
    response = client_for(chief_affairs).get(PAGE, {"as_of": "2020-13-45"})

    assert response.status_code == 200
    assert "统计截止日期格式不正确" in response.content.decode()
    assert response.context["report"].as_of == datetime.date.today()


def test_the_page_shows_the_centralized_care_rate(client_for, admin_user, acheng):
    member = make_member(
        make_household(acheng), self_care="none", willing_centralized="yes"
    )
    enroll_tekun(member, care_mode="centralized")

    body = client_for(admin_user).get(PAGE).content.decode()

    assert "100.0%" in body
    assert "达标" in body


def test_the_page_rejects_other_methods(client_for, admin_user):
    client = client_for(admin_user)

    assert client.post(PAGE).status_code == 405
    assert client.post(DOWNLOAD).status_code == 405


def test_the_page_needs_a_login(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_pages_queries_do_not_grow_with_the_households(
    client_for, admin_user, acheng, django_assert_max_num_queries
):
    client = client_for(admin_user)
    for _ in range(2):
        household = make_household(acheng)
        evaluate(household, APR_1, {make_member(household): {"dibao": "missing"}})
    client.get(PAGE)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(PAGE)
    for _ in range(18):
        household = make_household(acheng)
        evaluate(household, APR_1, {make_member(household): {"dibao": "missing"}})
        open_case(household, opened=APR_1)

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(PAGE)
    assert response.context["report"].total.households == 20


# The download ------------------------------------------------------------


def test_a_chief_downloads_the_county_with_a_chinese_file_name(
    client_for, chief_assistance, data
):
    response = client_for(chief_assistance).get(DOWNLOAD, {"as_of": "2020-05-31"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = quote("自查整改进度报表_阳谷县_2020-05-31.xlsx")
    assert f"filename*=UTF-8''{name}" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    rows = summary(response)
    assert len(rows) == 20
    assert rows[-1][0] == "全县合计"
    assert rows[-1][1] == 3


def test_the_download_matches_the_page(client_for, admin_user, data, qiji):
    client = client_for(admin_user)
    params = {"as_of": "2020-05-31", "township": qiji.pk}

    report = client.get(PAGE, params).context["report"]
    rows = summary(client.get(DOWNLOAD, params))

    assert [row[0] for row in rows] == ["乡镇（街道）", "七级镇", "合计"]
    header = rows[0]
    total = dict(zip(header, rows[-1], strict=True))
    assert total["建档立卡户数"] == report.total.households == 2
    assert total["应享未享（人次）"] == report.total.missing_total == 2
    assert total["问题总数"] == report.total.ledger.opened == 2


def test_township_staff_download_their_own_township(client_for, staff_qiji, data):
    response = client_for(staff_qiji).get(DOWNLOAD)

    assert response.status_code == 200
    assert quote("七级镇") in response["Content-Disposition"]
    rows = summary(response)
    assert [row[0] for row in rows] == ["乡镇（街道）", "七级镇", "合计"]
    assert rows[-1][1] == 2


def test_the_download_refuses_a_bad_date(client_for, admin_user):
    response = client_for(admin_user).get(DOWNLOAD, {"as_of": "yesterday"})

    assert response.status_code == 400
    assert "统计截止日期格式不正确" in response.content.decode()


def test_the_downloads_queries_do_not_grow_with_the_households(
    client_for, admin_user, acheng, django_assert_max_num_queries
):
    client = client_for(admin_user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(count):
        for _ in range(count):
            household = make_household(acheng)
            evaluate(household, APR_1, {make_member(household): {"dibao": "missing"}})
            open_case(household, opened=APR_1)

    add(2)
    b"".join(client.get(DOWNLOAD).streaming_content)
    with CaptureQueriesContext(connection) as small:
        b"".join(client.get(DOWNLOAD).streaming_content)
    add(18)

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(DOWNLOAD)
        rows = summary(response)
    assert rows[-1][1] == 20


# In a real browser -----------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_chief_filters_the_page_and_downloads_the_same_numbers(
    page,
    login,
    live_server,
    personas,
    data,
    tmp_path,
):
    login("chief_assistance")
    page.click("nav >> text=进度报表")
    page.select_option("#report-township", label="七级镇")
    page.fill("#report-as-of", "2020-05-31")
    page.click("button:has-text('查询')")

    assert "七级镇 · 截至 2020年5月31日" in page.locator("h1").inner_text()
    summary_rows = page.locator("table").first.locator("tbody tr")
    assert summary_rows.count() == 1
    assert "七级镇" in summary_rows.first.inner_text()
    with page.expect_download() as download:
        page.click("text=下载Excel报表")
    path = tmp_path / "report.xlsx"
    download.value.save_as(path)
    assert (
        download.value.suggested_filename == "自查整改进度报表_七级镇_2020-05-31.xlsx"
    )
    book = openpyxl.load_workbook(path, read_only=True)
    rows = [list(r) for r in book["汇总"].iter_rows(values_only=True)]
    assert [row[0] for row in rows] == ["乡镇（街道）", "七级镇", "合计"]
    assert rows[-1][1] == 2
