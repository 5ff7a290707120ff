"""The staff queue and a filing's page: the desk where every stage's action is offered."""

import re
from collections import defaultdict
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import bureau_required
from filings import kinds, labels, workflow
from filings.materials import materials_for_filing
from filings.rules import findings_summary
from filings.states import State
from portal.cache import cached_for_state
from portal.pages import render_page
from portal.pagination import CappedPaginator
from review import search
from review.audit.forms import AuditForm
from review.experts import selectors as experts_selectors
from review.experts import services as experts_services
from review.experts.forms import AssignForm, DecideForm
from review.models import BulkRun
from review.queue import selectors, versions
from review.queue.forms import QueueFilterForm

QUEUE_PAGE_SIZE = 25
DIFF_PARAM = re.compile(r"^(\d+)\.\.(\d+)$")
# Refusals that mean the filing moved on under the user's feet: the page they act on is stale.
STALE = {"wrong_state"}


def _query(params: dict, **changes) -> str:
    """The queue's query string with some parameters changed (None drops one); `page` always restarts."""
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "") and k != "page"})


@bureau_required
def queue(request):
    form = QueueFilterForm(request.GET)
    filters = form.filters()
    # What the user asked for, as plain strings, to rebuild links (the call as its id).
    params = {name: request.GET.get(name, "") for name in form.fields if request.GET.get(name)}
    params = {name: value for name, value in params.items() if name in filters}
    counts = selectors.state_counts(filters)
    if counts is None:
        # A broad search or a badge: the list is counted up to a cap, and the tabs carry no numbers.
        paginator = CappedPaginator(selectors.filings_for_staff(filters), QUEUE_PAGE_SIZE, cap=search.SEARCH_CAP)
        # Paging through a search counts it once until the next state change.
        key = "queue-search-count:" + repr(sorted((k, str(v)) for k, v in filters.items() if k != "sort"))
        paginator.count = cached_for_state(key, lambda: paginator.count)
        counts = defaultdict(lambda: None)
    else:
        # The per-state counts (under the same filters) already hold the total: the paginator counts
        # nothing, and pages through positions in the list.
        total = counts[filters["state"]] if filters.get("state") else counts["all"]
        paginator = Paginator(range(total), QUEUE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    filings = selectors.queue_page_rows(filters, (page.number - 1) * QUEUE_PAGE_SIZE, QUEUE_PAGE_SIZE)
    badge_query = _query(params, badge=None)
    objections = selectors.pending_objection_counts([f.id for f in filings])
    rows = selectors.queue_rows(filings, objections)
    tabs = [{"value": "", "label": _("全部"), "count": counts["all"], "url": "?" + _query(params, state=None)}]
    state_labels = labels.state_labels()
    tabs += [
        {
            "value": s.value,
            "label": state_labels[s.value],
            "count": counts[s.value],
            "url": "?" + _query(params, state=s.value),
        }
        for s in selectors.QUEUE_STATES
    ]
    current_sort = filters.get("sort", selectors.QUEUE_DEFAULT_SORT)
    sorts = {}
    for key in selectors.QUEUE_SORTS:
        direction = "desc" if current_sort == f"-{key}" else "asc" if current_sort == key else ""
        following = {"asc": f"-{key}", "desc": key}.get(direction, selectors.QUEUE_SORT_FIRST[key])
        sorts[key] = {"url": "?" + _query(params, sort=following), "direction": direction}
    return render_page(
        request,
        _("审核工作台"),
        "review/queue.html",
        {
            "filter_bar": form.bar(),
            "page": page,
            "rows": rows,
            "today": timezone.localdate(),
            "tabs": tabs,
            "current_state": filters.get("state", ""),
            "sorts": sorts,
            "query": _query(params),
            "badge_query": badge_query,
            "badge_filter": filters.get("badge", ""),
            "badge_label": next(
                (
                    b["message"]
                    for row in rows
                    for b in row["summary"]["badges"]
                    if b.get("rule") == filters.get("badge")
                ),
                filters.get("badge", ""),
            ),
            "bulk_actions": labels.choice_texts(BulkRun.Action),
            # Kept when the filter form is sent again.
            "hidden": {name: params[name] for name in ("sort", "badge") if name in params},
        },
    )


def _diff(request, spec, version_list) -> dict | None:
    raw = request.GET.get("diff")
    if not raw:
        return None
    match = DIFF_PARAM.match(raw)
    by_number = {v.number: v for v in version_list}
    if not match or int(match[1]) not in by_number or int(match[2]) not in by_number:
        return {"error": _("所选版本不存在，请从版本列表中重新选择。")}
    old, new = by_number[int(match[1])], by_number[int(match[2])]
    return {
        "old": old,
        "new": new,
        "changes": versions.version_changes(spec, old.data, new.data),
        "material_changes": versions.materials_changes(old.materials, new.materials, spec),
    }


def _assignment_rows(filing, sheet) -> list[dict]:
    now = timezone.now()
    rows = []
    for assignment in filing.expert_assignments.all():
        if assignment.status != assignment.Status.OPEN:
            status = assignment.get_status_display()
        elif assignment.submitted_at:
            status = _("已提交")
        elif assignment.due_at < now:
            status = _("已逾期")
        else:
            status = _("评审中")
        rows.append(
            {
                "assignment": assignment,
                "status": status,
                "can_withdraw": assignment.status == assignment.Status.OPEN
                and not assignment.submitted_at
                and filing.state == State.EXPERT_REVIEW,
                "scores": [assignment.scores.get(c["key"]) for c in sheet],
            }
        )
    return rows


def _audit_rows(filing, spec) -> list[dict]:
    labels = dict(spec.audit_checklist)
    return [
        {
            "audit": audit,
            "checks": [(labels.get(key, key), ticked) for key, ticked in audit.checklist.items()],
        }
        for audit in filing.audits.select_related("staff", "version").order_by("-created_at", "-id")
    ]


def filing_page(request, filing, *, audit_form=None, assign_form=None, decide_form=None):
    spec = kinds.get(filing.kind)
    version_list = list(filing.versions.select_related("submitted_by").order_by("number"))
    latest = version_list[-1] if version_list else None
    materials_labels = {m.code: m.label for m in spec.materials}
    current_materials = list(materials_for_filing(filing))
    action_labels = {**experts_services.EVENT_LABELS, **{t.action: t.label for t in workflow.TABLE}}
    context = {
        "filing": filing,
        "spec": spec,
        "latest": latest,
        "sections": versions.version_sections(spec, latest.data) if latest else [],
        "frozen_materials": versions.materials_section(latest.materials) if latest else None,
        "kind_templates": [f"review/queue/kinds/{filing.kind.lower()}.html", "review/queue/kinds/generic.html"],
        "findings": versions.findings_for_display(latest.findings if latest else []),
        "summary": findings_summary(latest.findings if latest else []),
        "materials": [{"material": m, "label": materials_labels.get(m.code, "")} for m in current_materials],
        # The signed scan arrives after submission: the audit shows whether it is there yet.
        "scans": [
            {"spec": m, "arrived": any(c.code == m.code for c in current_materials)}
            for m in spec.materials
            if m.after_submission
        ],
        "versions": version_list,
        "diff_choices": [
            (f"{a.number}..{b.number}", _("第 %(a)s 版 → 第 %(b)s 版") % {"a": a.number, "b": b.number})
            for i, a in enumerate(version_list)
            for b in version_list[i + 1 :]
        ],
        "diff": _diff(request, spec, version_list),
        "diff_param": request.GET.get("diff", ""),
        "events": [
            {"event": e, "label": action_labels.get(e.action, e.action)}
            for e in filing.events.select_related("actor").order_by("-created_at", "-id")
        ],
        "audits": _audit_rows(filing, spec),
        "publicity": filing.publicity_entries.select_related("batch").order_by("-batch__starts_on"),
        "objections": list(selectors.objections_for_filing(filing)),
    }
    # A form sent back with errors is shown whatever the state, so that its errors are seen.
    if filing.state == State.SUBMITTED or audit_form is not None:
        context["audit_form"] = audit_form or AuditForm(checklist=spec.audit_checklist)
    in_review = filing.state == State.EXPERT_REVIEW
    if in_review or filing.expert_assignments.all():
        sheet = experts_services.score_sheet(filing.call)
        context.update(
            sheet=sheet,
            assignments=_assignment_rows(filing, sheet),
            review_summary=experts_services.review_summary(filing),
        )
    open_count = sum(1 for a in filing.expert_assignments.all() if a.status == a.Status.OPEN)
    if (in_review and open_count < filing.call.expert_count) or assign_form is not None:
        context["assign_form"] = assign_form or AssignForm(experts=experts_selectors.experts_for_assignment(filing))
    if in_review or decide_form is not None:
        context["decide_form"] = decide_form or DecideForm()
    context["can_register"] = filing.state == State.PUBLICITY
    return render(request, "review/queue/filing.html", context)


@bureau_required
def filing(request, pk: int):
    return filing_page(request, selectors.filing_for_staff(pk))


def stale_redirect(request, error: ValidationError, pk: int):
    """Somebody else acted first: say so and show the filing as it is now."""
    messages.error(request, " ".join(error.messages))
    return redirect("review:filing", pk=pk)
