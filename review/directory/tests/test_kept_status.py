"""Each listed enterprise's status as PostgreSQL keeps it (review.directory 0003), against the
filings themselves: after registration, 补正, withdrawal, a change of code on either side, a
rebuild, and an enterprise registered while it is being listed."""

from datetime import date

import pytest
from django.db import connection, transaction

from accounts.tests.factories import OrganisationFactory, StaffFactory, make_uscc
from filings.models import Filing
from filings.states import State
from filings.tests.product_factories import ProductFilingFactory
from filings.tests.threads import run_at_once, skip_unless_postgres
from review.directory import selectors
from review.directory.models import KeyEntry, KeyList

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


def by_filings(uscc: str) -> str:
    states = set(Filing.objects.filter(kind="PRODUCT", organisation__uscc=uscc).values_list("state", flat=True))
    if State.REGISTERED in states:
        return "registered"
    return "in_progress" if states & {State.SUBMITTED, State.RETURNED} else "none"


def assert_kept():
    kept = dict(KeyEntry.objects.values_list("uscc", "status"))
    assert kept == {uscc: by_filings(uscc) for uscc in kept}


@pytest.fixture
def key_list():
    return KeyList.objects.create(name="专精特新", deadline=date(2099, 12, 31), created_by=StaffFactory())


def test_an_entrys_status_follows_its_enterprises_records(key_list):
    early, late, other = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    record = ProductFilingFactory(organisation=early)
    Filing.objects.filter(pk=record.pk).update(state=State.REGISTERED)
    KeyEntry.objects.create(key_list=key_list, name="先有备案", uscc=early.uscc, area="浦东新区")
    KeyEntry.objects.create(key_list=key_list, name="后有备案", uscc=late.uscc, area="徐汇区")
    assert KeyEntry.objects.get(uscc=early.uscc).status == "registered"

    later = ProductFilingFactory(organisation=late)
    Filing.objects.filter(pk=later.pk).update(state=State.SUBMITTED)
    assert KeyEntry.objects.get(uscc=late.uscc).status == "in_progress"
    Filing.objects.filter(pk=later.pk).update(state=State.REGISTERED)
    assert_kept()

    Filing.objects.filter(pk=record.pk).update(state=State.WITHDRAWN)
    assert KeyEntry.objects.get(uscc=early.uscc).status == "none"

    moved, old = late, late.uscc  # the enterprise's code corrected: its records go with it
    moved.uscc = make_uscc(880001)
    moved.save(update_fields=["uscc"])
    assert KeyEntry.objects.get(uscc=old).status == "none"
    KeyEntry.objects.filter(uscc=old).update(uscc=moved.uscc)  # and the list's entry corrected too
    assert KeyEntry.objects.get(uscc=moved.uscc).status == "registered"

    Filing.objects.filter(pk=later.pk).update(organisation=other)
    assert_kept()
    assert KeyEntry.objects.get(uscc=moved.uscc).status == "none"


def test_a_status_written_by_hand_is_put_right(key_list):
    organisation = OrganisationFactory()
    Filing.objects.filter(pk=ProductFilingFactory(organisation=organisation).pk).update(state=State.REGISTERED)
    entry = KeyEntry.objects.create(key_list=key_list, name="企业", uscc=organisation.uscc, area="浦东新区")

    KeyEntry.objects.filter(pk=entry.pk).update(status="none")

    assert KeyEntry.objects.get(pk=entry.pk).status == "registered"


def test_the_rebuild_after_a_bulk_load_sets_every_status(key_list):
    organisation = OrganisationFactory()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # a bulk load: no triggers
        Filing.objects.filter(pk=ProductFilingFactory(organisation=organisation).pk).update(state=State.RETURNED)
        KeyEntry.objects.create(key_list=key_list, name="批量导入", uscc=organisation.uscc, area="浦东新区")
    assert KeyEntry.objects.get(uscc=organisation.uscc).status == "none"

    with connection.cursor() as cursor:
        cursor.execute("SELECT directory_holder_rebuild()")

    assert_kept()
    assert KeyEntry.objects.get(uscc=organisation.uscc).status == "in_progress"
    assert selectors.coverage_by_list()[0]["in_progress"] == 1


def test_an_enterprise_registered_while_it_is_listed_is_counted_covered(key_list):
    organisations = [OrganisationFactory() for _i in range(6)]
    records = [ProductFilingFactory(organisation=o) for o in organisations]
    Filing.objects.filter(pk__in=[r.pk for r in records]).update(state=State.SUBMITTED)

    def register(record):
        return lambda: Filing.objects.filter(pk=record.pk).update(state=State.REGISTERED)

    def listing(organisation):
        return lambda: KeyEntry.objects.create(key_list=key_list, name="企业", uscc=organisation.uscc, area="浦东新区")

    results = run_at_once(
        [job for o, r in zip(organisations, records, strict=True) for job in (register(r), listing(o))]
    )

    assert [r for r in results if isinstance(r, Exception)] == []
    assert_kept()
    assert set(KeyEntry.objects.values_list("status", flat=True)) == {"registered"}
