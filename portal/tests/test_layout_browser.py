"""Layout at the widths people use: a 1366 px laptop and a 390 px phone."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from accounts.tests.factories import StaffFactory, UserFactory
from filings import services
from filings.tests.alliance_factories import complete_alliance_filing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def line_count(locator) -> int:
    """How many lines a link's text takes (one per client rectangle of its text)."""
    return locator.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " return new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size; }"
    )


@pytest.mark.parametrize("role", ["applicant", "staff"])
def test_at_1366_px_no_navigation_link_breaks_inside_its_words(page, live_server, role):
    if role == "applicant":
        user = UserFactory(name="欧阳明远", organisation__name="上海临港新片区智能网联汽车电子电气架构创新科技有限公司")
        home, current = "/filings/", "我的申报"
    else:
        user = StaffFactory(name="李审核")
        home, current = "/review/", "审核工作台"
    sign_in(page, live_server, user)
    page.set_viewport_size({"width": 1366, "height": 900})

    page.goto(home)

    nav = page.get_by_role("navigation", name="主导航")
    links = nav.get_by_role("link").all()
    assert len(links) >= 7
    assert {link.inner_text(): line_count(link) for link in links} == {link.inner_text(): 1 for link in links}
    expect(nav.get_by_role("link", name=current)).to_have_attribute("aria-current", "page")


def test_on_a_390_px_phone_the_staff_queue_keeps_its_words_whole(page, live_server):
    filing = complete_alliance_filing()
    services.filing_submit(filing=filing, actor=filing.created_by)
    sign_in(page, live_server, StaffFactory())
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto("/review/?state=submitted")

    title = page.get_by_role("link", name="上海车规芯片产业知识产权联盟")
    expect(title).to_be_visible()
    # A cell at least a dozen characters wide, not one character a line.
    assert title.bounding_box()["width"] > 120
    assert line_count(page.locator("thead th", has_text="状态")) == 1


def test_on_a_390_px_phone_the_form_comes_before_the_findings(page, live_server):
    filing = complete_alliance_filing()
    sign_in(page, live_server, filing.created_by)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"/filings/{filing.pk}/step/cover/")

    form_top = page.locator("[data-step-form]").bounding_box()["y"]
    findings_top = page.locator("[data-findings]").bounding_box()["y"]
    assert form_top < findings_top
