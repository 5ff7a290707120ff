"""The same settings module switches services by environment variables alone."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "storage": settings.STORAGES["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
    "secure_cookies": getattr(settings, "SESSION_COOKIE_SECURE", False),
    "hsts": getattr(settings, "SECURE_HSTS_SECONDS", 0),
    "pooled": settings.DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"],
}))
"""

SERVICE_VARIABLES = [
    # Set by the browser tests in this process (Playwright's loop); never in a deployment.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "EMAIL_HOST",
    "PORTAL_PROFILE",
    "DJANGO_SECRET_KEY",
    "DJANGO_DEBUG",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_POOLER",
]


def settings_under(**variables) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(variables, DJANGO_SETTINGS_MODULE="portal.settings")
    code = "import django; django.setup()\n" + PROBE
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_settings_default_is_embedded():
    found = settings_under()

    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["eager"] is True and found["broker"] == ""
    assert found["storage"] == "django.core.files.storage.FileSystemStorage"
    assert found["email"] == "django.core.mail.backends.console.EmailBackend"
    assert found["debug"] is True


def test_settings_switch_to_production_services_by_environment():
    found = settings_under(
        DATABASE_URL="postgres://portal:secret@db.internal:5432/portal",
        CELERY_BROKER_URL="redis://cache.internal:6379/0",
        AWS_STORAGE_BUCKET_NAME="portal-files",
        EMAIL_HOST="smtp.internal",
        PORTAL_PROFILE="production",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="ip.example.gov.cn",
    )

    assert found["engine"] == "django.db.backends.postgresql"
    assert found["db_name"] == "portal"
    assert found["eager"] is False and found["broker"] == "redis://cache.internal:6379/0"
    assert found["storage"] == "storages.backends.s3.S3Storage"
    assert found["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert found["debug"] is False and found["secure_cookies"] is True and found["hsts"] >= 31536000
    assert found["pooled"] is False


def test_behind_a_transaction_pooler_postgresql_gets_no_session_statements():
    found = settings_under(
        DATABASE_URL="postgres://portal@pgbouncer.internal:6432/portal", DATABASE_POOLER="transaction"
    )

    # No server-side cursors, and portal/prepared.py sends its statements plainly.
    assert found["pooled"] is True


def test_production_profile_without_secret_key_refuses_to_start():
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(PORTAL_PROFILE="production", DJANGO_SETTINGS_MODULE="portal.settings")

    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert run.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in run.stderr


@pytest.mark.django_db
def test_production_profile_passes_check_deploy():
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(
        PORTAL_PROFILE="production",
        DJANGO_SECRET_KEY="k3y-" + "q8Zr7!wP2@" * 6,
        DJANGO_ALLOWED_HOSTS="ip.example.gov.cn",
        DJANGO_SETTINGS_MODULE="portal.settings",
    )

    run = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert run.returncode == 0, run.stderr + run.stdout
    assert "no issues" in run.stdout
