"""The main navigation: which links each role sees, and which one is the current page."""

import functools

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import roles
from filings import kinds

# (URL name, label, who sees it). The current page is the link whose address is the
# longest prefix of the requested one: /filings/12/step/members/ marks 我的申报.
LINKS = [
    ("public:home", _("申报通知"), None),
    ("public:publicity-list", _("公示"), None),
    ("public:registry", _("备案库"), None),
    ("filings:dashboard", _("我的申报"), roles.is_applicant),
    ("kinds:applicant", None, roles.is_applicant),
    ("reports:home", _("年度报告"), roles.is_applicant),
    ("accounts:colleagues", _("单位用户"), roles.is_applicant),
    ("review:queue", _("审核工作台"), roles.is_bureau),
    ("review:publicity-list", _("公示管理"), roles.is_bureau),
    ("review:reports", _("年度绩效报告"), roles.is_oversight),
    ("kinds:staff", None, roles.is_bureau),
    ("admin:filings_call_changelist", _("申报批次管理"), roles.is_bureau),
    ("review:district-filings", _("本区申报"), roles.is_district),
    ("review:statistics", _("统计"), roles.is_oversight),
    ("review:coverage", _("重点企业清单"), roles.is_oversight),
    ("review:expert-home", _("我的评审任务"), roles.is_expert),
]


def _expanded() -> list[tuple]:
    """LINKS with the kinds' own pages (e.g. the product's 备案主体) in place of "kinds:…"."""
    expanded = []
    for name, label, allowed in LINKS:
        if name == "kinds:applicant":
            expanded += [(url, text, allowed) for spec in kinds.all_specs() for url, text in spec.applicant_links]
        elif name == "kinds:staff":
            expanded += [(url, text, allowed) for spec in kinds.all_specs() for url, text in spec.staff_links]
        else:
            expanded.append((name, label, allowed))
    return expanded


@functools.cache
def _url(name: str) -> str:
    # The links' addresses are fixed for the life of the process: reversed once, not per page.
    return reverse(name)


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    links = [
        {"url": _url(name), "label": label}
        for name, label, allowed in _expanded()
        if allowed is None or (user is not None and allowed(user))
    ]
    path = request.path
    matching = [link for link in links if path.startswith(link["url"])]
    current = max(matching, key=lambda link: len(link["url"]), default=None)
    for link in links:
        link["current"] = link is current
    return {"nav_links": links}
