"""What each chart draws, as data for static/js/statistics.js (ECharts) and for the 通报's SVG."""

from review.statistics.selectors import STATE_BUCKETS

BUCKET_LABELS = {key: label for key, label, _condition in STATE_BUCKETS}


def _bars(rows: list[dict], keys: list[str], labels: dict) -> dict:
    return {
        "categories": [row["label"] for row in rows],
        "series": [{"name": labels[key], "data": [row[key] for row in rows]} for key in keys],
    }


def dashboard_charts(figures: dict) -> dict:
    month_labels = {"submitted": "提交", "registered": "入库/立项/备案", "rejected": "未通过", "withdrawn": "撤回"}
    state_keys = ["registered", "in_progress", "rejected", "withdrawn"]
    return {
        "chart-monthly": {"type": "line", **_bars(figures["monthly"], list(month_labels), month_labels)},
        "chart-states": {
            "type": "bar",
            "categories": [row["label"] for row in figures["states"]],
            "series": [{"name": "申报", "data": [row["n"] for row in figures["states"]]}],
        },
        "chart-kind": {"type": "stack", **_bars(figures["by"]["kind"], state_keys, BUCKET_LABELS)},
        "chart-district": {"type": "stack", **_bars(figures["by"]["district"], state_keys, BUCKET_LABELS)},
        "chart-industry": {"type": "stack", **_bars(figures["by"]["industry"], state_keys, BUCKET_LABELS)},
        "chart-products": {
            "type": "stack",
            **_bars(
                figures["products"]["district"],
                ["registered", "withdrawn"],
                {"registered": "有效备案", "withdrawn": "已撤销"},
            ),
        },
        "chart-times": {
            "type": "bar",
            "categories": [row["label"] for row in figures["times"]],
            "series": [
                {"name": "中位数", "data": [row["median"] for row in figures["times"]]},
                {"name": "90%分位", "data": [row["p90"] for row in figures["times"]]},
            ],
        },
    }
