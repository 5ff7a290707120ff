"""The growth table of a yearly report: computed from the figures, never typed.

For each metric of the kind (filings.kinds.ReportMetric):
- 同比增幅 (year on year) = this year's value ÷ last year's − 1, last year being the filing's
  declared base-year value in the first year of the task period;
- 年均增幅 (average yearly growth) = (this year's value ÷ base-year value)^(1/n) − 1, n being the
  year's place in the task period (1 in the first year): the compound rate of
  filings.growth.yearly_growth, the same function the consortium's target rule (CO-7) uses;
- set beside the filing's own target for that year and the notice's floor, with its clause.
A base of 0 has no growth rate: it says so, and a person judges.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filings import kinds
from filings.growth import percent, yearly_growth
from review.reports.models import ReportState, YearlyReport
from review.reports.periods import period_of

HOW_COMPUTED = gettext_lazy(
    "同比增幅 = 本年度数值 ÷ 上年度数值 − 1（任务期第一年以申报书填报的基准年度实际值为上年度）；"
    "年均增幅按复合增长计算 = (本年度数值 ÷ 基准年度实际值)^(1/n) − 1，n 为本年度在任务期中的年数（第一年 n=1）。"
    "基准或上年度为 0 时增幅无法计算，由审核人员判断。"
)


def _number(value) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value))


def plain(value: Decimal) -> str:
    """1000 as "1000", 90.50 as "90.5": never "1E+3"."""
    return format(value.normalize(), "f")


@dataclass
class GrowthRow:
    metric: kinds.ReportMetric
    value: Decimal | None
    previous: Decimal | None
    base: Decimal | None
    year_on_year: Decimal | None
    average: Decimal | None
    target: Decimal | None
    target_met: bool | None
    floor_met: bool | None
    floor_text: str
    notes: list[str]

    @property
    def falls_short(self) -> bool:
        return self.target_met is False or self.floor_met is False

    @property
    def year_on_year_text(self) -> str:
        return "—" if self.year_on_year is None else percent(self.year_on_year)

    @property
    def average_text(self) -> str:
        return "—" if self.average is None else percent(self.average)


def _floor_text(metric: kinds.ReportMetric) -> str:
    floor = metric.floor_value()
    if floor is None:
        return ""
    if metric.floor_kind == kinds.GROWTH:
        return _("年均增幅 ≥ %(floor)s") % {"floor": percent(floor)}
    if metric.floor_kind == kinds.LEVEL:
        return _("每年 ≥ %(floor)s%(unit)s") % {"floor": plain(floor), "unit": metric.unit}
    return _("任务期累计 ≥ %(floor)s %(unit)s") % {"floor": plain(floor), "unit": metric.unit}


def _earlier_figures(report: YearlyReport) -> dict[int, dict]:
    """The submitted figures of the filing's earlier years (their latest version), by year."""
    earlier = (
        YearlyReport.objects.filter(filing_id=report.filing_id, year__lt=report.year)
        .exclude(state=ReportState.DRAFT)
        .prefetch_related("versions")
    )
    figures = {}
    for other in earlier:
        versions = sorted(other.versions.all(), key=lambda v: v.number)
        if versions:
            figures[other.year] = versions[-1].figures
    return figures


def growth_table(report: YearlyReport, today=None) -> list[GrowthRow]:
    filing = report.filing
    spec = kinds.get(filing.kind)
    period = period_of(filing, report.year, today)
    index = period.index if period else 1
    years = period.years if period else index
    targets = spec.report_targets(filing)
    earlier = _earlier_figures(report)
    rows = []
    for metric in spec.report_metrics:
        value = _number(report.figures.get(metric.code))
        declared = targets.get(metric.code) or ()
        base = _number(declared[0]) if declared else None
        target = _number(declared[index]) if len(declared) > index else None
        # Last year's value: in the first year, the base year the filing declared.
        previous = base if index == 1 else _number(earlier.get(report.year - 1, {}).get(metric.code))
        notes = []
        year_on_year = yearly_growth(previous, value, 1)
        if value is not None and previous is not None and previous == 0:
            notes.append(_("上年度数值为 0，同比增幅无法计算。"))
        elif value is not None and previous is None and index > 1:
            notes.append(_("上一年度报告尚未报送，同比增幅无法计算。"))
        average = None
        floor = metric.floor_value()
        floor_met = None
        if metric.floor_kind == kinds.GROWTH or (base is not None and metric.floor_kind != kinds.LEVEL):
            average = yearly_growth(base, value, index)
            if value is not None and base is not None and base == 0:
                notes.append(_("基准年度实际值为 0，年均增幅无法计算，请审核人员判断。"))
        if value is not None and floor is not None:
            if metric.floor_kind == kinds.GROWTH and base is not None and base > 0:
                # Compared without a root, exactly: value ≥ base × (1 + floor)^n.
                floor_met = value >= base * (1 + floor) ** index
            elif metric.floor_kind == kinds.LEVEL:
                floor_met = value >= floor
            elif metric.floor_kind == kinds.TOTAL:
                total = value + sum(_number(figures.get(metric.code)) or 0 for year, figures in earlier.items())
                notes.append(_("任务期累计 %(total)s %(unit)s。") % {"total": plain(total), "unit": metric.unit})
                if total >= floor:
                    floor_met = True
                elif index >= years:
                    floor_met = False
        target_met = None if value is None or target is None else value >= target
        rows.append(
            GrowthRow(
                metric=metric,
                value=value,
                previous=previous,
                base=base,
                year_on_year=year_on_year,
                average=average,
                target=target,
                target_met=target_met,
                floor_met=floor_met,
                floor_text=_floor_text(metric),
                notes=notes,
            )
        )
    return rows
