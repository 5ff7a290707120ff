"""Reads of the applicant side. Every read is scoped to the user who asks."""

from django.db.models import F, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from filings import kinds
from filings.models import Call, Filing, Material, RegistrationDocument
from filings.states import FINAL_STATES, State
from portal.cache import cached_for_state


def calls_for_public() -> QuerySet[Call]:
    return Call.objects.order_by("-closes_at")


def call_choices() -> list[tuple[int, str]]:
    """Every call as (id, title), the latest to close first: the staff lists' call filter. Kept until
    the next state change (saving a call is one: filings.signals)."""
    # The query is built only when the cache has no answer.
    return cached_for_state(
        "call-choices", lambda: list(Call.objects.order_by("-closes_at", "-id").values_list("pk", "title"))
    )


def filings_for_applicant(user) -> QuerySet[Filing]:
    return Filing.objects.filter(organisation_id=user.organisation_id).select_related("call")


def filing_for_applicant(user, pk: int) -> Filing:
    """Another organisation's filing is a 404, the same as a missing one.

    The filing's organisation is the user's own: read with the filing, it serves both (every
    applicant page shows the user's unit in its header, and the rules read the filing's)."""
    filing = get_object_or_404(filings_for_applicant(user).select_related("organisation"), pk=pk)
    user.organisation = filing.organisation
    return filing


def registration_for(filing: Filing) -> dict | None:
    """The bureau's document on registration of a registered filing: its name, and the file once issued."""
    spec = kinds.get(filing.kind)
    if filing.state != State.REGISTERED or not spec.registration_template:
        return None
    return {
        "name": spec.registration_document_name,
        "document": RegistrationDocument.objects.filter(filing=filing).first(),
    }


def scans_missing(filing: Filing) -> list:
    """Materials uploaded only after submission (the signed 申请书 scan) not there yet."""
    if filing.state == State.DRAFT or filing.state in FINAL_STATES:
        return []
    uploaded = {m.code for m in filing.material_files.all() if m.is_current}
    return [m for m in kinds.get(filing.kind).materials if m.after_submission and m.code not in uploaded]


def todo_for_applicant(user) -> list[dict]:
    """What waits for the applicant: a 补正 to resubmit by its deadline, a signed scan to upload after submission."""
    filings = (
        filings_for_applicant(user)
        .exclude(state__in=[State.DRAFT, *FINAL_STATES])
        .prefetch_related(
            Prefetch(
                "material_files",
                queryset=Material.objects.filter(is_current=True).only("id", "filing_id", "code", "is_current"),
            )
        )
        .order_by(F("correction_due_on").asc(nulls_last=True), "-updated_at")[:50]
    )
    todo = []
    for filing in filings:
        if filing.state == State.RETURNED:
            todo.append({"filing": filing, "what": _("按审核意见补正后重新提交"), "due": filing.correction_due_on})
        for material in scans_missing(filing):
            todo.append(
                {
                    "filing": filing,
                    "what": _("下载申请书 PDF，签字盖章后上传扫描件（%(code)s %(label)s）")
                    % {"code": material.code, "label": material.label},
                    "due": None,
                    "materials": True,
                }
            )
    return todo
