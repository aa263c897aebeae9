"""确认导入 of a large batch (``jobs:roster_import_start``)."""

from django.template import Context, Template
from django.urls import reverse

from households.models import Household, ImportBatch
from jobs.models import Job


def url(batch):
    return reverse("jobs:roster_import_start", args=[batch.pk])


def test_it_imports_the_batch_in_the_background(client_for, staff_acheng, preview):
    response = client_for(staff_acheng).post(url(preview))
    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.kind, job.requested_by, job.township) == (
        Job.Kind.ROSTER_IMPORT,
        staff_acheng,
        preview.township,
    )
    assert job.parameters == {
        "batch_id": preview.pk,
        "skip_invalid": False,
        "file_name": "西街村花名册.xlsx",
    }
    assert job.status == Job.Status.SUCCEEDED
    preview.refresh_from_db()
    assert preview.status == ImportBatch.Status.COMMITTED
    assert Household.objects.filter(household_no__startswith="AC").count() == 3


def test_it_passes_skip_invalid_on(client_for, admin_user, preview):
    client_for(admin_user).post(url(preview), {"skip_invalid": "1"})
    assert Job.objects.get().parameters["skip_invalid"] is True


def test_a_handled_batch_goes_back_with_the_reason(client_for, staff_acheng, preview):
    ImportBatch.objects.filter(pk=preview.pk).update(
        status=ImportBatch.Status.COMMITTED
    )
    response = client_for(staff_acheng).post(url(preview), follow=True)
    assert response.redirect_chain == [
        (reverse("households:import_detail", args=[preview.pk]), 302)
    ]
    assert "该批次已经处理过" in response.content.decode()
    assert not Job.objects.exists()


def test_chiefs_get_403_and_other_townships_404(
    client_for, chief_assistance, staff_qiji, preview
):
    assert client_for(chief_assistance).post(url(preview)).status_code == 403
    assert client_for(staff_qiji).post(url(preview)).status_code == 404
    assert not Job.objects.exists()


def test_it_answers_get_with_405(client_for, staff_acheng, preview):
    assert client_for(staff_acheng).get(url(preview)).status_code == 405


def test_the_preview_page_can_ask_whether_a_batch_goes_to_the_background(
    settings,
):
    settings.JOBS_IMPORT_BACKGROUND_ABOVE = 2
    template = Template("{% load job_tags %}{{ summary|runs_in_background }}")
    small = {"counts": {"created": 1, "updated": 1, "unchanged": 0}}
    large = {"counts": {"created": 1, "updated": 1, "unchanged": 1}}
    assert template.render(Context({"summary": small})) == "False"
    assert template.render(Context({"summary": large})) == "True"


def test_the_preview_sends_a_large_batch_to_the_background(
    settings, client_for, staff_acheng, preview
):
    page = reverse("households:import_detail", args=[preview.pk])
    client = client_for(staff_acheng)
    body = client.get(page).content.decode()
    assert f'action="{reverse("households:import_confirm", args=[preview.pk])}"' in body
    assert url(preview) not in body
    settings.JOBS_IMPORT_BACKGROUND_ABOVE = 2
    body = client.get(page).content.decode()
    assert f'action="{url(preview)}"' in body
    assert "确认后在后台导入并显示进度" in body
