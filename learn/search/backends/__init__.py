"""Search backends behind one interface; ``make_backend`` picks one from the config."""

from pathlib import Path

from learn.search.backends.base import (
    Access,
    Filters,
    Hit,
    IndexStatus,
    IndexUnavailable,
    ResultPage,
    SearchBackend,
)

BACKENDS = ("whoosh", "postgres")

__all__ = [
    "BACKENDS",
    "Access",
    "Filters",
    "Hit",
    "IndexStatus",
    "IndexUnavailable",
    "ResultPage",
    "SearchBackend",
    "make_backend",
]


def make_backend(config) -> SearchBackend:
    """The backend named by ``SEARCH_BACKEND`` (whoosh: embedded; postgres: scale-out)."""
    name = config["SEARCH_BACKEND"]
    if name == "whoosh":
        from learn.search.backends.whoosh_index import WhooshBackend

        return WhooshBackend(Path(config["DATA_DIR"]) / "search" / "whoosh")
    if name == "postgres":
        if not config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            raise RuntimeError(
                "LEARN_SEARCH_BACKEND=postgres needs LEARN_DATABASE_URL=postgresql://…"
            )
        from learn.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    raise RuntimeError(f"LEARN_SEARCH_BACKEND={name!r} is not one of {', '.join(BACKENDS)}")
