"""``prune_jobs [--days N]``: forget finished jobs and their files.

An exported workbook holds people's data: it is kept for the requester to
download and removed with its job after ``--days`` (default 30).  Jobs
still waiting or running are never touched.  The queue's own rows go with
``prune_db_task_results`` (django-tasks-db).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jobs.models import Job


class Command(BaseCommand):
    help = "删除已结束超过指定天数的后台任务及其结果文件"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="保留天数，默认 30 天")

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError("保留天数至少为 1 天")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        old = Job.objects.exclude(status__in=Job.ACTIVE).filter(finished_at__lt=cutoff)
        files = 0
        for job in old.exclude(result_file="").only("pk", "result_file"):
            job.result_file.delete(save=False)
            files += 1
        count, _ = old.delete()
        self.stdout.write(
            f"已删除 {count} 个后台任务、{files} 个结果文件（{days} 天前结束）。"
        )
