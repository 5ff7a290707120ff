from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.roles import bureau_required, expert_required
from review import selectors


@bureau_required
def queue(request):
    filings = selectors.filings_for_staff()
    page = Paginator(filings, 25).get_page(request.GET.get("page"))
    return render(request, "review/queue.html", {"page": page})


@expert_required
def expert_home(request):
    return render(request, "review/expert_home.html", {})
