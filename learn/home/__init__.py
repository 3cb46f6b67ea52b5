"""The personal home page, notifications pages and the health check.

Later domains add panels to the home page with ``register_home_panel``.
"""
