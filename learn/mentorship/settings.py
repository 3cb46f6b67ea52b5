"""Mentorship settings, each overridable by a ``LEARN_*`` environment variable.

LEARN_MENTOR_CAPACITY        open pairings one mentor may hold (default 3)
LEARN_MENTOR_INACTIVE_DAYS   days without a meeting before a pair is flagged (45)
LEARN_MENTOR_RED_DAYS        days without a meeting before the flag turns red (60)
LEARN_MENTOR_SIGN_DAYS       days a pairing may wait for both signatures before it
                             needs attention (14)
LEARN_MENTOR_CONFIRM_DAYS    days a logged meeting may wait for the mentee's
                             confirmation before the pair needs attention (14)
LEARN_MENTOR_TERM_SOON_DAYS  how far ahead the dashboard lists term ends (60)
"""

import os

from flask import current_app

DEFAULTS = {
    "MENTOR_CAPACITY": 3,
    "MENTOR_INACTIVE_DAYS": 45,
    "MENTOR_RED_DAYS": 60,
    "MENTOR_SIGN_DAYS": 14,
    "MENTOR_CONFIRM_DAYS": 14,
    "MENTOR_TERM_SOON_DAYS": 60,
}


def init_settings(app) -> None:
    """Fill in defaults and environment values that the app config does not set yet."""
    for key, default in DEFAULTS.items():
        app.config.setdefault(key, int(os.environ.get(f"LEARN_{key}", default)))


def setting(key: str) -> int:
    return int(current_app.config[key])
