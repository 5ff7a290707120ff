"""A filing keeps its applicant's district (filings 0021), however either row is written: the
lists filter on it. On PostgreSQL and SQLite alike (triggers on both)."""

import pytest

from accounts.models import District, Organisation
from accounts.tests.factories import OrganisationFactory
from filings.models import Filing
from filings.tests.alliance_factories import AllianceFilingFactory

pytestmark = pytest.mark.django_db


def district_of(filing) -> str:
    return Filing.objects.values_list("district", flat=True).get(pk=filing.pk)


def test_a_new_filing_takes_its_applicants_district():
    filing = AllianceFilingFactory(organisation=OrganisationFactory(district=District.XUHUI))

    assert district_of(filing) == District.XUHUI


def test_the_filings_follow_their_applicant_to_another_district_by_save_or_by_update():
    organisation = OrganisationFactory(district=District.XUHUI)
    filings = AllianceFilingFactory.create_batch(2, organisation=organisation)
    other = AllianceFilingFactory(organisation=OrganisationFactory(district=District.XUHUI))

    organisation.district = District.MINHANG
    organisation.save()
    assert [district_of(f) for f in filings] == [District.MINHANG, District.MINHANG]

    Organisation.objects.filter(pk=organisation.pk).update(district=District.JIADING)
    assert [district_of(f) for f in filings] == [District.JIADING, District.JIADING]
    assert district_of(other) == District.XUHUI


def test_a_filing_moved_to_another_applicant_takes_its_district_and_no_other_value_sticks():
    filing = AllianceFilingFactory(organisation=OrganisationFactory(district=District.XUHUI))

    Filing.objects.filter(pk=filing.pk).update(organisation=OrganisationFactory(district=District.BAOSHAN))
    assert district_of(filing) == District.BAOSHAN

    Filing.objects.filter(pk=filing.pk).update(district=District.HUANGPU)
    assert district_of(filing) == District.BAOSHAN

    filing.refresh_from_db()
    filing.title = "改名"
    filing.district = District.HUANGPU
    filing.save()
    assert district_of(filing) == District.BAOSHAN
