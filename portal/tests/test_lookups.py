"""A text search finds what icontains finds, for any length of text; on PostgreSQL a search of one
or two characters (most Chinese words are two) is answered by an index, not by reading every row."""

import pytest
from django.db import connection

from accounts.models import Organisation
from accounts.tests.factories import OrganisationFactory
from filings.models import Filing
from filings.tests.alliance_factories import AllianceFilingFactory
from portal.lookups import contains_text

pytestmark = pytest.mark.django_db

TITLES = [
    "上海车规芯片产业知识产权联盟",
    "上海生物医药知识产权联盟",
    "Shanghai LM Alliance",
    "100%_联盟",
    "单",
    "奇数个字",
]


@pytest.mark.parametrize(
    "text",
    ["芯", "芯片", "车规芯片", "联盟", "lm", "Lm a", "L", "%", "_", "%_", "盟x", "药知识", "单", "字", "个字", "数个"],
)
def test_a_text_finds_what_icontains_finds(text):
    for title in TITLES:
        AllianceFilingFactory(title=title)

    found = set(Filing.objects.filter(contains_text("title", text)).values_list("title", flat=True))

    assert found == set(Filing.objects.filter(title__icontains=text).values_list("title", flat=True))
    assert found == {title for title in TITLES if text.lower() in title.lower()}


@pytest.mark.parametrize(
    ("model", "field", "index"),
    [
        (Filing, "title", "filing_title_grams"),
        (Filing, "number", "filing_number_grams"),
        (Organisation, "name", "organisation_name_grams"),
    ],
)
@pytest.mark.parametrize("text", ["芯", "芯片"])
def test_a_text_of_one_or_two_characters_is_looked_up_in_the_pieces_index(model, field, index, text):
    if connection.vendor != "postgresql":
        pytest.skip("the pieces' indexes are PostgreSQL's (filings 0026); SQLite scans")
    AllianceFilingFactory(
        title="上海车规芯片产业知识产权联盟", organisation=OrganisationFactory(name="上海芯片科技有限公司")
    )

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows is no excuse
        plan = model.objects.filter(contains_text(field, text)).explain()

    assert f"Bitmap Index Scan on {index}" in plan
    assert "Filter" not in plan  # the index's answer is exact: no row is tested again
