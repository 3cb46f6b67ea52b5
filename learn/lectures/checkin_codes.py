"""Short rotating check-in codes, derived statelessly so every host agrees.

code = HOTP-style truncation of HMAC-SHA256(secret, "session:window"), where
window = unix time // step. Nothing is stored: any process with the same secret
computes the same code, and a code stops working ``step`` seconds after its
window ends (the one grace window covers a code read just before it rotated).
Pure: no Flask, no DB.
"""

import hashlib
import hmac
from datetime import datetime

DIGITS = 6
GRACE_WINDOWS = 1


def derive_secret(secret_key: str) -> bytes:
    """A check-in key of its own, so codes reveal nothing about the session key."""
    return hmac.new(secret_key.encode(), b"learn.lectures.checkin", hashlib.sha256).digest()


def window_of(now: datetime, step: int) -> int:
    return int(now.timestamp()) // step


def code_for(secret: bytes, session_id: int, window: int) -> str:
    mac = hmac.new(secret, f"{session_id}:{window}".encode(), hashlib.sha256).digest()
    offset = mac[-1] & 0x0F
    value = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 10**DIGITS:0{DIGITS}d}"


def current_code(secret: bytes, session_id: int, now: datetime, step: int) -> tuple[str, int]:
    """The code to show now and the seconds until it rotates."""
    window = window_of(now, step)
    remaining = step - int(now.timestamp()) % step
    return code_for(secret, session_id, window), remaining


def code_is_valid(secret: bytes, session_id: int, code: str, now: datetime, step: int) -> bool:
    """Whether ``code`` is the code of this session's current or previous window."""
    code = (code or "").strip()
    if len(code) != DIGITS or not code.isdigit():
        return False
    window = window_of(now, step)
    return any(
        hmac.compare_digest(code, code_for(secret, session_id, window - back))
        for back in range(GRACE_WINDOWS + 1)
    )
