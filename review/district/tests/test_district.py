"""District bureaus (seed 003 三): their own area, read-only; another area's filing is a 404."""

import pytest
from django.urls import reverse

from accounts.models import Role, User
from accounts.tests.factories import DistrictUserFactory
from accounts.tests.otp import authenticator_for, current_code
from review.statistics.tests.programme import programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return programme()


def numbers(response) -> list[str]:
    return [filing.number for filing in response.context["page"].object_list]


def test_district_lists_its_own_area_only(client, world):
    client.force_login(DistrictUserFactory(area="徐汇区"))

    response = client.get(reverse("review:district-filings"))

    assert numbers(response) == ["CP2024-001-0002", "LM2024-001-0002"]


def test_lingang_is_the_organisations_attribute_not_its_district(client, world):
    client.force_login(DistrictUserFactory(area="临港新片区"))

    response = client.get(reverse("review:district-filings"))

    assert numbers(response) == ["LM2024-001-0001"]


def test_another_areas_filing_is_a_404_like_a_missing_one(client, world):
    client.force_login(DistrictUserFactory(area="徐汇区"))
    pudong_filing = world["filings"]["f3"]

    assert client.get(reverse("review:district-filing", args=[pudong_filing.pk])).status_code == 404
    assert client.get(reverse("review:district-filing", args=[999999])).status_code == 404
    assert client.get(reverse("review:district-filing", args=[world["filings"]["draft"].pk])).status_code == 404


def test_district_reads_its_filing_and_is_offered_no_action(client, world):
    client.force_login(DistrictUserFactory(area="徐汇区"))
    filing = world["filings"]["f2"]

    response = client.get(reverse("review:district-filing", args=[filing.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert filing.title in html
    assert "退回补正" in html  # the events
    assert html.count('<form method="post"') == 1  # signing out, nothing else


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "review:queue"),
        ("get", "review:filing"),
        ("post", "review:filing-audit"),
        ("post", "review:filing-register"),
        ("post", "review:filing-decide"),
    ],
)
def test_district_cannot_reach_the_staff_desk(client, world, method, name):
    client.force_login(DistrictUserFactory(area="徐汇区"))
    args = [] if name == "review:queue" else [world["filings"]["f2"].pk]

    response = getattr(client, method)(reverse(name, args=args))

    assert response.status_code == 403


def test_district_statistics_are_its_area_whatever_the_query_asks(client, world):
    client.force_login(DistrictUserFactory(area="徐汇区"))

    response = client.get(reverse("review:statistics"), {"area": "浦东新区"})

    states = {row["state"]: row["n"] for row in response.context["figures"]["states"] if row["n"]}
    assert states == {"rejected": 1, "withdrawn": 1}
    assert "area" not in response.context["form"].fields


def test_a_district_user_starts_on_the_statistics(client, world):
    user = DistrictUserFactory(area="徐汇区")
    device = authenticator_for(user)

    signed_in = client.post(
        reverse("accounts:login"), {"username": user.email, "password": "Correct-Horse-2024"}, follow=True
    )
    # A district user gives the second factor, then lands on its statistics.
    response = client.post(signed_in.request["PATH_INFO"] + "?" + signed_in.request["QUERY_STRING"],
                           {"token": current_code(device)}, follow=True)  # fmt: skip

    assert signed_in.redirect_chain[-1][0].startswith(reverse("accounts:second-factor"))
    assert response.redirect_chain[-1][0] == reverse("review:statistics")


def test_a_district_user_needs_an_area():
    with pytest.raises(Exception) as refused:
        User.objects.create_user("d@example.com", "Correct-Horse-2024", name="区局", mobile="13800138000",
                                 role=Role.DISTRICT)  # fmt: skip

    assert "区知识产权局用户须选择管辖区域。" in str(refused.value)
