"""axe-core on every page of the portal's own templates, for each role (WCAG 2 A/AA rules).

The demo data gives every page something to show: filings at every review stage, a running
公示 with the public list, registry entries, expert assignments. The applicant also gets a
draft of each kind. A page passes when axe finds no serious or critical violation.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from filings import kinds
from filings.models import Call, Filing
from filings.states import State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}
axe = Axe()


@pytest.fixture
def demo(settings, tmp_path):
    from django.test.utils import override_settings

    from filings import services
    from review import demo

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        demo.load()
        applicant = get_user_model().objects.get(email="applicant@demo.example")
        for call in Call.objects.filter(closes_at__gt=Call.objects.order_by("closes_at").last().opens_at):
            if call.is_open() and kinds.is_available(call.kind):
                services.filing_start(call=call, actor=applicant)
    return applicant


def violations(page, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status in (200, 404), (url, response and response.status)
    results = axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def sign_in(page, live_server, email: str) -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def audit(page, urls: list[str]) -> dict[str, list[str]]:
    found = {}
    for url in dict.fromkeys(urls):
        problems = violations(page, url)
        if problems:
            found[url] = problems
    return found


def public_urls() -> list[str]:
    from review.models import PublicityBatch

    urls = [
        reverse("public:home"),
        reverse("public:publicity-list"),
        reverse("public:registry"),
        reverse("public:verify-form"),
        reverse("accounts:login"),
        reverse("accounts:register"),
        reverse("accounts:password_reset"),
        reverse("accounts:password_reset_done"),
        reverse("accounts:password_reset_complete"),
        "/no-such-page/",
    ]
    urls += [reverse("public:publicity-detail", args=[b.pk]) for b in PublicityBatch.objects.all()[:2]]
    registered = Filing.objects.filter(state=State.REGISTERED).first()
    if registered is not None:
        urls.append(reverse("public:registry-detail", args=[registered.pk]))
    version = Filing.objects.exclude(versions=None).first().versions.first()
    urls.append(reverse("public:verify", args=[version.verification_code]))
    return urls


def applicant_urls(applicant) -> list[str]:
    urls = [
        reverse("filings:dashboard"),
        reverse("filings:product-subject"),
        reverse("accounts:colleagues"),
        reverse("accounts:password_change"),
    ]
    for call in Call.objects.all():
        urls.append(reverse("filings:start", args=[call.pk]))
    for filing in Filing.objects.filter(organisation=applicant.organisation):
        urls.append(reverse("filings:detail", args=[filing.pk]))
        for step in kinds.get(filing.kind).steps:
            urls.append(
                reverse(step.url_name, args=[filing.pk])
                if step.url_name
                else reverse("filings:step", args=[filing.pk, step.slug])
            )
    return urls


def returned_applicant_urls(filing) -> list[str]:
    return [reverse("filings:dashboard"), reverse("filings:detail", args=[filing.pk])]


def lodged_objection():
    from review.models import PublicityEntry
    from review.publicity import services as review_services

    entry = PublicityEntry.objects.filter(filing__state=State.PUBLICITY).first()
    return review_services.objection_lodge(
        entry=entry,
        name="赵异议",
        organisation="上海某科技有限公司",
        phone="13812340000",
        email="zhao@example.cn",
        reasons="该联盟成员名单与实际不符。",
    )


def staff_urls() -> list[str]:
    urls = [
        reverse("review:objection-decide", args=[lodged_objection().pk]),
        reverse("review:queue"),
        reverse("review:publicity-list"),
        reverse("review:publicity-new"),
        reverse("review:product-subjects"),
    ]
    urls += [f"{reverse('review:queue')}?state={state}" for state in State.values]
    for state in State.values:
        filing = Filing.objects.filter(state=state).exclude(state=State.DRAFT).first()
        if filing is not None:
            urls.append(reverse("review:filing", args=[filing.pk]))
    return urls


def expert_urls(email: str) -> list[str]:
    from review.models import ExpertAssignment

    urls = [reverse("review:expert-home")]
    urls += [reverse("review:expert-score", args=[a.pk]) for a in ExpertAssignment.objects.filter(expert__email=email)]
    return urls


def test_public_pages_have_no_serious_accessibility_violation(page, demo):
    assert audit(page, public_urls()) == {}


def test_applicant_pages_have_no_serious_accessibility_violation(page, live_server, demo):
    sign_in(page, live_server, demo.email)

    assert audit(page, applicant_urls(demo)) == {}


def test_a_returned_filing_has_no_serious_accessibility_violation(page, live_server, demo):
    filing = Filing.objects.filter(state=State.RETURNED).first()
    sign_in(page, live_server, filing.created_by.email)

    assert audit(page, returned_applicant_urls(filing)) == {}


def test_staff_pages_have_no_serious_accessibility_violation(page, live_server, demo):
    sign_in(page, live_server, "staff@demo.example")

    assert audit(page, staff_urls()) == {}


def test_expert_pages_have_no_serious_accessibility_violation(page, live_server, demo):
    sign_in(page, live_server, "expert1@demo.example")

    assert audit(page, expert_urls("expert1@demo.example")) == {}
