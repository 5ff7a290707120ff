from django.db import models

from filings.models import Filing


class SampleDetail(models.Model):
    filing = models.OneToOneField(Filing, on_delete=models.PROTECT, related_name="sample_detail", primary_key=True)
    name = models.CharField("项目名称", max_length=200, blank=True)
    industry = models.CharField("所属产业领域", max_length=100, blank=True)
    declaration_accepted = models.BooleanField("本单位保证所提供资料真实有效。", default=False)

    def __str__(self) -> str:
        return self.name or str(self.filing)
