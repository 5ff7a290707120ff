"""Writes of the applicant side. Each is one function, keyword-only, atomic."""

import copy

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from filings import kinds, outbox, rules, workflow
from filings.models import Call, Filing, FilingVersion, Material
from filings.states import State


@transaction.atomic
def filing_start(*, call: Call, actor) -> Filing:
    """A new draft for the actor's organisation. Refused outside the call's dates."""
    now = timezone.now()
    if call.has_not_opened(now):
        raise ValidationError(
            _("“%(title)s”将于 %(opens)s 开始受理，届时方可填报。")
            % {"title": call.title, "opens": timezone.localtime(call.opens_at).strftime("%Y年%m月%d日 %H:%M")},
            code="call_not_open",
        )
    if not call.is_open(now):
        raise ValidationError(
            _("“%(title)s”已于 %(closes)s 截止受理，不能再新建申报。")
            % {"title": call.title, "closes": timezone.localtime(call.closes_at).strftime("%Y年%m月%d日 %H:%M")},
            code="call_closed",
        )
    spec = kinds.get(call.kind)
    if spec is None:
        raise ValidationError(_("该类申报的网上填报尚未开通，请按通知要求报送纸质材料。"), code="kind_unavailable")
    filing = Filing(kind=call.kind, call=call, organisation=actor.organisation, created_by=actor)
    filing.full_clean()
    filing.save()
    spec.create_detail(filing)
    return filing


class SubmissionRefused(ValidationError):
    """Carries the failing findings so the page can show each one where it is fixed."""

    def __init__(self, findings):
        self.findings = findings
        super().__init__([str(f.message) for f in findings], code="rules_failed")


def filing_findings(filing: Filing, *, read: dict | None = None):
    """The rules' findings on the filing as it is stored now.

    The rows the kind's rules read, and the codes of the current materials, are fetched once,
    onto a copy of the filing: a dozen rules then share one read of each table, and the
    caller's instance keeps no prefetched rows that a later save would leave stale.

    `read` holds rows the caller has just read and not changed since, by model: every row of
    the filing in that model, in the model's order (a step page's tables, filings.views
    `_stored_rows`). A rule read of a table the filing has many rows in takes them as they are.
    """
    spec = kinds.get(filing.kind)
    subject = copy.copy(filing)
    subject._prefetched_objects_cache = {}
    lookups = []
    for lookup in spec.rule_reads:
        relation = Filing._meta.get_field(lookup) if "__" not in lookup else None
        if relation is not None and relation.one_to_many and relation.related_model in (read or {}):
            # What prefetch_related leaves for a read of its own: the relation's queryset, evaluated.
            rows = getattr(subject, lookup).all()
            rows._result_cache = list(read[relation.related_model])
            rows._prefetch_done = True
            subject._prefetched_objects_cache[lookup] = rows
        else:
            lookups.append(lookup)
    current = Prefetch(
        "material_files",
        Material.objects.filter(is_current=True).only("filing_id", "code"),
        to_attr="current_materials",
    )
    prefetch_related_objects([subject], *lookups, current)
    return rules.evaluate(subject, spec.rules)


@transaction.atomic
def filing_save_step(*, filing: Filing, form=None, formsets=()) -> Filing:
    """Saves one step of a draft. The caller has validated the forms.

    Takes the filing's row lock, as a submission does, and reads the state under it:
    a save that races a submission either lands before the version is frozen, or is
    refused; it never answers "saved" for a draft nobody will read again.
    """
    locked = Filing.objects.select_for_update().get(pk=filing.pk)
    if not locked.is_editable:
        raise ValidationError(_("该申报已提交，不能修改。如需修改，请等待审核人员退回补正。"), code="not_editable")
    if form is not None:
        form.save()
    for formset in formsets:
        formset.save()
    spec = kinds.get(filing.kind)
    filing.title = (spec.title(filing) or "")[:200]
    filing.industry = (spec.industry(filing) or "")[:100]
    filing.save(update_fields=["title", "industry", "updated_at"])
    return filing


def _next_filing_number(filing: Filing, spec) -> str:
    # The call row is the lock: numbers within a call are assigned one at a time.
    call = Call.objects.select_for_update(no_key=True).get(pk=filing.call_id)
    taken = Filing.objects.filter(call=call, number__isnull=False).count()
    return f"{spec.number_prefix}{call.year}-{call.pk:03d}-{taken + 1:04d}"


@transaction.atomic
def filing_submit(*, filing: Filing, actor, client_ip: str | None = None) -> FilingVersion:
    """Runs the rules again, freezes an immutable version and moves the filing on."""
    spec = kinds.get(filing.kind)
    filing = Filing.objects.select_for_update(of=("self",)).select_related("call", "organisation").get(pk=filing.pk)
    if filing.state not in (State.DRAFT, State.RETURNED):
        raise ValidationError(_("该申报已提交，请勿重复提交。"), code="already_submitted")
    # A first submission must come before the deadline; a 补正 asked for by staff may come after it.
    if filing.state == State.DRAFT and not filing.call.is_open():
        raise ValidationError(
            _("“%(title)s”已截止受理，不能再提交。您的草稿已保存。") % {"title": filing.call.title},
            code="call_closed",
        )
    # Rules that look across filings of the call (CL-5: a service institution in at most two
    # cluster applications) must see submissions one at a time: the call row is the lock.
    Call.objects.select_for_update(no_key=True).get(pk=filing.call_id)
    findings = filing_findings(filing)
    failing = rules.blocking(findings)
    if failing:
        raise SubmissionRefused(failing)
    update = ["version", "submitted_at", "updated_at", "findings_summary"]
    if filing.number is None:
        filing.number = _next_filing_number(filing, spec)
        update.append("number")
    # Priority badges are frozen beside the findings, as entries of verdict "badge", so the
    # staff queue can show and filter them without running anything per row.
    frozen = [f.as_dict() for f in findings] + [
        {
            "rule": b.code,
            "verdict": rules.BADGE_VERDICT,
            "message": str(b.label),
            "source": b.source,
            "step": "",
            "evidence": "",
        }
        for b in spec.badges(filing)
    ]
    filing.version += 1
    filing.submitted_at = timezone.now()
    # The queue's rows read the latest version's findings as this summary, kept with the filing.
    filing.findings_summary = rules.findings_summary(frozen)
    filing.save(update_fields=update)
    version = FilingVersion.objects.create(
        filing=filing,
        number=filing.version,
        data=spec.snapshot(filing),
        findings=frozen,
        materials=[
            {"id": m.pk, "code": m.code, "name": m.original_name, "sha256": m.sha256, "size": m.size}
            for m in filing.material_files.filter(is_current=True).order_by("code", "uploaded_at")
        ],
        submitted_by=actor,
    )
    # The A4 申请书 is rendered off the request path, once per version.
    if not spec.document_on_registration:
        outbox.outbox_enqueue(
            task="filings.tasks.render_version_document", key=f"pdf:{version.pk}", version_id=version.pk
        )
    action = "submit" if filing.state == State.DRAFT else "resubmit"
    workflow.filing_transition(filing=filing, action=action, actor=actor, client_ip=client_ip)
    return version
