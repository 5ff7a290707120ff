"""The staff and expert pages under /review/, by the stage of the process they serve."""

from django.urls import include, path

from filings import kinds
from review.audit import views as audit_views
from review.bulk import views as bulk_views
from review.directory import views as directory_views
from review.district import views as district_views
from review.experts import views as experts_views
from review.publicity import views as publicity_views
from review.queue import export as queue_export
from review.queue import views as queue_views
from review.registry import views as registry_views
from review.statistics import views as statistics_views
from review.verification import views as verification_views

app_name = "review"

urlpatterns = [
    # The queue and a filing's page, where every stage's action is taken.
    path("", queue_views.queue, name="queue"),
    path("filing/<int:pk>/", queue_views.filing, name="filing"),
    path("export.xlsx", queue_export.queue_export, name="queue-export"),
    # Material audit.
    path("filing/<int:pk>/audit/", audit_views.filing_audit, name="filing-audit"),
    # Expert review.
    path("filing/<int:pk>/experts/", experts_views.filing_assign, name="filing-assign"),
    path("filing/<int:pk>/decide/", experts_views.filing_decide, name="filing-decide"),
    path("expert/", experts_views.expert_home, name="expert-home"),
    path("expert/<int:pk>/", experts_views.expert_score, name="expert-score"),
    path("expert/<int:pk>/decline/", experts_views.expert_decline, name="expert-decline"),
    path("assignment/<int:pk>/withdraw/", experts_views.assignment_withdraw, name="assignment-withdraw"),
    # Publicity.
    path("publicity/", publicity_views.publicity_staff_list, name="publicity-list"),
    path("publicity/new/", publicity_views.publicity_new, name="publicity-new"),
    path("objections/<int:pk>/decide/", publicity_views.objection_decide_view, name="objection-decide"),
    path("objections/<int:pk>/evidence/", publicity_views.objection_evidence, name="objection-evidence"),
    # Bulk actions from the queue.
    path("bulk/", bulk_views.bulk_runs, name="bulk-runs"),
    path("bulk/preview/", bulk_views.bulk_preview, name="bulk-preview"),
    path("bulk/confirm/", bulk_views.bulk_confirm, name="bulk-confirm"),
    path("bulk/<int:pk>/", bulk_views.bulk_run, name="bulk-run"),
    # Registry.
    path("filing/<int:pk>/register/", registry_views.filing_register, name="filing-register"),
    # Yearly reports after 立项.
    path("reports/", include("review.reports.staff_urls")),
    # A digitally signed material's signatures and certificates.
    path(
        "filing/<int:pk>/materials/<int:material_id>/signature/",
        verification_views.material_signature,
        name="material-signature",
    ),
    # Programme oversight (seed 003 三): statistics, for the bureau and district bureaus.
    path("statistics/", statistics_views.dashboard, name="statistics"),
    path("statistics.xlsx", statistics_views.dashboard_xlsx, name="statistics-xlsx"),
    path("bulletins/", statistics_views.bulletins, name="bulletins"),
    path("bulletins/<int:pk>/retry/", statistics_views.bulletin_retry, name="bulletin-retry"),
    path("bulletins/<int:pk>.pdf", statistics_views.bulletin_pdf, name="bulletin-pdf"),
    path("bulletins/<int:pk>.xlsx", statistics_views.bulletin_xlsx, name="bulletin-xlsx"),
    # The key-enterprise directory (先导产业和重点企业专利产品备案目录清单).
    path("directory/", directory_views.coverage, name="coverage"),
    path("directory/new/", directory_views.key_list_new, name="key-list-new"),
    path("directory/template.xlsx", directory_views.import_template, name="key-list-template"),
    path("directory/import/", directory_views.import_entries, name="key-list-import"),
    path("directory/<int:pk>/", directory_views.key_list, name="key-list"),
    path("directory/<int:pk>/entries/", directory_views.key_entry_new, name="key-entry-new"),
    path("directory/<int:pk>/remind/", directory_views.key_list_remind, name="key-list-remind"),
    # District bureaus: their own area's filings, read-only.
    path("district/", district_views.filings, name="district-filings"),
    path("district/<int:pk>/", district_views.filing, name="district-filing"),
]

# Each kind's own staff pages (filings.kinds.KindSpec.staff_urls).
urlpatterns += [path("", include(spec.staff_urls)) for spec in kinds.all_specs() if spec.staff_urls]
