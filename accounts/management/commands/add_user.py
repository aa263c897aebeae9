"""``add_user NAME --role ROLE [--township T] [--section S] --password P``."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import user_save


class Command(BaseCommand):
    help = "创建或更新用户（角色、乡镇、科室可用代码或中文名称）"

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--role", required=True)
        parser.add_argument("--township")
        parser.add_argument("--section")
        parser.add_argument("--password", required=True)

    def handle(self, *args, **options):
        try:
            user, created = user_save(
                username=options["name"],
                role=options["role"],
                township=options["township"],
                section=options["section"],
                password=options["password"],
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        verb = "已创建" if created else "已更新"
        self.stdout.write(f"{verb}用户 {user.username}（{user.get_role_display()}）")
