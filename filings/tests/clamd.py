"""A real clamd (ClamAV) for the virus-scan tests, switched on by settings.CLAMD_ADDRESS.

clamd runs here with a signature database of one entry, the EICAR test string anywhere
in a file (official databases need a download); the scan itself is ClamAV's own. The
fixture skips where clamd is not installed (the CI script installs clamav-daemon).
"""

import shutil
import subprocess
from pathlib import Path

import pytest

from filings.tests.processes import free_port, wait_until

CLAMD = shutil.which("clamd") or "/usr/sbin/clamd"
# The EICAR test file: harmless, and recognised as "a virus" by every scanner.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
# What clamd names it with the signature below.
EICAR_FOUND = "Portal-Test-EICAR.UNOFFICIAL"


@pytest.fixture
def clamd(tmp_path, settings):
    if not Path(CLAMD).exists():
        pytest.skip("needs clamd (Debian's clamav-daemon; the CI script installs it)")
    database = tmp_path / "clamav-db"
    database.mkdir()
    (database / "eicar.ndb").write_text(f"Portal-Test-EICAR:0:*:{EICAR.hex()}\n")
    port = free_port()
    config = tmp_path / "clamd.conf"
    config.write_text(
        f"TCPSocket {port}\nTCPAddr 127.0.0.1\nDatabaseDirectory {database}\nForeground yes\n"
        f"PidFile {tmp_path}/clamd.pid\nLogFile {tmp_path}/clamd.log\nUser root\n"
    )
    process = subprocess.Popen(
        [CLAMD, "--config-file", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    settings.CLAMD_ADDRESS = f"127.0.0.1:{port}"
    try:
        from filings.scan import _clamd

        def answers():
            try:
                return _clamd().ping() == "PONG"
            except Exception:
                return False

        wait_until(answers, timeout=60, interval=0.2, message="clamd did not start")
        yield
    finally:
        process.terminate()
        process.wait(timeout=15)
