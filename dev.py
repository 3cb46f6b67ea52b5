#!/usr/bin/env python3
"""Two commands for a fresh machine with only Python 3.11+:

    python3 dev.py run    install, create the database, load demo content, serve on :5000
    python3 dev.py test   install test dependencies and run the whole test suite

Both create ``.venv`` on first use. ``test`` passes any further arguments to pytest
and, when run as root on Debian without Chromium, installs chromium and
fonts-noto-cjk for the browser tests (they are skipped with a message otherwise).
"""

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def sh(*args, **kw):
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kw)


def ensure_venv(extra: str = "") -> None:
    if not (BIN / "python").exists():
        venv.create(VENV, with_pip=True)
    target = f".[{extra}]" if extra else "."
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "-e", target)


def ensure_chromium() -> None:
    if Path("/usr/bin/chromium").exists():
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        sh("apt-get", "update", "-qq", env=env)
        sh("apt-get", "install", "-y", "-qq", "chromium", "fonts-noto-cjk", env=env)
    else:
        print(
            "Chromium not found: browser tests will be skipped "
            "(as root: apt-get install -y chromium fonts-noto-cjk)"
        )


def run() -> None:
    ensure_venv()
    learn = BIN / "learn"
    sh(learn, "init")
    sh(learn, "demo")
    sh(learn, "serve", "--host", os.environ.get("LEARN_HOST", "127.0.0.1"), "--port", "5000")


def test(pytest_args: list[str]) -> None:
    ensure_venv("test")
    ensure_chromium()
    sh(BIN / "python", "-m", "pytest", *pytest_args)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    try:
        if command == "run":
            run()
        elif command == "test":
            test(sys.argv[2:])
        else:
            sys.exit(__doc__)
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
    except KeyboardInterrupt:
        sys.exit(130)
