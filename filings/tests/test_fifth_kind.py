"""A fifth kind, made as one app in the tests and one line in the test settings, goes the whole
way: drafted, submitted, audited, registered, listed in the staff queue and the public registry.
Nothing in the shared machinery names it (the import contracts in .importlinter say the same)."""

import pytest
from django.apps import apps
from django.urls import reverse

from filings import kinds
from filings.models import Filing
from filings.states import State
from filings.tests.factories import CallFactory

pytestmark = pytest.mark.django_db


def test_a_fifth_kind_registers_itself_from_its_app():
    spec = kinds.get("SAMPLE")

    assert apps.get_app_config("sample_kind").name == "filings.tests.sample_kind"
    assert ("SAMPLE", "示例备案") in kinds.choices()
    assert spec.pipeline == kinds.AUDITED


def test_a_fifth_kind_goes_from_draft_to_the_public_registry(client, applicant, staff):
    call = CallFactory(kind="SAMPLE", title="关于开展示例备案的通知", number_format="沪示备〔{year}〕第{seq:03d}号")

    # The applicant starts a draft from the call, fills the kind's own step and submits.
    client.force_login(applicant)
    response = client.post(reverse("filings:start", args=[call.pk]))
    filing = Filing.objects.get(call=call)
    assert response.url == reverse("filings:step", args=[filing.pk, "basic"])
    assert filing.kind == "SAMPLE"
    response = client.post(
        reverse("filings:step", args=[filing.pk, "basic"]),
        {"name": "上海示例项目", "industry": "人工智能", "declaration_accepted": "on", "save-next": "1"},
    )
    assert response.status_code == 302
    response = client.post(reverse("filings:submit", args=[filing.pk]), follow=True)
    filing.refresh_from_db()
    assert (filing.state, filing.title, filing.version) == (State.SUBMITTED, "上海示例项目", 1)
    assert filing.number.startswith("SL")
    assert f"编号 {filing.number}" in response.content.decode()

    # Staff find it in the queue and pass the audit: its pipeline registers it then.
    client.force_login(staff)
    queue = client.get(reverse("review:queue"), {"kind": "SAMPLE"})
    assert [row["pk"] for row in queue.context["rows"]] == [filing.pk]
    assert "示例备案" in queue.content.decode()
    response = client.post(
        reverse("review:filing-audit", args=[filing.pk]), {"outcome": "pass", "check_complete": "on"}
    )
    assert response.status_code == 302
    filing.refresh_from_db()
    assert (filing.state, filing.registry_number) == (State.REGISTERED, f"沪示备〔{call.year}〕第001号")

    # The public registry lists it, with its kind's name, and opens its entry.
    client.logout()
    registry = client.get(reverse("public:registry"), {"kind": "SAMPLE"})
    assert "上海示例项目" in registry.content.decode()
    assert filing.registry_number in registry.content.decode()
    detail = client.get(reverse("public:registry-detail", args=[filing.pk]))
    assert detail.status_code == 200
    assert "示例备案" in detail.content.decode()
