from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Area
from review.directory.models import KeyList


class _Bootstrap:
    def style(self):
        for form_field in self.fields.values():
            select = isinstance(form_field.widget, forms.Select)
            form_field.widget.attrs.setdefault("class", "form-select" if select else "form-control")


class KeyListForm(_Bootstrap, forms.ModelForm):
    class Meta:
        model = KeyList
        fields = ["name", "deadline", "note"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class KeyEntryForm(_Bootstrap, forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=200)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, min_length=18)
    area = forms.ChoiceField(label=_("所在区"), choices=Area.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class ImportForm(_Bootstrap, forms.Form):
    file = forms.FileField(
        label=_("目录清单文件（.xlsx）"),
        help_text=_("请使用本页提供的模板；任一行有误时整个文件不导入，并列出有误的行。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class EntryFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    status = forms.ChoiceField(
        required=False,
        choices=[("", _("全部")), ("registered", _("已备案")), ("in_progress", _("备案办理中")), ("none", _("未备案"))],
    )
