from django.urls import include, path

from review import expert_views, views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("expert/", expert_views.expert_home, name="expert-home"),
]

from review import publicity_views  # noqa: E402

urlpatterns += [
    path("expert/<int:pk>/", expert_views.expert_score, name="expert-score"),
    path("publicity/", publicity_views.publicity_staff_list, name="publicity-list"),
    path("publicity/new/", publicity_views.publicity_new, name="publicity-new"),
    path("objections/<int:pk>/decide/", publicity_views.objection_decide_view, name="objection-decide"),
    path("objections/<int:pk>/evidence/", publicity_views.objection_evidence, name="objection-evidence"),
]

urlpatterns += [
    path("filing/<int:pk>/", views.filing, name="filing"),
    path("filing/<int:pk>/audit/", views.filing_audit, name="filing-audit"),
    path("filing/<int:pk>/experts/", views.filing_assign, name="filing-assign"),
    path("filing/<int:pk>/decide/", views.filing_decide, name="filing-decide"),
    path("filing/<int:pk>/register/", views.filing_register, name="filing-register"),
]

from filings import kinds  # noqa: E402

# Each kind's own staff pages (filings.kinds.KindSpec.staff_urls).
urlpatterns += [path("", include(spec.staff_urls)) for spec in kinds.all_specs() if spec.staff_urls]
