"""A call's dossier, built by a task: its progress while it runs, its ZIP when done."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filings.models import Call


class CallDossier(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已生成")
        FAILED = "failed", _("生成失败")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="dossiers")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.PENDING)
    total = models.PositiveIntegerField(_("申报数"), default=0)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    file = models.FileField(upload_to="dossiers/%Y/%m/", max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("批次档案")
        verbose_name_plural = _("批次档案")

    def __str__(self) -> str:
        return f"{self.call} · {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (100 if self.state == self.State.DONE else 0)
