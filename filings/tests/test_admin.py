"""The Django admin as bureau staff use it: readable in Chinese, no raw JSON."""

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, StaffFactory
from filings.admin import CallAdminForm
from filings.tests.factories import CallFactory

pytestmark = pytest.mark.django_db


def test_the_score_sheet_is_edited_as_lines_not_json(client):
    call = CallFactory(score_sheet=[{"key": "pools", "label": "专利池运营", "max": 25}])
    client.force_login(StaffFactory())

    page = client.get(reverse("admin:filings_call_change", args=[call.pk])).content.decode()

    assert "专利池运营｜25</textarea>" in page
    assert '"key"' not in page and "&quot;key&quot;" not in page


def test_the_score_sheet_lines_keep_known_keys_and_number_new_ones():
    call = CallFactory(score_sheet=[{"key": "pools", "label": "专利池运营", "max": 25}])
    form = CallAdminForm(instance=call)
    data = {name: form[name].value() for name in form.fields}
    data.update(
        opens_at=call.opens_at.strftime("%Y-%m-%d %H:%M:%S"),
        closes_at=call.closes_at.strftime("%Y-%m-%d %H:%M:%S"),
        score_sheet="专利池运营｜25\n成员结构|20\n\n章程完备性\t15.5",
    )

    form = CallAdminForm(data, instance=call)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["score_sheet"] == [
        {"key": "pools", "label": "专利池运营", "max": 25},
        {"key": "c2", "label": "成员结构", "max": 20},
        {"key": "c3", "label": "章程完备性", "max": 15.5},
    ]


@pytest.mark.parametrize("line", ["专利池运营", "专利池运营｜二十", "｜25", "专利池运营｜0"])
def test_a_score_sheet_line_without_a_positive_maximum_is_refused_in_chinese(line):
    form = CallAdminForm({"score_sheet": line})

    form.is_valid()

    assert form.errors["score_sheet"] == ["第1行应为“评审项｜满分”，满分为正数，例如：专利池（或专利组合）运营｜25"]


def test_the_login_protection_is_named_in_chinese(client):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(username="zhang@example.cn", ip_address="10.0.0.1", failures_since_start=3)
    client.force_login(AdminFactory())

    index = client.get(reverse("admin:index")).content.decode()
    attempts = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()

    assert "登录保护" in index and "登录尝试" in index
    assert "Axes" not in index and "Access attempts" not in index
    assert "IP地址" in attempts and "IP Address" not in attempts
