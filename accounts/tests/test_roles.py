import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, DistrictUserFactory, ExpertFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = {
    "applicant": UserFactory,
    "staff": StaffFactory,
    "expert": ExpertFactory,
    "admin": AdminFactory,
    "district": DistrictUserFactory,
}

# (page, roles that may see it)
PAGES = [
    ("filings:dashboard", {"applicant"}),
    ("accounts:colleagues", {"applicant"}),
    ("review:queue", {"staff", "admin"}),
    ("review:expert-home", {"expert"}),
    ("review:statistics", {"staff", "admin", "district"}),
    ("review:district-filings", {"district"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("page", "allowed"), PAGES)
def test_role_reaches_only_its_pages(client, role, page, allowed):
    client.force_login(ROLES[role]())

    response = client.get(reverse(page))

    assert response.status_code == (200 if role in allowed else 403)
    if response.status_code == 403:
        assert "无权访问" in response.content.decode()


@pytest.mark.parametrize(("page", "allowed"), PAGES)
def test_anonymous_user_is_sent_to_login(client, page, allowed):
    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("role", "status"), [("applicant", 302), ("expert", 302), ("district", 302), ("staff", 200), ("admin", 200)]
)
def test_call_admin_is_for_bureau_staff_only(client, role, status):
    client.force_login(ROLES[role]())

    response = client.get(reverse("admin:filings_call_changelist"))

    assert response.status_code == status


@pytest.mark.parametrize("role", ROLES)
def test_district_bureaus_are_on_the_government_side_but_not_bureau_staff(role):
    from accounts import roles

    user = ROLES[role]()

    assert roles.is_bureau_side(user) == (role in {"staff", "admin", "district"})
    assert roles.is_bureau(user) == (role in {"staff", "admin"})
    assert roles.area_of(user) == ("徐汇区" if role == "district" else None)
