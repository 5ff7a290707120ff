import html
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from filings import services
from filings.models import Filing
from filings.tests.factories import CallFactory, ClosedCallFactory

pytestmark = pytest.mark.django_db


def test_home_lists_open_calls_with_deadlines_and_closed_ones_as_closed(client):
    open_call = CallFactory(title="开放中的批次")
    closed = ClosedCallFactory(title="已结束的批次")

    response = client.get(reverse("public:home"))

    page = response.content.decode()
    assert [c.pk for c in response.context["open_calls"]] == [open_call.pk]
    assert [c.pk for c in response.context["closed_calls"]] == [closed.pk]
    assert "截止时间：" in page and timezone.localtime(open_call.closes_at).strftime("%Y年%-m月%-d日") in page
    assert page.index("已截止") > page.index("开放中的批次")


def test_closed_call_cannot_be_started(applicant):
    call = ClosedCallFactory()

    with pytest.raises(ValidationError) as raised:
        services.filing_start(call=call, actor=applicant)

    assert raised.value.code == "call_closed"
    assert "已于" in raised.value.messages[0] and "截止受理" in raised.value.messages[0]
    assert not Filing.objects.exists()


def test_closed_call_start_through_the_page_shows_the_message(applicant_client):
    call = ClosedCallFactory()

    response = applicant_client.post(reverse("filings:start", args=[call.pk]), follow=True)

    assert response.status_code == 200
    assert "截止受理，不能再新建申报" in response.content.decode()
    assert not Filing.objects.exists()


def test_call_not_yet_open_cannot_be_started(applicant):
    call = CallFactory(opens_at=timezone.now() + timedelta(days=1), closes_at=timezone.now() + timedelta(days=9))

    with pytest.raises(ValidationError) as raised:
        services.filing_start(call=call, actor=applicant)

    assert raised.value.code == "call_not_open"


def test_only_applicants_may_start_a_filing(staff_client):
    call = CallFactory(kind="ALLIANCE")

    response = staff_client.post(reverse("filings:start", args=[call.pk]))

    assert response.status_code == 403
    assert not Filing.objects.exists()


def test_dashboard_links_each_open_call_to_its_start_page(applicant_client):
    call = CallFactory(kind="ALLIANCE")

    dashboard = applicant_client.get(reverse("filings:dashboard")).content.decode()
    start_url = reverse("filings:start", args=[call.pk])
    page = applicant_client.get(start_url)
    started = applicant_client.post(start_url)

    assert f'href="{start_url}"' in dashboard
    assert page.status_code == 200
    assert "开始填报" in page.content.decode()
    filing = Filing.objects.get()
    assert started["Location"].startswith(reverse("filings:detail", args=[filing.pk]))


def test_login_to_file_returns_to_the_call_not_the_home_page(client, applicant):
    from accounts.tests.factories import PASSWORD

    call = CallFactory(kind="ALLIANCE")
    home = client.get(reverse("public:home")).content.decode()
    login_href = re.search(r'href="([^"]*)">登录后填报', home).group(1)

    response = client.post(html.unescape(login_href), {"username": applicant.email, "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("filings:start", args=[call.pk])
    assert call.title in response.content.decode()
