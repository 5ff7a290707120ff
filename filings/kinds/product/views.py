"""The 备案主体 pages: the applicant's (under /filings/) and the staff list (under /review/)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.roles import applicant_required, bureau_required
from filings import selectors
from filings.kinds.product import services
from filings.kinds.product.forms import SubjectForm, YearlyDataForm
from filings.kinds.product.models import ProductSubject, SubjectState
from filings.materials import download_name
from filings.models import ScanState
from filings.states import State

SUBJECT_FIELDS = SubjectForm._meta.fields


@applicant_required
@require_http_methods(["GET", "POST"])
def subject_page(request):
    organisation = request.user.organisation
    subject = ProductSubject.objects.filter(organisation=organisation).first()
    editable = subject is None or subject.state in (SubjectState.DRAFT, SubjectState.RETURNED)
    form = SubjectForm(
        request.POST or None, request.FILES or None, instance=subject or ProductSubject(organisation=organisation)
    )
    if request.method == "POST" and editable and form.is_valid():
        try:
            services.product_subject_submit(
                organisation=organisation,
                actor=request.user,
                data={name: form.cleaned_data[name] for name in SUBJECT_FIELDS},
                pledge_file=form.cleaned_data.get("pledge_upload"),
            )
        except ValidationError as error:
            form.add_error("pledge_upload" if error.code != "wrong_state" else None, error)
        else:
            messages.success(request, _("备案主体信息已提交，请等待审核。审核通过后即可提交备案产品。"))
            return redirect("filings:product-subject")
    # Reached from a product's "备案主体" step: offer the way back to that product.
    filing = selectors.filings_for_applicant(request.user).filter(pk=_int(request.GET.get("filing"))).first()
    return render(
        request,
        "filings/product/subject.html",
        {
            "form": form,
            "subject": subject,
            "editable": editable,
            "organisation": organisation,
            "filing": filing,
            # The organisation's recorded products, each with its yearly data page.
            "registered": selectors.filings_for_applicant(request.user)
            .filter(kind="PRODUCT", state=State.REGISTERED)
            .order_by("-registered_at"),
        },
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@applicant_required
def subject_for_filing(request, pk: int):
    # The "备案主体" step of a product filing: the subject is the organisation's, not the filing's.
    filing = selectors.filing_for_applicant(request.user, pk)
    return redirect(f"{reverse('filings:product-subject')}?filing={filing.pk}")


@applicant_required
def subject_pledge(request):
    subject = ProductSubject.objects.filter(organisation=request.user.organisation).first()
    return _pledge_response(subject)


def _pledge_response(subject):
    # Served only once the virus scan passed it: to staff as to the applicant.
    if subject is None or not subject.pledge or subject.scan_state != ScanState.CLEAN:
        raise Http404
    return FileResponse(
        subject.pledge.open("rb"),
        as_attachment=True,
        filename=download_name(subject.pledge_name, subject.pledge_content_type),
    )


@bureau_required
def staff_subjects(request):
    subjects = (
        ProductSubject.objects.filter(state=SubjectState.PENDING)
        .select_related("organisation")
        .order_by("submitted_at", "pk")
    )
    return render(request, "review/product_subjects.html", {"subjects": subjects})


@bureau_required
def staff_subject_pledge(request, pk: int):
    return _pledge_response(get_object_or_404(ProductSubject, pk=pk))


@bureau_required
@require_POST
def staff_subject_review(request, pk: int):
    subject = get_object_or_404(ProductSubject, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.product_subject_review(
            subject=subject, actor=request.user, approve=approve, comment=request.POST.get("comment", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = _("已通过") if approve else _("已退回")
        messages.success(request, _("备案主体“%(name)s”%(done)s。") % {"name": subject.organisation.name, "done": done})
    return redirect("review:product-subjects")


@applicant_required
@require_http_methods(["GET", "POST"])
def yearly_page(request, pk: int):
    """A registered product's record: last year's economic data, updated each first quarter."""
    filing = selectors.filing_for_applicant(request.user, pk)
    if filing.kind != "PRODUCT":
        raise Http404
    year = services.yearly_update_year()
    current = filing.product_yearly.filter(year=year).first() if year else None
    open_now = year is not None and filing.state == State.REGISTERED
    form = YearlyDataForm(request.POST or None, instance=current) if open_now else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.product_yearly_report(
                filing=filing, actor=request.user, data={name: form.cleaned_data[name] for name in form.Meta.fields}
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已更新%(year)s年度经济数据。") % {"year": year})
            return redirect("filings:product-yearly", pk=pk)
    return render(
        request,
        "filings/product/yearly.html",
        {"filing": filing, "form": form, "year": year, "rows": filing.product_yearly.all()},
    )


PAGE_SIZE = 20


@bureau_required
@require_safe
def staff_yearly_missing(request):
    """Registered records whose yearly update (last year's economic data) is missing."""
    year = services.yearly_update_due_year()
    records = services.records_missing_yearly_update(year=year)
    query = (request.GET.get("q") or "").strip()[:100]
    if query:
        records = records.filter(
            Q(title__icontains=query) | Q(registry_number__icontains=query) | Q(organisation__name__icontains=query)
        )
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "review/product_yearly_missing.html",
        {
            "page": page,
            "year": year,
            "q": query,
            "query": urlencode({"q": query}) if query else "",
            "window_open": services.yearly_update_year() is not None,
        },
    )
