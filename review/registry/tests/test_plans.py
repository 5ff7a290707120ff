"""The registry's filtered lists are read in index order on PostgreSQL: each filter, and a
district's industry, has an index in the registry's order (newest first), so that a page never
combines indexes and sorts the matches."""

import pytest
from django.db import connection

from accounts.tests.factories import OrganisationFactory
from api.tests.factories import registered
from filings.models import Filing
from filings.states import State
from filings.tests.alliance_factories import AllianceFilingFactory
from filings.tests.threads import skip_unless_postgres
from review import search
from review.registry.forms import RegistryFilterForm
from review.registry.selectors import REGISTRY_ROW_FIELDS, registry_facets, registry_list, registry_matching
from review.tests.plans import copies_of, cuts_names_row_by_row, plans_of, reads_every_filing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


def _plan(params: dict) -> str:
    form = RegistryFilterForm(params, facets=registry_facets())
    assert form.is_valid(), form.errors
    rows = form.filter(registry_list()).values_list(*REGISTRY_ROW_FIELDS)[200:220]
    with connection.cursor() as cursor:
        # A test's handful of rows would be read whole whatever the indexes: plan as for many.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        return rows.explain()


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"industry": True}, "registry_industry_idx"),
        ({"district": True}, "registry_district_idx"),
        ({"district": True, "industry": True}, "registry_district_industry_idx"),
    ],
)
def test_a_filtered_registry_page_is_read_off_its_own_index_in_order(filters, index):
    AllianceFilingFactory.create_batch(3, industry="集成电路")
    Filing.objects.update(state=State.REGISTERED)
    filing = Filing.objects.first()
    params = {name: getattr(filing, name) for name in filters}

    plan = _plan(params)

    assert f"using {index} " in plan
    assert "Sort Key" not in plan


def _many_registered_like(filing: Filing, count: int) -> None:
    """`count` copies of `filing`, a third of them registered: the registry is then a part of many
    filings."""
    registered = "g %% 3 = 0"
    copies_of(
        filing,
        count,
        {
            "state": f"CASE WHEN {registered} THEN 'registered' ELSE 'submitted' END",
            "registry_number": f"CASE WHEN {registered} THEN '沪知联备〔2024〕第' || g || '号' END",
            "registry_seq": f"CASE WHEN {registered} THEN g END",
        },
        [],
    )


@pytest.mark.parametrize(
    ("q", "matched"),
    [("联盟", 667), ("芯", 666), ("车规芯片", 666), ("晶圆科技", 666), ("晶圆", 666), ("2024", 667),
     ("第3号", 1), ("91310115", 667), ("医药", 1)],
)  # fmt: skip
def test_a_registry_search_reads_its_matches_off_indexes_however_many_it_matches(q, matched):
    # 2,001 filings of one holder and one name, a third of them registered: a search matches all
    # of those, as a common word would among many filings; and one other, found alone.
    organisation = OrganisationFactory(name="上海晶圆科技有限公司")
    _many_registered_like(
        AllianceFilingFactory(title="上海车规芯片产业知识产权联盟", number="LM2024-1", organisation=organisation), 2000
    )
    registered(title="上海生物医药知识产权联盟")

    plans = plans_of(lambda: search.matches("registry", q, registry_matching))

    assert len(search.matches("registry", q, registry_matching).ids) == matched
    assert plans
    assert not [plan for plan in plans if reads_every_filing(plan) or cuts_names_row_by_row(plan)]
    if len(q) < 3:  # names found by their pieces (filings 0026), not by testing every registered one
        assert "title_grams" in "\n".join(plans)
