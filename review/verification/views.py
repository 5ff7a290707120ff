"""The public page a printed 申请书's QR code opens (SPEC §5).

It confirms which filing and version a paper belongs to and the SHA-256 of the
PDF as issued; an uploaded file is compared with it and its digital signatures checked. It shows no personal data: no names of people, phones, e-mails or
identity numbers, only what the paper itself shows on its cover and header.
"""

import hashlib

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.roles import bureau_required
from filings.models import FilingVersion, Material, VersionDocument
from filings.signing import SignatureError, signatures_of, signed_version_number
from portal.ratelimits import per_ip
from review.verification.forms import CODE, CodeForm, CompareForm, normalise_code


def version_title(version: FilingVersion) -> str:
    # The name printed on that version's paper (the frozen 名称), not today's draft title.
    frozen = (version.data or {}).get("detail", {}).get("name")
    return frozen or version.filing.title or str(version.filing)


def _sha256_of_upload(uploaded) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def _signatures(uploaded) -> dict:
    """The signatures in an uploaded PDF, each checked (intact, who, when, trusted)."""
    uploaded.seek(0)
    data = uploaded.read()
    if not data.startswith(b"%PDF-"):
        return {"signatures": [], "signature_error": _("该文件不是 PDF，无法检查数字签名。")}
    try:
        return {"signatures": signatures_of(data), "signature_error": ""}
    except SignatureError:
        return {"signatures": [], "signature_error": _("该文件已损坏或不是有效的 PDF，无法检查数字签名。")}


@require_safe
def verify_form(request):
    form = CodeForm(request.GET or None)
    if form.is_valid():
        return redirect("public:verify", code=normalise_code(form.cleaned_data["code"]))
    return render(request, "public/verification/verify.html", {"form": form})


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
            "public/verification/verify.html",
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
                compared = {"sha256": sha256, "matches": sha256 == document.sha256, **_signatures(uploaded)}
    filing = version.filing
    return render(
        request,
        "public/verification/verify.html",
        {
            "version": version,
            "filing": filing,
            "title": version_title(version),
            "document": document,
            "compare_form": compare_form,
            "compared": compared,
        },
    )


@bureau_required
@require_safe
def material_signature(request, pk: int, material_id: int):
    """For staff: the digital signatures of an uploaded PDF material (a signed 申请书 as M1),
    their certificates, and which submitted version the signed file is."""
    material = get_object_or_404(
        Material.objects.select_related("filing"), pk=material_id, filing_id=pk, content_type="application/pdf"
    )
    with material.file.open("rb") as stream:
        data = stream.read()
    try:
        signatures, error = signatures_of(data), ""
    except SignatureError:
        signatures, error = [], _("该文件已损坏或不是有效的 PDF，无法检查数字签名。")
    context = {
        "material": material,
        "filing": material.filing,
        "signatures": signatures,
        "error": error,
        "signed_version": signed_version_number(filing=material.filing, data=data) if signatures else None,
    }
    return render(request, "review/verification/material_signature.html", context)
