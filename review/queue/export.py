"""The staff queue's current filtered list as .xlsx: every matching filing, not only the page."""

from django.utils import timezone

from accounts.roles import bureau_required
from filings import kinds
from filings.states import State
from review.queue import selectors
from review.queue.forms import QueueFilterForm
from review.spreadsheets import xlsx_response

HEADER = [
    "编号",
    "名称",
    "申报类型",
    "申报单位",
    "统一社会信用代码",
    "所在区",
    "产业领域",
    "状态",
    "提交时间",
    "备案号/立项号",
]
FIELDS = ["number", "title", "kind", "organisation__name", "organisation__uscc", "district", "industry",
          "state", "submitted_at", "registry_number"]  # fmt: skip


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@bureau_required
def queue_export(request):
    filters = QueueFilterForm(request.GET).filters()
    kind_labels, state_labels = dict(kinds.choices()), dict(State.choices)
    rows = (
        [number, title, str(kind_labels.get(kind, kind)), org, uscc, district, industry,
         str(state_labels.get(state, state)), _local(submitted), registry or ""]
        for number, title, kind, org, uscc, district, industry, state, submitted, registry in (
            selectors.filings_for_staff(filters).values_list(*FIELDS).iterator(chunk_size=2000)
        )
    )  # fmt: skip
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response([("申报列表", HEADER, rows)], filename=f"queue-{stamp}.xlsx")
