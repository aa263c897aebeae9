"""The one background task: run a :class:`~jobs.models.Job` to its end.

Enqueued by :mod:`jobs.services` through Django's tasks API
(``django_tasks``); the database backend's worker (``manage.py
db_worker``) picks it up.  The task carries only the job's id: everything
else is in the job row, where the browser reads it.
"""

from django_tasks import task

from .runners import execute


@task()
def run_job(job_id: int) -> str:
    return execute(job_id)
