import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role, User
from filings.models import Call
from review import demo

pytestmark = pytest.mark.django_db


def test_demo_loads_one_open_call_per_kind_and_an_account_per_role(client):
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # twice changes nothing

    open_calls = client.get(reverse("public:home")).context["open_calls"]
    assert sorted(c.kind for c in open_calls) == ["ALLIANCE", "CLUSTER", "CONSORTIUM", "PRODUCT"]
    assert Call.objects.filter(kind="ALLIANCE", notice_number="沪知局促〔2024〕40号").count() == 1
    assert {u.role for u in User.objects.all()} == set(Role.values)


@pytest.mark.parametrize(("email", "name", "role", "mobile"), demo.ACCOUNTS)
def test_demo_account_can_log_in(client, email, name, role, mobile):
    demo.load()

    response = client.post(reverse("accounts:login"), {"username": email, "password": demo.DEMO_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)


def test_demo_shows_filings_at_every_stage_of_the_review():
    from filings.models import Filing
    from filings.states import State
    from review.models import ExpertAssignment, PublicityBatch

    demo.load()

    states = set(Filing.objects.values_list("state", flat=True))
    assert states >= {
        State.DRAFT,
        State.SUBMITTED,
        State.RETURNED,
        State.EXPERT_REVIEW,
        State.REVIEWED,
        State.PUBLICITY,
        State.REGISTERED,
    }
    assert ExpertAssignment.objects.filter(expert__email="expert1@demo.example").exists()
    assert any(batch.is_running() for batch in PublicityBatch.objects.all())
    assert Filing.objects.get(state=State.REGISTERED, kind="ALLIANCE").registry_number == "沪知联备〔2024〕第001号"


def test_demo_has_a_key_enterprise_list_and_a_district_account_and_prints_them(client):
    out = io.StringIO()
    call_command("load_demo", stdout=out)

    printed = out.getvalue()
    assert "district@demo.example" in printed
    assert "国家知识产权优势示范企业（3 家，期限 2022-12-31）" in printed
    client.force_login(User.objects.get(email="district@demo.example"))
    assert client.get(reverse("review:district-filings")).context["page"].paginator.count > 0
