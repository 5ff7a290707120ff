#!/usr/bin/env bash
# Runs the portal on the embedded default: SQLite, Celery tasks in-process,
# files on local disk, demo data. Usage: scripts/run.sh [port]
#
# The portal shows its own pages (DEBUG off: the Chinese 404/403/500, static files
# through WhiteNoise); DJANGO_DEBUG=1 scripts/run.sh brings Django's debug pages back.
# Links in PDFs and e-mails point at this port unless PORTAL_BASE_URL says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-8000}
if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
  echo "端口应为 1–65535 之间的数字：$port" >&2
  exit 2
fi
# First, before the minute of pip: what only the system can provide.
scripts/system-packages.sh
source scripts/bootstrap.sh
export PORTAL_BASE_URL=${PORTAL_BASE_URL:-http://127.0.0.1:${port}}
export DJANGO_DEBUG=${DJANGO_DEBUG:-0}
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_demo
echo
echo "门户已启动： http://127.0.0.1:${port}/"
echo "管理后台：   http://127.0.0.1:${port}/admin/"
echo "PDF 与邮件中的链接： ${PORTAL_BASE_URL}/"
echo
exec .venv/bin/python manage.py runserver "127.0.0.1:${port}"
