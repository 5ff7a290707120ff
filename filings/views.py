from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import applicant_required
from filings import selectors, services
from filings.models import Call


@applicant_required
def dashboard(request):
    filings = selectors.filings_for_applicant(request.user).order_by("-updated_at")
    page = Paginator(filings, 20).get_page(request.GET.get("page"))
    open_calls = selectors.calls_for_public().filter(closes_at__gt=timezone.now())
    return render(request, "filings/dashboard.html", {"page": page, "open_calls": open_calls})


@applicant_required
@require_POST
def start(request, call_id: int):
    call = get_object_or_404(Call, pk=call_id)
    try:
        filing = services.filing_start(call=call, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("public:home")
    return redirect("filings:detail", pk=filing.pk)


@applicant_required
def detail(request, pk: int):
    filing = selectors.filing_for_applicant(request.user, pk)
    return render(request, "filings/detail.html", {"filing": filing})
