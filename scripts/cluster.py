"""The portal on several processes, as a bureau scales it out: two web instances (gunicorn, on two
ports), two Celery workers and beat, against one PostgreSQL and one Redis (the broker, and the
cache every process shares), with uploads and PDFs in S3-compatible object storage.

    DATABASE_URL=postgres://… .venv/bin/python scripts/cluster.py [--redis redis://127.0.0.1:6379]

Object storage is a local S3 server (moto's server mode) unless AWS_S3_ENDPOINT_URL and the other
AWS_* variables name a real one. Migrates, then starts everything, prints the two addresses (with
--json, one line of JSON) and runs until it is stopped (Ctrl-C or SIGTERM), when it stops every
process it started.
"""

import argparse
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


def environment(args, s3_endpoint: str) -> dict:
    env = dict(os.environ)
    redis = args.redis.rstrip("/")
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_DEBUG="false",
        CELERY_BROKER_URL=f"{redis}/{args.broker_db}",
        REDIS_CACHE_URL=f"{redis}/{args.cache_db}",
        DJANGO_STATIC_ROOT=str(Path(args.workdir) / "static"),
        PYTHONPATH=str(ROOT),
    )
    env.setdefault("AWS_STORAGE_BUCKET_NAME", "portal")
    env.setdefault("AWS_S3_ENDPOINT_URL", s3_endpoint)
    env.setdefault("AWS_ACCESS_KEY_ID", "portal")
    env.setdefault("AWS_SECRET_ACCESS_KEY", "portal-secret")
    env.setdefault("AWS_S3_REGION_NAME", "us-east-1")
    return env


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

    processes: list[subprocess.Popen] = []

    def start(command: list[str], env: dict, name: str) -> subprocess.Popen:
        log = open(Path(args.workdir) / f"{name}.log", "wb")  # noqa: SIM115 - kept open for the process
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        processes.append(process)
        return process

    def stop(*_args) -> None:
        for process in reversed(processes):
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        s3_endpoint = os.environ.get("AWS_S3_ENDPOINT_URL", "")
        if not s3_endpoint:
            s3_port = free_port()
            start(
                [str(Path(PYTHON).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)],
                dict(os.environ),
                "s3",
            )
            wait_for_port(s3_port)
            s3_endpoint = f"http://127.0.0.1:{s3_port}"
        env = environment(args, s3_endpoint)
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
        manage = [PYTHON, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
        ports = [free_port(), free_port()]
        for n, port in enumerate(ports, start=1):
            # Each web instance gets the same PORTAL_BASE_URL in production (the proxy's address);
            # here each names its own, as a client reaches it.
            web_env = {**env, "PORTAL_BASE_URL": env.get("PORTAL_BASE_URL", f"http://127.0.0.1:{port}")}
            start(
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "portal.wsgi",
                    "-w",
                    "2",
                    "-b",
                    f"127.0.0.1:{port}",
                    "--log-level",
                    "warning",
                ],
                web_env,
                f"web{n}",
            )
        for n in (1, 2):
            start(
                [PYTHON, "-m", "celery", "-A", "portal", "worker", "-c", "1", "-n", f"worker{n}@%h", "-l", "warning"],
                env,
                f"worker{n}",
            )
        start(
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "portal",
                "beat",
                "-l",
                "warning",
                "-s",
                str(Path(args.workdir) / "beat-schedule"),
            ],
            env,
            "beat",
        )
        for port in ports:
            wait_for_port(port)
        addresses = {
            "web": [f"http://127.0.0.1:{port}" for port in ports],
            "s3": env["AWS_S3_ENDPOINT_URL"],
            "bucket": env["AWS_STORAGE_BUCKET_NAME"],
            "logs": args.workdir,
        }
        if args.json:
            print(json.dumps(addresses), flush=True)
        else:
            print("门户（两个实例）：", *addresses["web"])
            print("对象存储：", addresses["s3"], "桶：", addresses["bucket"])
            print("日志：", args.workdir, flush=True)
        while all(p.poll() is None for p in processes):
            time.sleep(1)
        dead = [p.args for p in processes if p.poll() is not None]
        print(f"a process stopped: {dead}", file=sys.stderr)
    finally:
        stop()


if __name__ == "__main__":
    main()
