"""case_add_evidence: PDF, JPEG or PNG by content, up to EVIDENCE_MAX_BYTES."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.services import case_add_evidence

from .ledger_builders import make_case

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("审批表.pdf", PDF, ".pdf"),
        ("照片.JPG", JPEG, ".jpg"),
        ("截图.png", PNG, ".png"),
        ("扫描件", PDF, ".pdf"),  # no extension: the content decides
        ("photo.pdf", PNG, ".png"),  # wrong extension: the content decides
    ],
)
def test_it_stores_the_file_under_a_random_name_of_its_checked_type(
    household, staff_acheng, name, content, extension
):
    case = make_case(household)

    event = case_add_evidence(
        case=case,
        user=staff_acheng,
        file=SimpleUploadedFile(name, content),
        note="低保审批表",
    )

    assert event.kind == "evidence"
    assert event.actor == staff_acheng
    assert event.status_after == "open"
    assert event.file_name == name
    assert event.file.name.startswith("evidence/")
    assert event.file.name.endswith(extension)
    assert name not in event.file.name
    with event.file.open("rb") as stored:
        assert stored.read() == content
    case.refresh_from_db()
    assert case.version == 2


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("报告.pdf", b"PK\x03\x04 a zip renamed"),
        ("病毒.png", b"MZ\x90\x00 an executable"),
        ("表格.pdf", b"<html><script>alert(1)</script>"),
    ],
)
def test_it_refuses_content_that_is_not_pdf_jpeg_or_png(
    household, staff_acheng, name, content
):
    case = make_case(household)

    with pytest.raises(ValidationError) as exc:
        case_add_evidence(
            case=case, user=staff_acheng, file=SimpleUploadedFile(name, content)
        )

    assert "只能上传 PDF、JPG 或 PNG" in str(exc.value)
    assert case.events.count() == 1


def test_it_refuses_a_file_over_the_limit(household, staff_acheng, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    case = make_case(household)

    with pytest.raises(ValidationError) as exc:
        case_add_evidence(
            case=case,
            user=staff_acheng,
            file=SimpleUploadedFile("大.pdf", PDF + b"0" * 1024),
        )

    assert "文件超过" in str(exc.value)


def test_it_accepts_a_file_of_exactly_the_limit(household, staff_acheng, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    case = make_case(household)
    content = PDF + b"0" * (1024 - len(PDF))

    event = case_add_evidence(
        case=case, user=staff_acheng, file=SimpleUploadedFile("刚好.pdf", content)
    )

    assert event.file.size == 1024


def test_the_default_limit_is_ten_megabytes():
    from config import settings as project_settings

    assert project_settings.EVIDENCE_MAX_BYTES == 10 * 1024 * 1024


def test_it_refuses_an_empty_file(household, staff_acheng):
    case = make_case(household)

    with pytest.raises(ValidationError):
        case_add_evidence(
            case=case, user=staff_acheng, file=SimpleUploadedFile("空.pdf", b"")
        )


@pytest.mark.parametrize("status", ["verified", "dismissed"])
def test_it_refuses_closed_cases(household, staff_acheng, status):
    case = make_case(household, status=status)

    with pytest.raises(ValidationError):
        case_add_evidence(
            case=case, user=staff_acheng, file=SimpleUploadedFile("a.pdf", PDF)
        )


@pytest.mark.parametrize("persona", ["staff_qiji", "chief_affairs"])
def test_it_refuses_those_who_only_read(household, personas, persona):
    case = make_case(household)

    with pytest.raises(PermissionDenied):
        case_add_evidence(
            case=case, user=personas[persona], file=SimpleUploadedFile("a.pdf", PDF)
        )
