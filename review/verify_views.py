"""The public page a printed 申请书's QR code opens (SPEC §5).

It confirms which filing and version a paper belongs to and the SHA-256 of the
PDF as issued. It shows no personal data: no names of people, phones, e-mails or
identity numbers, only what the paper itself shows on its cover and header.
"""

import hashlib
import re

from django import forms
from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from filings.models import FilingVersion, VersionDocument
from portal.ratelimits import per_ip

# The alphabet of filings.models.new_verification_code; lower case and separators are forgiven.
CODE = re.compile(r"^[2-9A-HJ-NP-Z]{16}$")


def normalise_code(raw: str) -> str:
    return re.sub(r"[\s\-]", "", raw or "").upper()


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("验证码"), max_length=40, strip=True)


class CompareForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("选择您持有的申请书PDF文件"))


def version_title(version: FilingVersion) -> str:
    # The name printed on that version's paper (the frozen 名称), not today's draft title.
    frozen = (version.data or {}).get("detail", {}).get("name")
    return frozen or version.filing.title or str(version.filing)


def _sha256_of_upload(uploaded) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@require_safe
def verify_form(request):
    form = CodeForm(request.GET or None)
    if form.is_valid():
        return redirect("public:verify", code=normalise_code(form.cleaned_data["code"]))
    return render(request, "public/verify.html", {"form": form})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@per_ip("verify_upload")
def verify(request, code: str):
    code = normalise_code(code)
    version = None
    if CODE.match(code):
        version = FilingVersion.objects.select_related("filing", "filing__call").filter(verification_code=code).first()
    if version is None:
        return render(
            request,
            "public/verify.html",
            {"form": CodeForm(initial={"code": code}), "not_found": _("验证码无效：未找到对应的申请书")},
            status=404,
        )
    document = VersionDocument.objects.filter(version=version).first()
    compare_form, compared = CompareForm(), None
    if request.method == "POST" and document is not None:
        compare_form = CompareForm(request.POST, request.FILES)
        if compare_form.is_valid():
            uploaded = compare_form.cleaned_data["file"]
            if uploaded.size > settings.UPLOAD_MAX_BYTES:
                compare_form.add_error("file", _("文件过大。"))
            else:
                sha256 = _sha256_of_upload(uploaded)
                compared = {"sha256": sha256, "matches": sha256 == document.sha256}
    filing = version.filing
    return render(
        request,
        "public/verify.html",
        {
            "version": version,
            "filing": filing,
            "title": version_title(version),
            "document": document,
            "compare_form": compare_form,
            "compared": compared,
        },
    )
