"""The portal on several processes, as a bureau scales it out: two web instances (gunicorn, on two
ports), two Celery workers, beat and the outbox relay loop, against one PostgreSQL and one Redis
(the broker, and the cache every process shares), with uploads and PDFs in S3-compatible object
storage.

    DATABASE_URL=postgres://… .venv/bin/python scripts/cluster.py [--redis redis://127.0.0.1:6379]

Object storage is a local S3 server (moto's server mode) unless AWS_S3_ENDPOINT_URL and the other
AWS_* variables name a real one. Migrates, then starts everything, prints the two addresses (with
--json, one line of JSON) and runs until it is stopped (Ctrl-C or SIGTERM), when it stops every
process it started.

Other scripts start the same set through `Cluster` (bench/load.py).
"""

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


class Cluster:
    """Web instances, workers, beat and the relay loop on one database, broker and cache.

    `env` is the environment of every process (DATABASE_URL, CELERY_BROKER_URL, REDIS_CACHE_URL
    and whatever else the caller sets); with `object_storage`, uploads and PDFs go to S3 (a local
    moto server unless AWS_S3_ENDPOINT_URL names one), otherwise to DJANGO_MEDIA_ROOT.
    """

    def __init__(
        self,
        *,
        workdir: Path,
        env: dict,
        web_instances: int = 2,
        web_workers: int = 2,
        celery_workers: int = 2,
        object_storage: bool = True,
    ):
        self.workdir = Path(workdir)
        self.env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
        self.env.setdefault("DJANGO_STATIC_ROOT", str(self.workdir / "static"))
        self.web_instances = web_instances
        self.web_workers = web_workers
        self.celery_workers = celery_workers
        self.object_storage = object_storage
        self.processes: dict[str, subprocess.Popen] = {}
        self.web: list[str] = []

    def start_process(self, name: str, command: list[str], env: dict | None = None) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - kept open for the process
        process = subprocess.Popen(command, env=env or self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")

    def _object_storage(self) -> None:
        env = self.env
        if not env.get("AWS_S3_ENDPOINT_URL"):
            s3_port = free_port()
            self.start_process("s3", [str(Path(PYTHON).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)])
            wait_for_port(s3_port)
            env["AWS_S3_ENDPOINT_URL"] = f"http://127.0.0.1:{s3_port}"
        env.setdefault("AWS_STORAGE_BUCKET_NAME", "portal")
        env.setdefault("AWS_ACCESS_KEY_ID", "portal")
        env.setdefault("AWS_SECRET_ACCESS_KEY", "portal-secret")
        env.setdefault("AWS_S3_REGION_NAME", "us-east-1")
        import boto3

        s3 = boto3.client(
            "s3",
            endpoint_url=env["AWS_S3_ENDPOINT_URL"],
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            region_name=env["AWS_S3_REGION_NAME"],
        )
        if env["AWS_STORAGE_BUCKET_NAME"] not in {b["Name"] for b in s3.list_buckets().get("Buckets", [])}:
            s3.create_bucket(Bucket=env["AWS_STORAGE_BUCKET_NAME"])

    def manage(self, *arguments: str, capture: bool = False) -> str:
        done = subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), *arguments],
            env=self.env,
            cwd=ROOT,
            check=True,
            capture_output=capture,
            text=True,
        )
        return done.stdout or ""

    def start_worker(self, n: int) -> subprocess.Popen:
        return self.start_process(
            f"worker{n}",
            [PYTHON, "-m", "celery", "-A", "portal", "worker", "-c", "1", "-n", f"worker{n}@%h", "-l", "warning"],
        )

    def start(self, *, migrate: bool = True) -> dict:
        """Starts everything; answers the addresses."""
        if self.object_storage:
            self._object_storage()
        if migrate:
            self.manage("migrate", "--noinput", "-v0")
        ports = [free_port() for _n in range(self.web_instances)]
        for n, port in enumerate(ports, start=1):
            # Each web instance gets the same PORTAL_BASE_URL in production (the proxy's address);
            # here each names its own, as a client reaches it.
            web_env = {**self.env, "PORTAL_BASE_URL": self.env.get("PORTAL_BASE_URL", f"http://127.0.0.1:{port}")}
            self.start_process(
                f"web{n}",
                [
                    *(PYTHON, "-m", "gunicorn", "portal.wsgi", "-w", str(self.web_workers)),
                    *("-b", f"127.0.0.1:{port}", "--log-level", "warning"),
                ],
                web_env,
            )
        for n in range(1, self.celery_workers + 1):
            self.start_worker(n)
        schedule = str(self.workdir / "beat-schedule")
        self.start_process("beat", [PYTHON, "-m", "celery", "-A", "portal", "beat", "-l", "warning", "-s", schedule])
        # Beside beat, as the production setup runs it: rows are claimed, never sent twice.
        self.start_process("relay", [PYTHON, str(ROOT / "manage.py"), "outbox_relay", "--loop", "--interval", "5"])
        for port in ports:
            wait_for_port(port)
        self.web = [f"http://127.0.0.1:{port}" for port in ports]
        for web in self.web:
            self._warm(web)
        return {
            "web": self.web,
            "s3": self.env.get("AWS_S3_ENDPOINT_URL", ""),
            "bucket": self.env.get("AWS_STORAGE_BUCKET_NAME", ""),
            "logs": str(self.workdir),
        }

    def _warm(self, web: str) -> None:
        """One request per gunicorn worker, at once: a worker's first request loads the views,
        which on a busy machine takes longer than a client waits."""
        import threading
        import urllib.error
        import urllib.request

        def ask() -> None:
            # An error status is an answer all the same (503: something the page reports is down).
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"{web}/health/", timeout=180).read()

        threads = [threading.Thread(target=ask) for _n in range(self.web_workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def dead(self) -> list[str]:
        return [name for name, p in self.processes.items() if p.poll() is not None]

    def stop(self) -> None:
        for process in reversed(self.processes.values()):
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379")
    parser.add_argument("--broker-db", type=int, default=13)
    parser.add_argument("--cache-db", type=int, default=12)
    parser.add_argument("--json", action="store_true", help="print the addresses as one line of JSON")
    parser.add_argument("--workdir", default=tempfile.mkdtemp(prefix="portal-cluster-"))
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database: every process shares it.")

    redis = args.redis.rstrip("/")
    cluster = Cluster(
        workdir=Path(args.workdir),
        env={
            **os.environ,
            "DJANGO_DEBUG": "false",
            "CELERY_BROKER_URL": f"{redis}/{args.broker_db}",
            "REDIS_CACHE_URL": f"{redis}/{args.cache_db}",
        },
    )

    def stop(*_args) -> None:
        cluster.stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        addresses = cluster.start()
        if args.json:
            print(json.dumps(addresses), flush=True)
        else:
            print("门户（两个实例）：", *addresses["web"])
            print("对象存储：", addresses["s3"], "桶：", addresses["bucket"])
            print("日志：", args.workdir, flush=True)
        while not cluster.dead():
            time.sleep(1)
        print(f"a process stopped: {cluster.dead()}", file=sys.stderr)
    finally:
        stop()


if __name__ == "__main__":
    main()
