"""The registry's filtered lists are read in index order on PostgreSQL: each filter, and a
district's industry, has an index in the registry's order (newest first), so that a page never
combines indexes and sorts the matches."""

import pytest
from django.db import connection

from filings.models import Filing
from filings.states import State
from filings.tests.alliance_factories import AllianceFilingFactory
from filings.tests.threads import skip_unless_postgres
from review.registry.forms import RegistryFilterForm
from review.registry.selectors import REGISTRY_ROW_FIELDS, registry_facets, registry_list

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
