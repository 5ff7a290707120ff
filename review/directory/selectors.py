"""Coverage of the key-enterprise lists (seed 003 三), by 统一社会信用代码, in aggregate queries.

An enterprise is covered when it holds a registered 专利产品备案; in progress when it has one
submitted or returned for 补正 and none registered; otherwise it has none.
"""

from django.db import connection
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from filings.models import Filing
from filings.states import State
from review.directory.models import KeyEntry, KeyList, ProductHolder

PRODUCT = "PRODUCT"
IN_PROGRESS = (State.SUBMITTED, State.RETURNED)
STATUSES = {"registered": "已备案", "in_progress": "备案办理中", "none": "未备案"}


def _holders(status: str) -> QuerySet:
    """The codes of organisations with a product record of `status`: an uncorrelated subquery, which
    the database evaluates once and probes by hash for every entry. On PostgreSQL from the holders
    the database keeps (ProductHolder: one row per holder, whatever the number of filings)."""
    if connection.vendor == "postgresql":
        return ProductHolder.objects.filter(**{f"{status}__gt": 0}).values("uscc")
    states = [State.REGISTERED] if status == "registered" else IN_PROGRESS
    return Filing.objects.filter(kind=PRODUCT, state__in=states).values("organisation__uscc")


def _entries(area: str | None) -> QuerySet[KeyEntry]:
    registered = Q(uscc__in=_holders("registered"))
    in_progress = Q(uscc__in=_holders("in_progress"))
    entries = KeyEntry.objects.annotate(
        has_registered=ExpressionWrapper(registered, output_field=BooleanField()),
        has_in_progress=ExpressionWrapper(in_progress, output_field=BooleanField()),
    )
    return entries.filter(area=area) if area else entries


STATUS_Q = {
    "registered": Q(has_registered=True),
    "in_progress": Q(has_registered=False, has_in_progress=True),
    "none": Q(has_registered=False, has_in_progress=False),
}


def _coverage(entries: QuerySet[KeyEntry], *fields: str) -> list[dict]:
    rows = (
        entries.order_by()
        .values(*fields)
        .annotate(total=Count("id"), **{status: Count("id", filter=q) for status, q in STATUS_Q.items()})
        .order_by(*fields)
    )
    for row in rows:
        row["rate"] = round(100 * row["registered"] / row["total"], 1) if row["total"] else None
    return list(rows)


def coverage_by_list(*, area: str | None = None) -> list[dict]:
    """Every list with its deadline and coverage (2 queries); lists past their deadline stand out."""
    lists = {key_list.pk: key_list for key_list in KeyList.objects.all()}
    counted = {row["key_list"]: row for row in _coverage(_entries(area), "key_list")}
    empty = {"total": 0, "registered": 0, "in_progress": 0, "none": 0, "rate": None}
    return [{"list": key_list, **counted.get(pk, empty)} for pk, key_list in lists.items()]


def coverage_by_district(*, area: str | None = None, key_list: KeyList | None = None) -> list[dict]:
    entries = _entries(area)
    if key_list is not None:
        entries = entries.filter(key_list=key_list)
    return _coverage(entries, "area")


def entries_for(*, key_list: KeyList, area: str | None = None, status: str = "", q: str = "") -> QuerySet[KeyEntry]:
    entries = _entries(area).filter(key_list=key_list)
    if status in STATUS_Q:
        entries = entries.filter(STATUS_Q[status])
    q = q.strip()
    if q:
        entries = entries.filter(Q(name__icontains=q) | Q(uscc__startswith=q.upper()))
    return entries.annotate(has_account=Exists(_accounts())).order_by("area", "name", "id")


def _accounts() -> QuerySet[User]:
    return User.objects.filter(is_active=True, organisation__uscc=OuterRef("uscc"))


def entries_to_remind(*, key_list: KeyList) -> QuerySet[KeyEntry]:
    """Listed enterprises with an account on the portal and no product record at all."""
    return _entries(None).filter(STATUS_Q["none"], Exists(_accounts()), key_list=key_list)


def key_list_for(*, pk: int) -> KeyList:
    return get_object_or_404(KeyList, pk=pk)
