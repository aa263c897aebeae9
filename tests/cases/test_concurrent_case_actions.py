"""Two people act on the same case from pages opened at the same time.

Each page's action forms carry the case's version.  The first action wins;
the second, from the stale page, is refused with a Chinese message saying
what happened meanwhile — it never acts on a case whose status changed.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import CaseEvent

from .ledger_builders import make_case

pytestmark = pytest.mark.django_db


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page_version(client, case) -> str:
    body = client.get(case.get_absolute_url()).content.decode()
    versions = set(re.findall(r'name="version" value="(\d+)"', body))
    assert len(versions) == 1, "every action form carries the case's version"
    return versions.pop()


def _post(client, name, case, data):
    return client.post(reverse(f"cases:{name}", args=[case.pk]), data)


def test_a_verify_from_a_stale_page_is_refused_after_a_return(
    household, chief_elderly, admin_user
):
    case = make_case(household, status="submitted", finding_holds=False)
    chief, admin = _logged_in(chief_elderly), _logged_in(admin_user)
    chief_version, admin_version = (
        _page_version(chief, case),
        _page_version(admin, case),
    )

    returned = _post(
        chief, "return", case, {"reason": "材料不全", "version": chief_version}
    )
    refused = _post(admin, "verify", case, {"note": "", "version": admin_version})

    assert returned.status_code == 302
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "刚被他人更新，本次操作未执行" in body
    assert f"{chief_elderly}于 " in body and "退回" in body
    assert "当前状态为“已退回”" in body
    case.refresh_from_db()
    assert case.status == "returned"
    assert not case.events.filter(kind=CaseEvent.Kind.VERIFIED).exists()


def test_a_submit_from_a_stale_page_is_refused_after_a_colleagues_submit(
    household, staff_acheng, admin_user
):
    case = make_case(household)
    staff, admin = _logged_in(staff_acheng), _logged_in(admin_user)
    staff_version, admin_version = (
        _page_version(staff, case),
        _page_version(admin, case),
    )

    submitted = _post(
        admin,
        "submit",
        case,
        {"resolution": "rectified", "note": "已纳入", "version": admin_version},
    )
    refused = _post(
        staff,
        "submit",
        case,
        {"resolution": "not_applicable", "note": "不符合", "version": staff_version},
    )

    assert submitted.status_code == 302
    assert refused.status_code == 400
    assert "当前状态为“已提交（待核实）”" in refused.content.decode()
    case.refresh_from_db()
    assert (case.status, case.resolution) == ("submitted", "rectified")
    assert case.events.filter(kind=CaseEvent.Kind.SUBMITTED).count() == 1


def test_a_return_from_a_page_older_than_a_comment_is_refused(
    household, chief_elderly, staff_acheng
):
    """A note added meanwhile may answer the chief's question: look first."""
    case = make_case(household, status="submitted", finding_holds=False)
    chief, staff = _logged_in(chief_elderly), _logged_in(staff_acheng)
    version = _page_version(chief, case)
    _post(staff, "comment", case, {"note": "审批表已补交"})

    refused = _post(chief, "return", case, {"reason": "缺审批表", "version": version})

    assert refused.status_code == 400
    assert "备注" in refused.content.decode()
    case.refresh_from_db()
    assert case.status == "submitted"
