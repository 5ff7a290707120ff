from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from filings import validators
from filings.form_limits import TextLimitMixin
from filings.kinds.product.models import ProductDetail, ProductPatent, ProductSubject, ProductYearlyData, SubjectType


class SubjectForm(TextLimitMixin, forms.ModelForm):
    """The 备案主体's real-name details (seed 003 附件 二.1); the 诚信承诺书 is uploaded beside it."""

    pledge_upload = forms.FileField(
        label=_("诚信承诺书"),
        required=False,
        help_text=_("签字盖章的诚信承诺书扫描件（PDF、JPG 或 PNG）。已上传的，不重新选择则保留原文件。"),
    )

    class Meta:
        model = ProductSubject
        fields = ["subject_type", "legal_representative", "contact_name", "contact_mobile", "contact_email"]
        help_texts = {
            "subject_type": _("备案主体为具备独立法人资格的企业、高校院所、新型研发机构和社会组织。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_type"].choices = [("", _("请选择")), *SubjectType.choices]
        for name in ("subject_type", "legal_representative", "contact_name", "contact_mobile", "contact_email"):
            self.fields[name].required = True

    def clean_contact_mobile(self):
        return validators.clean_mobile(self.cleaned_data["contact_mobile"])

    def clean_contact_email(self):
        return validators.clean_email(self.cleaned_data["contact_email"])


class ProductForm(forms.ModelForm):
    class Meta:
        model = ProductDetail
        fields = ["product_name", "model", "variants", "industry"]
        widgets = {"variants": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "model": _("同一型号或品种的产品作为一件产品备案，例如手机X30型号。"),
            "industry": _("备案产品不受《知识产权（专利）密集型产业统计分类（2019）》中的产业分类限制。"),
        }


class EconomyForm(forms.ModelForm):
    class Meta:
        model = ProductDetail
        fields = ["sales", "exports", "profit", "ip_investment"]


class PatentForm(forms.ModelForm):
    class Meta:
        model = ProductPatent
        fields = ["number", "role", "licence_number", "no_dispute"]
        help_texts = {"licence_number": _("被许可人填写专利实施许可合同备案号；专利权人填“无”。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "ZL 2004 1001 8477.9" as people type it is longer than what is stored: checked once normalised.
        field = self.fields["number"]
        field.max_length = None
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.widget.attrs.pop("maxlength", None)

    def clean_number(self):
        return validators.clean_patent_number(self.cleaned_data["number"])


class YearlyDataForm(TextLimitMixin, forms.ModelForm):
    class Meta:
        model = ProductYearlyData
        fields = ["sales", "exports", "profit", "ip_investment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True
