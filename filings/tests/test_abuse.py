"""Requests built to take the portal down are refused quickly, with a reason."""


import pytest
from django.urls import reverse

from filings.kinds.alliance.models import AllianceDetail, AllianceMember
from filings.tests.alliance_factories import AllianceFilingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def filing(client):
    filing = AllianceFilingFactory()
    client.force_login(filing.created_by)
    return filing


def test_a_formset_posted_with_100000_rows_is_refused_at_once(client, filing, settings):
    data = {
        "enterprises-TOTAL_FORMS": "100000",
        "enterprises-INITIAL_FORMS": "0",
        "enterprises-MIN_NUM_FORMS": "0",
        "enterprises-MAX_NUM_FORMS": "1000000",
    }
    for prefix in ("academic", "services", "financial", "others"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})

    response = client.post(reverse("filings:step", args=[filing.pk, "members"]), data)

    # At most FORMSET_MAX_ROWS rows are built and shown, not 100,000 (5 to 9 s before).
    assert response.status_code == 200
    enterprises = next(fs for fs in response.context["formsets"] if fs.prefix == "enterprises")
    assert len(enterprises.forms) == settings.FORMSET_MAX_ROWS
    assert f"此表最多填写 {settings.FORMSET_MAX_ROWS} 行，请删去多余的行后再保存。" in response.content.decode()
    assert AllianceMember.objects.filter(filing=filing).count() == 0


def test_a_500000_character_text_is_refused_at_the_field(client, filing, settings):
    huge = "联盟" * 250_000

    response = client.post(
        reverse("filings:step", args=[filing.pk, "texts"]),
        {"tasks_text": huge, "operation_text": "", "pool_text": ""},
        headers={"X-Autosave": "1"},
    )

    answer = response.json()
    assert answer["saved"] is False
    assert answer["errors"]["tasks_text"] == [
        f"内容过长：最多 {settings.TEXT_MAX_CHARS} 字，当前 500000 字。请精简后再保存。"
    ]
    assert AllianceDetail.objects.get(pk=filing.pk).tasks_text == ""


def test_a_long_text_within_the_ceiling_is_saved(client, filing, settings):
    text = "联" * settings.TEXT_MAX_CHARS

    response = client.post(
        reverse("filings:step", args=[filing.pk, "texts"]),
        {"tasks_text": text, "operation_text": "", "pool_text": ""},
        headers={"X-Autosave": "1"},
    )

    assert response.json()["saved"] is True
    assert AllianceDetail.objects.get(pk=filing.pk).tasks_text == text


def test_the_text_box_tells_the_browser_its_ceiling(client, filing, settings):
    page = client.get(reverse("filings:step", args=[filing.pk, "texts"])).content.decode()

    assert page.count(f'maxlength="{settings.TEXT_MAX_CHARS}"') == 3


def test_a_body_larger_than_any_upload_is_refused_before_it_is_read(client, settings):
    # The login takes no file; a 200 MB body to it is answered from the headers alone.
    response = client.generic(
        "POST",
        reverse("accounts:login"),
        b"x" * 10,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()
