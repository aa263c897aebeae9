"""管理后台: jobs and their queue records, read-only, the admin's alone."""

from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jobs.models import Job
from jobs.services import job_request_rule_run

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_admin_reads_jobs_and_queue_records(
    settings, client_for, admin_user, staff_acheng, acheng
):
    settings.TASKS = DB_BACKEND
    job = job_request_rule_run(user=staff_acheng, township=acheng)
    task = DBTaskResult.objects.get(id=job.task_id)
    client = client_for(admin_user)
    pages = [
        reverse("admin:jobs_job_changelist"),
        reverse("admin:jobs_job_change", args=[job.pk]),
        reverse("admin:django_tasks_database_dbtaskresult_changelist"),
        reverse("admin:django_tasks_database_dbtaskresult_change", args=[task.pk]),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
    body = client.get(pages[1]).content.decode()
    assert 'name="_save"' not in body  # read-only
    assert client.get(reverse("admin:jobs_job_add")).status_code == 403
    assert client.post(pages[1], {"status": "succeeded"}).status_code == 403
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED


def test_nobody_else_gets_in(client_for, staff_acheng, chief_assistance):
    for user in (staff_acheng, chief_assistance):
        response = client_for(user).get(reverse("admin:jobs_job_changelist"))
        assert response.status_code == 302
