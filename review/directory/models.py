from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Area
from filings.validators import validate_uscc


class KeyList(models.Model):
    """先导产业和重点企业专利产品备案目录清单 (seed 003 三): one list of enterprises and its deadline."""

    name = models.CharField(_("清单名称"), max_length=100, unique=True)
    # seed 003 三: 国家知识产权优势示范企业、中央财政资金承接单位 2022年底前; 市级试点示范单位 2023年3月底前.
    deadline = models.DateField(_("完成备案期限"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("重点企业目录清单")
        verbose_name_plural = _("重点企业目录清单")
        ordering = ["deadline", "name"]

    def __str__(self) -> str:
        return self.name

    def is_past_deadline(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.deadline


class KeyEntry(models.Model):
    """One enterprise on a list, matched to filings by its 统一社会信用代码, never by its name."""

    key_list = models.ForeignKey(KeyList, verbose_name=_("清单"), on_delete=models.CASCADE, related_name="entries")
    name = models.CharField(_("单位名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, validators=[validate_uscc], db_index=True)
    # As the list gives it: 临港新片区 is not in the code (accounts.models.Area).
    area = models.CharField(_("所在区"), max_length=8, choices=Area.choices)
    reminded_at = models.DateTimeField(_("最近提醒时间"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Its enterprise's product records: registered, in_progress or none (review.directory.selectors).
    # On PostgreSQL triggers (review.directory 0003) keep it in the transaction of each change to
    # the entry's code or to its holder (ProductHolder); on SQLite it stays "none" and coverage is
    # computed from the filings.
    status = models.CharField(max_length=12, default="none", editable=False)

    class Meta:
        verbose_name = _("目录清单企业")
        verbose_name_plural = _("目录清单企业")
        ordering = ["key_list", "area", "name"]
        constraints = [models.UniqueConstraint(fields=["key_list", "uscc"], name="key_entry_once_per_list")]
        indexes = [
            models.Index(fields=["key_list", "area"], name="key_entry_list_area_idx"),
            # A list's page under a status filter, in the page's order.
            models.Index(fields=["key_list", "status", "area", "name", "id"], name="key_entry_list_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key_list_id}: {self.name}"


class ProductHolder(models.Model):
    """How many 专利产品备案 an enterprise (by 统一社会信用代码) holds registered and in progress.

    On PostgreSQL, triggers (review.directory 0002) keep it exact in the same transaction as any
    change to a filing or to an organisation's code, so that coverage reads one row per holder,
    never the filings. On SQLite the table stays empty and coverage is computed from the filings.
    """

    uscc = models.CharField(max_length=18, primary_key=True)
    registered = models.IntegerField(default=0)
    in_progress = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.uscc}: {self.registered}/{self.in_progress}"
