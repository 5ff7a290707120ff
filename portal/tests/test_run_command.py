"""The run command's first step: the Debian packages, checked and installed before pip.

The system's own package tools (dpkg-query, apt-get, id) are replaced through PATH by
stubs that report every package missing and record what they are asked to do.
"""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = "python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk"


@pytest.fixture
def system(tmp_path):
    """A PATH whose dpkg-query knows no package, whose apt-get logs its calls, and an `id` of our choosing."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    stubs = {
        "dpkg-query": '#!/bin/sh\necho "dpkg-query: no packages found matching $3" >&2\nexit 1\n',
        "apt-get": f'#!/bin/sh\necho "$*" >> {log}\nexit 0\n',
        "id": '#!/bin/sh\necho "${STUB_UID:-1000}"\n',
    }
    for name, body in stubs.items():
        (bin_dir / name).write_text(body)
        (bin_dir / name).chmod(0o755)

    def run(command: list[str], *, uid: int, **extra_env):
        env = {key: value for key, value in os.environ.items() if key != "PORTAL_SKIP_SYSTEM_PACKAGES"}
        env.update(PATH=f"{bin_dir}:{os.environ['PATH']}", STUB_UID=str(uid), PORTAL_VAR_DIR=str(tmp_path / "var"))
        env.update(extra_env)
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
        apt_calls = log.read_text().splitlines() if log.exists() else []
        return result, apt_calls

    return run


def test_system_packages_as_root_installs_the_missing_ones(system):
    result, apt_calls = system(["scripts/system-packages.sh"], uid=0)

    assert result.returncode == 0, result.stderr
    assert apt_calls == ["update -qq", f"install -y -qq --no-install-recommends {PACKAGES}"]


def test_system_packages_without_root_says_what_to_run_and_stops(system):
    result, apt_calls = system(["scripts/system-packages.sh"], uid=1000)

    assert result.returncode == 1
    assert apt_calls == []
    assert f"sudo apt-get install -y --no-install-recommends {PACKAGES}" in result.stderr


def test_system_packages_can_be_skipped_on_request(system):
    result, apt_calls = system(["scripts/system-packages.sh"], uid=1000, PORTAL_SKIP_SYSTEM_PACKAGES="1")

    assert result.returncode == 0
    assert apt_calls == []
    assert "libharfbuzz-subset0" in result.stderr


def test_run_command_stops_at_missing_packages_before_migrate(system, tmp_path):
    result, apt_calls = system(["scripts/run.sh", "8123"], uid=1000)

    assert result.returncode == 1
    assert "请先运行" in result.stderr
    assert apt_calls == []
    assert not (tmp_path / "var" / "db.sqlite3").exists()


def test_run_command_refuses_a_port_that_is_not_a_number(system):
    result, _apt_calls = system(["scripts/run.sh", "80a"], uid=0)

    assert result.returncode == 2
    assert "端口" in result.stderr
