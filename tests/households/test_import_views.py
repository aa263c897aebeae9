"""名册导入 in the browser: upload → preview → confirm or cancel, files, scope."""

import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.utils import InterfaceError, OperationalError
from django.http.request import HttpRequest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from households.import_views import error_workbook_name
from households.imports.roster_import import roster_import
from households.models import Household, ImportBatch, Member, Township, Village
from subsidies.models import Enrollment, TemporaryGrant
from tests.factories import make_household, make_member, make_village
from tests.households.imports.helpers import family, make_id, person, roster_bytes
from tests.subsidies.imports.helpers import benefit_row, benefits_bytes

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "village-roster-example.xlsx"
ROSTER, BENEFITS = "household_roster", "benefit_roster"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads are kept under MEDIA_ROOT: keep them out of the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client, data: bytes, *, name="花名册.xlsx", kind=ROSTER, **fields):
    upload_file = SimpleUploadedFile(
        name, data, content_type="application/octet-stream"
    )
    return client.post(
        reverse("households:import_list"), {"kind": kind, "file": upload_file, **fields}
    )


def uploaded(client, data: bytes, **options) -> ImportBatch:
    response = upload(client, data, **options)
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = ImportBatch.objects.latest("pk")
    assert response["Location"] == reverse("households:import_detail", args=[batch.pk])
    return batch


def detail(client, batch, **query) -> str:
    url = reverse("households:import_detail", args=[batch.pk])
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def confirm(client, batch, *, skip=False):
    data = {"skip_invalid": "1"} if skip else {}
    return client.post(reverse("households:import_confirm", args=[batch.pk]), data)


def bad_roster() -> bytes:
    """QJ0001 (valid, 2 people) and QJ0002 whose second row has a bad ID."""
    good = family("QJ0001", size=2)
    wrong = make_id()
    wrong = wrong[:-1] + ("0" if wrong[-1] != "0" else "1")
    bad = [person("QJ0002", "户主"), person("QJ0002", "配偶", id_number=wrong)]
    return roster_bytes([*good, *bad])


# -- the page --------------------------------------------------------------------


def test_it_shows_the_upload_form_templates_and_history(staff_qiji, qiji):
    body = client_as(staff_qiji).get(reverse("households:import_list")).content.decode()
    assert "上传名册" in body and 'name="file"' in body
    assert "建档立卡户花名册" in body and "救助补贴名册" in body
    assert reverse("households:import_template", args=[ROSTER]) in body
    assert reverse("households:import_template", args=[BENEFITS]) in body
    assert "导入到：<strong>七级镇</strong>" in body
    assert 'name="township"' not in body  # staff import into their own
    assert "还没有导入过名册" in body


def test_the_admin_picks_the_township(admin_user, qiji):
    client = client_as(admin_user)
    body = client.get(reverse("households:import_list")).content.decode()
    assert 'name="township"' in body
    batch = uploaded(client, SAMPLE.read_bytes(), township=qiji.pk)
    assert batch.township == qiji
    assert batch.summary["households"]["created"] == 5


# -- upload → preview → confirm ----------------------------------------------------


def test_it_previews_then_imports_the_sample_roster(staff_qiji, qiji, media_root):
    client = client_as(staff_qiji)
    batch = uploaded(client, SAMPLE.read_bytes(), name="示例村花名册.xlsx")
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert batch.township == qiji and batch.uploaded_by == staff_qiji
    assert batch.original_name == "示例村花名册.xlsx"
    assert Path(batch.file.path).is_relative_to(media_root)
    assert Path(batch.file.path).read_bytes() == SAMPLE.read_bytes()
    assert not Household.objects.exists()  # a preview writes nothing

    body = detail(client, batch)
    assert "检查通过" in body and "将要做的修改" in body
    assert batch.summary["households"] == {
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
    }
    assert batch.summary["members"]["created"] == 11
    assert "示例村" in body  # the new village
    assert "确认导入" in body and "disabled" not in body.split("确认导入")[0][-300:]

    response = confirm(client, batch)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert batch.committed_at is not None
    assert Household.objects.filter(township=qiji).count() == 5
    assert Member.objects.count() == 11
    head = Member.objects.get(name="马春生")
    assert head.history.get().history_change_reason == f"导入批次#{batch.pk}"
    assert head.history.get().history_user == staff_qiji
    body = detail(client, batch)
    assert "导入结果" in body and "导入完成：新增 5 户" in body
    assert reverse("households:list") in body


def test_the_preview_survives_a_reload_without_the_service(staff_qiji, monkeypatch):
    client = client_as(staff_qiji)
    batch = uploaded(client, bad_roster())
    first = detail(client, batch)

    def boom(**_kwargs):
        raise AssertionError("the preview page must not run the import again")

    monkeypatch.setattr("households.imports.roster_import.roster_import", boom)
    again = detail(client, batch)
    assert without_tokens(again) == without_tokens(first)
    assert "身份证号码校验位错误" in again


def test_it_lists_every_error_by_sheet_row_and_column(staff_qiji):
    client = client_as(staff_qiji)
    batch = uploaded(client, bad_roster())
    assert batch.status == ImportBatch.Status.PREVIEWED
    body = detail(client, batch)
    # Title row 1, header row 2: QJ0002's second person is on Excel row 6.
    assert "花名册" in body and "第 6 行" in body and "证件号码" in body
    assert "身份证号码校验位错误" in body  # the code's Chinese name
    assert "检查发现 <strong>1</strong> 处错误" in body
    assert batch.summary["error_codes"] == {"id_invalid_checksum": 1}
    assert batch.summary["households"]["skipped"] == 1
    assert 'disabled aria-describedby="confirm-help"' in body
    assert "跳过有错误的户，导入其余（1 户）" in body
    assert reverse("households:import_errors", args=[batch.pk]) in body


def test_the_issue_table_filters_and_sorts(staff_qiji):
    rows = [
        person("QJ0001", "户主", 性别="女"),  # sex_mismatch warning, row 3
        person("QJ0002", "户主", id_number="12345"),  # error, row 4
        person("QJ0003", "户主", 与户主关系="伯父"),  # error, row 5
    ]
    client = client_as(staff_qiji)
    batch = uploaded(client, roster_bytes(rows))
    errors_only = detail(client, batch, level="error")
    assert "身份证号码格式错误" in errors_only
    assert "性别与身份证号码不一致" not in errors_only.split('id="issue-table"')[1]
    one_code = detail(client, batch, code="sex_mismatch", level="warning")
    table = one_code.split('id="issue-table"')[1]
    assert "第 3 行" in table and "第 4 行" not in table
    by_column = detail(client, batch, sort="column").split('id="issue-table"')[1]
    # 与户主关系 < 性别 < 证件号码 in code-point order of the header text.
    assert by_column.index("与户主关系") < by_column.index("证件号码")
    by_row = detail(client, batch).split('id="issue-table"')[1]
    assert by_row.index("第 3 行") < by_row.index("第 4 行") < by_row.index("第 5 行")


def test_a_plain_confirm_with_errors_writes_nothing(staff_qiji):
    client = client_as(staff_qiji)
    batch = uploaded(client, bad_roster())
    response = confirm(client, batch)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert not Household.objects.exists()
    body = client.get(response["Location"]).content.decode()
    assert "没有导入任何数据" in body


def test_skip_invalid_imports_the_households_without_errors(staff_qiji):
    client = client_as(staff_qiji)
    batch = uploaded(client, bad_roster())
    confirm(client, batch, skip=True)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert batch.skip_invalid is True
    assert list(Household.objects.values_list("household_no", flat=True)) == ["QJ0001"]
    body = detail(client, batch)
    assert "有错误的 1 户已跳过" in body


def test_confirm_runs_the_import_again_instead_of_trusting_the_preview(
    staff_qiji, acheng
):
    client = client_as(staff_qiji)
    batch = uploaded(client, SAMPLE.read_bytes())
    # Meanwhile QJ0003 is registered in 阿城镇: the real run must see it.
    make_household(acheng, household_no="QJ0003")
    confirm(client, batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert Household.objects.count() == 1
    assert batch.summary["error_codes"] == {"invalid_value": 1}
    assert "已登记在阿城镇" in detail(client, batch)


def test_cancel_closes_the_batch_without_writing(staff_qiji):
    client = client_as(staff_qiji)
    batch = uploaded(client, SAMPLE.read_bytes())
    response = client.post(reverse("households:import_cancel", args=[batch.pk]))
    assert response["Location"] == reverse("households:import_list")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED
    confirm(client, batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED
    assert not Household.objects.exists()
    assert "已取消" in detail(client, batch)


def test_a_committed_batch_is_not_imported_twice(staff_qiji, monkeypatch):
    client = client_as(staff_qiji)
    batch = uploaded(client, SAMPLE.read_bytes())
    confirm(client, batch)
    monkeypatch.setattr(
        "households.imports.roster_import.roster_import",
        lambda **_kw: pytest.fail("a committed batch ran again"),
    )
    response = confirm(client, batch)
    body = client.get(response["Location"]).content.decode()
    assert "已经处理过" in body
    assert (
        client.post(reverse("households:import_cancel", args=[batch.pk])).status_code
        == 302
    )
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED


def test_an_unreadable_file_is_rejected_with_the_reason(staff_qiji):
    client = client_as(staff_qiji)
    batch = uploaded(
        client, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, name="旧.xls"
    )
    assert batch.status == ImportBatch.Status.REJECTED
    body = detail(client, batch)
    assert "文件无法导入" in body and "Excel 97-2003" in body
    assert "确认导入" not in body and "重新上传" in body
    assert reverse("households:import_errors", args=[batch.pk]) not in body


def test_the_untouched_template_has_nothing_to_import(staff_qiji):
    client = client_as(staff_qiji)
    template = client.get(reverse("households:import_template", args=[ROSTER]))
    batch = uploaded(client, template.content)
    assert batch.summary["error_count"] == batch.summary["warning_count"] == 0
    body = detail(client, batch)
    assert "没有可以导入的内容" in body
    assert 'disabled aria-describedby="confirm-help"' in body


# -- the benefit roster --------------------------------------------------------------


def test_it_previews_then_imports_a_benefit_roster(staff_qiji, qiji):
    household = make_household(qiji, household_no="QJ-B-1")
    head = make_member(household, name="王大山", birth=datetime.date(1950, 3, 1))
    rows = [
        benefit_row(
            "王大山", head.id_number, "低保", 保障方式="单人", 开始日期="2019-01"
        ),
        benefit_row(
            "王大山", head.id_number, "临时救助", 开始日期="2020-02-03", 月标准=800
        ),
        benefit_row("陌生人", make_id(), "低保"),  # not in the registry
    ]
    client = client_as(staff_qiji)
    batch = uploaded(client, benefits_bytes(rows), name="救助名册.xlsx", kind=BENEFITS)
    assert batch.kind == BENEFITS and batch.status == ImportBatch.Status.PREVIEWED
    assert not Enrollment.objects.exists()
    body = detail(client, batch)
    assert "享受记录（条）" in body and "将要登记的记录" in body
    assert "不在建档立卡户名单中的人员（1 行）" in body and "陌生人" in body
    assert head.masked_id in body and head.id_number not in body
    assert batch.summary["enrollments"]["created"] == 1
    assert batch.summary["grants"]["created"] == 1

    confirm(client, batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    enrollment = Enrollment.objects.get(member=head)
    assert (enrollment.benefit_id, enrollment.scope) == ("dibao", "individual")
    assert TemporaryGrant.objects.get(member=head).amount == 800
    assert "享受记录新增 1 条" in detail(client, batch)


def test_a_benefit_roster_with_a_name_mismatch_can_skip_the_row(staff_qiji, qiji):
    household = make_household(qiji, household_no="QJ-B-2")
    head = make_member(household, name="王大山")
    wife = make_member(household, name="李秀英", relation="spouse", male=False)
    rows = [
        benefit_row("王大山", head.id_number, "低保"),
        benefit_row("李小英", wife.id_number, "低保"),
    ]
    client = client_as(staff_qiji)
    batch = uploaded(client, benefits_bytes(rows), kind=BENEFITS)
    body = detail(client, batch)
    assert "姓名与系统登记不一致" in body
    assert "跳过有错误的行，导入其余（1 条）" in body
    confirm(client, batch, skip=True)
    assert list(Enrollment.objects.values_list("member__name", flat=True)) == ["王大山"]


# -- size limit ------------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_before_the_body_is_read(
    staff_qiji, settings, monkeypatch, media_root
):
    settings.IMPORT_MAX_BYTES = 1000
    parsed = []
    original = HttpRequest._load_post_and_files
    monkeypatch.setattr(
        HttpRequest,
        "_load_post_and_files",
        lambda request: parsed.append(1) or original(request),
    )
    response = upload(client_as(staff_qiji), b"x" * 200_000, name="大.xlsx")
    assert response.status_code == 413
    body = response.content.decode()
    assert "超过了 0.0 MB 的上限，系统没有读取该文件" in body
    assert parsed == []
    assert not ImportBatch.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.xlsx"))


def test_a_file_over_the_limit_is_dropped_while_it_arrives(
    staff_qiji, settings, media_root, monkeypatch
):
    settings.IMPORT_MAX_BYTES = 10_000
    received = []
    from django.core.files.uploadhandler import MemoryFileUploadHandler

    original = MemoryFileUploadHandler.receive_data_chunk

    def spy(self, raw_data, start):
        received.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(MemoryFileUploadHandler, "receive_data_chunk", spy)
    # Within the form allowance, so the request is parsed: the handler stops it.
    response = upload(client_as(staff_qiji), b"x" * 50_000, name="大.xlsx")
    assert response.status_code == 413
    assert "超过了" in response.content.decode()
    assert sum(received) <= 10_000
    assert not ImportBatch.objects.exists()


# -- access ------------------------------------------------------------------------------


BATCH_PAGES = [
    ("get", "households:import_detail"),
    ("post", "households:import_confirm"),
    ("post", "households:import_cancel"),
    ("get", "households:import_file"),
    ("get", "households:import_errors"),
]


@pytest.fixture
def qiji_batch(staff_qiji):
    return uploaded(client_as(staff_qiji), bad_roster())


@pytest.mark.parametrize("method, name", BATCH_PAGES)
def test_section_chiefs_get_403_on_every_batch_page(
    chief_assistance, qiji_batch, method, name
):
    client = client_as(chief_assistance)
    response = getattr(client, method)(reverse(name, args=[qiji_batch.pk]))
    assert response.status_code == 403


def test_section_chiefs_get_403_on_the_list_upload_and_templates(chief_affairs):
    client = client_as(chief_affairs)
    assert client.get(reverse("households:import_list")).status_code == 403
    assert upload(client, SAMPLE.read_bytes()).status_code == 403
    for kind in (ROSTER, BENEFITS):
        url = reverse("households:import_template", args=[kind])
        assert client.get(url).status_code == 403
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("method, name", BATCH_PAGES)
def test_another_townships_staff_get_404(staff_acheng, qiji_batch, method, name):
    client = client_as(staff_acheng)
    response = getattr(client, method)(reverse(name, args=[qiji_batch.pk]))
    assert response.status_code == 404
    qiji_batch.refresh_from_db()
    assert qiji_batch.status == ImportBatch.Status.PREVIEWED


def test_the_history_shows_own_township_batches_only(
    staff_acheng, staff_qiji, admin_user, qiji_batch
):
    own = uploaded(client_as(staff_acheng), roster_bytes([person(township="阿城镇")]))
    body = (
        client_as(staff_acheng).get(reverse("households:import_list")).content.decode()
    )
    assert f"#{own.pk}<" in body and f"#{qiji_batch.pk}<" not in body
    admin_body = (
        client_as(admin_user).get(reverse("households:import_list")).content.decode()
    )
    assert f"#{own.pk}<" in admin_body and f"#{qiji_batch.pk}<" in admin_body


def test_the_admin_opens_and_confirms_any_batch(admin_user, qiji_batch):
    client = client_as(admin_user)
    assert "第 6 行" in detail(client, qiji_batch)
    confirm(client, qiji_batch, skip=True)
    qiji_batch.refresh_from_db()
    assert qiji_batch.status == ImportBatch.Status.COMMITTED
    assert Household.objects.get().history.get().history_user == admin_user


@pytest.mark.parametrize(
    "method, name, needs_pk",
    [
        ("put", "households:import_list", False),
        ("post", "households:import_detail", True),
        ("get", "households:import_confirm", True),
        ("get", "households:import_cancel", True),
        ("post", "households:import_file", True),
        ("post", "households:import_errors", True),
    ],
)
def test_wrong_methods_get_405(staff_qiji, qiji_batch, method, name, needs_pk):
    url = reverse(name, args=[qiji_batch.pk] if needs_pk else [])
    assert getattr(client_as(staff_qiji), method)(url).status_code == 405


def test_the_template_url_answers_405_to_post_and_404_to_unknown_kinds(staff_qiji):
    client = client_as(staff_qiji)
    assert (
        client.post(reverse("households:import_template", args=[ROSTER])).status_code
        == 405
    )
    assert (
        client.get(reverse("households:import_template", args=["x"])).status_code == 404
    )


def test_an_invalid_form_is_shown_again(staff_qiji):
    client = client_as(staff_qiji)
    response = client.post(reverse("households:import_list"), {"kind": ROSTER})
    assert response.status_code == 400
    assert "请选择要上传的名册文件" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_upload_needs_the_csrf_token(staff_qiji):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_qiji)
    response = upload(client, SAMPLE.read_bytes())
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


# -- files ------------------------------------------------------------------------------


def test_it_serves_the_original_file_and_audits_the_download(staff_qiji, qiji):
    client = client_as(staff_qiji)
    batch = uploaded(client, SAMPLE.read_bytes(), name="示例村.xlsx")
    response = client.get(reverse("households:import_file", args=[batch.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SAMPLE.read_bytes()
    assert "attachment" in response["Content-Disposition"]
    assert "no-cache" in response["Cache-Control"]
    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.IMPORT_FILE_DOWNLOAD
    assert event.user == staff_qiji and event.township == qiji
    assert f"导入批次#{batch.pk}" in event.target and "示例村.xlsx" in event.target


def test_the_error_workbook_marks_the_bad_rows(staff_qiji):
    client = client_as(staff_qiji)
    rows = [
        *family("QJ0001", size=2),
        person("QJ0002", "户主", id_number="12345"),  # row 5: error
        person("QJ0003", "户主", 性别="女"),  # row 6: warning
    ]
    batch = uploaded(client, roster_bytes(rows), name="七级镇.xlsx")
    response = client.get(reverse("households:import_errors", args=[batch.pk]))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["花名册"]
    header = [cell.value for cell in sheet[2]]
    assert header[-1] == "错误说明"
    column = len(header)
    notes = {row: sheet.cell(row=row, column=column).value for row in range(3, 9)}
    assert notes[3] is None and notes[4] is None
    assert notes[5].startswith("【证件号码】") and "格式不正确" in notes[5]
    assert notes[6].startswith("提示：【性别】")
    assert notes[7] is None  # the footer is left alone
    # The user's own data is intact, ID numbers in full.
    assert (
        sheet.cell(row=3, column=header.index("证件号码") + 1).value
        == rows[0]["证件号码"]
    )
    event = AuditEvent.objects.get()
    assert "错误说明" in event.target and event.user == staff_qiji


def test_there_is_no_error_workbook_without_row_issues(staff_qiji):
    client = client_as(staff_qiji)
    batch = uploaded(client, SAMPLE.read_bytes())
    assert (
        client.get(reverse("households:import_errors", args=[batch.pk])).status_code
        == 404
    )
    assert reverse("households:import_errors", args=[batch.pk]) not in detail(
        client, batch
    )
    assert not AuditEvent.objects.exists()


def test_the_error_workbook_name_keeps_the_users_file_name():
    assert error_workbook_name("七级镇花名册.xlsx") == "七级镇花名册（错误说明）.xlsx"
    assert error_workbook_name("") == "名册（错误说明）.xlsx"


# -- query counts ---------------------------------------------------------------------------


def _batches(township: Township, user, number: int) -> None:
    for index in range(number):
        ImportBatch.objects.create(
            kind=ROSTER if index % 2 else BENEFITS,
            township=township,
            uploaded_by=user,
            original_name=f"名册{index}.xlsx",
            summary={"counts": {"created": index, "errors": 1}, "errors": ["x"] * 50},
        )


def test_the_history_runs_a_constant_number_of_queries(
    staff_qiji, admin_user, qiji, acheng, django_assert_max_num_queries
):
    client = client_as(staff_qiji)
    url = reverse("households:import_list")
    _batches(qiji, staff_qiji, 2)
    client.get(url)  # warm the session
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    baseline = len(few)
    _batches(qiji, staff_qiji, 18)
    _batches(acheng, admin_user, 5)
    with django_assert_max_num_queries(baseline):
        body = client.get(url).content.decode()
    assert body.count("名册1") >= 1 and "名册4.xlsx" in body
    admin = client_as(admin_user)
    admin.get(url)
    with django_assert_max_num_queries(baseline + 1):
        admin.get(url)


def test_the_preview_runs_a_constant_number_of_queries(
    staff_qiji, django_assert_max_num_queries
):
    client = client_as(staff_qiji)
    small = uploaded(client, roster_bytes(family("QJ0001", size=2)))
    big = uploaded(
        client, roster_bytes([p for n in range(30) for p in family(f"QJ{n:04d}")])
    )
    detail(client, small)
    with django_assert_max_num_queries(9) as few:
        detail(client, small)
    baseline = len(few)
    with django_assert_max_num_queries(baseline):
        detail(client, big)


def test_the_admins_batch_without_a_township_is_hidden_from_staff(
    admin_user, staff_qiji
):
    batch = uploaded(client_as(admin_user), SAMPLE.read_bytes())
    assert batch.township is None
    url = reverse("households:import_detail", args=[batch.pk])
    assert client_as(staff_qiji).get(url).status_code == 404
    make_village("七级镇", "示例村")
    confirm(client_as(admin_user), batch)
    batch.refresh_from_db()
    assert batch.township.name == "七级镇"  # set from the file on commit
    assert client_as(staff_qiji).get(url).status_code == 200


def test_a_batch_committed_by_the_command_shows_in_the_history(staff_qiji, qiji):
    result = roster_import(
        source=SAMPLE.read_bytes(), name="命令行.xlsx", township=qiji, actor=staff_qiji
    )
    client = client_as(staff_qiji)
    body = client.get(reverse("households:import_list")).content.decode()
    row = body.split(f"#{result.batch.pk}<")[1].split("</tr>")[0]
    assert "命令行.xlsx" in row and "已导入" in row
    assert '<td class="text-end">5</td>' in row  # 5 households created
    page = detail(client, result.batch)
    assert "导入结果" in page and "确认导入" not in page


def test_the_benefit_error_workbook_marks_the_bad_rows(staff_qiji, qiji):
    household = make_household(qiji, household_no="QJ-B-3")
    head = make_member(household, name="王大山")
    rows = [
        benefit_row("王大山", head.id_number, "低保"),  # row 3
        benefit_row("王大山", head.id_number, "临时救助"),  # row 4: no date, no sum
    ]
    client = client_as(staff_qiji)
    batch = uploaded(client, benefits_bytes(rows), kind=BENEFITS)
    response = client.get(reverse("households:import_errors", args=[batch.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[2]]
    column = header.index("错误说明") + 1
    assert sheet.cell(row=3, column=column).value is None
    note = sheet.cell(row=4, column=column).value
    assert "【开始日期】" in note and "【月标准】" in note


# -- a lost database connection ------------------------------------------------


LOST = "数据库连接中断，本次导入未写入任何数据，请稍后重试"


def lost(error=OperationalError, text="server closed the connection unexpectedly"):
    """A service that raises what the driver raises when the server goes."""

    def service(**_kwargs):
        raise error(text)

    return service


def written_then_lost(real):
    """The real bulk write, then the connection goes before the commit."""

    def write(*args, **kwargs):
        real(*args, **kwargs)
        assert Household.objects.exists()  # rows were written...
        raise OperationalError("server closed the connection unexpectedly")

    return write


def assert_nothing_written(villages: int):
    assert not Household.objects.exists() and not Member.objects.exists()
    assert not Household.history.exists() and not Member.history.exists()
    assert Village.objects.count() == villages


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_connection_lost_at_confirm_writes_nothing_and_can_be_retried(
    error, staff_qiji, qiji, monkeypatch
):
    client = client_as(staff_qiji)
    batch = uploaded(client, SAMPLE.read_bytes())
    preview = batch.summary
    villages = Village.objects.count()

    with monkeypatch.context() as patched:
        patched.setattr("households.imports.roster_import.roster_import", lost(error))
        response = confirm(client, batch)
    assert response.status_code == 302
    assert response["Location"] == reverse("households:import_detail", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert LOST in page and "确认导入" in page
    assert_nothing_written(villages)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert batch.summary == preview and batch.committed_at is None

    retry = confirm(client, batch)
    assert retry.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert Household.objects.filter(township=qiji).count() == 5
    assert Member.objects.count() == 11
    assert Village.objects.filter(name="示例村").count() == 1
    assert LOST not in detail(client, batch)


def test_a_connection_lost_after_the_writes_rolls_them_all_back(
    staff_qiji, qiji, monkeypatch
):
    """The households, members, villages and the batch's own status go."""
    from households.imports import roster_import as service

    client = client_as(staff_qiji)
    batch = uploaded(client, SAMPLE.read_bytes())
    villages = Village.objects.count()
    with monkeypatch.context() as patched:
        patched.setattr(service, "_write", written_then_lost(service._write))
        response = confirm(client, batch)
    assert response["Location"] == reverse("households:import_detail", args=[batch.pk])
    assert LOST in client.get(response["Location"]).content.decode()
    assert_nothing_written(villages)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert batch.committed_at is None

    confirm(client, batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert Household.objects.count() == 5 and Member.objects.count() == 11
    assert ImportBatch.objects.count() == 1


def test_a_connection_lost_at_upload_keeps_no_batch_and_no_file(
    staff_qiji, qiji, monkeypatch, media_root
):
    client = client_as(staff_qiji)
    with monkeypatch.context() as patched:
        patched.setattr("households.imports.roster_import.roster_import", lost())
        response = upload(client, SAMPLE.read_bytes())
    assert response.status_code == 302
    assert response["Location"] == reverse("households:import_list")
    page = client.get(response["Location"]).content.decode()
    assert LOST in page and 'name="file"' in page
    assert not ImportBatch.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]

    batch = uploaded(client, SAMPLE.read_bytes())
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert batch.summary["households"]["created"] == 5
    assert Path(batch.file.path).read_bytes() == SAMPLE.read_bytes()


def test_a_connection_lost_is_logged_without_id_numbers(
    staff_qiji, qiji, monkeypatch, caplog
):
    id_number = make_id()
    client = client_as(staff_qiji)
    batch = uploaded(client, SAMPLE.read_bytes())
    text = f"terminating connection due to administrator command {id_number}"
    with monkeypatch.context() as patched:
        patched.setattr(
            "households.imports.roster_import.roster_import", lost(text=text)
        )
        with caplog.at_level("WARNING", logger="households.imports.connection"):
            confirm(client, batch)
    assert f"batch {batch.pk} confirm" in caplog.text
    assert "OperationalError" in caplog.text and "terminating connection" in caplog.text
    assert id_number not in caplog.text
    assert id_number[:6] + "*" * 8 + id_number[14:] in caplog.text
