"""Configuration defaults; every setting can be overridden by a ``LEARN_*`` variable.

``load_config`` reads the environment once at app creation. The secret key is
never hard-coded: when ``LEARN_SECRET_KEY`` is absent a random key is generated
and kept in the data directory so that every worker and restart shares it.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"LEARN_{name}", default)


def _secret_key(data_dir: Path) -> str:
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    tmp = key_file.with_suffix(".tmp")
    tmp.write_text(key)
    tmp.chmod(0o600)
    # os.replace is atomic, so two workers starting together agree on one key.
    if not key_file.exists():
        os.replace(tmp, key_file)
    else:
        tmp.unlink()
    return key_file.read_text().strip()


def sqlalchemy_url(url: str) -> str:
    """Map a plain ``postgresql://`` URL to the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def load_config(overrides: dict | None = None) -> dict:
    """Build the app configuration from defaults, the environment and ``overrides``."""
    overrides = overrides or {}
    data_dir = Path(overrides.get("DATA_DIR") or _env("DATA_DIR", "instance")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    database_url = overrides.get("DATABASE_URL") or _env("DATABASE_URL")
    if not database_url:
        database_url = f"sqlite:///{data_dir / 'learn.sqlite3'}"
    redis_url = overrides.get("REDIS_URL", _env("REDIS_URL"))
    config = {
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": _env("SECRET_KEY") or _secret_key(data_dir),
        "SQLALCHEMY_DATABASE_URI": sqlalchemy_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        "COURSES_DIR": _env("COURSES_DIR", str(PROJECT_ROOT / "courses")),
        "CASES_DIR": _env("CASES_DIR", str(PROJECT_ROOT / "cases_library")),
        "MIGRATIONS_DIR": str(PROJECT_ROOT / "migrations"),
        "LOGIN_RATE_LIMIT": _env("LOGIN_RATE_LIMIT", "10 per minute"),
        "LOCKOUT_AFTER": int(_env("LOCKOUT_AFTER", "8")),
        "PROXY_COUNT": int(_env("PROXY_COUNT", "0")),
        "RATELIMIT_STORAGE_URI": redis_url or f"learn+sqlite://{data_dir / 'ratelimits.sqlite3'}",
        "RATELIMIT_HEADERS_ENABLED": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _env("SECURE_COOKIES", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _env("SECURE_COOKIES", "0") == "1",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(_env("SESSION_HOURS", "8"))),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": int(_env("MAX_UPLOAD_MB", "20")) * 1024 * 1024,
        "TIMEZONE": "Asia/Shanghai",
        # 学时 quotas (干部教育培训工作条例 and the national cadre-training plan)
        "QUOTA_SECTION_ANNUAL": float(_env("QUOTA_SECTION_ANNUAL", "90")),
        "QUOTA_COUNTY_FIVE_YEARS": float(_env("QUOTA_COUNTY_FIVE_YEARS", "550")),
        "QUOTA_ONLINE_ANNUAL": float(_env("QUOTA_ONLINE_ANNUAL", "50")),
        "QUIZ_BONUS_HOURS": float(_env("QUIZ_BONUS_HOURS", "0")),  # full-marks quiz bonus
        "SPEAKER_HOURS_MULTIPLE": float(_env("SPEAKER_HOURS_MULTIPLE", "2")),
    }
    config.update({k: v for k, v in overrides.items() if k not in ("DATA_DIR", "DATABASE_URL")})
    return config
