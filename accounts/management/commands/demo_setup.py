"""What ``make run`` needs: demo users, demo data once, a first rule run."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, create_personas
from households.models import Household


class Command(BaseCommand):
    help = "创建演示用户；数据库没有户时生成演示数据"

    def add_arguments(self, parser):
        parser.add_argument("--demo", type=int, default=1, help="0 = 不生成演示数据")
        parser.add_argument("--households", type=int, default=400)

    def handle(self, *args, **options):
        users = create_personas()
        if options["demo"] and not Household.objects.exists():
            call_command(
                "generate_demo", households=options["households"], stdout=self.stdout
            )
            call_command("evaluate_rules", stdout=_Quiet())
            self.stdout.write("已完成首次规则核查，问题台账已生成。")
        self.stdout.write("")
        self.stdout.write("演示账号（仅供演示）：")
        for user in users:
            self.stdout.write(
                f"用户名 {user.username}  密码 {DEMO_PASSWORD}  角色 {user.get_role_display()}"
            )
        self.stdout.write("")


class _Quiet:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass
