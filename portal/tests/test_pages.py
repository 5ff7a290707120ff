"""The layout around a Jinja2 body: kept for visitors, drawn for a signed-in user or a message."""

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.shortcuts import render
from django.test import RequestFactory
from django.urls import reverse

from accounts.tests.factories import UserFactory
from portal import pages

# A Jinja2 template of macros only: its body is empty, and what is compared is the layout.
BODY_TEMPLATE = "includes/pagination.html"
TITLE = "备案库 <名单> & “公示”"


def visitor_request(path: str):
    request = RequestFactory().get(path)
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    request._messages = FallbackStorage(request)
    return request


def drawn_by_django(request, title: str) -> str:
    body = pages.render_body(BODY_TEMPLATE, {}, request)
    return render(request, pages.LAYOUT, {"page_title": title, "body": body}).content.decode()


@pytest.fixture(autouse=True)
def no_kept_layouts():
    pages._visitor_layouts.clear()
    yield
    pages._visitor_layouts.clear()


@pytest.mark.parametrize("url_name", ["public:home", "public:registry", "public:publicity-list"])
def test_a_visitors_kept_layout_gives_the_page_django_draws(db, url_name):
    path = reverse(url_name)
    first = pages.render_page(visitor_request(path), TITLE, BODY_TEMPLATE, {})
    kept = pages.render_page(visitor_request(path), TITLE, BODY_TEMPLATE, {}, status=403)
    expected = drawn_by_django(visitor_request(path), TITLE)
    assert first.content.decode() == kept.content.decode() == expected
    assert kept.status_code == 403
    # The title is escaped as Django escapes it, and the current link is the page's own.
    assert "备案库 &lt;名单&gt; &amp; “公示” ·" in expected
    assert f'href="{path}" aria-current="page"' in expected
    assert len(pages._visitor_layouts) == 1


def test_each_current_link_has_its_own_kept_layout(db):
    registry = pages.render_page(visitor_request(reverse("public:registry")), TITLE, BODY_TEMPLATE, {})
    publicity = pages.render_page(visitor_request(reverse("public:publicity-list")), TITLE, BODY_TEMPLATE, {})
    assert f'href="{reverse("public:registry")}" aria-current="page"' in registry.content.decode()
    assert f'href="{reverse("public:publicity-list")}" aria-current="page"' in publicity.content.decode()
    assert len(pages._visitor_layouts) == 2


def test_a_visitors_message_is_shown_once_and_never_kept(db):
    path = reverse("public:registry")
    pages.render_page(visitor_request(path), TITLE, BODY_TEMPLATE, {})
    with_message = visitor_request(path)
    messages.success(with_message, "异议已提交，编号 7。")
    shown = pages.render_page(with_message, TITLE, BODY_TEMPLATE, {}).content.decode()
    after = pages.render_page(visitor_request(path), TITLE, BODY_TEMPLATE, {}).content.decode()
    assert "异议已提交，编号 7。" in shown
    assert "异议已提交" not in after
    assert shown == drawn_by_django_with_message(path, "异议已提交，编号 7。")


def drawn_by_django_with_message(path: str, text: str) -> str:
    request = visitor_request(path)
    messages.success(request, text)
    return drawn_by_django(request, TITLE)


def test_a_signed_in_users_layout_is_drawn_for_them(db):
    path = reverse("public:registry")
    pages.render_page(visitor_request(path), TITLE, BODY_TEMPLATE, {})
    request = visitor_request(path)
    request.user = UserFactory(name="李申报")
    page = pages.render_page(request, TITLE, BODY_TEMPLATE, {}).content.decode()
    assert "李申报" in page and "退出" in page
    assert "李申报" not in pages.render_page(visitor_request(path), TITLE, BODY_TEMPLATE, {}).content.decode()
    assert len(pages._visitor_layouts) == 1


def test_a_visitors_page_still_gives_tests_its_context(client, db):
    # Drawn, then from the kept layout (two addresses: the second is not the first's cached page).
    for query in ("", "?page=1"):
        response = client.get(reverse("public:registry") + query)
        assert response.context["page"].number == 1
