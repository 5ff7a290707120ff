"""The statistics dashboard (SPEC §6): the city bureau sees the city, a district bureau its own area."""

from django.shortcuts import render

from accounts.roles import area_of, oversight_required
from review.statistics import charts, selectors
from review.statistics.calendar import workday_table_ensure
from review.statistics.forms import StatisticsFilterForm


def dashboard_filters(request) -> tuple[StatisticsFilterForm, dict]:
    form = StatisticsFilterForm(request.GET, area=area_of(request.user))
    return form, form.filters()


@oversight_required
def dashboard(request):
    form, filters = dashboard_filters(request)
    workday_table_ensure()
    figures = selectors.dashboard(filters)
    return render(
        request,
        "review/statistics/dashboard.html",
        {
            "form": form,
            "figures": figures,
            "charts": charts.dashboard_charts(figures),
            "area": area_of(request.user),
            "query": request.GET.urlencode(),
        },
    )
