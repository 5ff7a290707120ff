"""Slow clients against the several-process setup: nginx (deploy/nginx.conf) in front of
gunicorn (deploy/gunicorn.conf.py). Two uploads at 1 KB/s used to hold every sync
worker until gunicorn killed it; behind the buffering proxy the site keeps answering."""

import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from filings.tests.processes import Browser, free_port, start_web, wait_until

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_config(tmp_path: Path, *, listen: int, upstream: int) -> Path:
    """The shipped server block, on test ports, inside a minimal main configuration."""
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};").replace(
        "server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};"
    )
    temp = tmp_path / "nginx"
    temp.mkdir()
    config = temp / "nginx.conf"
    config.write_text(
        f"""
daemon off;
master_process off;
pid {temp}/nginx.pid;
error_log {temp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    {site}
}}
"""
    )
    return config


def send_slowly(port: int, stop: threading.Event, length: int = 60_000) -> None:
    """A login POST whose body arrives at 1 KB/s (with a CSRF token, so the body is read)."""
    token = "a" * 32
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Cookie: csrftoken={token}\r\nX-CSRFToken: {token}\r\nReferer: http://127.0.0.1/\r\n".encode()
            + f"Content-Length: {length}\r\n\r\n".encode()
        )
        sent = 0
        while sent < length and not stop.is_set():
            sock.sendall(b"a" * 1024)
            sent += 1024
            time.sleep(1)


@pytest.fixture
def site(tmp_path):
    if not Path(NGINX).exists():
        pytest.skip("needs nginx (the CI script installs it)")
    gunicorn_port, nginx_port = free_port(), free_port()
    # The web process's own empty SQLite: /health/ needs no tables.
    web = start_web(port=gunicorn_port, DATABASE_URL=None, PORTAL_VAR_DIR=tmp_path, GUNICORN_WORKERS=1)
    proxy = subprocess.Popen(
        [NGINX, "-c", str(nginx_config(tmp_path, listen=nginx_port, upstream=gunicorn_port))],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: _answers(nginx_port), timeout=15, message="nginx did not start")
        yield gunicorn_port, nginx_port
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
        web.stop()


def _answers(port: int) -> bool:
    try:
        return Browser(f"http://127.0.0.1:{port}").request("/health/", timeout=2)[0] == 200
    except OSError:
        return False


def _health_while_slow_clients_send(port: int) -> tuple[int | None, float]:
    stop = threading.Event()
    senders = [threading.Thread(target=send_slowly, args=(port, stop), daemon=True) for _ in range(2)]
    for sender in senders:
        sender.start()
    time.sleep(1.5)
    started = time.monotonic()
    try:
        status = Browser(f"http://127.0.0.1:{port}").request("/health/", timeout=4)[0]
    except OSError:
        status = None
    seconds = time.monotonic() - started
    stop.set()
    for sender in senders:
        sender.join(timeout=5)
    return status, seconds


def test_slow_uploads_do_not_hold_up_the_site_behind_the_proxy(site):
    _, nginx_port = site

    status, seconds = _health_while_slow_clients_send(nginx_port)

    assert status == 200
    assert seconds < 2


def test_slow_uploads_straight_to_gunicorn_would_hold_up_every_worker(site):
    # Why the proxy ships with the setup: gunicorn's sync workers alone are held.
    gunicorn_port, _ = site

    status, _ = _health_while_slow_clients_send(gunicorn_port)

    assert status is None
