"""Backup and restore of the embedded shape: the SQLite database (an online, consistent
copy) and the uploads under the data directory, in one archive with a manifest of
row counts and checksums. The search index is not archived: it is rebuilt from the
database after a restore. PostgreSQL deployments use pg_dump/pg_restore
(docs/deployment.md).

Public names: create_backup, restore_backup, table_fingerprint.
"""

from learn.backup.services import create_backup, restore_backup, table_fingerprint

__all__ = ["create_backup", "restore_backup", "table_fingerprint"]
