"""Use cases of the mock-talk domain, one module per area; each adds and flushes, never commits."""

from learn.drills.services import cards, groups, history, practice, sessions

__all__ = ["cards", "groups", "history", "practice", "sessions"]
