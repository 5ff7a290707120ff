import hashlib
import secrets
import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from filings import kinds
from filings.states import EDITABLE_STATES, State


class CallQuerySet(models.QuerySet):
    def open_at(self, moment):
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)


def default_expert_count() -> int:
    return settings.EXPERTS_PER_FILING


def default_correction_days() -> int:
    return settings.CORRECTION_WORKING_DAYS


def append_only(name: str) -> pgtrigger.Protect:
    """A PostgreSQL trigger refusing UPDATE and DELETE of a row, whatever path they come by
    (QuerySet.update(), raw SQL, the admin). TRUNCATE, which test teardown uses, is not
    refused. Triggers exist on PostgreSQL only; on SQLite the model's own checks remain."""
    return pgtrigger.Protect(name=name, operation=pgtrigger.Update | pgtrigger.Delete)


# What staff change on a call (dates, number format, score sheet) is kept, row by row.
@pghistory.track()
class Call(models.Model):
    """One call for filings (申报批次), published by a notice."""

    kind = models.CharField(_("申报类型"), max_length=16, choices=kinds.choices)
    title = models.CharField(_("通知标题"), max_length=200)
    notice_number = models.CharField(_("文号"), max_length=60, blank=True)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    notice_url = models.URLField(_("通知原文链接"), blank=True)
    # Who answers the public's and applicants' questions (e.g. seed 000: 联系人、联系电话、联系地址).
    contact = models.CharField(
        _("咨询联系方式"), max_length=200, blank=True, help_text=_("例如：联系人：某某；联系电话：……；联系地址：……")
    )
    number_format = models.CharField(
        _("备案号/立项号格式"),
        max_length=60,
        default="沪知备〔{year}〕第{seq:03d}号",
        help_text=_("{year} 为年度，{seq} 为序号，例如：沪知联备〔{year}〕第{seq:03d}号"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    expert_count = models.PositiveSmallIntegerField(_("每件评审专家人数"), default=default_expert_count)
    # [{"key": "...", "label": "...", "max": 25}, ...]; empty means the kind's default score sheet.
    score_sheet = models.JSONField(_("评分表"), default=list, blank=True)
    # 盲评: experts see neither the applicant's name nor its people.
    blind_review = models.BooleanField(
        _("盲评"), default=False, help_text=_("勾选后，评审专家看不到申报单位名称及其人员信息。")
    )
    correction_working_days = models.PositiveSmallIntegerField(
        _("补正期限（工作日）"),
        default=default_correction_days,
        help_text=_("退回补正后，申报单位须在此期限内重新提交（按法定工作日计）。"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("申报批次")
        verbose_name_plural = _("申报批次")
        ordering = ["-closes_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.opens_at <= moment < self.closes_at

    def has_not_opened(self, moment=None) -> bool:
        return (moment or timezone.now()) < self.opens_at

    def registry_number(self, seq: int) -> str:
        return self.number_format.format(year=self.year, seq=seq)


class Filing(models.Model):
    """What all four kinds share; each kind keeps its own content in a detail model."""

    kind = models.CharField(_("申报类型"), max_length=16, choices=kinds.choices, editable=False)
    call = models.ForeignKey(Call, verbose_name=_("申报批次"), on_delete=models.PROTECT, related_name="filings")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("申报单位"), on_delete=models.PROTECT, related_name="filings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True)
    title = models.CharField(_("名称"), max_length=200, blank=True)
    # Assigned by the system at the first submission (seed 000 填表说明 三: 编号不由申请人填写).
    number = models.CharField(_("编号"), max_length=32, unique=True, null=True, blank=True, editable=False)
    registry_number = models.CharField(_("备案号/立项号"), max_length=60, null=True, blank=True, editable=False)
    registry_seq = models.PositiveIntegerField(null=True, blank=True, editable=False)
    registered_at = models.DateTimeField(_("入库/立项时间"), null=True, blank=True, editable=False)
    # The applicant's district, as its organisation has it now: kept by the database (filings 0021),
    # never written here, so that the lists filter by district on the filing's own indexes.
    district = models.CharField(_("所在区"), max_length=8, blank=True, default="", editable=False)
    # Read from the content by the kind (e.g. 所属产业领域), for filters in the queue and registry.
    industry = models.CharField(_("产业领域"), max_length=100, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("最后保存"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    # Set when the filing is returned for 补正 (the call's working days by the official calendar).
    correction_due_on = models.DateField(_("补正截止日期"), null=True, blank=True, editable=False)
    correction_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What the latest version's frozen findings hold, for the staff queue's rows (rules.findings_summary):
    # written with each submission, as the version is frozen, so that a queue page reads no version.
    findings_summary = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["call", "state"]),
            models.Index(fields=["organisation", "-updated_at"]),
            # The registry, newest first, and each of its filters in that order (the public page and
            # the open data API): a page reads its rows off one index however large the registry.
            models.Index(fields=["-registered_at", "-id"], name="registry_order_idx", condition=Q(state="registered")),
            models.Index(
                fields=["kind", "-registered_at", "-id"], name="registry_kind_idx", condition=Q(state="registered")
            ),
            models.Index(
                fields=["call", "-registered_at", "-id"], name="registry_call_idx", condition=Q(state="registered")
            ),
            models.Index(
                fields=["industry", "-registered_at", "-id"],
                name="registry_industry_idx",
                condition=Q(state="registered"),
            ),
            # The staff queue never shows drafts: each of its sorts reads an index that holds none
            # (a draft has no submission time, and would sort first in a descending index).
            models.Index(fields=["-submitted_at", "-id"], name="queue_submitted_idx", condition=~Q(state="draft")),
            models.Index(fields=["-updated_at", "-id"], name="queue_updated_idx", condition=~Q(state="draft")),
            models.Index(fields=["title", "id"], name="queue_title_idx", condition=~Q(state="draft")),
            models.Index(fields=["state", "-submitted_at", "-id"], name="queue_state_idx"),
            # A state's tab sorted by another column; the number sort skips drafts, which have none
            # (NULL sorts first in a descending scan).
            models.Index(fields=["state", "-updated_at", "-id"], name="queue_state_updated_idx"),
            models.Index(fields=["state", "number", "id"], name="queue_state_number_idx"),
            models.Index(fields=["state", "title", "id"], name="queue_state_title_idx"),
            models.Index(fields=["number", "id"], name="queue_number_idx", condition=~Q(state="draft")),
            models.Index(fields=["kind", "-submitted_at", "-id"], name="queue_kind_idx", condition=~Q(state="draft")),
            # A district's filings (Filing.district), in the queue's default order and the registry's.
            models.Index(
                fields=["district", "-submitted_at", "-id"], name="queue_district_idx", condition=~Q(state="draft")
            ),
            models.Index(fields=["district", "state", "-submitted_at", "-id"], name="queue_district_state_idx"),
            # A district's filings in the queue's other orders.
            models.Index(
                fields=["district", "-updated_at", "-id"],
                name="queue_district_updated_idx",
                condition=~Q(state="draft"),
            ),
            models.Index(
                fields=["district", "title", "id"], name="queue_district_title_idx", condition=~Q(state="draft")
            ),
            models.Index(
                fields=["district", "number", "id"], name="queue_district_number_idx", condition=~Q(state="draft")
            ),
            # A district's tab of one state in those orders: without them, the state's filings of the
            # district were gathered and sorted (2.6 ms a page at 100,000 filings).
            models.Index(fields=["district", "state", "-updated_at", "-id"], name="queue_dist_state_updated_idx"),
            models.Index(fields=["district", "state", "title", "id"], name="queue_dist_state_title_idx"),
            models.Index(fields=["district", "state", "number", "id"], name="queue_dist_state_number_idx"),
            models.Index(
                fields=["district", "-registered_at", "-id"],
                name="registry_district_idx",
                condition=Q(state="registered"),
            ),
            # A district's registry in one industry: without it, the two indexes were combined and
            # the matches sorted (1.8 ms at 100,000 filings).
            models.Index(
                fields=["district", "industry", "-registered_at", "-id"],
                name="registry_district_industry_idx",
                condition=Q(state="registered"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["call", "registry_seq"], name="registry_seq_unique_per_call"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()}（草稿）"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


class FilingStateCount(models.Model):
    """How many filings of a call, kind and applicant district are in each state.

    On PostgreSQL, triggers on the filings (filings 0009) keep it exact in the same transaction
    as any change, whoever makes it, so the staff queue's counts never scan the filings. On
    SQLite the table stays empty and the counts are computed (review.queue.selectors).
    """

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)
    district = models.CharField(max_length=8)
    state = models.CharField(max_length=16)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "kind", "district", "state"], name="filing_state_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.call_id} {self.kind} {self.district} {self.state}: {self.n}"


def new_verification_code() -> str:
    # 16 characters from an alphabet without look-alikes (0/O, 1/I), easy to type from paper.
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _i in range(16))


class FilingVersion(models.Model):
    """A frozen copy of everything submitted: data, findings and material hashes. Never edited."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    data = models.JSONField(_("申报内容"))
    findings = models.JSONField(_("审查意见"))
    materials = models.JSONField(_("材料"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    verification_code = models.CharField(
        _("验证码"), max_length=20, unique=True, default=new_verification_code, editable=False
    )

    class Meta:
        verbose_name = _("提交版本")
        verbose_name_plural = _("提交版本")
        ordering = ["filing", "number"]
        constraints = [models.UniqueConstraint(fields=["filing", "number"], name="version_unique_per_filing")]
        triggers = [append_only("versions_append_only")]

    def __str__(self) -> str:
        return f"{self.filing.number} v{self.number}"


def material_path(instance: "Material", filename: str) -> str:
    # The stored name carries no user text: the name shown is kept in the row.
    return f"materials/{instance.filing_id}/{uuid.uuid4().hex}{instance.extension}"


class ScanState(models.TextChoices):
    # With scanning off (no PORTAL_CLAMD_ADDRESS) every upload is stored as clean.
    CLEAN = "clean", _("已通过")
    PENDING = "pending", _("待扫描")
    INFECTED = "infected", _("检出病毒，已拦截")


class ScannedUpload(models.Model):
    """An uploaded file served only once the virus scan passed it (filings.scan)."""

    # The FileField that is scanned.
    scanned_file = "file"

    scan_state = models.CharField(_("病毒扫描"), max_length=10, choices=ScanState.choices, default=ScanState.CLEAN)
    scan_result = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True

    def scan_infected(self) -> list[str]:
        """What an infected file changes besides its scan state: the names of the fields changed."""
        return []


class Material(ScannedUpload):
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="material_files")
    code = models.CharField(_("材料类别"), max_length=8)
    file = models.FileField(_("文件"), upload_to=material_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Replaced files stay (a submitted version may refer to them), hidden from the draft.
    is_current = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["code", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    def scan_infected(self) -> list[str]:
        # Taken out of the draft: the applicant sees it refused and uploads another.
        self.is_current = False
        return ["is_current"]

    @property
    def extension(self) -> str:
        return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(self.content_type, "")


def sha256_of(fileobj) -> str:
    digest = hashlib.sha256()
    for chunk in fileobj.chunks():
        digest.update(chunk)
    return digest.hexdigest()


class FilingEvent(models.Model):
    """The audit trail: one row per state change, written in the same transaction. Append-only."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(_("操作"), max_length=32)
    from_state = models.CharField(_("原状态"), max_length=16, choices=State.choices)
    to_state = models.CharField(_("新状态"), max_length=16, choices=State.choices)
    comment = models.TextField(_("意见"), blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["filing", "created_at", "id"]
        triggers = [append_only("events_append_only")]

    def __str__(self) -> str:
        return f"{self.filing_id}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("filing events are append-only")
        super().save(*args, **kwargs)


class OutboxMessage(models.Model):
    """Work for Celery, written in the same transaction as the change that causes it.

    A broker that is down when the change commits costs nothing: the row stays
    undispatched and the relay (filings.outbox) sends it once the broker is back.
    The row is done only when the task has done the work (not when it was published):
    a broker that restarts empty, or a worker killed mid-task, costs a re-send.
    """

    task = models.CharField(max_length=100)
    kwargs = models.JSONField(default=dict)
    # One message per key: the same work is never queued twice (e.g. "pdf:<version id>").
    key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Set by the task's success (filings.tasks), never by the publish.
    done_at = models.DateTimeField(null=True, blank=True)
    # Given up: the task failed for good or was re-sent too often. Staff see it and may retry.
    dead_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("待发送任务")
        verbose_name_plural = _("待发送任务")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["dispatched_at", "id"],
                condition=models.Q(done_at__isnull=True, dead_at__isnull=True),
                name="outbox_open_idx",
            )
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def delivery_state(self) -> str:
        if self.done_at:
            return _("已完成")
        if self.dead_at:
            return _("已放弃（待人工重试）")
        if self.dispatched_at:
            return _("已发送，等待完成")
        return _("等待发送")


class VersionDocument(models.Model):
    """The A4 申请书 rendered from one submitted version: rendered once, kept as issued."""

    version = models.OneToOneField(FilingVersion, on_delete=models.PROTECT, related_name="document")
    file = models.FileField(upload_to="documents/%Y/%m/", max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    pages = models.PositiveIntegerField(default=0)
    rendered_at = models.DateTimeField(default=timezone.now)
    render_seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("申请书PDF")
        verbose_name_plural = _("申请书PDF")

    def __str__(self) -> str:
        return f"{self.version} PDF"


class RegistrationDocument(models.Model):
    """The bureau's document on registration (备案证明 / 立项通知) of a kind that declares one
    (KindSpec.registration_template): rendered once, with the registry number, kept as issued."""

    filing = models.OneToOneField(Filing, on_delete=models.PROTECT, related_name="registration_document")
    file = models.FileField(upload_to="certificates/%Y/%m/", max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    pages = models.PositiveIntegerField(default=0)
    rendered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("备案证明/立项通知PDF")
        verbose_name_plural = _("备案证明/立项通知PDF")

    def __str__(self) -> str:
        return f"{self.filing} {self.filing.registry_number}"
