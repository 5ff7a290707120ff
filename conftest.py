import pytest

from accounts.tests.factories import ExpertFactory, StaffFactory, UserFactory

# The `clamd` fixture: a real ClamAV for the virus-scan tests of every app.
pytest_plugins = ["filings.tests.clamd"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (cached pages and fragments of earlier tests)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads and rendered PDFs of a test never land in the project's own media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are about hashing ask for it themselves."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def applicant(db):
    return UserFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def expert(db):
    return ExpertFactory()


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Tests run queued work in-process, except those marked `broker`, which need a real worker."""
    from portal.celery import app

    if request.node.get_closest_marker("broker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright for Python."""
    import os
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (the CI script installs it)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make between page actions are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _second_factor_on_force_login(monkeypatch):
    """Bureau staff, experts and administrators sign in with a second factor: a test that
    signs one in with client.force_login also passes the second-factor page, with a real
    code from the user's authenticator (accounts/tests/otp.py)."""
    from django.test import Client

    from accounts.tests.otp import force_login_with_second_factor

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor(Client.force_login))
