"""Create the demo personas and print one login line each."""

from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, create_personas


class Command(BaseCommand):
    help = "创建演示用户并打印登录信息"

    def handle(self, *args, **options):
        for user in create_personas():
            self.stdout.write(
                f"用户名 {user.username}  密码 {DEMO_PASSWORD}  "
                f"角色 {user.get_role_display()}"
            )
