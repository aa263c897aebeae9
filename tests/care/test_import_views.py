"""The browser face of the care imports: upload → preview → confirm."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.utils import InterfaceError, OperationalError
from django.urls import reverse

from care.models import CareImportBatch, Child, ElderlyPerson
from tests.care.rosters import CHILD_HEADER, ELDERLY_HEADER, workbook
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db
D = datetime.date
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, kind, data, **extra):
    return client.post(
        reverse("care:import_upload", args=[kind]),
        {"file": SimpleUploadedFile("名册.xlsx", data, content_type=XLSX), **extra},
    )


def test_a_clean_file_is_previewed_then_imported(client_for, staff_acheng, village):
    rows = [[1, "", "东关村", "钱大爷", make_id_number(D(1945, 1, 1)), "独居"]]
    client = client_for(staff_acheng)
    response = upload(client, "elderly", workbook(ELDERLY_HEADER, rows))
    batch = CareImportBatch.objects.get()
    assert response.url == reverse("care:import_detail", args=[batch.pk])
    assert batch.status == "previewed" and batch.township == village.township
    body = client.get(response.url).content.decode()
    assert "文件检查通过" in body and "钱大爷" in body and "确认导入" in body
    assert not ElderlyPerson.objects.exists()

    response = client.post(reverse("care:import_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "committed" and ElderlyPerson.objects.count() == 1
    body = client.get(response.url).content.decode()
    assert "已导入：新增 1 人" in body and "已做的修改" in body
    again = client.post(reverse("care:import_confirm", args=[batch.pk]))
    assert again.status_code == 302 and ElderlyPerson.objects.count() == 1


def test_a_file_with_errors_is_rejected_and_lists_every_error(
    client_for, staff_acheng, village
):
    rows = [
        [1, "", "东关村", "钱大爷", make_id_number(D(1945, 1, 1))],
        [2, "", "东关村", "年轻人", make_id_number(D(1990, 1, 1))],
    ]
    client = client_for(staff_acheng)
    response = upload(client, "elderly", workbook(ELDERLY_HEADER, rows))
    batch = CareImportBatch.objects.get()
    assert batch.status == "rejected"
    body = client.get(response.url).content.decode()
    assert "未满 60 周岁" in body and "确认导入" not in body and "重新上传" in body


def test_skip_invalid_lets_the_valid_rows_be_confirmed(
    client_for, staff_acheng, village
):
    rows = [
        [1, "", "东关村", "钱大爷", make_id_number(D(1945, 1, 1))],
        [2, "", "东关村", "年轻人", make_id_number(D(1990, 1, 1))],
    ]
    client = client_for(staff_acheng)
    upload(client, "elderly", workbook(ELDERLY_HEADER, rows), skip_invalid="on")
    batch = CareImportBatch.objects.get()
    assert batch.status == "previewed"
    client.post(reverse("care:import_confirm", args=[batch.pk]))
    assert list(ElderlyPerson.objects.values_list("name", flat=True)) == ["钱大爷"]


def test_a_preview_can_be_cancelled(client_for, staff_acheng, village):
    rows = [[1, "", "东关村", "钱大爷", make_id_number(D(1945, 1, 1))]]
    client = client_for(staff_acheng)
    upload(client, "elderly", workbook(ELDERLY_HEADER, rows))
    batch = CareImportBatch.objects.get()
    client.post(reverse("care:import_cancel", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "cancelled"
    client.post(reverse("care:import_confirm", args=[batch.pk]))
    assert not ElderlyPerson.objects.exists()


def test_the_template_is_read_back_by_the_import(client_for, staff_acheng, village):
    client = client_for(staff_acheng)
    response = client.get(reverse("care:import_template", args=["children"]))
    assert response["Content-Type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["留守儿童和困境儿童", "填写说明"]
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert "儿童类别*" in header and "姓名*" in header
    values = {
        "乡镇（街道）*": "阿城镇",
        "村（居）*": "东关村",
        "姓名*": "小明",
        "证件号码*": make_id_number(D(2012, 1, 1)),
        "儿童类别*": "留守儿童",
    }
    sheet.append([values.get(label) for label in header])
    buffer = io.BytesIO()
    book.save(buffer)
    upload(client, "children", buffer.getvalue())
    batch = CareImportBatch.objects.get()
    assert batch.status == "previewed", batch.summary["errors"]
    client.post(reverse("care:import_confirm", args=[batch.pk]))
    assert Child.objects.get().name == "小明"


def test_the_list_shows_the_users_batches_in_few_queries(
    client_for, staff_acheng, staff_qiji, village, django_assert_max_num_queries
):
    rows = [[1, "", "东关村", "钱大爷", make_id_number(D(1945, 1, 1))]]
    for _ in range(5):
        upload(client_for(staff_acheng), "elderly", workbook(ELDERLY_HEADER, rows))
    client = client_for(staff_acheng)
    with django_assert_max_num_queries(10):
        body = client.get(reverse("care:import_list")).content.decode()
    assert body.count("名册.xlsx") == 5
    assert (
        "名册.xlsx"
        not in client_for(staff_qiji).get(reverse("care:import_list")).content.decode()
    )


# -- a lost database connection ------------------------------------------------


LOST = "数据库连接中断，本次导入未写入任何数据，请稍后重试"


def lost(error=OperationalError):
    def service(**_kwargs):
        raise error("server closed the connection unexpectedly")

    return service


def elderly_roster() -> bytes:
    rows = [
        [1, "", "东关村", "钱大爷", make_id_number(D(1945, 1, 1)), "独居"],
        [2, "", "东关村", "孙大娘", make_id_number(D(1948, 3, 1)), "独居"],
    ]
    return workbook(ELDERLY_HEADER, rows)


def children_roster() -> bytes:
    rows = [["阿城镇", "东关村", "小明", make_id_number(D(2012, 1, 1)), "留守儿童"]]
    return workbook(CHILD_HEADER, rows)


ROSTERS = {
    "elderly": (elderly_roster, ElderlyPerson, 2),
    "children": (children_roster, Child, 1),
}


def previewed(client, kind) -> CareImportBatch:
    build, _model, _count = ROSTERS[kind]
    upload(client, kind, build())
    batch = CareImportBatch.objects.get()
    assert batch.status == "previewed", batch.summary["errors"]
    return batch


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("elderly", OperationalError),
        ("elderly", InterfaceError),
        ("children", OperationalError),
    ],
)
def test_a_connection_lost_at_confirm_writes_nothing_and_can_be_retried(
    kind, error, client_for, staff_acheng, village, monkeypatch
):
    _build, model, count = ROSTERS[kind]
    client = client_for(staff_acheng)
    batch = previewed(client, kind)
    preview = batch.summary
    url = reverse("care:import_detail", args=[batch.pk])
    with monkeypatch.context() as patched:
        patched.setattr("care.views.care_roster_import", lost(error))
        response = client.post(reverse("care:import_confirm", args=[batch.pk]))
    assert response.status_code == 302 and response.url == url
    page = client.get(url).content.decode()
    assert LOST in page and "确认导入" in page
    assert not model.objects.exists() and not model.history.exists()
    batch.refresh_from_db()
    assert batch.status == "previewed" and batch.summary == preview
    assert batch.committed_at is None

    retry = client.post(reverse("care:import_confirm", args=[batch.pk]))
    assert retry.url == url
    batch.refresh_from_db()
    assert batch.status == "committed"
    assert model.objects.count() == count
    assert LOST not in client.get(url).content.decode()


def test_a_connection_lost_after_the_writes_rolls_them_all_back(
    client_for, staff_acheng, village, monkeypatch
):
    """The people, their history and the batch's own status all go."""
    from care.imports import service

    real = service._write

    def written_then_lost(*args, **kwargs):
        real(*args, **kwargs)
        assert ElderlyPerson.objects.exists()  # rows were written...
        raise OperationalError("server closed the connection unexpectedly")

    client = client_for(staff_acheng)
    batch = previewed(client, "elderly")
    with monkeypatch.context() as patched:
        patched.setattr(service, "_write", written_then_lost)
        response = client.post(reverse("care:import_confirm", args=[batch.pk]))
    assert response.url == reverse("care:import_detail", args=[batch.pk])
    assert LOST in client.get(response.url).content.decode()
    assert not ElderlyPerson.objects.exists()
    assert not ElderlyPerson.history.exists()
    batch.refresh_from_db()
    assert batch.status == "previewed" and batch.committed_at is None

    client.post(reverse("care:import_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "committed"
    assert sorted(ElderlyPerson.objects.values_list("name", flat=True)) == [
        "孙大娘",
        "钱大爷",
    ]
    assert CareImportBatch.objects.count() == 1


def test_a_connection_lost_at_upload_keeps_no_batch_and_no_file(
    client_for, staff_acheng, village, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client = client_for(staff_acheng)
    with monkeypatch.context() as patched:
        patched.setattr("care.views.care_roster_import", lost())
        response = upload(client, "elderly", elderly_roster())
    assert response.status_code == 302
    assert response.url == reverse("care:import_upload", args=["elderly"])
    page = client.get(response.url).content.decode()
    assert LOST in page and 'name="file"' in page
    assert not CareImportBatch.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]

    data = elderly_roster()
    response = upload(client, "elderly", data)
    batch = CareImportBatch.objects.get()
    assert response.url == reverse("care:import_detail", args=[batch.pk])
    assert batch.status == "previewed" and batch.summary["counts"]["created"] == 2
    with batch.file.open("rb") as stored:
        assert stored.read() == data
