"""The 通报: a period's figures and the key-enterprise coverage, as an A4 PDF and as .xlsx.

The PDF is rendered by a worker (queued through the outbox, like the 申请书); the .xlsx is
written on request from the same figures. Charts are SVG drawn here, so they stay vector in the PDF.
"""

import time
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from filings import signing
from filings.models import OutboxMessage
from filings.outbox import outbox_enqueue, outbox_message_for_key, outbox_retry
from filings.pdf import extra_stylesheet, html_to_pdf
from review.directory.selectors import coverage_by_list
from review.statistics import selectors
from review.statistics.calendar import workday_table_ensure
from review.statistics.models import Bulletin

BAR_COLOURS = ("#1f4e79", "#c00000")


def svg_bars(categories: list[str], series: list[tuple[str, list[float]]], *, unit: str = "") -> str:
    """A horizontal bar chart (one bar per series and category) as inline SVG."""
    bar, label_width, chart_width = 7, 110, 330
    row = bar * len(series) + 4
    height = max(1, len(categories)) * row + 24
    top = max([0.0] + [value or 0 for _name, values in series for value in values]) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_width + chart_width + 60}" height="{height}" '
        f'viewBox="0 0 {label_width + chart_width + 60} {height}" class="chart">'
    ]
    for i, category in enumerate(categories):
        y = 20 + i * row
        parts.append(
            f'<text x="{label_width - 4}" y="{y + 9}" text-anchor="end" font-size="8">{escape(category)}</text>'
        )
        for j, (_name, values) in enumerate(series):
            value = values[i] or 0
            width = chart_width * value / top
            parts.append(
                f'<rect x="{label_width}" y="{y + j * bar}" width="{width:.1f}" height="{bar - 1}" '
                f'fill="{BAR_COLOURS[j % len(BAR_COLOURS)]}"/>'
            )
            parts.append(
                f'<text x="{label_width + width + 3:.1f}" y="{y + j * bar + 6}" font-size="6.5">{value}{unit}</text>'
            )
    for j, (name, _values) in enumerate(series):
        x = label_width + j * 90
        parts.append(f'<rect x="{x}" y="2" width="8" height="8" fill="{BAR_COLOURS[j % len(BAR_COLOURS)]}"/>')
        parts.append(f'<text x="{x + 11}" y="9" font-size="8">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bulletin_figures(bulletin: Bulletin) -> dict:
    workday_table_ensure()
    figures = selectors.dashboard({"date_from": bulletin.date_from, "date_to": bulletin.date_to})
    figures["coverage"] = coverage_by_list()
    figures["totals"] = {
        key: sum(row[key] for row in figures["by"]["kind"])
        for key in ("total", "registered", "in_progress", "rejected", "withdrawn")
    }
    return figures


def bulletin_context(bulletin: Bulletin) -> dict:
    figures = bulletin_figures(bulletin)
    districts = figures["by"]["district"]
    coverage = [row for row in figures["coverage"] if row["total"]]
    return {
        "bulletin": bulletin,
        "figures": figures,
        "issued_on": timezone.localdate(),
        "district_chart": svg_bars(
            [row["label"] for row in districts],
            [("申报", [row["total"] for row in districts]), ("入库/立项", [row["registered"] for row in districts])],
        ),
        "coverage_chart": svg_bars(
            [row["list"].name for row in coverage], [("覆盖率", [row["rate"] for row in coverage])], unit="%"
        ),
    }


def bulletin_sheets(bulletin: Bulletin) -> list[tuple[str, list, list]]:
    """The 通报's figures as workbook sheets (review.spreadsheets.xlsx_bytes)."""
    period = f"{bulletin.date_from:%Y-%m-%d} 至 {bulletin.date_to:%Y-%m-%d}"
    return figures_sheets(bulletin_figures(bulletin), title=bulletin.title, period=period)


def figures_sheets(figures: dict, *, title: str, period: str) -> list[tuple[str, list, list]]:
    """The dashboard's figures (and the coverage, when given) as workbook sheets."""
    bucket_header = ["申报", "已入库/立项", "办理中", "未通过", "已撤回"]

    def buckets(rows):
        return [
            [row["label"], row["total"], row["registered"], row["in_progress"], row["rejected"], row["withdrawn"]]
            for row in rows
        ]

    return [
        ("概况", ["标题", "统计范围"], [[title, period]]),
        ("按申报类型", ["申报类型", *bucket_header], buckets(figures["by"]["kind"])),
        ("按区", ["所在区", *bucket_header], buckets(figures["by"]["district"])),
        ("按产业领域", ["产业领域", *bucket_header], buckets(figures["by"]["industry"])),
        (
            "按月",
            ["月份", "提交", "入库/立项/备案", "未通过", "撤回"],
            [[r["label"], r["submitted"], r["registered"], r["rejected"], r["withdrawn"]] for r in figures["monthly"]],
        ),
        (
            "专利产品备案",
            ["所在区", "有效备案", "已撤销"],
            [[r["label"], r["registered"], r["withdrawn"]] for r in figures["products"]["district"]],
        ),
        (
            "办理时长",
            ["环节", "件数", "中位数（工作日）", "90%分位（工作日）"],
            [[r["label"], r["count"], r["median"], r["p90"]] for r in figures["times"]],
        ),
        (
            "重点企业覆盖",
            ["清单", "完成备案期限", "企业数", "已备案", "备案办理中", "未备案", "覆盖率（%）"],
            [
                [
                    r["list"].name,
                    f"{r['list'].deadline:%Y-%m-%d}",
                    r["total"],
                    r["registered"],
                    r["in_progress"],
                    r["none"],
                    r["rate"],
                ]
                for r in figures.get("coverage", [])
            ],
        ),
    ]


@transaction.atomic
def bulletin_request(*, title: str, date_from, date_to, actor) -> Bulletin:
    bulletin = Bulletin(title=title.strip(), date_from=date_from, date_to=date_to, requested_by=actor)
    bulletin.full_clean()
    bulletin.save()
    outbox_enqueue(task="review.statistics.tasks.render_bulletin", key=_key(bulletin), bulletin_id=bulletin.pk)
    return bulletin


def _key(bulletin: Bulletin) -> str:
    return f"bulletin:{bulletin.pk}"


def bulletin_states(bulletins) -> None:
    """Sets `state` on each 通报 of a page: done, failed (the outbox gave its render up) or rendering
    (1 query for the page)."""
    keys = {_key(item): item for item in bulletins if not item.file}
    dead = (
        set(
            OutboxMessage.objects.filter(key__in=keys, dead_at__isnull=False, done_at__isnull=True).values_list(
                "key", flat=True
            )
        )
        if keys
        else set()
    )
    for item in bulletins:
        item.state = "done" if item.file else "failed" if _key(item) in dead else "rendering"


def bulletin_retry(*, bulletin: Bulletin) -> bool:
    """Sends a failed render again, with a fresh count of attempts; False when it had not failed."""
    message = outbox_message_for_key(_key(bulletin))
    if bulletin.file or message is None or message.dead_at is None or message.done_at is not None:
        return False
    return bool(outbox_retry(message_ids=[message.pk]))


def bulletin_render(*, bulletin_id: int) -> Bulletin:
    """Renders and stores the PDF once (idempotent: a message may be delivered twice)."""
    bulletin = Bulletin.objects.get(pk=bulletin_id)
    if bulletin.file:
        return bulletin
    started = time.perf_counter()
    html = render_to_string("pdf/bulletin.html", bulletin_context(bulletin))
    rendered = signing.bureau_pdf_sign(
        rendered=html_to_pdf(html, extra_stylesheets=[extra_stylesheet(render_to_string("pdf/bulletin.css"))]),
        reason=_("上海市知识产权局通报：%(title)s") % {"title": bulletin.title},
    )
    name = default_storage.save(f"bulletins/{bulletin.pk}-{bulletin.date_from:%Y%m%d}.pdf", ContentFile(rendered.data))
    with transaction.atomic():
        locked = Bulletin.objects.select_for_update().get(pk=bulletin_id)
        if locked.file:
            default_storage.delete(name)
            return locked
        locked.file, locked.size, locked.pages = name, len(rendered.data), rendered.pages
        locked.rendered_at = timezone.now()
        locked.save(update_fields=["file", "size", "pages", "rendered_at"])
    locked.render_seconds = round(time.perf_counter() - started, 3)
    return locked
