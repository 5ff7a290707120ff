"""A text search that PostgreSQL answers from an index whatever the length of the words sought."""

from django.db.models import F, Q
from django.db.models.lookups import IContains

# A shorter text has no trigram for pg_trgm (filings 0008): it is found through the one- and
# two-character pieces (filings 0026).
SHORTEST_TRIGRAM = 3


class _ContainsText(IContains):
    """icontains. On PostgreSQL, a text of one or two characters (芯片, 联盟: most Chinese words
    are two) has no trigram to look up, and LIKE '%芯片%' read every row: it is asked instead as
    "UPPER(q) is one of the column's pieces", which the pieces' GIN index answers exactly."""

    def as_postgresql(self, compiler, connection):
        if not (self.rhs_is_direct_value() and isinstance(self.rhs, str) and 0 < len(self.rhs) < SHORTEST_TRIGRAM):
            return self.as_sql(compiler, connection)
        # UPPER(column::text), as icontains and the index have it.
        lhs, params = self.process_lhs(compiler, connection)
        return f"search_grams({lhs}) @> ARRAY[UPPER(%s)]", [*params, self.rhs]


def contains_text(field: str, text: str) -> Q:
    """`field__icontains=text`, through an index on PostgreSQL for any length of `text`."""
    return Q(_ContainsText(F(field), text))
