"""Real processes for the fault tests: a Redis of the test's own, Celery workers, a web
server, and a TCP proxy in front of PostgreSQL that can refuse connections.

Each test stops and starts only what it started itself (never a shared Redis).
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.cookiejar import Cookie, CookieJar
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout: float, interval: float = 0.2, message="") -> float:
    """Polls condition() until it is true; returns the seconds it took, fails the test after timeout.

    `message` may be a callable, to report what a process said by then."""
    started = time.monotonic()
    while True:
        if condition():
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            pytest.fail((message() if callable(message) else message) or f"not within {timeout} s")
        time.sleep(interval)


def database_url(*, port: int | None = None, application_name: str | None = None) -> str:
    """The test database (PostgreSQL) as a DATABASE_URL for another process."""
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the fault tests run against PostgreSQL (CI sets DATABASE_URL)")
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{credentials}@" if credentials else ""
    url = f"postgres://{host}{db['HOST'] or 'localhost'}:{port or db['PORT'] or 5432}/{db['NAME']}"
    if application_name:
        url += f"?application_name={application_name}"
    return url


class RedisServer:
    """A redis-server of our own on a free port, without persistence: a restart is empty."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.dir = tmp_path
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=10, interval=0.05, message="redis-server did not start")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def command(self, *args: str) -> str:
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True, timeout=10, check=True
        )
        return result.stdout.strip()


class Process:
    """A child process whose output is collected (to count e-mails, or to explain a failure)."""

    def __init__(self, args: list[str], env: dict):
        self.output: list[str] = []
        self.process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)

    @property
    def text(self) -> str:
        return "".join(self.output)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._reader.join(timeout=5)


def portal_env(**variables) -> dict:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("REDIS_CACHE_URL", None)
    for name, value in variables.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = str(value)
    return env


def start_worker(
    *, broker_url: str, media_root: Path, name: str, loglevel: str = "WARNING", pool: str = "solo", **variables
) -> Process:
    variables = {"DATABASE_URL": database_url(), **variables}
    env = portal_env(CELERY_BROKER_URL=broker_url, DJANGO_MEDIA_ROOT=media_root, **variables)
    return Process(
        [
            *(sys.executable, "-m", "celery", "-A", "portal", "worker", f"--pool={pool}", "--concurrency=1"),
            *(f"--loglevel={loglevel}", "--without-gossip", "--without-mingle", "--without-heartbeat"),
            *("-n", f"{name}@%h"),
        ],
        env,
    )


def start_web(*, port: int, **variables) -> Process:
    """The portal behind gunicorn, as deployed (deploy/gunicorn.conf.py)."""
    env = portal_env(**variables)
    process = Process(
        [
            *(sys.executable, "-m", "gunicorn", "portal.wsgi", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")),
            *("--bind", f"127.0.0.1:{port}", "--workers", "1"),
        ],
        env,
    )
    wait_until(
        lambda: _listening(port), timeout=30, interval=0.1, message=lambda: f"gunicorn did not start:\n{process.text}"
    )
    return process


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A visitor to a server started here: its cookies, no redirects followed."""

    def __init__(self, base_url: str, session_key: str | None = None):
        self.base_url = base_url
        self.jar = CookieJar()
        if session_key:
            self.set_cookie("sessionid", session_key)
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def set_cookie(self, name: str, value: str) -> None:
        self.jar.set_cookie(
            Cookie(
                0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, False, None, None, {}
            )
        )

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def request(self, path: str, *, data: dict | None = None, timeout: float = 60, headers=None):
        """(status, headers, text, seconds)."""
        body = None
        headers = dict(headers or {})
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Referer"] = self.base_url + path
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers)
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.headers, response.read().decode(), time.monotonic() - started
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode(), time.monotonic() - started


class TcpProxy:
    """Forwards a port to PostgreSQL; refuse() drops every connection and refuses new ones
    (the database "goes away"), accept() lets them through again."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.port = free_port()
        self.accepting = threading.Event()
        self.accepting.set()
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(64)
        self.closed = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.accepting.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def refuse(self) -> None:
        self.accepting.clear()
        with self.lock:
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
                except OSError:
                    pass
            self.sockets.clear()

    def accept(self) -> None:
        self.accepting.set()

    def close(self) -> None:
        self.closed = True
        self.refuse()
        self.listener.close()
