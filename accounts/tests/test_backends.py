"""The signed-in user of each request comes from the cache, and every change to their row is seen
on their next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("filings:dashboard")


def signed_in(client, user=None):
    user = user or UserFactory()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return user


def user_reads(client, path: str = DASHBOARD) -> tuple[int, list[str]]:
    """The page's status and the queries it made of the users' table."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, [q["sql"] for q in queries if 'FROM "accounts_user"' in q["sql"]]


def test_a_signed_in_user_is_read_from_the_database_once_then_from_the_cache(client):
    signed_in(client)

    first_status, first = user_reads(client)
    second_status, second = user_reads(client)

    assert (first_status, second_status) == (200, 200)
    assert len(first) == 1
    assert second == []


def test_a_user_switched_off_is_signed_out_on_their_next_request(client):
    user = signed_in(client)
    assert user_reads(client)[0] == 200

    user.is_active = False
    user.save()

    assert client.get(DASHBOARD).status_code == 302
    assert reverse("accounts:login") in client.get(DASHBOARD)["Location"]


def test_a_user_switched_off_by_an_update_is_signed_out_on_their_next_request(client):
    user = signed_in(client)
    assert user_reads(client)[0] == 200

    User.objects.filter(email=user.email).update(is_active=False)

    assert reverse("accounts:login") in client.get(DASHBOARD)["Location"]


def test_a_password_changed_elsewhere_signs_the_other_sessions_out(client):
    user = signed_in(client)
    assert user_reads(client)[0] == 200

    user.set_password("Another-Horse-2025")
    user.save()

    assert reverse("accounts:login") in client.get(DASHBOARD)["Location"]


def test_a_changed_name_shows_on_the_next_page(client):
    user = signed_in(client)
    assert user_reads(client)[0] == 200

    User.objects.filter(pk=user.pk).update(name="改过的姓名")

    assert "改过的姓名" in client.get(DASHBOARD).content.decode()


def test_a_deleted_user_is_signed_out(client):
    user = signed_in(client)
    assert user_reads(client)[0] == 200

    user.delete()

    assert reverse("accounts:login") in client.get(DASHBOARD)["Location"]
