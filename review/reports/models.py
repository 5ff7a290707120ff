"""The yearly reports of a 立项 CONSORTIUM or CLUSTER filing, and each call's report schedule.

A report is a draft the unit edits, then frozen versions (one per submission) and an
append-only event per state change, like a filing's.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filings.models import Call, Filing, ScannedUpload, new_verification_code


def default_due_month() -> int:
    return int(getattr(settings, "REPORTS_DUE_MONTH", 3))


def default_due_day() -> int:
    return int(getattr(settings, "REPORTS_DUE_DAY", 31))


def default_remind_days() -> int:
    return int(getattr(settings, "REPORTS_REMIND_DAYS", 14))


class ReportSchedule(models.Model):
    """A call's task period and report deadlines; staff adjust it in the admin.

    **interpretation**: the notices say 任务期 (seed 001: 2022至2023年, seed 004: 2021至2023年)
    and 定期报送 without a date. By default the task period starts in the year of 立项, lasts
    the kind's number of target years, and each year's report is due on REPORTS_DUE_MONTH /
    REPORTS_DUE_DAY (31 March) of the year after.
    """

    call = models.OneToOneField(
        Call, on_delete=models.PROTECT, related_name="report_schedule", verbose_name=_("申报批次")
    )
    first_year = models.PositiveSmallIntegerField(
        _("任务期第一年"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("留空则为立项当年。"),
    )
    years = models.PositiveSmallIntegerField(
        _("任务期年数"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("留空则按该类项目申报书的目标年数（联合体 2 年，集聚区 3 年）。"),
    )
    due_month = models.PositiveSmallIntegerField(
        _("报送截止月份（次年）"), default=default_due_month, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    due_day = models.PositiveSmallIntegerField(
        _("报送截止日"), default=default_due_day, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    remind_days = models.PositiveSmallIntegerField(
        _("截止前提醒天数"), default=default_remind_days, validators=[MaxValueValidator(90)]
    )

    class Meta:
        verbose_name = _("年度报告安排")
        verbose_name_plural = _("年度报告安排")

    def __str__(self) -> str:
        return str(self.call)


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送，待审核")
    RETURNED = "returned", _("退回修改")
    ACCEPTED = "accepted", _("已通过")


class YearlyReport(models.Model):
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="yearly_reports")
    year = models.PositiveSmallIntegerField(_("报告年度"))
    state = models.CharField(_("状态"), max_length=16, choices=ReportState.choices, default=ReportState.DRAFT)
    # The 数据统计报告's figures by metric code (filings.kinds.ReportMetric), as decimal strings.
    figures = models.JSONField(_("数据统计"), default=dict, blank=True)
    notes = models.TextField(_("情况说明"), max_length=2000, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("最后保存"), auto_now=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("通过时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("年度绩效报告")
        verbose_name_plural = _("年度绩效报告")
        ordering = ["filing", "year"]
        constraints = [models.UniqueConstraint(fields=["filing", "year"], name="report_once_per_year")]
        indexes = [models.Index(fields=["state", "year"])]

    def __str__(self) -> str:
        return f"{self.filing} {self.year}"

    @property
    def is_editable(self) -> bool:
        return self.state in (ReportState.DRAFT, ReportState.RETURNED)


class ReportVersion(models.Model):
    """What was submitted, frozen: figures, notes and the files' hashes. Never edited."""

    report = models.ForeignKey(YearlyReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    figures = models.JSONField(_("数据统计"))
    notes = models.TextField(_("情况说明"), blank=True)
    materials = models.JSONField(_("材料"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    verification_code = models.CharField(
        _("验证码"), max_length=20, unique=True, default=new_verification_code, editable=False
    )

    class Meta:
        verbose_name = _("年度报告提交版本")
        verbose_name_plural = _("年度报告提交版本")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


def report_file_path(instance: "ReportFile", filename: str) -> str:
    return f"reports/{instance.report_id}/{uuid.uuid4().hex}{instance.extension}"


class ReportFile(ScannedUpload):
    report = models.ForeignKey(YearlyReport, on_delete=models.PROTECT, related_name="files")
    code = models.CharField(_("材料类别"), max_length=8)
    file = models.FileField(_("文件"), upload_to=report_file_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    # A replaced file stays: a submitted version may refer to it.
    is_current = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("年度报告材料")
        verbose_name_plural = _("年度报告材料")
        ordering = ["code", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(self.content_type, "")

    def scan_infected(self) -> list[str]:
        # Taken out of the draft: the applicant sees it refused and uploads another.
        self.is_current = False
        return ["is_current"]


class ReportEvent(models.Model):
    """One row per state change of a report, written in the same transaction. Append-only."""

    report = models.ForeignKey(YearlyReport, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(_("操作"), max_length=32)
    from_state = models.CharField(_("原状态"), max_length=16, choices=ReportState.choices)
    to_state = models.CharField(_("新状态"), max_length=16, choices=ReportState.choices)
    comment = models.TextField(_("意见"), blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("年度报告流转记录")
        verbose_name_plural = _("年度报告流转记录")
        ordering = ["report", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("report events are append-only")
        super().save(*args, **kwargs)


class ReportDocument(models.Model):
    """The A4 PDF of a submitted version, rendered once off the request path."""

    version = models.OneToOneField(ReportVersion, on_delete=models.PROTECT, related_name="document")
    file = models.FileField(upload_to="report-documents/%Y/%m/", max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    rendered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("年度报告PDF")
        verbose_name_plural = _("年度报告PDF")

    def __str__(self) -> str:
        return str(self.version)
