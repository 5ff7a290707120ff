import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filings.models import Call, Filing, FilingVersion, ScannedUpload, append_only


class AuditRecord(models.Model):
    """The material audit (审核) of one submitted version: the checklist and the outcome."""

    class Outcome(models.TextChoices):
        PASS = "pass", _("通过")
        RETURN = "return", _("退回补正")
        REJECT = "reject", _("不予通过")

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="audits")
    version = models.ForeignKey(FilingVersion, on_delete=models.PROTECT, related_name="audits")
    # {"<checklist key>": true|false}
    checklist = models.JSONField(_("核查清单"), default=dict)
    outcome = models.CharField(_("审核结论"), max_length=8, choices=Outcome.choices)
    # For a return: what the applicant must fix, one item a line.
    comment = models.TextField(_("审核意见"), blank=True)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("形式审查记录")
        verbose_name_plural = _("形式审查记录")
        ordering = ["filing", "-created_at"]
        triggers = [append_only("audits_append_only")]

    def __str__(self) -> str:
        return f"{self.filing_id} {self.get_outcome_display()}"

    @property
    def fix_items(self) -> list[str]:
        return [line.strip() for line in self.comment.splitlines() if line.strip()]


# Every change of an expert's scores and recommendation is kept.
@pghistory.track()
class ExpertAssignment(models.Model):
    class Recommendation(models.TextChoices):
        APPROVE = "approve", _("建议通过")
        REJECT = "reject", _("建议不通过")

    class Status(models.TextChoices):
        OPEN = "open", _("评审中")
        DECLINED = "declined", _("专家谢绝")
        CONFLICT = "conflict", _("专家申明回避")
        WITHDRAWN = "withdrawn", _("已撤回分配")

    ENDED = (Status.DECLINED, Status.CONFLICT, Status.WITHDRAWN)

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="expert_assignments")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(_("评审截止时间"))
    # {"<criterion key>": score}
    scores = models.JSONField(_("评分"), default=dict, blank=True)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=1, null=True, blank=True)
    recommendation = models.CharField(_("评审建议"), max_length=8, choices=Recommendation.choices, blank=True)
    comment = models.TextField(_("评审意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交评审时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # An assignment that ends unscored (declined, a declared conflict, withdrawn by staff) frees
    # its place for another expert; it stays as a record with who ended it and why.
    status = models.CharField(_("分配状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    end_reason = models.TextField(_("原因"), blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("专家评审")
        verbose_name_plural = _("专家评审")
        ordering = ["filing", "assigned_at", "id"]
        constraints = [models.UniqueConstraint(fields=["filing", "expert"], name="one_assignment_per_expert")]

    def __str__(self) -> str:
        return f"{self.filing_id} / {self.expert_id}"


class PublicityBatch(models.Model):
    """公示: a list of filings published for a period of working days."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="publicity_batches")
    title = models.CharField(_("公示标题"), max_length=200)
    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示结束日期"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)
    filings = models.ManyToManyField(Filing, through="PublicityEntry", related_name="publicity_batches")

    class Meta:
        verbose_name = _("公示批次")
        verbose_name_plural = _("公示批次")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def is_running(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on

    def has_ended(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.ends_on


class PublicityEntry(models.Model):
    batch = models.ForeignKey(PublicityBatch, on_delete=models.PROTECT, related_name="entries")
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="publicity_entries")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["batch", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["batch", "filing"], name="filing_once_per_batch")]
        # A 公示's pages walk its entries in order (a batch may list thousands).
        indexes = [models.Index(fields=["batch", "position", "id"], name="publicity_entry_order_idx")]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.filing_id}"


def evidence_path(instance: "Objection", filename: str) -> str:
    import uuid

    return f"objections/{instance.entry.batch_id}/{uuid.uuid4().hex}{instance.evidence_extension}"


# The decision's history, without the objector's personal data (anonymised after a while).
@pghistory.track(
    fields=["entry", "decision", "decision_reason", "decided_by", "decided_at"],
    model_name="ObjectionDecisionEvent",
    obj_field=pghistory.ObjForeignKey(related_name="decision_events"),
)
class Objection(ScannedUpload):
    """异议: lodged by anyone, with real name and contact, during the publicity period only."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待处理")
        DISMISSED = "dismissed", _("不予采纳")
        UPHELD = "upheld", _("异议成立")

    entry = models.ForeignKey(PublicityEntry, on_delete=models.PROTECT, related_name="objections")
    name = models.CharField(_("真实姓名"), max_length=50)
    organisation = models.CharField(_("所在单位"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.CharField(_("电子邮箱"), max_length=254, blank=True)
    reasons = models.TextField(_("异议理由"))
    evidence = models.FileField(_("证明材料"), upload_to=evidence_path, blank=True, max_length=200)
    evidence_content_type = models.CharField(max_length=40, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    # ScannedUpload: the evidence reaches staff only once the virus scan passed it.
    scanned_file = "evidence"
    created_at = models.DateTimeField(default=timezone.now)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    decision = models.CharField(_("处理结果"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decision_reason = models.TextField(_("处理理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # 受理编号 the objector keeps (e.g. YY20260302-0007), given on the confirmation page.
    receipt = models.CharField(_("受理编号"), max_length=20, blank=True, db_index=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["entry", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.entry} {self.name}"

    @property
    def evidence_extension(self) -> str:
        return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(
            self.evidence_content_type, ""
        )


class BulkRun(models.Model):
    """One bulk action of the staff queue, run as a task: each filing passes through the one
    transition writer with its own event; the results list each filing's outcome."""

    class Action(models.TextChoices):
        AUDIT_PASS = "audit_pass", _("形式审查通过")
        ASSIGN = "assign", _("分配评审专家")
        PUBLISH = "publish", _("发布公示")
        REGISTER = "register", _("入库/立项")

    action = models.CharField(_("批量操作"), max_length=12, choices=Action.choices)
    # What the confirmation chose besides the filings, e.g. {"experts": [ids]} or {"starts_on": "2026-03-02"}.
    params = models.JSONField(default=dict, blank=True)
    filing_ids = models.JSONField(default=list)
    # [{"filing": id, "number": "...", "ok": true|false, "message": "..."}], in the order of filing_ids.
    results = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("批量操作")
        verbose_name_plural = _("批量操作")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ×{len(self.filing_ids)}"

    @property
    def done(self) -> int:
        return len(self.results)

    @property
    def total(self) -> int:
        return len(self.filing_ids)
