import re

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from filings import validators
from filings.kinds.consortium.models import (
    TARGET_COLUMNS,
    TARGET_METRICS,
    ConsortiumDetail,
    ConsortiumMember,
    ConsortiumPartner,
    Gender,
    Industry,
    UnitNature,
)
from filings.kinds.consortium.rules import capability_max_chars, plan_max_chars

_BANK_ACCOUNT = re.compile(r"\d{8,32}")


def clean_bank_account(value: str) -> str:
    """Digits only: spaces and hyphens people copy from a bank slip are dropped."""
    account = re.sub(r"[\s\-]", "", validators.normalise_text(value))
    if not _BANK_ACCOUNT.fullmatch(account):
        raise forms.ValidationError(_("银行账号应为8至32位数字。"), code="bank_account_invalid")
    return account


def relax_length(field: forms.CharField) -> None:
    """What people type may be longer than what is stored ("3101 1519…", "+86 138-…"):
    the length is checked after the value is normalised, by the model field."""
    field.max_length = None
    field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
    field.widget.attrs.pop("maxlength", None)


class NormalisingForm(forms.ModelForm):
    """Cleans identity fields through filings.validators, so what is stored is normalised."""

    cleaners: dict[str, object] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.cleaners:
            relax_length(self.fields[name])

    def clean(self):
        cleaned = super().clean()
        for name, clean in self.cleaners.items():
            value = cleaned.get(name)
            if value and name not in self.errors:
                try:
                    cleaned[name] = clean(value)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned


PEOPLE = (
    ("legal_rep", _("单位法人")),
    ("leader", _("项目负责人")),
    ("contact", _("项目联系人")),
)
PERSON_COLUMNS = (
    ("name", _("姓名")),
    ("id", _("身份证号码")),
    ("mobile", _("电话（手机）")),
    ("email", _("电子邮箱")),
)
PERSON_FIELDS = [f"{who}_{column}" for who, _label in PEOPLE for column, _heading in PERSON_COLUMNS]


class BasicForm(NormalisingForm):
    cleaners = {
        "uscc": validators.clean_uscc,
        "postcode": validators.clean_postcode,
        "bank_account": clean_bank_account,
        **{f"{who}_id": validators.clean_ric for who, _label in PEOPLE},
        **{f"{who}_mobile": validators.clean_mobile for who, _label in PEOPLE},
        **{f"{who}_email": validators.clean_email for who, _label in PEOPLE},
    }

    class Meta:
        model = ConsortiumDetail
        fields = [
            "unit_name",
            "is_park",
            "park_company",
            "unit_nature",
            "uscc",
            "already_undertaking",
            "bank_name",
            "bank_account",
            "address",
            "postcode",
            *PERSON_FIELDS,
            "main_business",
            "industry",
            "industry_other",
        ]
        widgets = {
            "main_business": forms.Textarea(attrs={"rows": 3}),
            "unit_nature": forms.RadioSelect,
        }
        help_texts = {
            "unit_name": _("如为园区，填写园区名称，并勾选下一项、补充管理公司名称。"),
            "park_company": _("如为园区，则补充管理公司名称，如“xx园区；xx公司”。"),
            "uscc": _("18位，已按注册单位预填。"),
            "already_undertaking": _("已承接浦东、徐汇相同项目的，开户银行和银行账号不用填。"),
            "bank_name": _("（公益1类事业单位或已承接浦东、徐汇相同项目的不用填）"),
            "bank_account": _("（公益1类事业单位或已承接浦东、徐汇相同项目的不用填）"),
            "industry": _(
                "重点支持集成电路、生物医药、人工智能三大先导产业和新能源汽车、高端装备、航空航天、"
                "信息通信、新材料、新兴数字六大重点产业。"
            ),
            "industry_other": _("所属产业选“其他”时填写。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No empty "---------" radio: a choice is made or the field stays blank.
        self.fields["unit_nature"].choices = UnitNature.choices
        self.fields["industry"].choices = [("", _("请选择")), *Industry.choices]
        # 人员信息 is a table on the form: its cells show no label of their own but are named by it.
        for name in PERSON_FIELDS:
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"

    person_columns = [heading for _column, heading in PERSON_COLUMNS]

    def person_rows(self) -> list[dict]:
        return [
            {"label": label, "cells": [self[f"{who}_{column}"] for column, _heading in PERSON_COLUMNS]}
            for who, label in PEOPLE
        ]


class PartnersDetailForm(forms.ModelForm):
    class Meta:
        model = ConsortiumDetail
        fields = ["cooperation_patents"]
        labels = {"cooperation_patents": _("产学研合作已产生的专利成果数量（件）")}
        help_texts = {
            "cooperation_patents": _("与上列合作单位开展产学研合作已产生的专利成果总数（同一件专利只计一次）。"),
        }


class PartnerForm(forms.ModelForm):
    class Meta:
        model = ConsortiumPartner
        fields = ["name", "started_on", "content", "patents"]
        widgets = {"started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {"patents": _("由此产生的专利数量（件）")}


def _max_chars_textarea(limit: int, rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "data-max-chars": str(limit)})


class CapabilityForm(forms.ModelForm):
    """R&D figures for a unit (CO-3) or the park's (CO-4), and the capability text (CO-6)."""

    UNIT_FIELDS = ("rd_spending", "rd_staff", "rd_results")
    PARK_FIELDS = ("park_entities", "park_leaders", "park_university_cooperation")

    class Meta:
        model = ConsortiumDetail
        fields = [
            "rd_spending",
            "rd_staff",
            "rd_results",
            "park_entities",
            "park_leaders",
            "park_university_cooperation",
            "capability_text",
        ]
        labels = {"rd_staff": _("研发人员数量（人）"), "park_entities": _("区域内集聚产业创新主体数量（家）")}
        widgets = {
            "rd_results": forms.Textarea(attrs={"rows": 3}),
            "park_leaders": forms.Textarea(attrs={"rows": 3}),
            "park_university_cooperation": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "rd_spending": _("上年度研发投入。"),
            "rd_results": _("主要研发成果，如专利、标准、新产品、获奖等。"),
            "park_leaders": _("在产业链关键节点上拥有的产业领军企业及其所处节点。"),
            "park_university_cooperation": _("与高校、科研院所建立产学研合作关系的情况。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the block of the unit's own kind is asked (it is chosen in 申报单位基本信息):
        # leaving the other out of the form also leaves its stored values alone.
        for name in self.UNIT_FIELDS if self.instance.is_park else self.PARK_FIELDS:
            del self.fields[name]
        limit = capability_max_chars()
        self.fields["capability_text"].widget = _max_chars_textarea(limit, 12)
        self.fields["capability_text"].help_text = _(
            "包括但不限于申报单位简介、公司人员构成、产学研合作情况、知识产权运营能力条件简述、"
            "知识产权运营转化工作实际开展状况和成效简述、所获荣誉奖项等，%(limit)d字以内"
            "（除空格、换行外，每个字符计1字）。"
        ) % {"limit": limit}


class PlanForm(forms.ModelForm):
    TARGET_FIELDS = [f"{metric}_{column}" for metric, _label, _unit in TARGET_METRICS for column, _c in TARGET_COLUMNS]

    class Meta:
        model = ConsortiumDetail
        fields = [
            "plan_text",
            *[f"{metric}_{column}" for metric, _label, _unit in TARGET_METRICS for column, _c in TARGET_COLUMNS],
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = plan_max_chars()
        self.fields["plan_text"].widget = _max_chars_textarea(limit, 16)
        self.fields["plan_text"].help_text = _(
            "包括但不限于具体建设任务、管理运行机制、进度安排、资金使用计划、绩效目标、保障措施等，"
            "不超过%(limit)d字（除空格、换行外，每个字符计1字），详细内容可作为附件附后。"
        ) % {"limit": limit}
        for name in self.TARGET_FIELDS:
            widget = self.fields[name].widget
            widget.attrs.update({"class": "form-control form-control-sm", "aria-label": str(self.fields[name].label)})

    def target_rows(self) -> list[dict]:
        """The 绩效目标 table: one row per metric, its three cells as bound fields."""
        return [
            {"label": label, "unit": unit, "cells": [self[f"{metric}_{column}"] for column, _c in TARGET_COLUMNS]}
            for metric, label, unit in TARGET_METRICS
        ]


class LeaderForm(NormalisingForm):
    cleaners = {"leader_phone": validators.clean_phone}

    class Meta:
        model = ConsortiumDetail
        fields = [
            "leader_gender",
            "leader_education",
            "leader_title",
            "leader_specialty",
            "leader_department",
            "leader_position",
            "leader_phone",
        ]
        widgets = {"leader_gender": forms.RadioSelect}
        help_texts = {"leader_phone": _("例如：021-23170417")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader_gender"].choices = Gender.choices


class MemberForm(forms.ModelForm):
    class Meta:
        model = ConsortiumMember
        fields = ["name", "id_number", "department", "title", "education", "specialty", "task"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        relax_length(self.fields["id_number"])

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number")
        return validators.clean_ric(value) if value else value


class DeclarationForm(forms.ModelForm):
    class Meta:
        model = ConsortiumDetail
        fields = ["declaration_accepted"]
        labels = {"declaration_accepted": _("申报单位承诺及意见：所提交的资料真实有效，并自愿承担相应责任。同意申报。")}
