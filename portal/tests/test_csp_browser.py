"""The strict Content-Security-Policy breaks nothing: no page the browser opens reports a violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, AdminFactory, StaffFactory
from accounts.tests.otp import page_second_factor_complete
from filings.tests.alliance_factories import complete_alliance_filing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_violations(page) -> list[str]:
    violations: list[str] = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    return violations


def sign_in(page, user) -> None:
    page.context.clear_cookies()
    page.goto(reverse("accounts:login"))
    page.get_by_label("电子邮箱").fill(user.email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_pages_of_every_audience_run_under_the_policy(page):
    filing = complete_alliance_filing()
    violations = watch_violations(page)

    page.goto(reverse("public:home"))
    sign_in(page, filing.created_by)
    page.goto(reverse("filings:step", args=[filing.pk, "members"]))
    page.get_by_role("button", name="添加一行").first.click()  # the form's script adds the row
    staff = StaffFactory()
    sign_in(page, staff)
    expect(page.get_by_label("验证码")).to_be_visible()  # the setup page, with its QR image
    page_second_factor_complete(page, staff)
    expect(page.get_by_role("heading", name="审核工作台")).to_be_visible()
    admin = AdminFactory()
    sign_in(page, admin)
    page_second_factor_complete(page, admin)
    page.goto(reverse("admin:index"))
    expect(page.get_by_role("heading", name="参考数据管理")).to_be_visible()

    assert violations == []
