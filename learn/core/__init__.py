"""Shared plumbing used by every domain: the declarative base, time, Markdown, pagination."""
