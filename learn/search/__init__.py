"""Case search. Web requests never write the index: they record changes in an outbox
that a single writer applies.

Public names: record_change.
"""

from learn.search.outbox import record_change

__all__ = ["record_change"]
