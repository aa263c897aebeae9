"""我的后台任务 (``jobs:list``)."""

from django.urls import reverse

from .helpers import make_job, make_running

URL = reverse("jobs:list")


def test_it_lists_the_users_own_jobs(client_for, staff_acheng, staff_qiji):
    mine = make_running(staff_acheng, township=staff_acheng.township)
    theirs = make_job(staff_qiji, township=staff_qiji.township)
    body = client_for(staff_acheng).get(URL).content.decode()
    assert reverse("jobs:detail", args=[mine.pk]) in body
    assert reverse("jobs:detail", args=[theirs.pk]) not in body
    assert "js/job-progress.js" in body  # a job is still running


def test_the_admin_may_look_at_everyones(client_for, staff_acheng, admin_user):
    job = make_job(staff_acheng, township=staff_acheng.township)
    client = client_for(admin_user)
    assert reverse("jobs:detail", args=[job.pk]) not in client.get(URL).content.decode()
    body = client.get(URL, {"all": "1"}).content.decode()
    assert reverse("jobs:detail", args=[job.pk]) in body
    assert "全部后台任务" in body


def test_others_cannot_ask_for_everyones(client_for, staff_acheng, staff_qiji):
    job = make_job(staff_qiji, township=staff_qiji.township)
    body = client_for(staff_acheng).get(URL, {"all": "1"}).content.decode()
    assert reverse("jobs:detail", args=[job.pk]) not in body


def test_an_empty_list_says_how_to_start(client_for, chief_elderly):
    body = client_for(chief_elderly).get(URL).content.decode()
    assert "还没有后台任务" in body
    assert "js/job-progress.js" not in body


def test_its_queries_do_not_grow_with_the_jobs(
    client_for, admin_user, staff_acheng, django_assert_max_num_queries
):
    client = client_for(admin_user)
    make_job(staff_acheng, township=staff_acheng.township)
    make_job(admin_user)
    client.get(URL, {"all": "1"})  # warm the session and the user
    with django_assert_max_num_queries(10) as few:
        client.get(URL, {"all": "1"})
    for n in range(25):
        make_job(staff_acheng if n % 2 else admin_user, township=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, {"all": "1"})
    assert response.content.decode().count('data-job-status-url="') == 25


def test_it_answers_post_with_405(client_for, staff_acheng):
    assert client_for(staff_acheng).post(URL).status_code == 405
