"""load_demo, with the second factor of the demo accounts that need one.

This command takes the place of review's load_demo (accounts comes first in INSTALLED_APPS),
runs it, then gives every demo account of a role that signs in with a second factor a
DEMO-ONLY authenticator key and recovery codes, and prints them, so that whoever runs the
demo can sign in as staff, an expert or the administrator.
"""

from django.core.management import load_command_class
from django.core.management.base import BaseCommand
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles, second_factor
from accounts.models import User

# DEMO ONLY: a published key and published recovery codes. Never load the demo into production.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # base32: GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ
DEMO_RECOVERY_CODES = [f"demo{n:06d}" for n in range(1, 11)]


def demo_second_factor_load() -> list[User]:
    users = [u for u in User.objects.filter(email__endswith="@demo.example") if roles.requires_second_factor(u)]
    for user in users:
        TOTPDevice.objects.filter(user=user).exclude(key=DEMO_TOTP_KEY).delete()
        TOTPDevice.objects.update_or_create(
            user=user, key=DEMO_TOTP_KEY, defaults={"name": "演示验证器", "confirmed": True}
        )
        device, _ = StaticDevice.objects.get_or_create(user=user, name="恢复码", defaults={"confirmed": True})
        device.token_set.all().delete()
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in DEMO_RECOVERY_CODES])
    return users


class Command(BaseCommand):
    help = "Loads the demo (review's load_demo) and the demo accounts' second factor (demo only)."

    def handle(self, *args, **options):
        demo = load_command_class("review", "load_demo")
        demo.stdout, demo.stderr = self.stdout, self.stderr
        demo.handle(*args, **options)
        users = demo_second_factor_load()
        device = TOTPDevice(key=DEMO_TOTP_KEY)
        self.stdout.write("")
        self.stdout.write("两步验证（仅限演示，切勿用于生产环境）：")
        self.stdout.write("  " + "、".join(u.email for u in users) + " 登录时须输入验证码。")
        self.stdout.write(f"  验证器密钥（手动添加，TOTP，6位，30秒）：{second_factor.totp_secret(device)}")
        self.stdout.write(
            f"  或使用恢复码（每个账户各一套，每个只能用一次，重新运行本命令后恢复）：{' '.join(DEMO_RECOVERY_CODES)}"
        )
