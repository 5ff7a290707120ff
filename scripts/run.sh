#!/usr/bin/env bash
# Runs the portal on the embedded default: SQLite, Celery tasks in-process,
# files on local disk, demo data. Usage: scripts/run.sh [port]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
port=${1:-8000}
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_demo
echo
echo "门户已启动： http://127.0.0.1:${port}/"
echo "管理后台：   http://127.0.0.1:${port}/admin/"
echo
exec .venv/bin/python manage.py runserver "127.0.0.1:${port}"
