"""Install axe-core (the accessibility audit of the browser tests) from npm into .cache/axe.

    .venv/bin/python scripts/axe_core.py     # prints the path of axe.min.js

Kept out of git: `make test` and the browser tests' fixture both run this, which installs it
once with npm and reuses it after.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "axe"
PACKAGE = "axe-core@^4.10"
SCRIPT = CACHE / "node_modules" / "axe-core" / "axe.min.js"


def axe_script() -> Path:
    """The path of ``axe.min.js``, installing axe-core with npm the first time."""
    if SCRIPT.is_file():
        return SCRIPT
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("the accessibility tests need npm (sudo apt-get install npm)")
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(CACHE), PACKAGE],
        check=True,
        capture_output=True,
    )
    return SCRIPT


if __name__ == "__main__":
    print(axe_script())
    sys.exit(0)
