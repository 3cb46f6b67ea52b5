"""Security tests: authorization, CSRF, safe GETs and hostile content (issue 11)."""
