from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from filings import validators
from filings.kinds.cluster.models import (
    TARGET_COLUMNS,
    TARGET_METRICS,
    TASKS,
    ClusterDetail,
    ClusterPartner,
    Recognition,
)

TARGET_FIELDS = [f"{metric}_{column}" for metric, _label, _unit in TARGET_METRICS for column, _c in TARGET_COLUMNS]


class ParkForm(forms.ModelForm):
    class Meta:
        model = ClusterDetail
        fields = [
            "park_name",
            "manager_name",
            "district",
            "recognition",
            "recognition_document",
            "is_ip_demo_park",
            "leading_industries",
            "hitech_count",
            "sme_count",
        ]
        help_texts = {
            "manager_name": _("园区管理机构（管理公司或管委会）的名称。"),
            "recognition": _(
                "申报对象为获得认定的市级以上高新技术产业开发区、经济技术开发区等产业园区。"
                "请在“申报材料”中上传园区认定文件。"
            ),
            "is_ip_demo_park": _("市级以上知识产权试点示范园区优先。"),
            "leading_industries": _("园区主导产业应符合国家和本市重点发展方向，并具有一定规模。"),
            "hitech_count": _(
                "位于中心城区和崇明区的园区应有不少于20家的高新技术企业，不少于200家的中小微企业；"
                "其它区域的园区应有不少于50家的高新技术企业，不少于300家的中小微企业。"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("请选择")), *District.choices]
        self.fields["recognition"].choices = [("", _("请选择")), *Recognition.choices]


class IpForm(forms.ModelForm):
    class Meta:
        model = ClusterDetail
        fields = ["ip_department", "ip_staff", "ip_policies", "ip_funding"]
        widgets = {"ip_policies": forms.Textarea(attrs={"rows": 4}), "ip_funding": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "ip_department": _("园区知识产权管理部门及相关工作人员健全。"),
            "ip_policies": _("园区已出台的知识产权政策措施。"),
            "ip_funding": _("知识产权工作经费的来源、金额和用途，说明经费保障情况。"),
        }


class PartnerForm(forms.ModelForm):
    class Meta:
        model = ClusterPartner
        fields = ["name", "uscc", "agreement_date"]
        widgets = {"agreement_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "9131 0115 …" as people type it is longer than what is stored: checked once normalised.
        field = self.fields["uscc"]
        field.max_length = None
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.widget.attrs.pop("maxlength", None)

    def clean_uscc(self):
        value = self.cleaned_data.get("uscc")
        return validators.clean_uscc(value) if value else value


class ServicePartnerForm(PartnerForm):
    class Meta(PartnerForm.Meta):
        fields = ["name", "uscc", "agreement_date", "dual_certified_staff", "dual_certified_names"]


class CreditForm(forms.ModelForm):
    class Meta:
        model = ClusterDetail
        fields = ["no_bad_credit", "no_mass_infringement"]


class TasksForm(forms.ModelForm):
    class Meta:
        model = ClusterDetail
        fields = [name for name, _title, _help in TASKS]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name, _title, _help in TASKS}


class TargetsForm(forms.ModelForm):
    class Meta:
        model = ClusterDetail
        fields = [*TARGET_FIELDS, "high_value_target"]
        widgets = {"high_value_target": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "high_value_target": _(
                "开展高价值专利培育工作，推动每万人口高价值发明专利拥有量逐年上升，其中专利海外布局数量显著增长。"
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in TARGET_FIELDS:
            widget = self.fields[name].widget
            widget.attrs.update({"class": "form-control form-control-sm", "aria-label": str(self.fields[name].label)})

    def target_rows(self) -> list[dict]:
        """The 工作绩效 table: one row per metric, its four cells as bound fields."""
        return [
            {"label": label, "unit": unit, "cells": [self[f"{metric}_{column}"] for column, _c in TARGET_COLUMNS]}
            for metric, label, unit in TARGET_METRICS
        ]

    target_columns = [heading for _column, heading in TARGET_COLUMNS]


class DeclarationForm(forms.ModelForm):
    class Meta:
        model = ClusterDetail
        fields = ["declaration_accepted"]
        labels = {"declaration_accepted": _("申报单位承诺及意见：所提交的资料真实有效，并自愿承担相应责任。同意申报。")}
