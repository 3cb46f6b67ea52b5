"""Mentorship use cases, one module per subject; each function flushes, never commits."""
