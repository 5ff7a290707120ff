import pytest
from django.urls import reverse

from accounts.models import Organisation, User
from accounts.tests.factories import OrganisationFactory, make_uscc

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    data = {
        "org_name": "上海新注册科技有限公司",
        "uscc": make_uscc(555, division="310104"),
        "org_type": "enterprise",
        "district": "徐汇区",
        "address": "上海市徐汇区漕溪北路1号",
        "contact_name": "陈联系",
        "name": "陈用户",
        "mobile": "139 1234 5678",
        "email": "Chen@Example.com",
        "password1": "Shanghai-IP-2024",
        "password2": "Shanghai-IP-2024",
    }
    data.update(overrides)
    return data


def test_registration_creates_organisation_and_logs_in(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    response = client.post(reverse("accounts:register"), form_data())

    assert response.status_code == 302
    assert response.url == reverse("filings:dashboard")
    organisation = Organisation.objects.get()
    assert organisation.division_code == "310104"
    user = User.objects.get()
    assert (user.email, user.mobile, user.organisation) == ("chen@example.com", "13912345678", organisation)
    assert user.password.startswith("argon2")
    assert client.get(reverse("filings:dashboard")).status_code == 200


def test_registration_bad_check_character_is_refused_at_the_field(client):
    good = make_uscc(555)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")

    response = client.post(reverse("accounts:register"), form_data(uscc=bad))

    assert response.status_code == 200
    errors = response.context["form"].errors["uscc"]
    assert len(errors) == 1 and "校验" in errors[0]
    assert not Organisation.objects.exists()
    # Nothing typed is lost.
    assert response.context["form"]["org_name"].value() == "上海新注册科技有限公司"


def test_registration_outside_shanghai_is_refused_at_the_field(client):
    beijing = make_uscc(555, division="110108")

    response = client.post(reverse("accounts:register"), form_data(uscc=beijing))

    assert response.status_code == 200
    assert response.context["form"].errors["uscc"] == [
        "该代码的登记管理机关行政区划码为 110108，不是上海市（31开头）。本平台仅受理在本市注册登记的单位。"
    ]
    assert "不是上海市" in response.content.decode()


def test_registration_of_an_organisation_already_registered_points_to_colleagues(client):
    existing = OrganisationFactory()

    response = client.post(reverse("accounts:register"), form_data(uscc=existing.uscc))

    assert "单位用户" in response.context["form"].errors["uscc"][0]


def test_registration_password_mismatch_is_refused(client):
    response = client.post(reverse("accounts:register"), form_data(password2="Other-password-1"))

    assert response.context["form"].errors["password2"] == ["两次输入的密码不一致。"]


def test_colleague_added_to_the_same_organisation_gets_an_invitation(
    applicant_client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(
            reverse("accounts:colleagues"), {"name": "周同事", "mobile": "13700001111", "email": "zhou@example.com"}
        )

    assert response.status_code == 302
    colleague = User.objects.get(email="zhou@example.com")
    assert colleague.organisation == applicant.organisation
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["zhou@example.com"]
    assert "设置密码" in mailoutbox[0].body


@pytest.mark.parametrize("district", ["浦东新区", "奉贤区", "闵行区"])
def test_registration_in_a_district_lingang_touches_asks_whether_the_unit_is_in_lingang(client, district):
    response = client.post(reverse("accounts:register"), form_data(district=district))

    assert response.status_code == 200
    assert response.context["form"].errors["in_lingang"] == ["请选择本单位是否位于临港新片区。"]
    assert "是否位于中国（上海）自由贸易试验区临港新片区" in response.content.decode()
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(("answer", "in_lingang"), [("1", True), ("0", False)])
def test_registration_keeps_the_lingang_answer(client, answer, in_lingang):
    response = client.post(reverse("accounts:register"), form_data(district="浦东新区", in_lingang=answer))

    assert response.status_code == 302
    assert Organisation.objects.get().in_lingang is in_lingang


def test_registration_elsewhere_cannot_claim_lingang(client):
    response = client.post(reverse("accounts:register"), form_data(district="徐汇区", in_lingang="1"))

    assert response.status_code == 200
    assert "临港新片区仅含浦东新区、奉贤区、闵行区" in response.context["form"].errors["in_lingang"][0]
    assert client.post(reverse("accounts:register"), form_data(district="徐汇区")).status_code == 302
    assert Organisation.objects.get().in_lingang is False
