"""Starts scripts/run.sh on a free port with a fresh data folder, as a new user would,
and checks what they would see: the home page, the portal's own 404 page, a static
file, and the verification link printed in a demo 申请书 PDF (which must point at
that port). Stops the server afterwards. Exits non-zero on the first failure.

Usage: .venv/bin/python scripts/smoke_run.py
"""

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Variables that would point the run command away from its embedded default.
CLEARED = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "REDIS_CACHE_URL",
    "PORTAL_BASE_URL",
    "DJANGO_DEBUG",
    "PORTAL_PROFILE",
    "DJANGO_MEDIA_ROOT",
)
STARTUP_SECONDS = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def check(condition: bool, what: str) -> None:
    print(("ok    " if condition else "FAIL  ") + what, flush=True)
    if not condition:
        raise SystemExit(1)


def demo_pdf_text(env: dict) -> str:
    """The text of one stored demo 申请书 PDF, read as a person would read the printout."""
    script = (
        "from pypdf import PdfReader\n"
        "from filings.models import VersionDocument\n"
        "document = VersionDocument.objects.order_by('id').first()\n"
        "print(''.join(page.extract_text() for page in PdfReader(document.file.open('rb')).pages))\n"
    )
    result = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def main() -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="portal-smoke-") as var:
        env = {key: value for key, value in os.environ.items() if key not in CLEARED}
        env["PORTAL_VAR_DIR"] = var
        with open(Path(var) / "run.log", "w+") as log:
            started = time.monotonic()
            server = subprocess.Popen(
                [str(ROOT / "scripts/run.sh"), str(port)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                status = None
                while time.monotonic() - started < STARTUP_SECONDS and server.poll() is None:
                    try:
                        status, home = fetch(f"{base}/public/")
                        break
                    except OSError:
                        time.sleep(1)
                if status is None:
                    log.seek(0)
                    print(log.read())
                check(status == 200, f"scripts/run.sh {port} serves the home page ({time.monotonic() - started:.0f} s)")
                check("正在受理的申报" in home, "the home page lists the open calls")
                status, missing = fetch(f"{base}/no-such-page/")
                check(
                    status == 404 and "页面不存在" in missing and "URLconf" not in missing,
                    "a mistyped address shows the portal's Chinese 404 page, not Django's debug page",
                )
                status, _css = fetch(f"{base}/static/css/portal.css")
                check(status == 200, "static files are served with DEBUG off")
                links = re.findall(r"https?://[^\s]+/public/verify/[A-Za-z0-9-]+/", demo_pdf_text(env))
                check(bool(links), "a demo 申请书 PDF prints its verification link")
                check(links[0].startswith(base + "/"), f"the PDF's verification link points at port {port}: {links[0]}")
                status, verified = fetch(links[0])
                check(status == 200 and "验证" in verified, "the verification link opens the verification page")
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait()
    print(f"scripts/run.sh brought the portal up and down on port {port}.")


if __name__ == "__main__":
    sys.exit(main())
