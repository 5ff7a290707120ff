"""The API's documentation page works in a browser from the portal's own files: Swagger UI
loads, lists the endpoints and calls one, with no request leaving the portal."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from api.tests.factories import registered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_docs_page_lists_the_endpoints_and_tries_one_without_a_cdn(page, live_server):
    registered(title="上海车规芯片产业知识产权联盟")
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))

    page.goto("/api/v1/docs/")
    expect(page.get_by_text("备案库/立项名单", exact=True).first).to_be_visible()
    page.locator(".opblock-summary", has_text="/api/v1/registry/").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()

    expect(page.locator(".live-responses-table").get_by_text("上海车规芯片产业知识产权联盟")).to_be_visible()
    assert hosts <= {urlsplit(live_server.url).netloc}
