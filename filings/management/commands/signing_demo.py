from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from filings.signing import signing_demo_create


class Command(BaseCommand):
    help = "Creates the demo's test CA and bureau signing certificate (never for production)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="replace an existing demo certificate")

    def handle(self, *args, force=False, **options):
        target = Path(settings.SIGNING_DIR) / "demo-bureau.p12"
        if target.exists() and not force:
            self.stdout.write(f"演示签名证书已存在：{target}")
            return
        p12, ca = signing_demo_create(Path(settings.SIGNING_DIR), settings.SIGNING_PASSPHRASE)
        self.stdout.write(f"已生成演示用测试CA和局签名证书（不具法律效力）：{p12}，信任根 {ca}")
