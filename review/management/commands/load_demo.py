from django.core.management.base import BaseCommand

from review import demo


class Command(BaseCommand):
    help = "Loads the demo calls and one account per role (idempotent)."

    def handle(self, *args, **options):
        rows = demo.load()
        self.stdout.write("演示账户（角色 / 登录邮箱 / 密码）：")
        for role, email, password in rows:
            self.stdout.write(f"  {role:<8} {email:<26} {password}")
