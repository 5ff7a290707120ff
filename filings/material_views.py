"""The applicant's materials page, and the one door through which stored files go out."""

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts.roles import applicant_required
from filings import kinds, selectors
from filings.materials import (
    MaterialError,
    download_name,
    material_remove,
    material_upload,
    materials_for_filing,
    materials_for_user,
    upload_limit_mb,
)

logger = logging.getLogger(__name__)

# Only a hint to the browser's file picker; the content decides (filings.materials).
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"

# The form field a service refusal belongs to; the rest are about the file.
ERROR_FIELDS = {MaterialError.UNKNOWN_CODE: "code"}


class MaterialUploadForm(forms.Form):
    code = forms.ChoiceField(label=gettext_lazy("材料类别"))
    file = forms.FileField(
        label=gettext_lazy("选择文件"),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, material_specs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(spec.code, f"{spec.code} {spec.label}") for spec in material_specs]
        self.fields["file"].help_text = _("PDF、JPG 或 PNG，单个文件不超过 %(limit)s MB。") % {
            "limit": upload_limit_mb()
        }


def _slots(material_specs, current, filing):
    """Each material kind with its current files, in the order the notice lists them."""
    by_code = {}
    for material in current:
        by_code.setdefault(material.code, []).append(material)
    return [
        {"spec": spec, "files": by_code.get(spec.code, []), "can_upload": spec.accepts_upload(filing)}
        for spec in material_specs
    ]


@applicant_required
def materials(request, pk: int):
    filing = selectors.filing_for_applicant(request.user, pk)
    spec = kinds.get(filing.kind)
    all_specs = spec.materials if spec else []
    # Only what can be uploaded in the filing's present state is offered (M1 after submission).
    material_specs = [m for m in all_specs if m.accepts_upload(filing)]

    if request.method == "POST":
        form = MaterialUploadForm(request.POST, request.FILES, material_specs=material_specs)
        if form.is_valid():
            try:
                material = material_upload(
                    filing=filing,
                    code=form.cleaned_data["code"],
                    uploaded_file=form.cleaned_data["file"],
                    actor=request.user,
                )
            except ValidationError as error:
                if error.code == MaterialError.NOT_EDITABLE:
                    # Submitted meanwhile (another tab, a colleague): the page no longer has a form.
                    messages.error(request, " ".join(error.messages))
                    return redirect("filings:materials", pk=filing.pk)
                form.add_error(ERROR_FIELDS.get(error.code, "file"), error)
            else:
                messages.success(request, _("已上传“%(name)s”。") % {"name": material.original_name})
                return redirect("filings:materials", pk=filing.pk)
    else:
        codes = {material_spec.code for material_spec in material_specs}
        initial = {"code": request.GET["code"]} if request.GET.get("code") in codes else {}
        form = MaterialUploadForm(initial=initial, material_specs=material_specs)

    context = {
        "filing": filing,
        "slots": _slots(all_specs, materials_for_filing(filing), filing),
        "can_upload": bool(material_specs),
        "form": form,
    }
    return render(request, "filings/materials.html", context)


@never_cache
@require_safe
def material_download(request, pk: int, material_id: int):
    # Not found, not yours and not allowed all look the same, so the answer reveals nothing.
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    material = get_object_or_404(materials_for_user(request.user), pk=material_id, filing_id=pk)
    try:
        stream = material.file.open("rb")
    except FileNotFoundError:
        logger.error("material %s: file %s is missing from storage", material.pk, material.file.name)
        raise Http404 from None
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=download_name(material.original_name, material.content_type),
        content_type=material.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@applicant_required
@require_POST
def material_remove_view(request, pk: int, material_id: int):
    filing = selectors.filing_for_applicant(request.user, pk)
    material = get_object_or_404(materials_for_filing(filing), pk=material_id)
    try:
        material_remove(material=material, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已删除“%(name)s”。") % {"name": material.original_name})
    return redirect("filings:materials", pk=filing.pk)
