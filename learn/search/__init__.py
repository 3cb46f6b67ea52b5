"""Case search (案例检索): Chinese-aware full-text search over the published case library.

Owns the search page (/search), the syntax help, the admins' vocabulary page,
``GET /api/v1/cases/search``, the related-case slots (``case_aside``,
``cited_cases``), the ``learn search …`` commands and the index itself: the
outbox (``search_outbox``), the single-writer lease (``search_leases``), the
vocabulary edits (``search_vocabulary``) and, for the PostgreSQL backend,
``search_documents`` / ``search_index_state``. Web requests never write the
index: they record changes in the outbox, which one writer applies. See
docs/search.md.

Public names: record_change.
"""

from learn.search.outbox import record_change

__all__ = ["record_change"]
