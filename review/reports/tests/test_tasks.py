import os
import subprocess
import sys

NAMES = (
    "reports.tasks.notify_report_event",
    "reports.tasks.notify_report_reminder",
    "reports.tasks.report_reminders_task",
    "reports.tasks.render_report_document",
    "product.tasks.notify_product_yearly",
    "product.tasks.product_yearly_reminders_task",
)


def test_a_fresh_process_knows_the_reports_and_reminder_tasks_by_name():
    # The outbox and beat name tasks by string; a web process or a worker that never imported
    # their modules must still find them.
    code = (
        "import django; django.setup(); from celery import current_app; "
        f"print(all(name in current_app.tasks for name in {NAMES!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.tests.settings"},
    )

    assert result.stdout.strip() == "True", result.stderr
