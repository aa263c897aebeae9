"""Jobs in a given state (written directly: the views only read them), and
the real worker run in-process."""

import datetime
import io
import signal

from django.core.management import call_command
from django.utils import timezone

from jobs.models import Job


def make_job(user, *, township=None, kind=Job.Kind.RULE_RUN, **fields):
    fields.setdefault("parameters", {"as_of": "2020-04-15"})
    return Job.objects.create(kind=kind, requested_by=user, township=township, **fields)


def make_running(user, **fields):
    return make_job(
        user,
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
        progress_done=2000,
        progress_total=6000,
        message="已核查 2000 户，共 6000 户",
        **fields,
    )


def age(job, minutes: int):
    """Make the job's last progress ``minutes`` old."""
    Job.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    job.refresh_from_db()
    return job


def run_worker():
    """One batch of the worker; its signal handlers are put back after."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        _call_worker()
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def _call_worker():
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--interval",
        "0",
        verbosity=0,
        stdout=io.StringIO(),
    )
