from django import forms
from django.utils.translation import gettext_lazy as _

from filings import validators
from filings.kinds.alliance.models import AllianceDetail, AllianceMember, AllianceType, MemberCategory, PatentPool


class NormalisingForm(forms.ModelForm):
    """Cleans identity fields through filings.validators, so what is stored is normalised."""

    phone_fields: tuple[str, ...] = ()
    mobile_fields: tuple[str, ...] = ()
    email_fields: tuple[str, ...] = ()
    postcode_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        for names, clean in (
            (self.phone_fields, validators.clean_phone),
            (self.mobile_fields, validators.clean_mobile),
            (self.email_fields, validators.clean_email),
            (self.postcode_fields, validators.clean_postcode),
        ):
            for name in names:
                value = cleaned.get(name)
                if value and name not in self.errors:
                    try:
                        cleaned[name] = clean(value)
                    except forms.ValidationError as error:
                        self.add_error(name, error)
        return cleaned


class CoverForm(NormalisingForm):
    phone_fields = ("contact_phone",)
    mobile_fields = ("contact_mobile",)
    email_fields = ("contact_email",)

    class Meta:
        model = AllianceDetail
        fields = ["contact_name", "contact_title", "contact_phone", "contact_mobile", "contact_email"]
        help_texts = {
            "contact_phone": _("例如：021-23170417"),
            "contact_mobile": _("11位手机号码"),
        }


class BasicForm(NormalisingForm):
    phone_fields = ("corp_phone", "chair_phone", "secretary_phone", "head_phone")
    postcode_fields = ("postcode",)

    class Meta:
        model = AllianceDetail
        fields = [
            "name",
            "address",
            "postcode",
            "founded_on",
            "industry",
            "alliance_type",
            "corp_name",
            "corp_legal_rep",
            "corp_phone",
            "chair_name",
            "chair_phone",
            "chair_title",
            "secretary_name",
            "secretary_phone",
            "secretary_title",
            "head_name",
            "head_phone",
            "head_title",
            "cnipa_filed",
            "third_party_operated",
        ]
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "alliance_type": forms.RadioSelect,
        }
        help_texts = {
            "cnipa_filed": _("已在国家知识产权局备案的联盟，请依据本通知要求重新备案（通知一、7）。"),
            "third_party_operated": _("《产业知识产权联盟建设指南》五（二）优先考虑的情形之一。"),
        }

    # The contact block that fits each 联盟类型 (seed 000 附件 一、基本信息).
    type_blocks = {
        AllianceType.ENTERPRISE: ("corp_name", "corp_legal_rep", "corp_phone"),
        AllianceType.SOCIAL: (
            "chair_name",
            "chair_phone",
            "chair_title",
            "secretary_name",
            "secretary_phone",
            "secretary_title",
        ),
        AllianceType.OTHER: ("head_name", "head_phone", "head_title"),
    }
    type_blocks[AllianceType.COOPERATIVE] = type_blocks[AllianceType.SOCIAL]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance_type"].choices = AllianceType.choices


class CountsForm(forms.ModelForm):
    class Meta:
        model = AllianceDetail
        fields = [
            "std_international",
            "std_national",
            "std_industry",
            "count_enterprise",
            "count_university",
            "count_institute",
            "count_service",
            "count_financial",
            "patent_office_name",
            "patent_staff_count",
            "funding_source",
        ]
        labels = {
            "std_international": _("国际标准（个）"),
            "std_national": _("国家标准（个）"),
            "std_industry": _("行业标准（个）"),
            "count_enterprise": _("企业（个）"),
            "count_university": _("高等学校（个）"),
            "count_institute": _("科研机构（个）"),
            "count_service": _("服务机构（个）"),
            "count_financial": _("金融机构（个）"),
        }


class TextsForm(forms.ModelForm):
    class Meta:
        model = AllianceDetail
        fields = ["tasks_text", "operation_text", "pool_text"]
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in fields}
        help_texts = {
            "tasks_text": _(
                "简要从加强产业关键领域知识产权运营、支撑成员单位创新发展、服务知识产权创新创业三个方面介绍联盟任务。"
            ),
            "operation_text": _(
                "简要介绍联盟内部管理制度、资源共享和收益分配机制、业务培训与人才培养等方面的运行模式。"
            ),
            "pool_text": _(
                "简要介绍联盟专利池（或专利组合）运营情况，包括专利池（或专利组合）专利布局、内部交叉许可和对外打包许可等情况。"
            ),
        }


class DeclarationForm(forms.ModelForm):
    class Meta:
        model = AllianceDetail
        fields = ["declarant_name", "declaration_accepted"]
        labels = {"declarant_name": _("负责人（签名）")}


class EnterpriseMemberForm(forms.ModelForm):
    class Meta:
        model = AllianceMember
        fields = ["name", "amount", "inventions", "utility_models", "designs", "pool_role"]
        labels = {"amount": _("上年度营业收入（万元）")}


class AcademicMemberForm(forms.ModelForm):
    category = forms.ChoiceField(
        label=_("类别"),
        choices=[(MemberCategory.UNIVERSITY, _("高等学校")), (MemberCategory.INSTITUTE, _("科研机构"))],
        # An untouched blank row is skipped, not refused: its preselected category is no change.
        initial=MemberCategory.UNIVERSITY,
    )

    class Meta:
        model = AllianceMember
        fields = ["category", "name", "amount", "inventions", "utility_models", "designs"]
        labels = {"amount": _("上年度科研经费（万元）")}


class ServiceMemberForm(forms.ModelForm):
    category = forms.ChoiceField(
        label=_("类别"),
        choices=[(MemberCategory.SERVICE, _("服务机构")), (MemberCategory.FINANCIAL, _("金融机构"))],
        initial=MemberCategory.SERVICE,
    )

    class Meta:
        model = AllianceMember
        fields = ["category", "name", "amount", "main_business"]
        labels = {"amount": _("上年度营业收入（万元）")}


class PoolForm(forms.ModelForm):
    class Meta:
        model = PatentPool
        fields = ["name", "chain_node", "patent_count", "description"]
