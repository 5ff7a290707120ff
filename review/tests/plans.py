"""What PostgreSQL plans for the statements a read runs."""

from django.db import connection


def plans_of(read) -> list[str]:
    """The plan of every SELECT `read()` runs, each explained just before it runs, on its
    connection (under the settings the code gave it: review/search.py)."""
    plans = []

    def explain_first(execute, sql, params, many, context):
        # (a union starts with its first part's parenthesis)
        if sql.lstrip().lstrip("( ").upper().startswith("SELECT"):
            context["cursor"].cursor.execute("EXPLAIN " + sql, params)
            plans.append("\n".join(row[0] for row in context["cursor"].cursor.fetchall()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain_first):
        read()
    return plans


def reads_every_filing(plan: str) -> bool:
    return "Seq Scan on filings_filing" in plan


def cuts_names_row_by_row(plan: str) -> bool:
    """Whether the plan tests rows by cutting a name into pieces (filings 0026), 5 µs a row,
    instead of reading them off the pieces' index."""
    return any(line.strip().startswith("Filter:") and "regexp_replace" in line for line in plan.splitlines())
