"""What PostgreSQL plans for the statements a read runs, and many filings to plan them for."""

import re

from django.db import connection

from filings.models import Filing


def plans_of(read) -> list[str]:
    """The plan of every SELECT `read()` runs, each explained just before it runs, on its
    connection (under the settings the code gave it: review/search.py)."""
    plans = []

    def explain_first(execute, sql, params, many, context):
        # (a union starts with its first part's parenthesis, a statement written out in the code
        # with a line break)
        if sql.lstrip().lstrip("( ").upper().startswith("SELECT"):
            context["cursor"].cursor.execute("EXPLAIN " + sql, params)
            plans.append("\n".join(row[0] for row in context["cursor"].cursor.fetchall()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain_first):
        read()
    return plans


def reads_every_filing(plan: str) -> bool:
    """Whether the plan scans the filings table (not another table whose name starts so)."""
    return re.search(r"Seq Scan on filings_filing( |$)", plan, re.MULTILINE) is not None


def cuts_names_row_by_row(plan: str) -> bool:
    """Whether the plan tests rows by cutting a name into pieces (filings 0026), 5 µs a row,
    instead of reading them off the pieces' index."""
    return any(line.strip().startswith("Filter:") and "regexp_replace" in line for line in plan.splitlines())


def copies_of(filing: Filing, count: int, columns: dict[str, str], params: list) -> None:
    """`count` copies of `filing` by one INSERT … SELECT, numbered apart, with `columns` given by
    SQL over `g` (1 to `count`; `params` for their placeholders), and the table's statistics taken:
    a test's handful of rows would be read whole whatever the indexes, many are planned as at scale."""
    columns = {"number": "number || '-' || g", **columns}
    kept = [f.column for f in Filing._meta.concrete_fields if f.column != "id" and f.column not in columns]
    names = ", ".join(connection.ops.quote_name(c) for c in kept)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO filings_filing ({names}, {', '.join(columns)}) "
            f"SELECT {names}, {', '.join(columns.values())} "
            "FROM filings_filing, generate_series(1, %s) AS g WHERE id = %s",
            [*params, count, filing.pk],
        )
        cursor.execute("ANALYZE filings_filing")
