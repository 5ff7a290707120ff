"""Writes of the yearly reports: start, save a draft, upload, submit, decide."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from filings import kinds, outbox, scan
from filings.materials import safe_display_name, sniff_content_type, upload_limit_mb
from filings.models import Filing, sha256_of
from filings.states import State
from review.reports.models import ReportFile, ReportState, ReportVersion, YearlyReport
from review.reports.periods import period_of
from review.reports.workflow import report_transition


def _refuse_unless_own(actor, filing: Filing) -> None:
    if not (roles.is_applicant(actor) and actor.organisation_id == filing.organisation_id):
        raise ValidationError(_("只有项目承担单位的用户可以填报年度报告。"), code="not_allowed")


def _refuse_unless_editable(report: YearlyReport) -> None:
    if not report.is_editable:
        raise ValidationError(
            _("年度报告当前状态为“%(state)s”，不能修改。") % {"state": report.get_state_display()},
            code="not_editable",
        )


@transaction.atomic
def report_start(*, filing: Filing, year: int, actor, today=None) -> YearlyReport:
    """Opens the draft of one year's report; refused before the year starts and for a second report."""
    filing = Filing.objects.select_for_update().get(pk=filing.pk)
    _refuse_unless_own(actor, filing)
    spec = kinds.get(filing.kind)
    if filing.state != State.REGISTERED or spec is None or not spec.has_reports:
        raise ValidationError(_("只有已立项的联合体、集聚区项目需要填报年度报告。"), code="not_reporting")
    period = period_of(filing, year, today)
    if period is None:
        raise ValidationError(_("%(year)s 年不在本项目的任务期内。") % {"year": year}, code="not_in_period")
    if not period.has_started:
        raise ValidationError(
            _("%(year)s 年度尚未开始，%(date)s 起方可填报该年度报告。")
            % {"year": year, "date": period.starts_on.isoformat()},
            code="not_started",
        )
    if YearlyReport.objects.filter(filing=filing, year=year).exists():
        raise ValidationError(_("%(year)s 年度报告已经存在，请打开原报告继续填写。") % {"year": year}, code="exists")
    try:
        with transaction.atomic():
            return YearlyReport.objects.create(filing=filing, year=year, created_by=actor)
    except IntegrityError:
        raise ValidationError(
            _("%(year)s 年度报告已经存在，请打开原报告继续填写。") % {"year": year}, code="exists"
        ) from None


def _locked(report: YearlyReport) -> YearlyReport:
    return YearlyReport.objects.select_for_update().select_related("filing").get(pk=report.pk)


@transaction.atomic
def report_save(*, report: YearlyReport, actor, figures: dict, notes: str | None = None) -> YearlyReport:
    """Saves the figures given (already cleaned: Decimal, int or None); others keep their value."""
    locked = _locked(report)
    _refuse_unless_own(actor, locked.filing)
    _refuse_unless_editable(locked)
    codes = {metric.code for metric in kinds.get(locked.filing.kind).report_metrics}
    merged = dict(locked.figures)
    for code, value in figures.items():
        if code not in codes:
            continue
        merged[code] = None if value is None else str(Decimal(value))
    locked.figures = merged
    fields = ["figures", "updated_at"]
    if notes is not None:
        locked.notes = notes
        fields.append("notes")
    locked.full_clean(exclude=["filing", "created_by"])
    locked.save(update_fields=fields)
    return locked


@transaction.atomic
def report_file_upload(*, report: YearlyReport, code: str, uploaded_file, actor) -> ReportFile:
    """Stores one file of the report, checked like every material; every refusal comes before storage."""
    locked = _locked(report)
    _refuse_unless_own(actor, locked.filing)
    _refuse_unless_editable(locked)
    material = kinds.get(locked.filing.kind).report_material(code)
    if material is None:
        raise ValidationError(_("年度报告没有这一类材料，请重新选择材料类别。"), code="unknown_material")
    if uploaded_file.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("文件超过 %(limit)s MB 的大小上限，请压缩或分成几个文件后再上传。") % {"limit": upload_limit_mb()},
            code="too_large",
        )
    if not uploaded_file.size:
        raise ValidationError(_("文件是空的，请重新选择文件。"), code="empty")
    content_type = sniff_content_type(uploaded_file)
    if content_type is None:
        raise ValidationError(
            _("文件内容不是 PDF、JPG 或 PNG，请上传扫描件的 PDF 文件或图片（改扩展名无效）。"), code="bad_content"
        )
    if not material.many:
        ReportFile.objects.filter(report=locked, code=code, is_current=True).update(is_current=False)
    row = ReportFile(
        report=locked,
        code=code,
        original_name=safe_display_name(uploaded_file.name),
        content_type=content_type,
        size=uploaded_file.size,
        sha256=sha256_of(uploaded_file),
        uploaded_by=actor,
    )
    row.file.save(f"upload{row.extension}", uploaded_file, save=False)
    scan.upload_hold(row)
    try:
        row.save()
    except Exception:
        row.file.delete(save=False)
        raise
    scan.upload_scan_queue(row)
    return row


@transaction.atomic
def report_file_remove(*, report: YearlyReport, file_id: int, actor) -> None:
    locked = _locked(report)
    _refuse_unless_own(actor, locked.filing)
    _refuse_unless_editable(locked)
    # The row stays (a submitted version may name it); it leaves the draft.
    ReportFile.objects.filter(report=locked, pk=file_id, is_current=True).update(is_current=False)


@transaction.atomic
def report_submit(*, report: YearlyReport, actor, client_ip: str | None = None) -> ReportVersion:
    """报送: moves the report through the table and freezes what was submitted as a new version."""
    action = "resubmit" if report.state == ReportState.RETURNED else "submit"
    submitted = report_transition(report=report, action=action, actor=actor, client_ip=client_ip)
    files = submitted.files.filter(is_current=True).order_by("code", "uploaded_at")
    version = ReportVersion.objects.create(
        report=submitted,
        number=submitted.version,
        figures=dict(submitted.figures),
        notes=submitted.notes,
        materials=[
            {"code": f.code, "id": f.pk, "name": f.original_name, "sha256": f.sha256, "size": f.size} for f in files
        ],
        submitted_by=actor,
        submitted_at=submitted.submitted_at or timezone.now(),
    )
    outbox.outbox_enqueue(
        task="reports.tasks.render_report_document", key=f"report-pdf:{version.pk}", version_id=version.pk
    )
    return version


def report_decide(*, report: YearlyReport, actor, accept: bool, comment: str = "", client_ip=None) -> YearlyReport:
    return report_transition(
        report=report, action="accept" if accept else "return", actor=actor, comment=comment, client_ip=client_ip
    )


@transaction.atomic
def report_reminders_queue(*, today) -> int:
    """Queues a reminder for every report falling due within its schedule's notice and every overdue
    one, each once (the outbox key is the reminder's identity). Returns how many were queued now."""
    from filings.models import OutboxMessage
    from review.reports.periods import periods_of
    from review.reports.selectors import reporting_filings

    queued = 0
    for filing in reporting_filings():
        for period in periods_of(filing, today):
            if not period.has_started or not (period.is_due_soon or period.is_overdue):
                continue
            overdue = period.is_overdue
            key = f"report-{'overdue' if overdue else 'due'}:{filing.pk}:{period.year}"
            if OutboxMessage.objects.filter(key=key).exists():
                continue
            outbox.outbox_enqueue(
                task="reports.tasks.notify_report_reminder",
                key=key,
                filing_id=filing.pk,
                year=period.year,
                due_on=period.due_on.isoformat(),
                overdue=overdue,
            )
            queued += 1
    return queued
