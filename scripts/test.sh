#!/usr/bin/env bash
# Runs the whole test suite. Set DATABASE_URL to run it on PostgreSQL and
# CELERY_BROKER_URL to run the broker tests against a real Redis and worker.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
exec .venv/bin/python -m pytest "$@"
