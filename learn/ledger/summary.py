"""One cadre's ledger picture for a year: quotas, outlook, entries and the chart.

Shared by 我的学时, the report's person page and the mentor's progress section.
"""

from learn.core.timefmt import local_today
from learn.ledger.charts import hours_chart
from learn.ledger.quotas import outlook, quota_status
from learn.ledger.services import entries_for, entry_years


def year_choices(user_id: int) -> list[int]:
    """This year and every year with entries, newest first."""
    return sorted({local_today().year, *entry_years(user_id)}, reverse=True)


def ledger_context(user, year: int) -> dict:
    """What the ledger partials (``ledger/_quotas.html``, ``_entries.html``) need."""
    status = quota_status(user, year)
    entries = entries_for(user.id, range(year, year + 1))
    return {
        "person": user,
        "year": year,
        "status": status,
        "outlook": outlook(status, local_today()),
        "entries": entries,
        "chart": hours_chart(entries, status, year),
    }
