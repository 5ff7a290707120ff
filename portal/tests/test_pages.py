"""The layout around a Jinja2 body: kept for visitors and for each signed-in user, drawn for a message."""

import re

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.shortcuts import render
from django.test import Client, RequestFactory
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
    pages._layouts.clear()
    yield
    pages._layouts.clear()


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
    assert len(pages._layouts) == 1


def test_each_current_link_has_its_own_kept_layout(db):
    registry = pages.render_page(visitor_request(reverse("public:registry")), TITLE, BODY_TEMPLATE, {})
    publicity = pages.render_page(visitor_request(reverse("public:publicity-list")), TITLE, BODY_TEMPLATE, {})
    assert f'href="{reverse("public:registry")}" aria-current="page"' in registry.content.decode()
    assert f'href="{reverse("public:publicity-list")}" aria-current="page"' in publicity.content.decode()
    assert len(pages._layouts) == 2


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


def user_request(path: str, user):
    request = visitor_request(path)
    request.user = user
    return request


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_signed_in_users_kept_layout_gives_the_page_django_draws_with_a_fresh_token(db):
    user = UserFactory(name="李申报<审>")
    path = reverse("filings:dashboard")
    first = pages.render_page(user_request(path, user), TITLE, BODY_TEMPLATE, {}).content.decode()
    kept = pages.render_page(user_request(path, user), TITLE, BODY_TEMPLATE, {}).content.decode()
    expected = drawn_by_django(user_request(path, user), TITLE)
    assert "李申报&lt;审&gt;" in kept and "退出" in kept
    # The same page but for the sign-out form's token, which is the request's own each time.
    tokens = [TOKEN.search(page)[1] for page in (first, kept, expected)]
    assert len(set(tokens)) == 3 and pages._CSRF not in kept
    assert TOKEN.sub("", first) == TOKEN.sub("", kept) == TOKEN.sub("", expected)
    assert len(pages._layouts) == 1


def test_each_signed_in_user_sees_their_own_name_and_a_renamed_user_the_new_one(db):
    path = reverse("filings:dashboard")
    first, second = UserFactory(name="李申报"), UserFactory(name="王申报")
    for _ in range(2):
        assert "李申报" in pages.render_page(user_request(path, first), TITLE, BODY_TEMPLATE, {}).content.decode()
        page = pages.render_page(user_request(path, second), TITLE, BODY_TEMPLATE, {}).content.decode()
        assert "王申报" in page and "李申报" not in page
    first.name = "李新名"
    first.save()
    page = pages.render_page(user_request(path, first), TITLE, BODY_TEMPLATE, {}).content.decode()
    assert "李新名" in page and "李申报" not in page
    assert "李申报" not in pages.render_page(visitor_request(path), TITLE, BODY_TEMPLATE, {}).content.decode()


def test_the_token_of_a_kept_layout_signs_the_user_out(staff):
    client = Client()
    client.force_login(staff)
    client.handler.enforce_csrf_checks = True  # from here on, as a browser's requests are checked
    for _ in range(2):  # drawn, then kept
        page = client.get(reverse("review:queue"))
    assert page.status_code == 200 and len(pages._layouts) == 1
    token = TOKEN.search(page.content.decode())[1]
    answer = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    assert client.get(reverse("review:queue")).status_code == 302  # signed out: to the login page


def test_a_visitors_kept_layout_sets_no_csrf_cookie(client, db):
    for query in ("", "?page=1"):
        response = client.get(reverse("public:registry") + query)
    assert "csrftoken" not in response.cookies


def test_a_visitors_page_still_gives_tests_its_context(client, db):
    # Drawn, then from the kept layout (two addresses: the second is not the first's cached page).
    for query in ("", "?page=1"):
        response = client.get(reverse("public:registry") + query)
        assert response.context["page"].number == 1
