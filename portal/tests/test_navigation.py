"""The main navigation marks the page the visitor is on; states wear their own colours."""

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from filings.states import State
from filings.tests.alliance_factories import AllianceFilingFactory

pytestmark = pytest.mark.django_db


def current_links(html: str) -> list[str]:
    return re.findall(r'<a class="nav-link active" href="[^"]*" aria-current="page">([^<]+)</a>', html)


@pytest.mark.parametrize(
    ("url", "current"),
    [
        (reverse("public:home"), ["申报通知"]),
        (reverse("public:registry"), ["备案库"]),
        (reverse("filings:dashboard"), ["我的申报"]),
        (reverse("accounts:colleagues"), ["单位用户"]),
    ],
)
def test_the_navigation_marks_the_current_page(applicant_client, url, current):
    assert current_links(applicant_client.get(url).content.decode()) == current


def test_a_page_inside_a_section_marks_its_section(applicant_client, applicant):
    filing = AllianceFilingFactory(organisation=applicant.organisation)

    html = applicant_client.get(reverse("filings:step", args=[filing.pk, "members"])).content.decode()

    assert current_links(html) == ["我的申报"]


def test_each_state_has_its_own_badge():
    badges = {
        state: render_to_string("includes/state_badge.html", {"state": state.value, "label": state.label})
        for state in State
    }

    assert all(f'class="badge badge-state state-{state.value}">{state.label}<' in html for state, html in badges.items())


def test_every_state_has_a_colour_in_the_stylesheet():
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/portal.css")).read_text(encoding="utf-8")
    colours = {state: re.search(rf"\.state-{state.value} \{{ background-color: (#[0-9a-f]+)", css) for state in State}

    assert all(colours.values()), [s for s, m in colours.items() if not m]
    assert len({m.group(1) for m in colours.values()} - {"#5c636a"}) == len(State) - 1
    # A return for correction stands out: bold, ringed and marked.
    assert re.search(r"\.state-returned \{[^}]*font-weight: 700;[^}]*box-shadow", css)
    assert '.state-returned::before { content: "⚠ "' in css


@pytest.mark.parametrize(
    "name, title",
    [("public:publicity-list", "公示"), ("public:verify-form", "申请书核验")],
)
def test_the_browser_tab_names_the_page_then_the_portal(client, name, title):
    html = client.get(reverse(name)).content.decode()

    assert re.search(r"<title>(.*?)</title>", html).group(1) == f"{title} · 上海市知识产权局 备案与项目申报平台"
