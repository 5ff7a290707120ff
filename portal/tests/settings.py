"""The settings the tests run with: the portal's own, plus a fifth kind that lives in the tests
(filings/tests/sample_kind) to prove that a kind is one app and one line here."""

import tempfile
from pathlib import Path

from portal.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "filings.tests.sample_kind"]  # noqa: F405

# Documents are signed only in the tests that make a key for it (filings/tests/test_signing.py);
# the demo's certificate goes to a folder of each test process, never to the project's own.
SIGNING_PKCS12 = ""
SIGNING_TRUST_ROOTS = []
SIGNING_DIR = Path(tempfile.mkdtemp(prefix="portal-signing-"))
