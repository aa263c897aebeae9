"""In Chromium: start a rule run on the progress page, watch it finish.

The job waits in the real queue (database backend) while the page shows
排队中; the worker then runs it and the page's script — polling the JSON
view — notices the end and shows the result, with no inline script (CSP).
"""

import pytest

from jobs.models import Job

from .helpers import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_job_page_follows_the_worker_to_the_result(
    page, login, live_server, settings, personas, acheng_gaps
):
    settings.TASKS = DB_BACKEND
    problems = []
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and "favicon" not in m.location.get("url", "")
            else None
        ),
    )
    login("staff_acheng")
    page.goto(f"{live_server.url}/cases/progress/?as_of=2020-04-15")
    with page.expect_navigation():
        page.click("text=运行规则核查")
    job = Job.objects.get()
    assert page.url.endswith(f"/jobs/{job.pk}/")
    assert page.inner_text("[data-job-badge]") == "排队中"
    assert page.get_attribute("[data-job-progress]", "aria-valuenow") == "0"

    run_worker()

    # The script polls, sees the end and reloads: the server shows the result.
    page.wait_for_selector(".border-success")
    assert page.inner_text("[data-job-badge]") == "已完成"
    assert page.get_attribute("[data-job-progress]", "aria-valuenow") == "100"
    result = page.inner_text(".border-success")
    assert "核查 5 户" in result
    assert "问题台账新增 5 条" in result
    assert page.query_selector("text=取消任务") is None
    with page.expect_navigation():
        page.click("a[title=我的后台任务]")
    assert f"#{job.pk}" in page.inner_text("table")
    assert problems == []
