from django.urls import path

from review.reports import staff_views

# Included under /review/reports/ in the `review` namespace.
urlpatterns = [
    path("", staff_views.report_list, name="reports"),
    path("<int:pk>/", staff_views.report_detail, name="report"),
    path("<int:pk>/decide/", staff_views.report_decide, name="report-decide"),
    path("<int:pk>/files/<int:file_id>/", staff_views.report_file, name="report-file"),
    path("<int:pk>/v<int:number>/pdf/", staff_views.report_document, name="report-document"),
]
