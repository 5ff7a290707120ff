"""Control characters are stripped from every form's text at the field (portal.text)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Organisation, User
from accounts.tests.test_registration import form_data
from filings.kinds.consortium.forms import CapabilityForm
from review.publicity.forms import ObjectionForm

RLO, LRI, PDI, ZWSP = "\u202e", "\u2066", "\u2069", "\u200b"


@pytest.mark.django_db
def test_registration_strips_line_breaks_and_bidi_controls_from_names(client):
    response = client.post(
        reverse("accounts:register"),
        form_data(org_name=f"上海{RLO}新注册\r\n科技有限公司", name=f"陈{LRI}用户{PDI}\x00", contact_name="陈\t联系"),
    )

    assert response.status_code == 302
    assert Organisation.objects.get().name == "上海新注册科技有限公司"
    assert Organisation.objects.get().contact_name == "陈联系"
    assert User.objects.get().name == "陈用户"


def test_one_line_field_of_a_public_form_loses_every_control():
    field = ObjectionForm(entries=[]).fields["name"]

    assert field.clean(f"{RLO}吴异议{ZWSP}\r\nBcc: x@example.com") == "吴异议Bcc: x@example.com"


def test_multi_line_text_keeps_its_line_breaks_but_not_bidi_controls():
    field = ObjectionForm(entries=[]).fields["reasons"]

    assert field.clean(f"第一段{RLO}理由\r\n第二段\x07理由") == "第一段理由\r\n第二段理由"


def test_filing_form_text_is_stripped_the_same_way():
    form = CapabilityForm()
    textarea = next(name for name, field in form.fields.items() if field.widget.__class__.__name__ == "Textarea")

    assert form.fields[textarea].clean(f"能力{RLO}说明\n第二行") == "能力说明\n第二行"


def test_a_field_of_nothing_but_controls_is_empty_and_so_required():
    field = ObjectionForm(entries=[]).fields["name"]

    with pytest.raises(ValidationError, match="这个字段是必填项"):
        field.clean(f"{RLO}\r\n{ZWSP}")
