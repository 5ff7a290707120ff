from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from accounts.models import User
from review import demo


class Command(BaseCommand):
    help = "Loads the demo calls, filings at every stage and one account per role (idempotent)."

    def handle(self, *args, **options):
        # The demo's test CA and bureau certificate, so that the 备案证明 it issues are signed.
        call_command("signing_demo", stdout=self.stdout)
        # The demo's own state changes would each mail an invented applicant: keep them quiet.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            rows = demo.load()
        self.stdout.write("演示账户（角色 / 登录邮箱 / 密码）：")
        for role, email, password in rows:
            self.stdout.write(f"  {role:<8} {email:<26} {password}")
        self.stdout.write("重点企业专利产品备案目录清单（/review/directory/）：")
        for line in demo.load_key_lists(User.objects.get(email="staff@demo.example")):
            self.stdout.write(f"  {line}")
