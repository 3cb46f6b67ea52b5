"""Storage settings: ``LEARN_STORAGE`` picks the backend, ``LEARN_UPLOADS_DIR`` its directory.

They are read here rather than in learn/config.py so the storage domain owns
its settings; values passed to ``create_app`` still win.
"""

import os
from pathlib import Path

ORDER = 1


def init_app(app) -> None:
    app.config.setdefault("STORAGE", os.environ.get("LEARN_STORAGE", "filesystem"))
    default_dir = Path(app.config["DATA_DIR"]) / "uploads"
    app.config.setdefault("UPLOADS_DIR", os.environ.get("LEARN_UPLOADS_DIR", str(default_dir)))
