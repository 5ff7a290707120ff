"""The web process as gunicorn starts it (portal/wsgi.py)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = "import gc, sys, portal.wsgi; print(gc.get_freeze_count(), 'review.queue.views' in sys.modules)"


def test_a_started_web_process_has_its_views_loaded_and_its_startup_objects_frozen():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "PYTHONPATH": str(ROOT)}
    answer = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    frozen, views_loaded = answer.stdout.split()

    # Left out of every full pass of the collector: the modules, settings and views of the process.
    assert int(frozen) > 50_000
    assert views_loaded == "True"
