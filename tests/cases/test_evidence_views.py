"""Evidence upload and the scoped download view."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.services import case_add_evidence

from .ledger_builders import make_case

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload_url(case):
    return reverse("cases:evidence_upload", args=[case.pk])


def download_url(event):
    return reverse("cases:evidence", args=[event.case_id, event.pk])


def test_staff_upload_a_file_and_see_it_on_the_timeline(
    client_for, staff_acheng, household
):
    case = make_case(household)
    client = client_for(staff_acheng)

    response = client.post(
        upload_url(case),
        {"file": SimpleUploadedFile("审批表.pdf", PDF), "note": "低保审批表"},
    )

    assert response.status_code == 302
    event = case.events.get(kind="evidence")
    page = client.get(case.get_absolute_url()).content.decode()
    assert "审批表.pdf" in page
    assert download_url(event) in page


def test_a_renamed_file_is_refused_with_the_reason(client_for, staff_acheng, household):
    case = make_case(household)

    response = client_for(staff_acheng).post(
        upload_url(case), {"file": SimpleUploadedFile("假.pdf", b"PK\x03\x04zip")}
    )

    assert response.status_code == 400
    assert "只能上传 PDF、JPG 或 PNG" in response.content.decode()
    assert not case.events.filter(kind="evidence").exists()


def test_an_upload_without_a_file_is_refused(client_for, staff_acheng, household):
    case = make_case(household)

    response = client_for(staff_acheng).post(upload_url(case), {"note": "x"})

    assert response.status_code == 400


@pytest.mark.parametrize("persona", ["staff_acheng", "chief_assistance", "admin"])
def test_those_who_see_the_case_download_the_file(
    client_for, personas, staff_acheng, household, persona
):
    case = make_case(household)
    event = case_add_evidence(
        case=case, user=staff_acheng, file=SimpleUploadedFile("照片.png", PNG)
    )

    response = client_for(personas[persona]).get(download_url(event))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_pdf_is_downloaded_as_an_attachment(client_for, staff_acheng, household):
    case = make_case(household)
    event = case_add_evidence(
        case=case, user=staff_acheng, file=SimpleUploadedFile("审批表.pdf", PDF)
    )

    response = client_for(staff_acheng).get(download_url(event))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_outsiders_get_404(client_for, staff_acheng, staff_qiji, household):
    case = make_case(household)
    event = case_add_evidence(
        case=case, user=staff_acheng, file=SimpleUploadedFile("a.pdf", PDF)
    )

    assert client_for(staff_qiji).get(download_url(event)).status_code == 404


def test_an_event_of_another_case_is_404(client_for, staff_acheng, household, elder):
    case = make_case(household)
    other = make_case(household, member=elder)
    event = case_add_evidence(
        case=case, user=staff_acheng, file=SimpleUploadedFile("a.pdf", PDF)
    )

    response = client_for(staff_acheng).get(
        reverse("cases:evidence", args=[other.pk, event.pk])
    )

    assert response.status_code == 404


def test_an_event_without_a_file_is_404(client_for, staff_acheng, household):
    case = make_case(household)
    opened = case.events.get()

    response = client_for(staff_acheng).get(
        reverse("cases:evidence", args=[case.pk, opened.pk])
    )

    assert response.status_code == 404


def test_wrong_methods_are_405(client_for, staff_acheng, household):
    case = make_case(household)
    event = case_add_evidence(
        case=case, user=staff_acheng, file=SimpleUploadedFile("a.pdf", PDF)
    )
    client = client_for(staff_acheng)

    assert client.get(upload_url(case)).status_code == 405
    assert client.post(download_url(event)).status_code == 405


def test_outsiders_cannot_upload(client_for, staff_qiji, chief_affairs, household):
    case = make_case(household)
    file = SimpleUploadedFile("a.pdf", PDF)

    assert (
        client_for(staff_qiji).post(upload_url(case), {"file": file}).status_code == 404
    )
    file.seek(0)
    assert (
        client_for(chief_affairs).post(upload_url(case), {"file": file}).status_code
        == 403
    )
