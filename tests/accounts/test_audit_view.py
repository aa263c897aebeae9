"""The admin's audit page: who looked at or exported people's data."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.services import audit_event_record

pytestmark = pytest.mark.django_db

URL = reverse("audit")


@pytest.fixture
def events(personas, acheng, qiji):
    staff = personas["staff_acheng"]
    chief = personas["chief_assistance"]
    return [
        audit_event_record(
            user=staff,
            action=AuditEvent.Action.ID_REVEAL,
            target="王大山（371521********0013），户编号 AC-0001",
            target_url="/households/1/",
            township=acheng,
            scope="阿城镇",
            ip_address="10.1.2.3",
        ),
        audit_event_record(
            user=chief,
            action=AuditEvent.Action.REPORT_EXPORT,
            target="进度报表.xlsx",
            scope="全县，统计截止 2020-04-15",
        ),
        audit_event_record(
            user=personas["staff_qiji"],
            action=AuditEvent.Action.EVIDENCE_DOWNLOAD,
            target="问题#3 的材料“审批表.pdf”",
            township=qiji,
            scope="七级镇",
        ),
    ]


def test_the_admin_sees_every_event_newest_first(client_for, admin_user, events):
    response = client_for(admin_user).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "查看完整身份证号码",
        "导出进度报表",
        "下载整改材料",
        "10.1.2.3",
        "全县，统计截止 2020-04-15",
    ):
        assert text in html
    assert html.index("审批表.pdf") < html.index("进度报表.xlsx") < html.index("王大山")
    assert 'href="/households/1/"' in html


def test_it_filters_by_action_township_and_user(client_for, admin_user, events, acheng):
    client = client_for(admin_user)
    by_action = client.get(URL, {"action": "report_export"}).content.decode()
    by_township = client.get(URL, {"township": acheng.pk}).content.decode()
    by_user = client.get(URL, {"user": "staff_qiji"}).content.decode()
    assert "进度报表.xlsx" in by_action and "王大山" not in by_action
    assert "王大山" in by_township and "审批表.pdf" not in by_township
    assert "审批表.pdf" in by_user and "王大山" not in by_user


def test_an_empty_log_says_what_will_appear(client_for, admin_user):
    html = client_for(admin_user).get(URL).content.decode()
    assert "还没有审计记录" in html


@pytest.mark.parametrize(
    "persona", ["staff_acheng", "staff_qiji", "chief_assistance", "chief_policy"]
)
def test_only_the_admin_may_see_it(client_for, personas, persona, events):
    assert client_for(personas[persona]).get(URL).status_code == 403


def test_it_is_read_only(client_for, admin_user):
    assert client_for(admin_user).post(URL).status_code == 405


def test_the_admin_menu_links_it(client_for, admin_user, staff_acheng):
    assert f'href="{URL}"' in client_for(admin_user).get("/").content.decode()


def test_it_stays_within_a_query_budget(
    client_for, admin_user, personas, acheng, django_assert_max_num_queries
):
    for n in range(60):
        audit_event_record(
            user=personas["staff_acheng"],
            action=AuditEvent.Action.ID_REVEAL,
            target=f"成员{n}",
            township=acheng,
        )
    client = client_for(admin_user)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert "第 1 / 2 页" in response.content.decode()


def test_the_django_admin_shows_it_read_only(client_for, admin_user, events):
    client = client_for(admin_user)
    changelist = client.get("/admin/accounts/auditevent/")
    change = client.get(f"/admin/accounts/auditevent/{events[0].pk}/change/")
    assert changelist.status_code == 200 and "王大山" in changelist.content.decode()
    assert client.get("/admin/accounts/auditevent/add/").status_code == 403
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    delete = client.post(f"/admin/accounts/auditevent/{events[0].pk}/delete/")
    assert delete.status_code == 403
    assert AuditEvent.objects.count() == 3
