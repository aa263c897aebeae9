"""Every export and download of people's data lands in the audit log."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent
from cases.services import case_add_evidence

from .ledger_builders import make_case

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_the_progress_report_download_is_recorded_with_its_scope(
    client_for, chief_elderly, acheng
):
    url = reverse("cases:report_download")

    response = client_for(chief_elderly).get(
        url, {"township": acheng.pk, "as_of": "2020-04-15"}, REMOTE_ADDR="10.0.0.9"
    )

    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert (event.user, event.action) == (chief_elderly, "report_export")
    assert event.township == acheng
    assert event.scope == "阿城镇，统计截止 2020-04-15"
    assert event.target.endswith(".xlsx")
    assert event.ip_address == "10.0.0.9"


def test_the_county_report_is_recorded_as_the_county(client_for, admin_user):
    client_for(admin_user).get(reverse("cases:report_download"))
    event = AuditEvent.objects.get()
    assert event.township is None and event.scope.startswith("全县")


def test_a_refused_download_is_not_recorded(client_for, staff_qiji, acheng):
    response = client_for(staff_qiji).get(
        reverse("cases:report_download"), {"township": acheng.pk}
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.exists()


def test_an_evidence_download_is_recorded(
    client_for, staff_acheng, chief_affairs, household
):
    case = make_case(household)
    event = case_add_evidence(
        case=case,
        user=staff_acheng,
        file=SimpleUploadedFile("审批表.png", PNG),
    )

    response = client_for(chief_affairs).get(
        reverse("cases:evidence", args=[case.pk, event.pk])
    )

    assert response.status_code == 200
    record = AuditEvent.objects.get()
    assert (record.user, record.action) == (chief_affairs, "evidence_download")
    assert record.township == household.township
    assert "审批表.png" in record.target and f"#{case.pk}" in record.target
    assert record.target_url == case.get_absolute_url()
