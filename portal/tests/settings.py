"""The settings the tests run with: the portal's own, plus a fifth kind that lives in the tests
(filings/tests/sample_kind) to prove that a kind is one app and one line here."""

from portal.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "filings.tests.sample_kind"]  # noqa: F405
